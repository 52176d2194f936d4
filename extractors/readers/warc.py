"""WARC crawls (.warc, .warc.gz): every HTML response record is a page."""
from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

from warcio.archiveiterator import ArchiveIterator
from warcio.exceptions import ArchiveLoadFailed

from extractors.errors import RejectError
from extractors.readers import RawDoc, ReadFailure
from extractors.textnorm import decode_bytes


def read(path: Path) -> Iterator[RawDoc | ReadFailure]:
    try:
        with path.open("rb") as fh:
            for rec in ArchiveIterator(fh):
                if rec.rec_type != "response":
                    continue
                ctype = rec.http_headers.get_header("Content-Type", "") if rec.http_headers else ""
                if "html" not in ctype.lower():
                    continue
                uri = rec.rec_headers.get_header("WARC-Target-URI")
                try:
                    html, _ = decode_bytes(rec.content_stream().read())
                except RejectError as e:
                    yield ReadFailure(str(path), RejectError(e.reason, f"{uri}: {e.detail}"))
                    continue
                yield RawDoc(str(path), "warc", html=html, record_id=uri, url=uri)
    except ArchiveLoadFailed as e:
        raise RejectError("bad_warc", str(e)) from e
