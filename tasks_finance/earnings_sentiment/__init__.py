"""Sentiment of earnings-call, financial-news and filing sentences: labels, templates and data."""
