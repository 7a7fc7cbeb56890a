"""Retail product-review sentiment: overall and per-aspect labels, normalisation, starter data."""
