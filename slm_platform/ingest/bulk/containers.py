"""ZIP containers (uploaded archives, XLSX and DOCX files) checked before anything inflates them.

Python's zipfile stops every member at the size its central directory declares and then checks
the CRC, so a member that inflates to more than it declares fails as damaged; checking the
declared sizes and ratios here therefore bounds what openpyxl and python-docx can inflate, and
`extract` counts the bytes it writes as well. Only stored and deflated members are read: bzip2
and LZMA members would be inflated a whole block at a time, before any limit applies.
"""

import stat
import zipfile
import zlib
from collections.abc import Iterator
from pathlib import Path, PurePosixPath

import defusedxml.ElementTree
from defusedxml import DefusedXmlException

from slm_platform.ingest.bulk.records import MIB, Limits
from slm_platform.ingest.errors import DocumentError

_METHODS = (zipfile.ZIP_STORED, zipfile.ZIP_DEFLATED)
_RATIO_FLOOR = MIB  # small members have meaningless ratios (a 1 KB file of spaces, say)
_COPY_CHUNK = MIB
_XML_SUFFIXES = (".xml", ".rels", ".vml")


def open_zip(path: Path, *, file: str) -> zipfile.ZipFile:
    """Open a ZIP container, or raise a DocumentError if it is damaged or truncated."""
    try:
        return zipfile.ZipFile(path)
    except (zipfile.BadZipFile, OSError, ValueError) as exc:
        raise DocumentError(f"a damaged or truncated ZIP container ({exc})", file=file) from None


def container_kind(archive: zipfile.ZipFile) -> str:
    """"xlsx" or "docx" for an Office Open XML file, "zip" for any other archive."""
    names = set(archive.namelist())
    if "[Content_Types].xml" in names:
        if any(name.startswith("xl/") for name in names):
            return "xlsx"
        if any(name.startswith("word/") for name in names):
            return "docx"
    return "zip"


def check_members(archive: zipfile.ZipFile, *, file: str, limits: Limits,
                  max_member_bytes: int) -> None:
    """Refuse encrypted or oddly compressed members, and sizes or ratios over the limits,
    judged by what the archive declares (zipfile then holds each member to it)."""
    members = archive.infolist()
    if len(members) > limits.max_zip_entries:
        raise DocumentError(f"{len(members):,} entries; the limit is {limits.max_zip_entries:,}",
                            file=file)
    total = 0
    for member in members:
        where = {"file": file, "location": member.filename}
        if member.flag_bits & 0x1:
            raise DocumentError("password-protected; upload it without a password", **where)
        if member.compress_type not in _METHODS:
            raise DocumentError("compressed with a method other than deflate; re-create the "
                                "archive with a standard ZIP tool", **where)
        if member.file_size > max_member_bytes:
            raise DocumentError(f"inflates to {member.file_size:,} bytes; the limit is "
                                f"{max_member_bytes:,}", **where)
        _check_ratio(member.file_size, member.compress_size, limits=limits, where=where)
        total += member.file_size
    if total > limits.max_decompressed_bytes:
        raise DocumentError(f"inflates to {total:,} bytes in all; the limit is "
                            f"{limits.max_decompressed_bytes:,}", file=file)


def _check_ratio(inflated: int, compressed: int, *, limits: Limits, where: dict) -> None:
    if inflated > _RATIO_FLOOR and inflated > limits.max_compression_ratio * max(compressed, 1):
        raise DocumentError(f"inflates {inflated // max(compressed, 1):,} times over (from "
                            f"{compressed:,} to {inflated:,} bytes), which only a ZIP bomb "
                            f"does; the limit is {limits.max_compression_ratio}", **where)


def check_xml_parts(archive: zipfile.ZipFile, *, file: str) -> None:
    """Refuse XML parts that declare a DTD: Office files never do, and DTDs are how entity
    expansion ("billion laughs") and external-entity attacks come in. A DTD can only stand
    before the root element, so each part is read only that far."""
    for member in archive.infolist():
        if member.filename.lower().endswith(_XML_SUFFIXES):
            with archive.open(member) as stream:
                _check_prolog(stream, file=file, part=member.filename)


def _check_prolog(stream, *, file: str, part: str) -> None:
    try:
        for _event in defusedxml.ElementTree.iterparse(stream, events=("start",),
                                                       forbid_dtd=True):
            return  # the root element has begun: no DTD can follow
    except DefusedXmlException:
        raise DocumentError("an XML part declares a DTD or entities, which Office files never "
                            "do; refused as a possible XML bomb", file=file,
                            location=part) from None
    except (SyntaxError, zipfile.BadZipFile, zlib.error, OSError) as exc:  # ParseError too
        raise DocumentError(f"a damaged XML part ({exc})", file=file, location=part) from None


def safe_members(archive: zipfile.ZipFile, *, file: str) -> Iterator[zipfile.ZipInfo]:
    """The archive's files, refusing unsafe paths and links, skipping folders and the
    clutter macOS and Windows add (__MACOSX/, ._*, .DS_Store, Thumbs.db)."""
    for member in archive.infolist():
        path = PurePosixPath(member.filename.replace("\\", "/"))
        if path.is_absolute() or ".." in path.parts or ":" in member.filename:
            raise DocumentError("an entry's path leaves the archive (absolute, or with '..'); "
                                "refused", file=file, location=member.filename)
        if stat.S_ISLNK(member.external_attr >> 16):
            raise DocumentError("an entry is a symbolic link; refused", file=file,
                                location=member.filename)
        if member.is_dir() or _is_clutter(path):
            continue
        yield member


def _is_clutter(path: PurePosixPath) -> bool:
    return (path.parts[0] == "__MACOSX" or path.name.startswith("._")
            or path.name in (".DS_Store", "Thumbs.db", "desktop.ini"))


def extract(archive: zipfile.ZipFile, member: zipfile.ZipInfo, target: Path, *, file: str,
            limits: Limits, budget: int) -> int:
    """Copy one member to `target`, counting the bytes actually inflated against `budget` and
    the ratio limit, whatever the headers said. Returns the bytes written."""
    written = 0
    where = {"file": file, "location": member.filename}
    try:
        with archive.open(member) as source, target.open("wb") as sink:
            while chunk := source.read(_COPY_CHUNK):
                written += len(chunk)
                if written > budget:
                    raise DocumentError("the archive inflates to more than "
                                        f"{limits.max_decompressed_bytes:,} bytes", **where)
                _check_ratio(written, member.compress_size, limits=limits, where=where)
                sink.write(chunk)
    except (zipfile.BadZipFile, zlib.error, OSError, EOFError, ValueError) as exc:
        raise DocumentError(f"a damaged entry ({exc})", **where) from None
    return written
