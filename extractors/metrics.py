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
    currency_forms,
    is_approximate,
    lexicon,
    number_spans,
    parse_number,
    qualifier_before,
    strip_accents,
)
from extractors.recache import compile_all


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
NEGATIVE = re.compile(r"(?:^|[\s(\[])([-–−])$")
SENTENCE_END = re.compile(r"[.!?](?=\s+[A-ZÀ-Ý«])|\n")


@cache
def _patterns() -> dict[str, re.Pattern]:
    """Number-anchored rules are matched only where number_starts() found a figure."""
    lex = lexicon()
    scales = alternation(lex["numbers"]["scales"])
    coll = alternation(lex["numbers"]["collectives"])
    units = alternation(lex["metrics"]["units"])
    adj = alternation(lex["metrics"]["pre_adjectives"])
    pats = {
        # tails: matched right after a number that number_spans() found
        "percent": r"\s*(?:%|pour\s?cents?\b|pour-cents?\b)",
        "physical": (  # "l'an" is no litre
            rf"(?:\s+(?P<s>{scales}))?\s*(?:de\s+|d['’])?(?P<u>{units})(?![^\W\d_]|['’]\w)"),
        "count": (
            rf"(?:\s+(?P<s>{scales})\s+(?:de\s+|d['’]))?"  # "14,5 millions de touristes"
            rf"\s*(?:(?:sont|étaient|seront|des|d['’]entre eux)\s+(?:des\s+)?)?"
            rf"(?:(?:très\s+|plus\s+)?(?P<a>{adj})(?:\s+et\s+{adj})?\s+)?(?P<noun>{WORD})"),  # "petites et moyennes"
        "compound": rf"{alternation(lex['metrics']['compound_nouns'])}(?![^\W\d_])",
        # "le nombre de touristes a atteint 1,5 million": the figure has no noun of its own
        "number_of": (
            rf"\bnombre\s+(?:de\s+|d['’])(?:(?P<a>{adj})\s+)?(?P<noun>{WORD})[^.;!?\n]{{0,50}}?"
            rf"(?:atteint|atteindre|[ée]tabli[et]?s?\s+[àa]|pass[ée]e?\s+[àa]|[ée]l[èe]ve\s+[àa]|est\s+de|[ée]tait\s+de"
            rf"|totalise|:)\s*(?P<n>{DIGITS})(?:\s+(?P<s>{scales}))?"
            rf"(?=\s*(?:[.,;()]|$|\s(?:à|en|au|contre|fin|cette|sur|selon|soit|l['’]an)\b))"),
        "decimal_points": r"\s+(?P<u>points?)(?![\w-])(?!\s+(?:de\s+vente|de\s+recharge|d['’]))",
        # anchored on the rare collective word, then checked on both sides
        "collective_word": rf"\b{coll}\b",
        "collective_before": r"\b(?:une?|des|quelques)\s+$",
        "collective": (  # "une dizaine de milliers d'emplois": the second word multiplies
            rf"(?P<c>{coll})\s+(?:de\s+|d['’])(?:(?P<c2>{coll}|{scales})\s+(?:de\s+|d['’]))?"
            rf"(?:(?P<a>{adj})\s+)?(?P<noun>{WORD})"),
        # a second figure that shares the first one's noun: "320.000 emplois dans le privé et 11.000 dans
        # le public", "1,5 million de foyers à fin 2027, contre 600.000 aujourd'hui", "92.000 postes, dont
        # 71.000 en milieu urbain"
        "coordinated": (
            rf"\b(?P<cue>et|contre|dont)\s+(?P<n>{DIGITS})(?:\s+(?P<s>{scales}))?"
            rf"(?:\s+(?:{alternation([*lex['metrics']['elliptic_after'], *lex['metrics']['elliptic_adjectives']])})\b"
            rf"|\s*[,;.)](?!\d))"),
        # the first figure of a range shares the second's unit: "de 200.000 à 400.000 véhicules", "de 40 à 60%"
        "range_start": rf"(?:\b(?:de|entre)\s+)?(?P<n>{DIGITS})\s*%?\s*(?:à|et|-|–)\s*$",
    }
    return dict(zip(pats, compile_all(pats.values(), re.IGNORECASE), strict=True))  # one file of the regex cache


def _is_year(raw: str) -> bool:
    return raw.isdigit() and len(raw) == 4 and 1900 <= int(raw) <= 2100


@cache
def _stop_nouns() -> frozenset[str]:
    lex = lexicon()
    words = set(lex["metrics"]["not_counted"]) | set(lex["dates"]["months"]) | set(lex["dates"]["weekdays"])
    words |= set(lex["dates"]["month_abbrev"])  # "le 19 nov. dernier"
    words |= set(lex["metrics"]["elliptic_adjectives"])
    words |= set(lex["numbers"]["scales"]) | set(lex["numbers"]["units"]) | set(lex["metrics"]["units"])
    words |= {f.lower() for f in currency_forms()}  # money is never a count, whatever its country
    words |= set(lex["numbers"]["scale_abbrev"])
    return frozenset(words | {strip_accents(w) for w in words})


@cache
def _percent_names() -> re.Pattern:
    names = alternation(lexicon()["metrics"]["percent_names"])
    connector = r"(?:de\s+la\s+|de\s+l['’]|de\s+|du\s+|des\s+|d['’])"
    # a name's plural or participle may follow ('a reculé de 2%': recul), no other letter ('partielles')
    # the word after "de" is the thing measured, not a determiner ("hausse de son résultat": "hausse")
    det = r"(?!(?:son|sa|ses|leurs?|ce|cet|cette|ces|notre|nos|votre|vos|un|une|plus|près|pres|environ)\b)"
    return re.compile(rf"\b(?P<name>{names}(?!(?![ée]|s\b)[\w-])(?:\s+{connector}{det}{WORD})?)", re.IGNORECASE)


# "pour leur part", "d'autre part": an idiom, not the share a percentage measures
PART_IDIOM = re.compile(r"(?:\bpour\s+(?:sa|son|leur|notre|votre|ma)|\bd['’]autre|\bde\s+(?:sa|leur|notre)|\bà)\s+$",
                        re.IGNORECASE)


def _percent_name(text: str, start: int) -> str | None:
    """The named rate a percentage measures: 'taux de pérennité de 88%'."""
    window = text[max(0, start - 80):start]
    found = [m for m in _percent_names().finditer(window)
             if not (m.group("name").lower().startswith("part") and PART_IDIOM.search(window, 0, m.start()))]
    if not found:
        return None
    m = found[-1]  # the nearest name before the figure
    gap = window[m.end():]
    if len(gap) > 30 or re.search(r"[.;:!?()]", gap):
        return None
    return m.group("name")


@cache
def _label_pattern() -> re.Pattern:
    return re.compile(rf"(?<![\w-]){alternation(lexicon()['metrics']['label_nouns'])}\s*$", re.IGNORECASE)


def _label_before(text: str, start: int) -> bool:
    return bool(_label_pattern().search(text, max(0, start - 16), start))


# a figure glued to a name inside a sentence names a model or a series ("les Boeing 737 MAX",
# "la Ligue 1"); a capitalised word that opens the sentence is only a determiner ("Les 12 sites")
MODEL_BEFORE = re.compile(r"(?<![.!?:;«(—–-])(?<![.!?:;«(—–-]\s)[ \u00a0](?P<w>[A-ZÀ-Ý][\w-]*)[ \u00a0]$")


GLUED_PERCENT_RANGE = re.compile(r"[-–](\d{1,2}(?:,\d+)?)\s*%")


def _model_before(text: str, start: int) -> bool:
    m = MODEL_BEFORE.search(text, max(0, start - 40), start)
    return bool(m) and m.group("w").lower() not in _stop_nouns()  # "À 535.000 VÉHICULES" in a shouted headline


@cache
def _denominator() -> re.Pattern:
    """'<figure> <noun> sur' right before a figure: that figure is a share's denominator, not a count."""
    words = alternation([*lexicon()["numbers"]["units"], "un", "une"])
    return re.compile(rf"(?:\d|{words})\s+[\w'’-]+\s+sur\s+$", re.IGNORECASE)  # one noun between


def find_metrics(text: str) -> list[MetricMatch]:
    pats = _patterns()
    stop = _stop_nouns()
    scales = lexicon()["numbers"]["scales"]
    colls = lexicon()["numbers"]["collectives"]
    out: list[MetricMatch] = []
    taken: list[tuple[int, int]] = []

    def add(m: re.Match | None, value: float | None, unit: str, name: str | None = None, start: int | None = None,
            end: int | None = None, qualify: bool = True) -> None:
        if value is None:
            return
        s = start if start is not None else m.start()
        e = end if end is not None else m.end()
        q = qualifier_before(text, s) if qualify else None
        if q:
            s = q.start()
        if any(s < te and ts < e for ts, te in taken):
            return
        out.append(MetricMatch(s, e, text[s:e], value, unit, name, is_approximate(q)))
        taken.append((s, e))

    def add_span(s: int, e: int, value: float | None, unit: str, name: str | None = None) -> None:
        add(None, value, unit, name, start=s, end=e)

    spans = number_spans(text)

    def tail(name: str, s: int, e: int) -> tuple[str, re.Match] | None:
        t = pats[name].match(text, e)
        return (text[s:e], t) if t and "\n" not in t.group(0) else None  # a unit never starts the next line

    for s, e in spans:  # the order of the families is their priority
        hit = tail("percent", s, e)
        if hit:
            v = parse_number(hit[0])
            sign = NEGATIVE.search(text, max(0, s - 2), s)  # "(-3,4% sur un an)", "(–1,5 %)"
            if sign and v is not None:
                s, v = sign.start(1), -v
            add_span(s, hit[1].end(), v, "%", _percent_name(text, s))
        elif (glued := GLUED_PERCENT_RANGE.match(text, e)) and not _is_year(text[s:e]):  # "3-4%": both ends
            name = _percent_name(text, s)
            add_span(s, e, parse_number(text[s:e]), "%", name)
            add_span(glued.start(1), glued.end(), parse_number(glued.group(1)), "%", name)
    for s, e in spans:
        hit = tail("physical", s, e)
        if hit and len(hit[1].group("u")) == 1 and hit[1].group("u").isupper():
            continue  # "la 5G", "en 3D": a generation or a format, not grams
        if hit:
            raw, t = hit
            v = parse_number(raw)
            if v is not None and t.group("s"):
                v *= scales[t.group("s").lower()]
            add_span(s, t.end(), v, t.group("u"))  # as written, like counted nouns
    for s, e in spans:  # "en hausse de 0,6 point": a figure with decimals counts percentage points, not goals;
        # so does a whole one after a percentage in its sentence ("68 %, soit 5 points de plus")
        if (m := pats["decimal_points"].match(text, e)) and ("," in text[s:e] or any(
                x.unit == "%" and 0 <= s - x.end < 120 and not SENTENCE_END.search(text, x.end, s) for x in out)):
            add_span(s, m.end(), parse_number(text[s:e]), m.group("u"))
    for w in pats["collective_word"].finditer(text):
        det = pats["collective_before"].search(text, max(0, w.start() - 12), w.start())
        m = pats["collective"].match(text, w.start()) if det else None
        if m and m.group("noun").lower() not in stop:
            c2 = (m.group("c2") or "").lower()
            times = float(colls.get(c2) or scales.get(c2) or 1)
            add(m, float(colls[m.group("c").lower()]) * times, m.group("noun"), start=det.start())
    for s, e in spans:
        hit = tail("count", s, e)
        if not hit:
            continue
        raw, t = hit
        noun, end = t.group("noun"), t.end()
        if cm := pats["compound"].match(text, t.start("noun")):
            noun, end = cm.group(0), cm.end()  # "points de vente": counted, though "points" alone is not
        low = noun.lower()
        if (low in stop and not cm) or low in colls or low.startswith(("l'", "d'", "l’", "d’", "qu'", "qu’")) \
                or low.endswith(("ième", "ièmes")):  # "le cinq millionième véhicule": an ordinal
            continue
        if _is_year(raw):
            continue  # a year, not a count
        if not raw[:1].isdigit() and raw.lower() in ("un", "une") and not t.group("s"):
            continue  # "une approche" is not a count; "un million de touristes" is
        if noun[:1].isupper() and not raw[:1].isdigit():
            continue  # "Trois Marocains..." at a sentence start is prose, not data
        if not t.group("s") and t.start("noun") == e:
            continue  # the noun must stand apart from the figure
        if _label_before(text, s) or _model_before(text, s):
            continue  # "la phase 2 des travaux", "le Boeing 737 MAX": the figure names the phase, the model
        if _denominator().search(text, max(0, s - 60), s):
            continue  # "trois entreprises sur dix exportent", "un Marocain sur trois": a share's denominator
        v = parse_number(raw)
        if v is not None and t.group("s"):
            v *= scales[t.group("s").lower()]
        add_span(s, end, v, noun)
    if "ombre" in text:
        for m in pats["number_of"].finditer(text):
            if m.group("noun").lower() in stop or _is_year(m.group("n")):
                continue
            v = parse_number(m.group("n"))
            if v is not None and m.group("s"):
                v *= scales[m.group("s").lower()]
            add(m, v, m.group("noun"), start=m.start("n"), end=m.end())
    for x in list(out):
        first = next(((s, e) for s, e in spans if x.start <= s < x.end), None)
        m = pats["range_start"].search(text, max(0, first[0] - 40), first[0]) if first else None
        if not m or re.fullmatch(r"(?:19|20)\d\d", m.group("n")):
            continue
        v, second = parse_number(m.group("n")), parse_number(text[first[0]:first[1]])
        if v is None or not second:
            continue
        scale = x.value / second if v < second else 1.0  # "de 12 à 15 millions de tonnes"
        add(m, v * scale, x.unit, x.name, start=m.start("n"), end=m.end("n"), qualify=False)
    for m in pats["coordinated"].finditer(text):
        prev = [x for x in out if x.end <= m.start() and m.start() - x.end < 80 and x.unit != "%"
                and not SENTENCE_END.search(text, x.end, m.start())]
        if not prev or (m.group("cue").lower() == "et" and not m.group("s") and m.group(0)[-1] in ",;.)"):
            continue  # "et 12," ends a list as often as it shares a noun
        raw = m.group("n")
        if _is_year(raw):
            continue  # "contre 2023": a year
        v = parse_number(raw)
        if v is not None and m.group("s"):
            v *= scales[m.group("s").lower()]
        add(m, v, prev[-1].unit, start=m.start("n"), end=m.end("s") if m.group("s") else m.end("n"), qualify=False)
    return sorted(out, key=lambda x: x.start)
