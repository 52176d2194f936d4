"""HTML pages: one article per file."""
from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

from extractors.readers import RawDoc, read_dump
from extractors.textnorm import decode_bytes


def read(path: Path) -> Iterator[RawDoc]:
    html, enc = decode_bytes(read_dump(path))
    yield RawDoc(str(path), "html", html=html, meta={"encoding": enc})
