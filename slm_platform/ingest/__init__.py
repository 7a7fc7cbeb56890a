"""Dataset uploads: read CSV/TSV, XLSX, JSONL and CoNLL files into records, and judge their quality.

Plain Python with no Django import, so the web process and the workers can both use it.
"""
