"""Text page dumps (the seeds' format): one article page per file."""
from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

from extractors.readers import RawDoc, read_dump
from extractors.textnorm import decode_bytes, normalize_text


def read(path: Path) -> Iterator[RawDoc]:
    text, enc = decode_bytes(read_dump(path))
    yield RawDoc(str(path), "txt", text=normalize_text(text), meta={"encoding": enc})
