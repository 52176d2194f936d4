"""Money amounts: '437MDH', '4,5 M$', '22 Mds d'euros', ranges, qualifiers.

`find_amounts` works on plain text (used by the spaCy component and by the
peer-suite check); values are in currency units with an ISO 4217 code.
"""
from __future__ import annotations

import re
from dataclasses import dataclass
from functools import cache, lru_cache

from extractors.numbers import (
    COUNTRY_SETTINGS,
    alternation,
    is_approximate,
    lexicon,
    number_re,
    number_starts,
    parse_number,
    qualifier_before,
)
from extractors.recache import compile_all


@dataclass
class AmountMatch:
    start: int
    end: int
    text: str
    value: float
    value_max: float | None
    currency: str
    approximate: bool


@cache
def _tables() -> tuple[dict[str, str], dict[str, tuple[str, float]], dict[str, float]]:
    lex = lexicon()
    forms = {f.lower(): iso for iso, fs in lex["currencies"]["forms"].items() for f in fs}
    scaled = {k.lower(): (v[0], float(v[1])) for k, v in lex["currencies"]["scaled"].items()}
    scales = {**{k: float(v) for k, v in lex["numbers"]["scales"].items()},
              **{k: float(v) for k, v in lex["numbers"]["scale_abbrev"].items()}}
    return forms, scaled, scales


@cache
def _patterns() -> tuple[re.Pattern, re.Pattern, re.Pattern, re.Pattern, re.Pattern]:
    forms, scaled, _ = _tables()
    num = number_re()
    lex = lexicon()["numbers"]
    cur = alternation(list(scaled) + list(forms) + list(lexicon()["currencies"].get("by_country", {})))
    # scale words need a boundary; abbreviations may be glued ("437MDH") and take a
    # dot ("4 M. $"), a word does not: the dot of "50 millions." ends the sentence
    sc = rf"(?:{alternation(lex['scales'])}|{alternation(lex['scale_abbrev'])}\.?)"
    after = r"(?![^\W\d_])(?!\s?[$€£])"
    suffix = (
        rf"(?P<n1>{num})(?:\s*(?P<s1>{sc})(?P<half>\s+et\s+demie?)?)?"  # "un milliard et demi"
        rf"(?:\s*(?P<conn>à|a|et|-|–|au)\s*(?P<n2>(?<=[-–])\d+(?:,\d+)?|{num})(?:\s*(?P<s2>{sc}))?)?"  # "10-12 MDH"
        rf"\s*(?:(?P<sub>{alternation(lexicon()['currencies']['subunits'])})\s+(?:de\s+|d['’]\s*)|de\s+|d['’]\s*)?"
        rf"(?P<cur>{cur}){after}")
    pre_cur = alternation([f for f in forms if not f.isalpha() or f.isupper() or len(f) in (2, 3)])  # "DH 100.000"
    prefix = rf"(?<![\w$€£])(?P<cur>{pre_cur})\s*$"
    prefix_tail = rf"(?P<n1>{num})(?:\s*(?P<s1>{sc}))?(?![^\W\d_])"
    ell = lexicon()["currencies"]["elliptic"]
    q = lexicon()["qualifiers"]
    quals = alternation([*q["approximate"], *q["more_than"], *q["less_than"]])
    # "…, contre 430 milliards": a scale word (not a one-letter abbreviation: "et 5 m" is a
    # length), then no noun of its own ("de tonnes") and no "%"
    esc = rf"(?:{alternation(lex['scales'])}|{alternation([a for a in lex['scale_abbrev'] if len(a) > 1])}\.?)"
    elliptic = (
        rf"(?<![\w'’]){alternation(ell['cues'])}\s+(?:{quals}\s*)?(?P<n1>{num})\s*(?P<s1>{esc})"
        rf"(?![^\W\d_])(?!\s*(?:%|de\s|d['’]|des\s|du\s))")
    # "dépasse le milliard de dirhams", "la barre du million de dollars": one of the scale
    definite = (
        rf"(?<![\w'’])(?:le|du|au)\s+(?P<s1>milliard|million)\s+(?:de\s+|d['’]\s*)(?P<cur>{cur}){after}")
    return tuple(compile_all([suffix, prefix, prefix_tail, elliptic, definite], re.IGNORECASE))  # one cache file


def _scale(word: str | None) -> float | None:
    if not word:
        return None
    _, _, scales = _tables()
    return scales.get(word.lower().rstrip("."))


def _currency(word: str, text: str, at: int = 0, previous: str | None = None) -> tuple[str, float] | None:
    """`previous`: the currency of the amount before this one in its sentence."""
    forms, scaled, _ = _tables()
    w = word.lower()
    if w in scaled:
        return scaled[w]
    if w in forms:
        return forms[w], 1.0
    country = lexicon()["currencies"].get("by_country", {}).get(w)
    if country:
        cues = tuple((k, tuple(v)) for k, v in country.items() if k not in COUNTRY_SETTINGS)
        # the country of its own sentence first ("Au Cameroun, … 450 milliards de FCFA" in an article
        # about Abidjan's exchange), then the sum before it there ("12,50 DH, soit 30 centimes de
        # moins"), then the country the article names most
        if previous and not (country.get("any_previous") or previous in dict(cues)):
            previous = None
        iso = (_country_of(_sentence_at(text, at), cues) or previous or _country_of(text, cues)
               or country.get("default"))
        return (iso, float(country["scale"])) if iso else None
    return None


def _sentence_at(text: str, at: int) -> str:
    start = max(text.rfind(". ", 0, at), text.rfind("\n", 0, at)) + 1
    ends = [e for e in (text.find(". ", at), text.find("\n", at)) if e >= 0]
    return text[start:min(ends, default=len(text))]


@lru_cache(maxsize=64)
def _country_of(text: str, cues: tuple[tuple[str, tuple[str, ...]], ...]) -> str | None:
    """The currency whose country's words the text names most, if any."""
    low = text.lower()
    counts = {iso: sum(len(re.findall(rf"\b{re.escape(w)}\b", low)) for w in words) for iso, words in cues}
    best = max(counts, key=counts.get, default=None)
    return best if best and counts[best] else None


def find_amounts(text: str) -> list[AmountMatch]:
    suffix, prefix, prefix_tail, _, definite = _patterns()
    out: list[AmountMatch] = []
    last_end = -1
    for pos in number_starts(text):
        if pos < last_end:
            continue
        m = suffix.match(text, pos)
        pre = None
        if m is None:
            pre = prefix.search(text, max(0, pos - 6, last_end), pos)  # not the currency of the sum before
            m = prefix_tail.match(text, pos) if pre else None
            if m is None:
                continue
        g = m.groupdict()
        # a figure without a scale word may take the currency of the sum before it in its sentence;
        # "2 milliards de centimes" after a sum in euros is still the Moroccan idiom (20 MDH)
        before = (out[-1].currency if out and not g.get("s1") and not re.search(r"[.!?\n;]", text[out[-1].end:pos])
                  else None)
        cur = _currency(pre.group("cur") if pre else g["cur"], text, pos, before)
        n1 = parse_number(g["n1"])
        if cur is None or n1 is None:
            continue
        iso, cur_scale = cur
        if g.get("sub"):  # "20 centimes de dirham"
            cur_scale *= float(lexicon()["currencies"]["subunits"][g["sub"].lower()])
        s1, s2 = _scale(g.get("s1")), _scale(g.get("s2"))
        n2 = parse_number(g["n2"]) if g.get("n2") else None
        if s1 is None and n2 is not None and s2 is not None and n1 < n2:
            s1 = s2  # "entre 2 et 3 milliards": the scale is shared
        if g.get("half") and s1:
            n1 += 0.5
        v1 = n1 * (s1 or 1.0) * cur_scale
        v2 = n2 * (s2 or 1.0) * cur_scale if n2 is not None else None
        conn = (g.get("conn") or "").lower()
        if (conn == "et" and not BETWEEN.search(text, max(0, pos - 30), pos)) or (
                conn in ("à", "a", "au") and _change().search(text, max(0, pos - 50), pos)):
            # "respectivement 5 et 7 millions de dirhams": two sums; "entre 5 et 7 millions": a range;
            # "passé de 5 à 7 millions": two sums, before and after
            first_end = m.end("s1") if g.get("s1") else m.end("n1")
            v1 = n1 * (s1 or s2 or 1.0) * cur_scale  # "de 8 et 4 millions": the scale is shared
            q = qualifier_before(text, pos)
            start = q.start() if q else pos
            out.append(AmountMatch(start, first_end, text[start:first_end], v1, None, iso, is_approximate(q)))
            out.append(AmountMatch(m.start("n2"), m.end(), text[m.start("n2"):m.end()], v2, None, iso, False))
            last_end = m.end()
            continue
        if v2 is not None and v2 <= v1:
            continue  # "2-3" is a range only when it grows
        if _is_plain_word_number(g["n1"]) and s1 is None and cur_scale <= 1.0 and n1 < 2:
            continue  # "un dirham symbolique", "un centime d'euro" are not sums worth a row
        start = pre.start() if pre else pos
        if before == iso and cur_scale < 1 and v2 is None and text[out[-1].end:start].strip().lower() in ("", "et"):
            prev = out[-1]  # "15 DH 50 centimes", "2 euros et 30 centimes": one price
            out[-1] = AmountMatch(prev.start, m.end(), text[prev.start:m.end()], prev.value + v1, None, iso,
                                  prev.approximate)
            last_end = m.end()
            continue
        q = qualifier_before(text, start)
        if q:
            start = q.start()
        out.append(AmountMatch(start, m.end(), text[start:m.end()], v1, v2, iso, is_approximate(q)))
        last_end = m.end()
    if "illi" in text:
        for m in definite.finditer(text):
            cur = _currency(m.group("cur"), text, m.start())
            if cur and not any(a.start < m.end() and m.start("s1") < a.end for a in out):
                out.append(AmountMatch(m.start("s1"), m.end(), text[m.start("s1"):m.end()],
                                       _scale(m.group("s1")) * cur[1], None, cur[0], False))
        out.sort(key=lambda a: a.start)
    return _elliptic(text, _ranges(text, out)) if out else out


BETWEEN = re.compile(r"\bentre\s+(?:(?:près de|environ|quelque)\s+)?$", re.IGNORECASE)


@cache
def _change() -> re.Pattern:
    """A change from one sum to another right before a figure ("est passé de"): two sums."""
    stems = alternation(lexicon()["currencies"]["change"]["stems"])
    return re.compile(rf"\b{stems}\w*(?:\s+[\w'’]+){{0,4}}\s+(?:de|d['’])\s*(?:(?:près de|environ|quelque)\s+)?$",
                      re.IGNORECASE)


RANGE_OPEN = re.compile(r"\b(?:entre|de|d['’]|allant de)\s*(?:(?:près de|environ|quelque)\s+)?$", re.IGNORECASE)
RANGE_JOIN = re.compile(r"\s*(?:à|au|-|–|et)\s*", re.IGNORECASE)


def _ranges(text: str, found: list[AmountMatch]) -> list[AmountMatch]:
    """'de 10 MDH à 12 MDH', 'entre 100.000 DH et 1 million de dirhams': one range whose two
    ends each name the currency; not 'passé de 10 MDH à 12 MDH', a change."""
    out: list[AmountMatch] = []
    for a in found:
        prev = out[-1] if out else None
        if (prev and prev.value_max is None and a.value_max is None and prev.currency == a.currency
                and prev.value < a.value and RANGE_JOIN.fullmatch(text, prev.end, a.start)
                and (opener := RANGE_OPEN.search(text, max(0, prev.start - 20), prev.start))
                and (text[prev.end:a.start].strip().lower() != "et" or opener.group(0).lower().startswith("entre"))
                and not _change().search(text, max(0, prev.start - 50), prev.start)):
            out[-1] = AmountMatch(prev.start, a.end, text[prev.start:a.end], prev.value, a.value, a.currency,
                                  prev.approximate)
        else:
            out.append(a)
    return out


def _elliptic(text: str, found: list[AmountMatch]) -> list[AmountMatch]:
    """Figures that share the currency of the amount before them in the sentence."""
    pattern = _patterns()[3]
    max_gap = int(lexicon()["currencies"]["elliptic"]["max_gap"])
    out = list(found)
    for prev in found:
        pos = prev.end
        while (m := pattern.search(text, pos, min(len(text), pos + max_gap + 40))) is not None \
                and m.start() - pos <= max_gap:
            if any(a.start < m.end() and m.start("n1") < a.end for a in out):
                break
            if re.search(r"[.!?\n;]", text[pos:m.start()]):
                break
            n1, s1 = parse_number(m.group("n1")), _scale(m.group("s1"))
            if n1 is None or s1 is None:
                break
            q = qualifier_before(text, m.start("n1"))
            start = q.start() if q else m.start("n1")
            out.append(AmountMatch(start, m.end(), text[start:m.end()], n1 * s1, None, prev.currency,
                                   is_approximate(q)))
            pos = m.end()
    return sorted(out, key=lambda a: a.start)


def _is_plain_word_number(s: str) -> bool:
    return not s[:1].isdigit()
