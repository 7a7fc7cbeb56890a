"""PDF streams inflated within the ZIP limits, not whole.

pdfminer inflates each compressed stream of a PDF in one call (`zlib.decompress`, or its own
LZW decoder), so a PDF of half a megabyte whose page content inflates to gigabytes would take
that much memory before a word of it is read: a compression bomb like a ZIP one. The functions
its `pdftypes` module calls are replaced here by ones that count what they inflate and stop,
raising StreamTooLarge, once a stream over 1 MiB inflates more than `max_compression_ratio`
times over or past `max_part_bytes` (the limits the ZIP and Office checks apply).
"""

import io
import zlib

from pdfminer import pdftypes
from pdfminer.lzw import LZWDecoder

from slm_platform.ingest.bulk.records import DEFAULT_LIMITS, MIB

_CHUNK = MIB


class StreamTooLarge(Exception):
    """A PDF stream inflates past the limits. Not a ValueError: pdfminer must not take it for
    damage it can step over."""


def _check(inflated: int, compressed: int) -> None:
    ratio, most = DEFAULT_LIMITS.max_compression_ratio, DEFAULT_LIMITS.max_part_bytes
    if inflated > most or (inflated > MIB and inflated > ratio * max(compressed, 1)):
        raise StreamTooLarge(
            f"a compressed stream inflates more than {inflated // max(compressed, 1):,} times "
            f"over (from {compressed:,} bytes), which only a compression bomb does; the limits "
            f"are {ratio} times and {most:,} bytes"
        )


class _Inflater:
    """zlib.decompressobj() that counts what goes in and what comes out."""

    def __init__(self):
        self._inner = zlib.decompressobj()
        self._in = self._out = 0

    def decompress(self, data: bytes, max_length: int = 0) -> bytes:
        self._in += len(data)
        piece = self._inner.decompress(data, max_length)
        self._out += len(piece)
        _check(self._out, self._in)
        return piece

    def __getattr__(self, name: str):
        return getattr(self._inner, name)


def _inflate(data: bytes) -> bytes:
    """zlib.decompress(data), a megabyte at a time, within the limits. A stream cut short or
    damaged part-way gives what it held up to there (pdfminer's own fallback for such streams
    would re-inflate it a byte at a time, its output copied at every byte)."""
    inflater, out, pending = zlib.decompressobj(), bytearray(), data
    try:
        while not inflater.eof:
            piece = inflater.decompress(pending, _CHUNK)
            out += piece
            _check(len(out), len(data))
            if not piece and len(inflater.unconsumed_tail) == len(pending):
                break  # no progress: the input ended before the stream did
            pending = inflater.unconsumed_tail
    except zlib.error:
        if not out:
            raise
    return bytes(out)


def _lzw_decode(data: bytes) -> bytes:
    out = bytearray()
    for piece in LZWDecoder(io.BytesIO(data)).run():
        out += piece
        _check(len(out), len(data))
    return bytes(out)


class _BoundedZlib:
    """What pdfminer's pdftypes module gets as `zlib`: the calls it makes, bounded."""

    error = zlib.error
    decompress = staticmethod(_inflate)
    decompressobj = _Inflater


def bound_inflation() -> None:
    """Make pdfminer inflate every stream within the limits (idempotent)."""
    pdftypes.zlib = _BoundedZlib
    pdftypes.lzwdecode = _lzw_decode
