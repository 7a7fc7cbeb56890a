"""Refuse an upload by its declared size before Django reads a byte of its body."""

from slm_platform.core.errors import PayloadTooLarge


def declared_size_check(request, *, limit: int, what: str, field: str,
                        slack: int = 0) -> None:
    """413 when the request's Content-Length is over `limit` (+ `slack` for the multipart
    envelope around the file) bytes; `what` names the limit ("datasets may be")."""
    declared = int(request.META.get("CONTENT_LENGTH") or 0)
    if declared > limit + slack:
        raise PayloadTooLarge(f"the upload is {declared / 1e6:.1f} MB; {what} at most "
                              f"{limit / 1e6:.0f} MB", details={"field": field})
