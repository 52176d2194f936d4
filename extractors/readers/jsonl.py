"""JSONL records: {id?, text | html, url?, title?, published?, publisher?} a line."""
from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path

from extractors.errors import RejectError
from extractors.readers import RawDoc, ReadFailure
from extractors.textnorm import decode_bytes, normalize_text

# where crawlers put the site's name
PUBLISHER_KEYS = ("publisher", "site_name", "sitename", "site", "source")


def read(path: Path) -> Iterator[RawDoc | ReadFailure]:
    data, _ = decode_bytes(path.read_bytes())
    for n, line in enumerate(data.splitlines(), 1):
        if not line.strip():
            continue
        try:
            rec = json.loads(line)
        except json.JSONDecodeError as e:
            yield ReadFailure(str(path), RejectError("bad_json", f"line {n}: {e.msg}"))
            continue
        if not isinstance(rec, dict) or not (rec.get("text") or rec.get("html")):
            yield ReadFailure(str(path), RejectError("no_article", f"line {n}: record has no text or html"))
            continue
        rid = rec.get("id")
        yield RawDoc(
            source_path=str(path),
            fmt="jsonl",
            text=normalize_text(rec["text"]) if rec.get("text") else None,
            html=rec.get("html") if not rec.get("text") else None,
            record_id=str(rid) if rid is not None else f"line-{n}",
            url=rec.get("url"),
            title=normalize_text(rec["title"]) if rec.get("title") else None,
            published=rec.get("published") or rec.get("date"),
            publisher=_publisher(rec),
        )


def _publisher(rec: dict) -> str | None:
    """A site's name, not an address ("source" is at times the crawl's URL)."""
    for k in PUBLISHER_KEYS:
        v = rec.get(k)
        if isinstance(v, str) and v.strip() and "/" not in v and len(v) <= 80:
            return v.strip()
    return None
