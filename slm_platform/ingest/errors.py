"""The errors uploads raise: what is wrong, and where the user can find it."""


class DatasetError(ValueError):
    """A problem in an uploaded dataset, located by file, row and column where those are known.

    `row` is 1-based as the user sees it: in CSV/XLSX the header is row 1 and the first data row
    is row 2; in JSONL and CoNLL files it is the line number.
    """

    def __init__(self, message: str, *, file: str | None = None, row: int | None = None,
                 column: str | None = None):
        # Only the message goes to ValueError's args, so the error pickles (Celery results do).
        super().__init__(message)
        self.message = message
        self.file = file
        self.row = row
        self.column = column

    def as_details(self) -> dict:
        """The location as a dict, holding only the parts that are known."""
        location = {"file": self.file, "row": self.row, "column": self.column}
        return {key: value for key, value in location.items() if value is not None}

    def __str__(self) -> str:
        parts = []
        if self.file is not None:
            parts.append(self.file)
        if self.row is not None:
            parts.append(f"row {self.row}")
        if self.column is not None:
            parts.append(f"column {self.column!r}")
        return f"{', '.join(parts)}: {self.message}" if parts else self.message


class DocumentError(ValueError):
    """A bulk-job file that cannot be read, located by file and place ("row 12", "page 3").

    For a file inside a ZIP archive, `file` is "archive.zip/inner/path.csv".
    """

    def __init__(self, message: str, *, file: str | None = None, location: str | None = None):
        super().__init__(message)  # message alone in args, so that the error pickles
        self.message = message
        self.file = file
        self.location = location

    def as_details(self) -> dict:
        """The location as a dict, holding only the parts that are known."""
        details = {"file": self.file, "location": self.location}
        return {key: value for key, value in details.items() if value is not None}

    def __str__(self) -> str:
        parts = [part for part in (self.file, self.location) if part is not None]
        return f"{', '.join(parts)}: {self.message}" if parts else self.message
