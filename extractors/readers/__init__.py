"""Readers, one per dump format. Each yields RawDoc records or RejectError.

A reader only decodes and splits a file into records; cleaning is the next
stage, so a new dump format is one new module here.
"""
from __future__ import annotations

import gzip
import importlib
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import BinaryIO

from extractors.errors import RejectError
from extractors.textnorm import MAX_BYTES


@dataclass
class RawDoc:
    source_path: str
    fmt: str  # txt | html | jsonl | warc (a .json document's records are jsonl)
    text: str | None = None  # page-dump text, already normalised
    html: str | None = None
    record_id: str | None = None
    url: str | None = None
    title: str | None = None
    published: str | None = None
    publisher: str | None = None  # a crawler record's site name
    meta: dict = field(default_factory=dict)


@dataclass
class ReadFailure:
    source_path: str
    error: RejectError


SUFFIXES = {".txt": "txt", ".md": "txt", ".markdown": "txt",  # a page a crawler wrote as Markdown is a text dump
            ".html": "html", ".htm": "html", ".jsonl": "jsonl", ".ndjson": "jsonl", ".json": "json", ".warc": "warc"}


# format -> (module of this package, its reading function)
READERS = {"txt": ("text", "read"), "html": ("html", "read"), "jsonl": ("jsonl", "read"),
           "json": ("jsonl", "read_document"), "warc": ("warc", "read")}


def format_of(path: Path) -> str | None:
    """The reader a file needs; a gzipped dump ('crawl.jsonl.gz') is read as what it holds."""
    name = path.name.lower()
    if name.endswith((".warc.gz", ".warc")):
        return "warc"
    if name.endswith(".gz"):
        return SUFFIXES.get(Path(name[:-3]).suffix)
    return SUFFIXES.get(path.suffix.lower())


def open_dump(path: Path) -> BinaryIO:
    """The file's bytes, unpacked on the fly when its name ends in '.gz'."""
    return gzip.open(path, "rb") if path.name.lower().endswith(".gz") else path.open("rb")


def read_dump(path: Path, max_bytes: int | None = MAX_BYTES) -> bytes:
    """A whole dump file. A gzipped one is unpacked up to `max_bytes` only: a small
    archive may unpack to gigabytes."""
    if not path.name.lower().endswith(".gz"):
        return path.read_bytes()
    with open_dump(path) as fh:
        data = fh.read() if max_bytes is None else fh.read(max_bytes + 1)
    if max_bytes is not None and len(data) > max_bytes:
        raise RejectError("too_large", f"more than {max_bytes} bytes once unpacked")
    return data


def discover(paths: Iterable[str | Path]) -> list[Path]:
    """Every readable dump file under the given files and folders, sorted."""
    out: list[Path] = []
    for p in map(Path, paths):
        if p.is_dir():
            out.extend(f for f in sorted(p.rglob("*")) if f.is_file() and format_of(f) and not f.name.startswith("."))
        elif p.exists():
            out.append(p)
        else:
            raise FileNotFoundError(p)
    return sorted(dict.fromkeys(out))


def read_file(path: Path) -> Iterator[RawDoc | ReadFailure]:
    """Dispatch a file to its reader; any failure becomes a ReadFailure."""
    fmt = format_of(path)
    if fmt is None:
        yield ReadFailure(str(path), RejectError("unsupported_format", f"no reader for {path.name}"))
        return
    module, func = READERS[fmt]
    # imported when first needed: warcio alone takes 40 ms to import, and most dumps are not crawls
    reader = getattr(importlib.import_module(f"extractors.readers.{module}"), func)
    try:
        yield from reader(path)
    except RejectError as e:
        yield ReadFailure(str(path), e)
    except (OSError, ValueError, EOFError) as e:  # EOFError: a truncated gzip archive
        yield ReadFailure(str(path), RejectError("unreadable", f"{type(e).__name__}: {e}"))
