"""HTML pages: one article per file."""
from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

from extractors.readers import RawDoc
from extractors.textnorm import decode_bytes


def read(path: Path) -> Iterator[RawDoc]:
    html, enc = decode_bytes(path.read_bytes())
    yield RawDoc(str(path), "html", html=html, meta={"encoding": enc})
