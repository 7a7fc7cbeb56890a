"""Retail support-desk intent detection: labels, message normalisation and starter data."""
