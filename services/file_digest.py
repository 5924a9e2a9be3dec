"""A file's SHA-256, read in blocks: how attachments are stored, imports recognise the same file, and signed
reports are checked."""

from __future__ import annotations

import hashlib
from pathlib import Path


def file_sha256(path: Path) -> str:
    """The SHA-256 of the file at ``path``, as 64 hexadecimal digits."""
    with path.open("rb") as stream:
        return hashlib.file_digest(stream, "sha256").hexdigest()
