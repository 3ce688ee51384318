"""The Hummingbot side of the comparison: a signal provider (file or MQTT) and a real Hummingbot strategy."""
