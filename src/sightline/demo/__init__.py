"""The built-in demonstration: a whole investigation of invented councils, run offline."""
