"""The NautilusTrader side of the comparison: a real Strategy adapting the shared signal core."""
