"""The Hummingbot side of the comparison: a file signal provider and a real Hummingbot strategy."""
