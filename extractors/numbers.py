"""French numbers: figures ("1.200", "1 200", "7,58") and words ("vingt-cinq").

The lexicon is `data/rules/fr.toml`; this module turns it into regular
expressions shared by the amount, metric and date rules.
"""
from __future__ import annotations

import re
import tomllib
import unicodedata
from collections.abc import Iterable, Sequence
from functools import cache, lru_cache

from extractors import DATA_DIR


def strip_accents(s: str) -> str:
    return "".join(c for c in unicodedata.normalize("NFKD", s) if not unicodedata.combining(c))


@cache
def lexicon() -> dict:
    """fr.toml, with accent-less spellings added to every word table."""
    data = tomllib.loads((DATA_DIR / "rules" / "fr.toml").read_text(encoding="utf-8"))

    def widen(d: dict) -> dict:
        out = dict(d)
        for k, v in d.items():
            out.setdefault(strip_accents(k), v)
        return out

    n = data["numbers"]
    for key in ("units", "scales", "scale_abbrev", "collectives"):
        n[key] = widen(n[key])
    data["dates"]["months"] = widen(data["dates"]["months"])
    data["dates"]["month_abbrev"] = widen(data["dates"]["month_abbrev"])
    data["metrics"]["units"] = widen(data["metrics"]["units"])
    by_country = data["currencies"].setdefault("by_country", {})
    for entry in by_country.values():  # the country words of another entry ("francs" takes those of "fcfa")
        if src := entry.pop("cues_from", None):
            for iso, words in by_country[src].items():
                if iso not in COUNTRY_SETTINGS:
                    entry.setdefault(iso, words)
    for entry in list(by_country.values()):  # one entry, several spellings ("fcfa", "francs cfa")
        for form in entry.pop("also", []):
            by_country[form] = entry
    return data


# the keys of a `currencies.by_country` entry that are settings; the others are ISO codes
COUNTRY_SETTINGS = ("scale", "default", "also", "cues_from", "any_previous")


def currency_forms() -> list[str]:
    """Every written form of a currency, glued scales included ("fcfa", "mdh")."""
    cur = lexicon()["currencies"]
    return [f for fs in cur["forms"].values() for f in fs] + list(cur["scaled"]) + list(cur.get("by_country", {}))


def alternation(words, flags_word_boundary: bool = True) -> str:
    """Longest-first regex alternation of literal words. Words in lower case go into a
    prefix tree, which matches the same text in the same order of preference (two words
    can both match only if one is a prefix of the other, and the longer is tried first)
    while `re` reads each position once instead of once per word."""
    words = sorted({w for w in words if w}, key=lambda w: (-len(w), w))  # the same pattern in every process
    if all(w == w.lower() for w in words):
        return trie_regex([[re.escape(c) for c in w] for w in words])
    return "(?:" + "|".join(re.escape(w) for w in words) + ")"


def trie_regex(seqs: Iterable[Sequence[str]]) -> str:
    """A prefix tree of regex atoms, each atom one character or a class of them; atoms
    that differ must match different characters (the tree then keeps the alternation's
    longest-first order)."""
    root: dict = {}
    for seq in seqs:
        node = root
        for atom in seq:
            node = node.setdefault(atom, {})
        node[""] = {}  # a word ends here

    def emit(node: dict) -> str:
        parts = [atom + emit(sub) for atom, sub in node.items() if atom]
        if not parts:
            return ""
        body = parts[0] if len(parts) == 1 else "(?:" + "|".join(parts) + ")"
        return f"(?:{body})?" if "" in node else body

    return f"(?:{emit(root)})"


# A figure: thousands grouped by '.', ' ' (spaces are already normalised) or
# not at all, an optional decimal comma; "4.5" (English decimal) accepted too.
DIGITS = (
    r"(?=\d)(?<![\w°/.,])(?<![\w°/.,)]-)(?<!\d['’])"  # "-3,4%" is a figure, "Covid-19" and "2023-2024" are not
    r"(?:\d{1,3}(?:\.\d{3})+(?:,\d+)?(?![.\d])"
    r"|\d{1,3}(?:['’]\d{3})+(?:[.,]\d+)?(?![\d])"  # Swiss: "1'250", "12'500'000"
    r"|\d{1,3}(?: \d{3})+(?:,\d+)?(?![\d])"
    r"|\d+,\d+"
    r"|\d+\.\d{1,2}(?![\d])"
    r"|\d+)"
    r"(?![\d])"
)


@cache
def number_words_re() -> str:
    units = [w for w in lexicon()["numbers"]["units"]] + ["mille"]
    word = alternation(units)
    return rf"{word_start(units)}{word}(?:(?:[ -]+|-et-| et )(?:{word}))*\b"


def word_start(words) -> str:
    """`\\b` before one of `words`, written so that `re` rejects most positions on
    their first character: a large alternation behind a bare `\\b` is tried at
    every position (twice as slow on press text)."""
    firsts = sorted({c for w in words for c in (w[:1].lower(), w[:1].upper())})
    return rf"(?=[{re.escape(''.join(firsts))}])(?<!\w)"


@cache
def number_re() -> str:
    """A figure or a number in words, as one regex group-free fragment."""
    return rf"(?:{DIGITS}|{number_words_re()})"


@cache
def _number_pattern() -> re.Pattern:
    return re.compile(number_re(), re.IGNORECASE)


@lru_cache(maxsize=8)
def number_spans(text: str) -> tuple[tuple[int, int], ...]:
    """Where figures and number words are: the rules match only from there,
    one scan of the text instead of one per rule."""
    spans = tuple(m.span() for m in _number_pattern().finditer(text))
    if "://" not in text and "www." not in text and "@" not in text:
        return spans
    links = [m.span() for m in LINK.finditer(text)]  # "?id=30%25" in an address is no percentage
    return tuple(sp for sp in spans if not any(s <= sp[0] < e for s, e in links))


LINK = re.compile(r"(?:https?://|www\.)\S+|[\w.+-]+@[\w-]+\.[\w.]+", re.IGNORECASE)


def number_starts(text: str) -> tuple[int, ...]:
    return tuple(s for s, _ in number_spans(text))


@cache
def _qualifier_pattern() -> re.Pattern:
    q = lexicon()["qualifiers"]
    return re.compile(rf"(?:{alternation(q['approximate'] + q['more_than'] + q['less_than'])})\s*$", re.IGNORECASE)


def qualifier_before(text: str, start: int) -> re.Match | None:
    """'près de', 'plus de', 'environ'… ending right before `start`."""
    m = _qualifier_pattern().search(text, max(0, start - 40), start)
    return m if m and (m.start() == 0 or not text[m.start() - 1].isalnum()) else None


def is_approximate(q: re.Match | None) -> bool:
    """Whether a `qualifier_before` match says 'about' ('près de', 'environ'), not a bound ('plus de')."""
    return bool(q) and q.group(0).strip().lower() in _approx_words()


@cache
def _approx_words() -> frozenset[str]:
    return frozenset(w.lower() for w in lexicon()["qualifiers"]["approximate"])


def parse_number(text: str) -> float | None:
    """'1.200' -> 1200, '7,58' -> 7.58, '1 200' -> 1200, 'vingt-cinq' -> 25."""
    s = text.strip()
    if not s:
        return None
    if s[0].isdigit():
        if re.fullmatch(r"\d{1,3}(?:\.\d{3})+(?:,\d+)?", s):
            s = s.replace(".", "")
        elif re.fullmatch(r"\d{1,3}(?:['’]\d{3})+(?:[.,]\d+)?", s):
            s = s.replace("'", "").replace("’", "")
        s = s.replace(" ", "").replace(",", ".")
        try:
            return float(s)
        except ValueError:
            return None
    return parse_number_words(s)


def parse_number_words(text: str) -> float | None:
    units = lexicon()["numbers"]["units"]
    words = [w for w in re.split(r"[\s-]+", strip_accents(text.lower())) if w and w != "et"]
    if not words:
        return None
    total, current = 0, 0
    for w in words:
        if w in ("cent", "cents"):
            current = (current or 1) * 100
        elif w == "mille":
            total += (current or 1) * 1000
            current = 0
        elif w == "vingt" and current % 100 == 4:  # quatre-vingt(s)
            current += 76
        elif w == "vingts" and current % 100 == 4:
            current += 76
        elif w in units:
            current += units[w]
        else:
            return None
    return float(total + current)


def clean_value(v: float) -> float | int:
    """Integral floats as ints, so JSON reads 50000000 not 50000000.0."""
    v = float(f"{v:.12g}")  # 5,2 x 1e9 is 5200000000, not 5200000000.000001
    return int(v) if v.is_integer() else v
