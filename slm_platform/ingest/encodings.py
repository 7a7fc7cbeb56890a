"""Bytes and cell values to text: byte-order marks, encoding guesses, spreadsheet values.

Shared by the dataset readers (which accept UTF-8 and UTF-16 with a BOM only) and the bulk-job
readers (which also read UTF-16 without a BOM and the 8-bit code pages spreadsheets export).
"""

import codecs

import charset_normalizer

BOMS = ((codecs.BOM_UTF8, "utf-8-sig"), (codecs.BOM_UTF16_LE, "utf-16"),
        (codecs.BOM_UTF16_BE, "utf-16"))
# Without a BOM, UTF-16/32 guesses for plain 8-bit text are noise.
_NOT_GUESSED = ["utf_16", "utf_16_be", "utf_16_le", "utf_32", "utf_32_be", "utf_32_le"]
# The code pages spreadsheets commonly export, named in preference to the lookalikes that
# charset-normalizer ranks level with them on short samples (cp1250 for French text, say).
_COMMON_ENCODINGS = ("cp1252", "cp1250", "cp1251", "cp1253", "cp1254", "cp1256", "cp932",
                     "gb18030", "big5", "cp949", "mac_roman")


def bom_codec(data: bytes) -> str:
    """The codec a byte-order mark at the start of `data` names; "utf-8" when there is none."""
    return next((codec for bom, codec in BOMS if data.startswith(bom)), "utf-8")


def has_bom(data: bytes) -> bool:
    """Whether `data` starts with a UTF-8 or UTF-16 byte-order mark."""
    return any(data.startswith(bom) for bom, _ in BOMS)


def guess_encoding(window: bytes) -> str | None:
    """The likely 8-bit encoding of bytes that are not UTF-8, or None when nothing fits.

    Of the encodings charset-normalizer ranks level at the top (cp1250 and cp1252 often are,
    on French text), the one spreadsheets export most often is named.
    """
    matches = list(charset_normalizer.from_bytes(window, cp_exclusion=_NOT_GUESSED))
    if not matches:
        return None
    top = [match for match in matches if _rank(match) == _rank(matches[0])]
    for candidates in ([name for match in top for name in match.could_be_from_charset],
                       *(match.could_be_from_charset for match in matches)):
        common = [name for name in _COMMON_ENCODINGS if name in candidates]
        if common:
            return common[0]
    best = matches[0].encoding
    return best if best not in ("ascii", "utf_8") else None


def _rank(match) -> tuple[float, float]:
    return match.chaos, match.coherence


def cell_text(value: object) -> str:
    """A spreadsheet or JSON scalar as the text a person would see in the cell."""
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        return str(int(value))  # spreadsheets store 42 as 42.0
    return str(value)
