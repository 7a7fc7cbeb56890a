"""Bank/card transaction categorisation: labels, text normalisation and starter data."""
