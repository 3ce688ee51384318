"""Pure functions from saved journals to figures, one module per report category."""
