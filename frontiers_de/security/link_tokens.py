"""Random tokens for emailed links that act without a sign-in (proofs, review invitations).

The link carries the token; the database keeps only its SHA-256, so a leaked table opens
nothing, and a lookup by hash finds the row.
"""

from __future__ import annotations

import hashlib
import secrets


def new_link_token() -> str:
    """256 random bits, URL-safe."""
    return secrets.token_urlsafe(32)


def hash_link_token(token: str) -> str:
    return hashlib.sha256(token.encode("utf-8")).hexdigest()
