"""The private folder of imports: the uploaded files (kept as they were received, with their
SHA-256) and the rejected-rows files. Under MEDIA_ROOT/imports/, never served directly: downloads
go through the scoped views. A job's files are deleted by `import_purge` after
AWDA_IMPORT_RETENTION_DAYS (the job row, its counts and its audit events stay)."""

import contextlib
import hashlib
import os
import secrets
from pathlib import Path

from django.conf import settings

FOLDER = "imports"
CHUNK = 1 << 20


def root() -> Path:
    path = Path(settings.MEDIA_ROOT) / FOLDER
    path.mkdir(mode=0o700, parents=True, exist_ok=True)
    return path


def new_name(prefix: str, extension: str) -> str:
    """A file name under MEDIA_ROOT that cannot be guessed."""
    extension = "".join(c for c in extension.lower() if c.isalnum())[:8] or "bin"
    return f"{FOLDER}/{prefix}-{secrets.token_hex(12)}.{extension}"


def path_of(name: str) -> Path:
    """The absolute path of a stored import file; ValueError outside the imports folder."""
    base = root().resolve()
    path = (Path(settings.MEDIA_ROOT) / name).resolve()
    if path.parent != base:
        raise ValueError("not an import file")
    return path


def private_file(path: Path):
    fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    return os.fdopen(fd, "wb")


def store(fileobj, extension: str, *, max_bytes: int | None = None) -> tuple[str, int, str]:
    """Copy an uploaded file into the private folder. Returns (name, size, sha256 hex);
    ValueError("too_large") past max_bytes (the partial copy is deleted)."""
    name = new_name("upload", extension)
    path = path_of(name)
    digest = hashlib.sha256()
    size = 0
    try:
        with private_file(path) as out:
            if hasattr(fileobj, "chunks"):
                chunks = fileobj.chunks(CHUNK)
            else:
                chunks = iter(lambda: fileobj.read(CHUNK), b"")
            for chunk in chunks:
                size += len(chunk)
                if max_bytes is not None and size > max_bytes:
                    raise ValueError("too_large")
                digest.update(chunk)
                out.write(chunk)
    except BaseException:
        path.unlink(missing_ok=True)
        raise
    return name, size, digest.hexdigest()


def store_bytes(data: bytes, extension: str) -> tuple[str, int, str]:
    name = new_name("upload", extension)
    with private_file(path_of(name)) as out:
        out.write(data)
    return name, len(data), hashlib.sha256(data).hexdigest()


def delete(name: str) -> None:
    if not name:
        return
    with contextlib.suppress(ValueError):
        path_of(name).unlink(missing_ok=True)
