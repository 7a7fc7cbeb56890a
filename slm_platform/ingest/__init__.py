"""Dataset uploads: read CSV/TSV, XLSX, JSONL and CoNLL files into records, and judge their quality.
Bulk-job files (tables, text, PDF, Word and ZIP archives of them) are streamed into items by bulk/.

Plain Python with no Django import, so the web process and the workers can both use it.
"""
