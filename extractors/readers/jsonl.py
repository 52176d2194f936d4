"""JSONL records: {id?, text | html, url?, title?, published?, publisher?} a line
(`.jsonl`, `.ndjson`), or the same records in one JSON document (`.json`: an array,
or an object holding one under "articles", "items"…, or a single record).

Crawlers name these fields in their own ways ("content", "headline", "link",
"published_at", …): the first key of each list that a record has is used."""
from __future__ import annotations

import html as html_lib
import json
import re
from collections.abc import Iterator
from pathlib import Path

from extractors.errors import RejectError
from extractors.readers import RawDoc, ReadFailure, open_dump, read_dump
from extractors.textnorm import MAX_BYTES, decode_bytes, decoded_lines, normalize_text

# where crawlers put the site's name
PUBLISHER_KEYS = ("publisher", "site_name", "sitename", "site", "source", "ogSiteName", "og:site_name")
TEXT_KEYS = ("text", "content", "body", "article", "article_text", "raw_text", "full_text", "markdown",
             "articleBody", "article_body")
HTML_KEYS = ("html", "raw_html", "content_html", "body_html")
TITLE_KEYS = ("title", "headline", "og:title", "ogTitle")
URL_KEYS = ("url", "link", "canonical_url", "source_url", "uri", "sourceURL", "sourceUrl", "og:url", "ogUrl")
DATE_KEYS = ("published", "date", "published_at", "date_published", "datePublished", "publication_date",
             "published_date", "pub_date", "pubDate", "created_at", "publishedTime", "article:published_time")
MARKUP = re.compile(r"<(?:p|div|article|body|br|h[1-6]|span)\b[^>]*>", re.IGNORECASE)
ID_KEYS = ("id", "_id", "record_id", "doc_id", "uuid", "guid")


def _first(rec: dict, keys: tuple[str, ...]):
    """The first of `keys` the record fills (a string, a number), else None."""
    for k in keys:
        v = rec.get(k)
        if v is not None and v != "" and not isinstance(v, dict | list):
            return v
    return None


def read(path: Path) -> Iterator[RawDoc | ReadFailure]:
    with open_dump(path) as fh:
        for n, line in enumerate(decoded_lines(fh), 1):
            if not line.strip():
                continue
            if len(line) > MAX_BYTES:  # one record the size of a broken dump; the others still count
                yield ReadFailure(str(path), RejectError("too_large",
                                                         f"line {n}: {len(line)} characters > {MAX_BYTES}"))
                continue
            try:
                rec = json.loads(line)
            except json.JSONDecodeError as e:
                yield ReadFailure(str(path), RejectError("bad_json", f"line {n}: {e.msg}"))
                continue
            yield _record(path, rec, f"line {n}", f"line-{n}")


# where an exported document keeps its list of records
LIST_KEYS = ("articles", "items", "records", "data", "results", "documents", "docs")


def read_document(path: Path) -> Iterator[RawDoc | ReadFailure]:
    """A `.json` file: an array of records, an object holding one, or one record.
    A file of one object per line, named `.json`, is read as JSONL."""
    text, _ = decode_bytes(read_dump(path, max_bytes=None), max_bytes=None)
    try:
        doc = json.loads(text)
    except json.JSONDecodeError as e:
        if e.msg == "Extra data":  # several documents: one a line
            yield from read(path)
        else:
            yield ReadFailure(str(path), RejectError("bad_json", f"line {e.lineno}: {e.msg}"))
        return
    if isinstance(doc, dict):
        doc = next((doc[k] for k in LIST_KEYS if isinstance(doc.get(k), list)), [doc])
    if not isinstance(doc, list):
        yield ReadFailure(str(path), RejectError("no_article", "not a JSON object or array of records"))
        return
    for n, rec in enumerate(doc, 1):
        yield _record(path, rec, f"item {n}", f"item-{n}")


def _record(path: Path, rec, where: str, default_id: str) -> RawDoc | ReadFailure:
    if not isinstance(rec, dict):
        return ReadFailure(str(path), RejectError("no_article", f"{where}: not a JSON object"))
    if isinstance(meta := rec.get("metadata"), dict):  # a scraper's page metadata beside its text
        rec = {**meta, **rec}
    text, html = _first(rec, TEXT_KEYS), _first(rec, HTML_KEYS)
    text = text if isinstance(text, str) and text.strip() else None
    html = html if isinstance(html, str) and html.strip() else None
    if text and not html and MARKUP.search(text[:4000]):  # a crawler's "content" that is the page's HTML
        text, html = None, text
    if not (text or html):
        return ReadFailure(str(path), RejectError("no_article", f"{where}: record has no text or html"))
    if (size := len(text or html)) > MAX_BYTES:
        return ReadFailure(str(path), RejectError("too_large", f"{where}: {size} characters > {MAX_BYTES}"))
    rid, title, url = _first(rec, ID_KEYS), _first(rec, TITLE_KEYS), _first(rec, URL_KEYS)
    return RawDoc(
        source_path=str(path),
        fmt="jsonl",
        text=normalize_text(_unescaped(text)) if text else None,
        html=html if not text else None,
        record_id=str(rid) if rid is not None else default_id,
        url=url if isinstance(url, str) else None,
        title=normalize_text(_unescaped(title)) if isinstance(title, str) else None,
        published=str(d) if (d := _first(rec, DATE_KEYS)) is not None else None,
        publisher=_publisher(rec),
    )


ENTITY = re.compile(r"&(?:#\d{2,5}|#x[0-9a-fA-F]{2,4}|[a-zA-Z]{2,8});")


def _unescaped(s: str) -> str:
    """A crawler's text may keep the page's entities ("L&#039;Office", "2&nbsp;milliards")."""
    return html_lib.unescape(s) if ENTITY.search(s) else s


def _publisher(rec: dict) -> str | None:
    """A site's name, not an address ("source" is at times the crawl's URL)."""
    for k in PUBLISHER_KEYS:
        v = rec.get(k)
        if isinstance(v, str) and v.strip() and "/" not in v and len(v) <= 80:
            return v.strip()
    return None
