"""Read and clean a set of paths into articles and rejects: the stage every
entry point shares (the CLI's `extract`, the Prefect flow, the benchmark)."""
from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path

from extractors.cleaning import boilerplate_by_dump, dump_key, to_article
from extractors.dedup import find_duplicates
from extractors.errors import RejectError
from extractors.language import detect_language
from extractors.readers import RawDoc, ReadFailure, read_file
from schemas.models import Article, Reject


@dataclass
class Prepared:
    articles: list[Article] = field(default_factory=list)
    rejects: list[Reject] = field(default_factory=list)


def read_and_clean(files: Iterable[Path]) -> Prepared:
    """Read, clean, tag language and mark duplicates; bad input becomes a Reject."""
    out = Prepared()
    raws: list[RawDoc] = []
    for f in files:
        for item in read_file(Path(f)):
            if isinstance(item, ReadFailure):
                out.rejects.append(Reject(source_path=item.source_path, reason=item.error.reason,
                                          detail=item.error.detail))
            else:
                raws.append(item)
    boiler = boilerplate_by_dump(raws)
    for raw in raws:
        try:
            art = to_article(raw, boiler.get(dump_key(raw), set()))
        except RejectError as e:
            rec = f"record {raw.record_id}: " if raw.record_id else ""
            out.rejects.append(Reject(source_path=raw.source_path, reason=e.reason, detail=rec + e.detail))
            continue
        art.language = detect_language(art.body)
        out.articles.append(art)
    dups = find_duplicates([a.body for a in out.articles])
    for i, j in dups.items():
        out.articles[i].duplicate_of = out.articles[j].article_id
    return out
