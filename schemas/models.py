"""Pydantic models of what Depeche hands from extraction to the warehouse.

They are the contract between the pure extractors and the DuckDB writer, and
they serialise straight to the `depeche extract` JSON of PREDICTIONS.md.
"""
from __future__ import annotations

import hashlib
from datetime import date

from pydantic import BaseModel, Field


def content_hash(*parts: str | None, size: int = 16) -> str:
    """Stable id from content, so the same article always gets the same key."""
    h = hashlib.blake2b(digest_size=size)
    for p in parts:
        h.update((p or "").encode("utf-8"))
        h.update(b"\x1f")
    return h.hexdigest()


class Article(BaseModel):
    """A cleaned article: metadata plus the exact body the facts point into."""

    article_id: str
    source_path: str
    record_id: str | None = None
    url: str | None = None
    title: str | None = None
    publisher: str | None = None
    agency: str | None = None
    author: str | None = None
    published_date: date | None = None
    language: str = "fr"
    body: str
    dateline_chars: int = 0  # the wire dateline opening the body: its date is the publication's, not a fact
    fmt: str = "txt"
    duplicate_of: str | None = None

    @property
    def text_for_nlp(self) -> str:
        """Title and body in one text: facts come from both, offsets index this."""
        return f"{self.title}\n\n{self.body}" if self.title else self.body

    @property
    def body_offset(self) -> int:
        return len(self.title) + 2 if self.title else 0


class Span(BaseModel):
    """Where a fact was read, so an analyst can check it: offsets index the
    stored body, or the title when `in_title` is true."""

    text: str
    start_char: int
    end_char: int
    sentence: str
    in_title: bool = False


class OrgMention(Span):
    org_key: str
    name: str
    label: str = "ORG"


class Organization(BaseModel):
    """A canonical organisation: one per real-world body, shared across articles."""

    org_id: str
    name: str
    acronym: str | None = None
    org_type: str | None = None
    in_gazetteer: bool = False
    aliases: list[str] = Field(default_factory=list)


class Amount(Span):
    value: float
    value_max: float | None = None
    currency: str
    approximate: bool = False
    org_id: str | None = None


class DateFact(Span):
    value: str  # ISO at its granularity; quarters and half-years as 2023-Q3, 2023-H1
    granularity: str
    start: date | None = None
    end: date | None = None
    relative: bool = False

    def to_prediction(self) -> dict:
        """PREDICTIONS.md values are YYYY, YYYY-MM or YYYY-MM-DD: a quarter or
        half-year is given as its year, the exact period under `period`."""
        out = self.model_dump(mode="json")
        if self.granularity in ("quarter", "half"):
            out["value"], out["period"] = self.value[:4], self.value
        return out


class Metric(Span):
    value: float
    unit: str
    name: str | None = None
    approximate: bool = False


class ArticleFacts(BaseModel):
    article: Article
    organizations: list[Organization] = Field(default_factory=list)
    org_mentions: list[OrgMention] = Field(default_factory=list)
    amounts: list[Amount] = Field(default_factory=list)
    dates: list[DateFact] = Field(default_factory=list)
    metrics: list[Metric] = Field(default_factory=list)
    error: str | None = None  # why extraction failed on this article, which then has no facts

    def to_prediction(self) -> dict:
        """The PREDICTIONS.md shape: one record per article, facts by value."""
        a = self.article
        by_org: dict[str, list[str]] = {}
        for m in self.org_mentions:
            by_org.setdefault(m.org_key, [])
            if m.text not in by_org[m.org_key]:
                by_org[m.org_key].append(m.text)
        orgs = []
        for o in self.organizations:
            surface = by_org.get(o.org_id, [])
            aliases = [s for s in dict.fromkeys([*surface, *o.aliases]) if s != o.name]
            orgs.append({"name": o.name, "aliases": aliases, "org_id": o.org_id})
        return {
            "id": a.record_id or a.article_id,
            "source_file": a.source_path.rsplit("/", 1)[-1],
            "title": a.title,
            "publisher": a.publisher,
            "published": a.published_date.isoformat() if a.published_date else None,
            "url": a.url,
            "language": a.language,
            "duplicate_of": a.duplicate_of,
            "body": a.body,
            "organizations": orgs,
            "amounts": [x.model_dump(mode="json") for x in self.amounts],
            # a week has no value the contract allows (YYYY, YYYY-MM or YYYY-MM-DD): it is listed apart
            "dates": [x.to_prediction() for x in self.dates if x.granularity != "week"],
            "weeks": [x.to_prediction() for x in self.dates if x.granularity == "week"],
            "metrics": [x.model_dump(mode="json") for x in self.metrics],
        }


class Reject(BaseModel):
    source_path: str
    reason: str
    detail: str = ""
