"""Metrics: percentages, counts of things and physical quantities.

Money and years are not metrics: the component drops any metric that
overlaps an amount or a date span.
"""
from __future__ import annotations

import re
from dataclasses import dataclass
from functools import cache

from extractors.numbers import (
    DIGITS,
    alternation,
    lexicon,
    number_re,
    number_starts,
    parse_number,
    qualifier_before,
    strip_accents,
)


@dataclass
class MetricMatch:
    start: int
    end: int
    text: str
    value: float
    unit: str
    name: str | None
    approximate: bool


WORD = r"[^\W\d_][\w'’-]*"


@cache
def _patterns() -> dict[str, re.Pattern]:
    """Number-anchored rules are matched only where number_starts() found a figure."""
    lex = lexicon()
    num = number_re()
    scales = alternation(lex["numbers"]["scales"])
    coll = alternation(lex["numbers"]["collectives"])
    units = alternation(lex["metrics"]["units"])
    adj = alternation(lex["metrics"]["pre_adjectives"])
    return {
        "percent": re.compile(rf"(?P<n>{num})\s*(?:%|pour\s?cent\b|pour-cent\b)", re.IGNORECASE),
        "physical": re.compile(
            rf"(?P<n>{num})(?:\s+(?P<s>{scales}))?\s*(?:de\s+|d['’])?(?P<u>{units})(?![^\W\d_])", re.IGNORECASE),
        "count": re.compile(
            rf"(?P<n>{num})\s+(?:(?:sont|étaient|seront|des|d['’]entre eux)\s+(?:des\s+)?)?"
            rf"(?:(?:très\s+|plus\s+)?(?P<a>{adj})\s+)?(?P<noun>{WORD})",
            re.IGNORECASE),
        "collective": re.compile(
            rf"\b(?:une?|des|quelques)\s+(?P<c>{coll})\s+(?:de\s+|d['’])(?:(?P<a>{adj})\s+)?(?P<noun>{WORD})",
            re.IGNORECASE),
        "coordinated": re.compile(rf"\bet\s+(?P<n>{DIGITS})\s+(?:dans|en|pour|au|à|chez)\b", re.IGNORECASE),
    }


@cache
def _stop_nouns() -> frozenset[str]:
    lex = lexicon()
    words = set(lex["metrics"]["not_counted"]) | set(lex["dates"]["months"]) | set(lex["dates"]["weekdays"])
    words |= set(lex["numbers"]["scales"]) | set(lex["numbers"]["units"]) | set(lex["metrics"]["units"])
    words |= {f.lower() for fs in lex["currencies"]["forms"].values() for f in fs}
    words |= {k.lower() for k in lex["currencies"]["scaled"]}
    words |= set(lex["numbers"]["scale_abbrev"])
    return frozenset(words | {strip_accents(w) for w in words})


def _percent_name(text: str, start: int) -> str | None:
    """The named rate a percentage measures: 'taux de pérennité de 88%'."""
    names = alternation(lexicon()["metrics"]["percent_names"])
    window = text[max(0, start - 80):start]
    connector = r"(?:de\s+la\s+|de\s+l['’]|de\s+|du\s+|des\s+|d['’])"
    found = list(re.finditer(rf"\b(?P<name>{names}(?:\s+{connector}{WORD})?)", window, re.IGNORECASE))
    if not found:
        return None
    m = found[-1]  # the nearest name before the figure
    gap = window[m.end():]
    if len(gap) > 30 or re.search(r"[.;:!?()]", gap):
        return None
    return m.group("name")


def find_metrics(text: str) -> list[MetricMatch]:
    pats = _patterns()
    stop = _stop_nouns()
    approx = {w.lower() for w in lexicon()["qualifiers"]["approximate"]}
    scales = lexicon()["numbers"]["scales"]
    colls = lexicon()["numbers"]["collectives"]
    out: list[MetricMatch] = []
    taken: list[tuple[int, int]] = []

    def add(m: re.Match, value: float | None, unit: str, name: str | None = None, start: int | None = None,
            end: int | None = None) -> None:
        if value is None:
            return
        s = start if start is not None else m.start()
        e = end if end is not None else m.end()
        q = qualifier_before(text, s) if start is None else None
        if q:
            s = q.start()
        if any(s < te and ts < e for ts, te in taken):
            return
        out.append(MetricMatch(s, e, text[s:e], value, unit, name, bool(q) and q.group(0).strip().lower() in approx))
        taken.append((s, e))

    starts = number_starts(text)
    for pos in starts:  # the order of the families is their priority
        m = pats["percent"].match(text, pos)
        if m:
            add(m, parse_number(m.group("n")), "%", _percent_name(text, m.start()))
    for pos in starts:
        m = pats["physical"].match(text, pos)
        if m:
            v = parse_number(m.group("n"))
            if v is not None and m.group("s"):
                v *= scales[m.group("s").lower()]
            add(m, v, m.group("u"))  # as written, like counted nouns
    for m in pats["collective"].finditer(text):
        noun = m.group("noun")
        if noun.lower() not in stop:
            add(m, float(colls[m.group("c").lower()]), noun)
    for pos in starts:
        m = pats["count"].match(text, pos)
        if not m:
            continue
        raw, noun = m.group("n"), m.group("noun")
        if noun.lower() in stop or noun.lower().startswith(("l'", "d'", "l’", "d’", "qu'", "qu’")):
            continue
        if raw.isdigit() and len(raw) == 4 and 1900 <= int(raw) <= 2100:
            continue  # a year, not a count
        if not raw[:1].isdigit() and raw.lower() in ("un", "une"):
            continue  # "une approche" is not a count
        if noun[:1].isupper() and not raw[:1].isdigit():
            continue  # "Trois Marocains..." at a sentence start is prose, not data
        add(m, parse_number(raw), noun)
    for m in pats["coordinated"].finditer(text):
        prev = [x for x in out if x.end <= m.start() and m.start() - x.end < 80 and x.unit != "%"]
        if prev:
            add(m, parse_number(m.group("n")), prev[-1].unit, start=m.start("n"), end=m.end("n"))
    return sorted(out, key=lambda x: x.start)
