"""API key format: slm_<prefix>_<secret>. The prefix finds the row; the hash proves the secret."""

import hashlib
import hmac
import secrets

KEY_SCHEME = "slm"


def new_key() -> tuple[str, str]:
    """Return (full key, prefix). 8 + 40 url-safe characters: ~285 bits of entropy."""
    prefix = secrets.token_hex(4)
    return f"{KEY_SCHEME}_{prefix}_{secrets.token_urlsafe(30)}", prefix


def key_hash(key: str) -> str:
    # A fast hash suffices: keys are long random secrets, not guessable passwords.
    return hashlib.sha256(key.encode()).hexdigest()


def key_prefix(key: str) -> str | None:
    parts = key.split("_", 2)
    if len(parts) != 3 or parts[0] != KEY_SCHEME or not parts[1]:
        return None
    return parts[1]


def hashes_match(key: str, stored_hash: str) -> bool:
    return hmac.compare_digest(key_hash(key), stored_hash)
