"""Dates and periods: rules find the span, then resolve it against the
publication date ("lundi dernier", "en juillet dernier", "le 1er mars prochain").

Each match carries an ISO value at its own granularity (YYYY, YYYY-MM,
YYYY-MM-DD; YYYY-Qn and YYYY-Wnn for quarters and weeks) plus the first and
last day it covers. A range yields one match per end.
"""
from __future__ import annotations

import calendar
import itertools
import re
from dataclasses import dataclass
from datetime import date, timedelta
from functools import cache

from extractors.numbers import alternation, lexicon, parse_number_words, strip_accents, word_start
from extractors.recache import compile_all


@dataclass
class DateMatch:
    start: int
    end: int
    text: str
    value: str
    granularity: str
    first: date
    last: date
    relative: bool = False


YEAR4 = r"(?:1[89]\d{2}|20\d{2}|2100)"
YEAR = YEAR4 + r"(?![\d,.]\d)"
DAY = r"(?:1er|1e|premier|[0-3]?\d)"
DAY_IN_LIST = rf"(?<!\w){DAY}(?!\w)"  # one day of "les 3, 4 et 5 mars"
REL = r"(?P<rel>prochain|prochaine|dernier|derni[èe]re|pass[ée]e?)"
QUARTERS = {"premier": 1, "1er": 1, "deuxieme": 2, "second": 2, "2e": 2, "2eme": 2, "troisieme": 3,
            "3e": 3, "3eme": 3, "quatrieme": 4, "4e": 4, "4eme": 4, "dernier": 4}
HALVES = {"premier": 1, "1er": 1, "second": 2, "seconde": 2, "2nd": 2, "deuxieme": 2, "2e": 2, "2eme": 2}
# "du 3e trimestre 2023", "T3-2023", "au S1 2024": a period code or words, then maybe its year
# "la première quinzaine de novembre": a part of the month, given as the month
FORTNIGHT = r"(?:premi[èe]re|seconde|deuxi[èe]me|derni[èe]re)\s+quinzaine\s+d(?:e\s|['’])"
PERIOD_YEAR = rf"(?:\s*[-/]\s*|\s+(?:de\s+l['’]ann[ée]e\s+|de\s+)?)(?P<y>{YEAR})"
# "au premier semestre de l'année prochaine": the year named relative to the publication's
YEAR_REL = (r"\s+de\s+(?P<yrel>l['’](?:an|ann[ée]e)\s+(?:prochaine?|derni[èe]re?|pass[ée]e?|pr[ée]c[ée]dente|en cours)"
            r"|cette ann[ée]e)\b")


@cache
def _patterns() -> list[tuple[str, re.Pattern]]:
    lex = lexicon()["dates"]
    month = alternation(lex["months"]) + r"(?![\w])"
    # "21 avr. 2016": abbreviations only right after a day number, never alone ("sept" is also 7)
    month_abbr = rf"(?:{month}|{alternation(lex['month_abbrev'])}\.?(?![\w]))"
    # before a year with no day, "sept" is seven unless it has its dot ("les sept 2016 projets")
    short = [a for a in lex["month_abbrev"] if a != "sept"]
    month_year_abbr = rf"(?:{month}|{alternation(short)}\.?(?![\w])|sept\.)"
    wd = alternation(lex["weekdays"])
    markers = alternation(lex["year_markers"])
    q = alternation(QUARTERS | {"deuxième": 2, "troisième": 3, "quatrième": 4, "2ème": 2, "3ème": 3,
                                "4ème": 4})
    h = alternation(HALVES | {"deuxième": 2, "2ème": 2})
    pats = [
        # "du 12 au 14 décembre", "du lundi 10 au mercredi 12 novembre"
        ("day_range", rf"\bdu\s+(?:{wd}\s+)?(?P<d1>{DAY})(?:\s+(?P<m1>{month}))?(?:\s+(?P<y1>{YEAR}))?\s+au\s+"
                      rf"(?:{wd}\s+)?(?P<d2>{DAY})\s+(?P<m2>{month_abbr})(?:,?\s+(?P<y2>{YEAR}))?(?:\s+{REL})?"),
        # "les 19-20 novembre": the two days joined by a dash
        ("day_range", rf"(?<![\d.,/-])\b(?P<d1>{DAY})\s*[-–]\s*(?P<d2>{DAY})\s+(?P<m2>{month_abbr})"
                      rf"(?:,?\s+(?P<y2>{YEAR}))?(?:\s+{REL})?"),
        # "entre juin et juillet", "de janvier à mars", "en juin et juillet 2026" (two months, the same items)
        ("month_range", rf"\b(?:entre\s+|de\s+|d['’]\s*|en\s+)(?P<m1>{month})(?:\s+(?P<y1>{YEAR}))?\s+(?:et|à|au)\s+"
                        rf"(?P<m2>{month})(?:\s+(?P<y2>{YEAR}))?"),
        ("month_range", rf"\b(?:(?:en|de|sur|entre)\s+)?(?P<m1>{month})\s*[-–/]\s*(?P<m2>{month})"
                        rf"(?:\s+(?P<y2>{YEAR}))?"),
        ("year_range", rf"\b(?:entre|de)\s+(?P<y1>{YEAR})\s+(?:et|à)\s+(?P<y2>{YEAR})"),
        # "en 2023, 2024 et 2025", "les exercices 2022, 2023 et 2024": every year of the list
        ("year_list", rf"\b(?:en|années|exercices)\s+(?P<ys>{YEAR}(?:\s*,\s*{YEAR})+\s+et\s+{YEAR})"),
        # "les années 2024 et 2025", "les éditions 2024 et 2025": a plural noun names both years
        ("year_list", rf"\b(?:années|exercices|éditions|campagnes|saisons)\s+(?P<ys>{YEAR}\s+et\s+{YEAR})"),
        ("season", rf"\b(?:campagne|saison|exercice|période|periode|année scolaire|année universitaire|"
                   rf"plan|programme|stratégie|feuille de route|en)(?:\s+(?:d['’]|de\s+|du\s+)?\w+)?\s+(?P<y1>{YEAR})"
                   rf"\s*[-/–]\s*(?P<y2>{YEAR}|\d\d(?![\d,.]\d|\s*%))"),
        # "2023-2027" alone: two years in full, the second later ("la stratégie d'investissement 2023-2027")
        ("season", rf"(?<![\w.,/°-])(?<!n°\s)(?P<y1>{YEAR4})\s*[-–]\s*(?P<y2>{YEAR4})(?![\w/-]|[.,]\d|\s*%)"),
        ("numeric", r"(?<![\d/.-])(?P<d>[0-3]?\d)\s*(?P<sep>[/.-])\s*(?P<m>[01]?\d)\s*(?P=sep)\s*(?P<y>\d{4})(?!\d)"),
        # "le 25/11": a day and a month in figures, after an article ("3/4" alone, "le 2/3 des ménages": a share)
        ("numeric_day", r"\b(?:le|du|au|depuis le|dès le|jusqu['’]au)\s+(?P<d>[0-3]?\d)/(?P<m>[01]?\d)"
                        r"(?![/\d]|[.,]\d|\s+(?:des?|du|d['’])|,?\s*(?:19|20)\d\d\b)"),
        ("iso", rf"(?<![\d/.,-])(?P<y>{YEAR4})(?P<sep>[-/])(?P<m>[01]\d)(?P=sep)(?P<d>[0-3]\d)(?![\d/])"),
        # "les 10 et 11 décembre", "les 3, 4 et 5 mars", "lundi 10 et mardi 11 novembre"
        ("day_pair", rf"(?<![\d.,])\b(?:entre\s+)?(?:les?\s+)?(?:{wd}\s+)?(?P<d1>{DAY})"
                     rf"(?P<more>(?:\s*,\s*(?:{wd}\s+)?{DAY})*)\s+et\s+(?:le\s+)?(?:{wd}\s+)?(?P<d2>{DAY})\s+"
                     rf"(?P<m>{month})(?:\s+(?P<y>{YEAR}))?"
                     rf"(?:\s+{REL})?"),
        ("day", rf"\b(?:(?P<wd>{wd})\s+)?(?:le\s+)?(?P<d>{DAY})\s+(?P<m>{month_abbr})(?:,?\s+(?P<y>{YEAR}))?"
                rf"(?:\s+{REL})?"),
        # "le 20 courant", "le 15 du mois en cours": a day of the publication's month
        ("day_current", rf"\b(?:le|du|au|depuis le|jusqu['’]au)\s+(?P<d>{DAY})\s+"
                        r"(?:courant|du mois (?:en cours|courant))\b"),
        ("quarter", rf"\b(?:(?P<qn>T[1-4])|(?P<qw>{q})\s+trimestre)(?:{PERIOD_YEAR}|{YEAR_REL})?"),
        # "S1"/"H1" alone may name anything; with a year they are a half-year
        ("half", rf"\b(?:(?P<hn>[SH][12])(?=\s*[-/]?\s*{YEAR4})|(?P<hw>{h})\s+semestre)(?:{PERIOD_YEAR}|{YEAR_REL})?"),
        # "le trimestre prochain", "au semestre dernier", "ce trimestre": counted from the publication's
        ("period_rel", r"\b(?:(?:le|au|du|ce)\s+(?P<unit>trimestre|semestre)\s+"
                       r"(?P<rel>prochain|dernier|pass[ée]|en cours)|ce\s+(?P<unit_this>trimestre|semestre))\b"),
        ("month_year", rf"\b(?:(?:en|depuis|dès|fin|début|courant|mi-?|d['’]ici|jusqu['’]en|avant|après)\s+"
                       rf"|{FORTNIGHT})?(?P<m>{month_year_abbr})\s+(?P<y>{YEAR})"),
        # "d'ici décembre", "à partir de mars": that month, ahead or behind by the tense
        ("month_rel", rf"\b(?:en|depuis|dès|(?:au|le|du|ce) mois d(?:e\s|['’])|fin|début|courant|mi-?|{FORTNIGHT}"
                      rf"|d['’]ici|(?:à partir|à compter) d(?:e\s|['’]))\s*"
                      rf"(?P<m>{month})"
                      rf"(?:\s+{REL})?(?!\s*\d)"),
        ("month_rel", rf"\b(?P<m>{month})\s+{REL}(?!\s*\d)"),  # "à partir de janvier prochain"
        ("weekday", rf"\b(?P<this>ce\s+|cette\s+)?(?P<wd>{wd})(?:\s+{REL})?(?!\s*\d)"),
        ("relative", r"\b(?P<word>avant[- ]hier|après[- ]demain|apres[- ]demain|hier|demain"
                     r"|(?:la|cette) semaine (?:dernière|prochaine|passée)|cette semaine"
                     r"|(?:le|du|au) mois (?:dernier|prochain|passé)|ce mois(?:-ci)?"
                     r"|l['’](?:an|année) (?:dernier|dernière|passé|passée|prochain|prochaine)"
                     r"|l['’]année en cours|cette année|ce printemps|cet (?:été|automne|hiver)"
                     r"|(?:(?:d['’]ici |avant |jusqu['’]à |à )?(?:la |en )|à )fin (?:de l['’]année|d['’]année)"
                     r"(?: en cours| prochaine| dernière| passée)?"
                     r"|(?:en |au |dès le |depuis le )d[ée]but (?:de l['’]année|d['’]année)"
                     r"(?: en cours| prochaine| dernière| passée)?"
                     # "à la fin du mois prochain", "début du mois dernier": that month
                     r"|(?:(?:d['’]ici |avant |jusqu['’]à |à )?(?:la |en )|à |au |dès le |depuis le )?"
                     r"(?:fin|d[ée]but) du mois (?:prochain|dernier|passé|en cours)"
                     # "d'ici la fin du mois": this month ("la fin du mois de mars" is March's)
                     r"|(?:d['’]ici |avant |jusqu['’]à )?(?:à )?(?:la |au )(?:fin|d[ée]but) du mois"
                     r"(?!\s+(?:de|d['’])\s*\w))\b"
                     r"(?!\s+(?:19|20)\d\d)"),
        # "les neuf premiers mois de l'année": of the publication's year
        ("months_of_year", rf"\b(?:les|des|aux|sur)\s+(?:\d{{1,2}}|{alternation(lexicon()['numbers']['units'])})\s+"
                           r"premiers\s+mois\s+de\s+l['’]ann[ée]e(?:\s+en\s+cours)?\b"
                           r"(?!\s+(?:(?:19|20)\d\d|derni[èe]re|pass[ée]e|prochaine|pr[ée]c[ée]dente))"),
        # "au printemps prochain", "l'été dernier": that season's year
        ("season_rel", r"\b(?P<season>printemps|été|automne|hiver)\s+(?P<rel>prochain|dernier|passé)\b"),
        # "il y a deux ans", "il y a 3 mois": counted back from the publication
        ("ago", rf"\bil y a\s+(?P<n>\d{{1,2}}|{alternation(lexicon()['numbers']['units'])})\s+"
                r"(?P<unit>ans?|années?|mois|semaines?|jours?)\b"),
        ("year", rf"(?P<pre>\b{markers}\s*)(?P<y>{YEAR})(?!\w|-\d)(?!\s*%)"),  # "fin 2026-début 2027"
    ]
    return list(zip([n for n, _ in pats], compile_all([p for _, p in pats], re.IGNORECASE), strict=True))


def _month(word: str) -> int:
    months = lexicon()["dates"]["months"]
    w = word.lower().rstrip(".")
    abbrev = lexicon()["dates"]["month_abbrev"]
    return months.get(w) or abbrev.get(w) or months.get(strip_accents(w)) or abbrev[strip_accents(w)]


def _day(word: str) -> int:
    w = word.lower()
    return 1 if w in ("1er", "1e", "premier") else int(w)


def _ymd(y: int, m: int, d: int) -> date | None:
    try:
        return date(y, m, d)
    except ValueError:
        return None


def _month_span(y: int, m: int) -> tuple[date, date]:
    return date(y, m, 1), date(y, m, calendar.monthrange(y, m)[1])


def _period_year(g: dict, ref: date | None) -> int | None:
    """The year of a quarter or a half: named, named relative to the publication's, or that one."""
    if g.get("y"):
        return int(g["y"])
    if ref is None:
        return None
    rel = strip_accents((g.get("yrel") or "").lower())
    return ref.year + (1 if "prochain" in rel else -1 if any(w in rel for w in ("dernier", "passe", "preced")) else 0)


def _is_next(rel: str | None) -> bool:
    return bool(rel) and rel.lower().startswith("prochain")


def _is_last(rel: str | None) -> bool:
    return bool(rel) and not _is_next(rel)


def _resolve_month(m: int, rel: str | None, ref: date, future: bool = False) -> int:
    """The year of a month named without one: 'dernier'/'prochain' decide; else a
    verb in the future tense means the next such month, and a month more than a
    quarter ahead of the publication is last year's ('en novembre' in January)."""
    if _is_last(rel):
        return ref.year if m < ref.month else ref.year - 1
    if _is_next(rel):
        return ref.year if m > ref.month else ref.year + 1
    if future:
        return ref.year if m >= ref.month else ref.year + 1
    return ref.year if m <= ref.month + 3 else ref.year - 1


def _resolve_day(d: int, m: int, rel: str | None, ref: date, future: bool = False) -> date | None:
    cand = _ymd(ref.year, m, d)
    if cand is None:
        return None
    if _is_last(rel) and cand >= ref:
        return _ymd(ref.year - 1, m, d)
    if _is_next(rel) and cand <= ref:
        return _ymd(ref.year + 1, m, d)
    if not rel and future and cand < ref:
        return _ymd(ref.year + 1, m, d)
    if not rel and not future and cand > ref + timedelta(days=92):
        return _ymd(ref.year - 1, m, d)
    return cand


# A verb in the future tense (or a forecast) in the sentence of a date named
# without its year: "se tiendra le 15 janvier", "la banque prévoit en mars".
FUTURE = re.compile(
    r"\b(?:aura|auront|sera|seront|va|vont|devra|devront|devrait|devraient|pr[ée]voit|pr[ée]voient|programmée?s?"
    r"|pr[ée]vue?s?(?=\s+(?:pour|en|le|les|du|au|à|dans|d[ée]but|fin|courant)\b)"  # not "comme prévu"
    # "attendu le 15 janvier", "entre en vigueur le 1er janvier" ("est entrée en vigueur" is past: nearer)
    r"|attendue?s?(?=\s+(?:pour|en|le|les|du|au|à|d[ée]but|fin|courant)\b)|entre(?:nt)?\s+en\s+vigueur"
    r"|d['’]ici"  # "d'ici décembre": a deadline ahead
    r"|(?-i:[a-zàâçéèêëîïôûù][\w’']{2,}(?:era|eront|ira|iront|dra|dront)))\b",  # lower case: not "Alexandra"
    re.IGNORECASE)


# A compound past right by the date: "a présenté mardi", "se sont réunis le 2 février".
PAST = re.compile(
    r"\bdepuis\b|"  # "depuis le 1er janvier": a date behind
    r"\b(?:a|ont|avait|avaient|est|sont|[ée]tait|[ée]taient)\s+(?:d[ée]j[àa]\s+|[ée]t[ée]\s+)?"
    r"(?!(?:plus|tous|sous|nous|vous|ici|lui|aussi|ensuite|encore)\b)"
    r"(?-i:[a-zàâçéèêëîïôûù][\w’']*(?:é|ée|és|ées|i|is|ie|it|u|ue|us|ert|eint|aint|uit))\b", re.IGNORECASE)
# A past participle right before the date, with no auxiliary of the future before it: "le
# projet présenté mardi prévoit…" is last Tuesday ("sera présenté mardi" is not)...
PARTICIPLE = re.compile(r"(?:\b(?P<aux>[\w’']+)\s+)?(?<![\w’'])(?-i:[a-zàâçéèêëîïôûù][a-zà-ÿ]{2,}(?:é|ée|és|ées))"
                        r"\s+(?:le\s+)?$", re.IGNORECASE)
# ... or one that opens the sentence, unless it plans ahead: "Annoncé mercredi par le ministre,
# le plan prévoit…" is past ("Programmée mercredi, la réunion…" is not)
OPENING_PARTICIPLE = re.compile(r"\s*(?!Programm|Planifi|Envisag)[A-ZÀ-Ý][a-zà-ÿ]{2,}(?:é|ée|és|ées)\s+(?:le\s+)?")
# ... nor a determiner, which makes it a noun ("le marché lundi", "cette année")
NOT_PAST = {"sera", "seront", "serait", "seraient", "être", "va", "vont", "le", "la", "les", "un", "une", "des", "du",
            "au", "aux", "ce", "cet", "cette", "ces", "son", "sa", "ses", "leur", "leurs", "notre", "votre"}
CLAUSE = re.compile(r"[,;:()«»\n]")
# "doit être bouclée avant le 31 décembre": ahead, but only in the date's own clause ("visée
# par l'AMMC le 20 octobre, doit financer…" is a past date and a purpose)
DUTY = re.compile(r"\b(?:doit|doivent)\b", re.IGNORECASE)


def _future_context(text: str, start: int, end: int) -> bool:
    """Whether the sentence around text[start:end] speaks of the future. In the
    date's own clause the tense cue nearest the date decides ("a présenté mardi
    son plan, qui prévoit…" is last Tuesday); without one, any future verb in the
    sentence points ahead."""
    a = max(text.rfind(c, max(0, start - 200), start) for c in ".!?\n") + 1
    ends = [i for i in (text.find(c, end, end + 200) for c in ".!?\n") if i >= 0]
    b = min(ends, default=min(len(text), end + 200))
    cs = max((m.end() for m in CLAUSE.finditer(text, a, start)), default=a)
    ce = next((m.start() for m in CLAUSE.finditer(text, end, b)), b)
    cues = [(min(abs(m.end() - start), abs(m.start() - end)), future)
            for pat, future in ((FUTURE, True), (DUTY, True), (PAST, False)) for m in pat.finditer(text, cs, ce)
            if m.end() <= start or m.start() >= end]
    pp = PARTICIPLE.search(text, cs, start)
    if pp and (pp.group("aux") or "").lower() not in NOT_PAST or OPENING_PARTICIPLE.fullmatch(text, a, start):
        cues.append((0, False))
    if cues:
        return min(cues)[1]
    return bool(FUTURE.search(text, a, b))


SEASON_START = {"printemps": (3, 1), "ete": (6, 1), "automne": (9, 1), "hiver": (12, 1)}  # three months each


def _add_months(d: date, n: int) -> date:
    y, m = divmod(d.year * 12 + d.month - 1 + n, 12)
    return date(y, m + 1, min(d.day, 28))


def _day_match(d: date, rel: bool = False) -> tuple[str, str, date, date, bool]:
    return d.isoformat(), "day", d, d, rel


def _week_match(monday: date, rel: bool = False):
    iso = monday.isocalendar()
    return f"{iso.year}-W{iso.week:02d}", "week", monday, monday + timedelta(days=6), rel


def _month_match(y: int, m: int, rel: bool = False):
    a, b = _month_span(y, m)
    return f"{y:04d}-{m:02d}", "month", a, b, rel


def _year_match(y: int, rel: bool = False):
    return f"{y:04d}", "year", date(y, 1, 1), date(y, 12, 31), rel


def _interpret(kind: str, g: dict, ref: date | None) -> list[tuple]:
    """The resolved values of one match; [] when it needs a reference it lacks."""
    wk = lexicon()["dates"]["weekdays"]
    if kind in ("numeric", "iso"):
        d = _ymd(int(g["y"]), int(g["m"]), int(g["d"]))
        return [_day_match(d)] if d else []
    if kind == "numeric_day":
        m = int(g["m"])
        d = _resolve_day(int(g["d"]), m, None, ref, g.get("future", False)) if ref and 1 <= m <= 12 else None
        return [_day_match(d, True)] if d else []
    if kind == "day_pair":
        days = [_day(g["d1"]), *(_day(x) for x in re.findall(DAY_IN_LIST, g.get("more") or "")), _day(g["d2"])]
        m = _month(g["m"])
        if any(a >= b for a, b in itertools.pairwise(days)):
            return []
        if g.get("y"):
            ds = [_ymd(int(g["y"]), m, d) for d in days]
            return [_day_match(d) for d in ds] if all(ds) else []
        if ref is None:
            return []
        last = _resolve_day(days[-1], m, g.get("rel"), ref, g.get("future", False))
        ds = [last and _ymd(last.year, m, d) for d in days]
        return [_day_match(d, True) for d in ds] if all(ds) else []
    if kind == "day":
        if g.get("y"):
            d = _ymd(int(g["y"]), _month(g["m"]), _day(g["d"]))
            return [_day_match(d)] if d else []
        if ref is None:
            return []
        d = _resolve_day(_day(g["d"]), _month(g["m"]), g.get("rel"), ref, g.get("future", False))
        return [_day_match(d, True)] if d else []
    if kind == "day_range":
        m2 = _month(g["m2"])
        m1 = _month(g["m1"]) if g.get("m1") else m2
        if g.get("y2"):
            y2 = int(g["y2"])
        else:  # the last day decides, as for one day: "du 12 au 14 novembre prochain" on 5 November is this month's
            end = ref and _resolve_day(_day(g["d2"]), m2, g.get("rel"), ref, g.get("future", False))
            y2 = end.year if end else None
        if not y2:
            return []
        y1 = int(g["y1"]) if g.get("y1") else (y2 if m1 <= m2 else y2 - 1)
        a, b = _ymd(y1, m1, _day(g["d1"])), _ymd(y2, m2, _day(g["d2"]))
        return [_day_match(a), _day_match(b)] if a and b and a < b else []
    if kind == "month_range":
        m1, m2 = _month(g["m1"]), _month(g["m2"])
        y2 = int(g["y2"]) if g.get("y2") else (int(g["y1"]) if g.get("y1") else
                                                 ref and _resolve_month(m2, None, ref, g.get("future", False)))
        if not y2:
            return []
        y1 = int(g["y1"]) if g.get("y1") else (y2 if m1 <= m2 else y2 - 1)
        return [_month_match(y1, m1), _month_match(y2, m2)]
    if kind == "season":
        y1 = int(g["y1"])
        y2 = int(g["y2"]) if len(g["y2"]) == 4 else y1 // 100 * 100 + int(g["y2"])
        return [_year_match(y1), _year_match(y2)] if y1 < y2 <= y1 + 15 else []
    if kind == "year_list":
        return [_year_match(int(y)) for y in re.findall(YEAR, g["ys"])]
    if kind == "year_range":
        y1, y2 = int(g["y1"]), int(g["y2"])
        return [_year_match(y1), _year_match(y2)] if y1 < y2 else []
    if kind == "month_year":
        return [_month_match(int(g["y"]), _month(g["m"]))]
    if kind == "month_rel":
        if ref is None:
            return []
        m = _month(g["m"])
        return [_month_match(_resolve_month(m, g.get("rel"), ref, g.get("future", False)), m, True)]
    if kind == "weekday":
        if ref is None:
            return []
        target = wk[g["wd"].lower()]
        if g.get("this"):  # "ce vendredi": that day of the current week
            return [_day_match(ref + timedelta(days=target - ref.weekday()), True)]
        back = (ref.weekday() - target) % 7
        if _is_next(g.get("rel")) or (not g.get("rel") and g.get("future")):
            return [_day_match(ref + timedelta(days=(target - ref.weekday()) % 7 or 7), True)]
        if _is_last(g.get("rel")):
            back = back or 7
        return [_day_match(ref - timedelta(days=back), True)]
    if kind == "day_current":
        d = ref and _ymd(ref.year, ref.month, _day(g["d"]))
        return [_day_match(d, True)] if d else []
    if kind == "quarter":
        n = int(g["qn"][1]) if g.get("qn") else QUARTERS[strip_accents(g["qw"].lower())]
        y = _period_year(g, ref)
        if not y:
            return []
        a = date(y, 3 * n - 2, 1)
        b = _month_span(y, 3 * n)[1]
        return [(f"{y}-Q{n}", "quarter", a, b, not g.get("y"))]
    if kind == "half":
        n = int(g["hn"][1]) if g.get("hn") else HALVES[strip_accents(g["hw"].lower())]
        y = _period_year(g, ref)
        if not y:
            return []
        a, b = (date(y, 1, 1), date(y, 6, 30)) if n == 1 else (date(y, 7, 1), date(y, 12, 31))
        return [(f"{y}-H{n}", "half", a, b, not g.get("y"))]
    if kind == "period_rel":
        if ref is None:
            return []
        unit = (g.get("unit") or g["unit_this"]).lower()
        size = 3 if unit == "trimestre" else 6
        rel = strip_accents((g.get("rel") or "").lower())
        shift = 1 if rel == "prochain" else -1 if rel in ("dernier", "passe") else 0
        k = (ref.year * 12 + ref.month - 1) // size + shift  # periods counted since year 0
        y, n = divmod(k, 12 // size)
        a, b = date(y, n * size + 1, 1), _month_span(y, n * size + size)[1]
        return [(f"{y}-Q{n + 1}" if size == 3 else f"{y}-H{n + 1}", "quarter" if size == 3 else "half", a, b, True)]
    if kind == "relative":
        if ref is None:
            return []
        w = strip_accents(g["word"].lower()).replace("’", "'")
        days = {"hier": -1, "avant-hier": -2, "avant hier": -2, "demain": 1, "apres-demain": 2, "apres demain": 2}
        if w in days:
            return [_day_match(ref + timedelta(days=days[w]), True)]
        if "semaine" in w:
            shift = -7 if ("derniere" in w or "passee" in w) else 7 if "prochaine" in w else 0
            monday = ref - timedelta(days=ref.weekday()) + timedelta(days=shift)
            return [_week_match(monday, True)]
        if "mois" in w:
            y, m = ref.year, ref.month + (-1 if ("dernier" in w or "passe" in w) else 1 if "prochain" in w else 0)
            y, m = (y - 1, 12) if m == 0 else (y + 1, 1) if m == 13 else (y, m)
            return [_month_match(y, m, True)]
        shift = -1 if ("dernier" in w or "passe" in w or "derniere" in w) else 1 if "prochain" in w else 0
        return [_year_match(ref.year + shift, True)]
    if kind == "season_rel":
        if ref is None:
            return []
        first = SEASON_START[strip_accents(g["season"].lower())]  # (month, day) it starts, as weather services count
        years = range(ref.year - 2, ref.year + 2)
        if _is_next(g["rel"]):  # the next one to start
            y = next(y for y in years if date(y, *first) > ref)
        else:  # the last one that has ended, three months after it started (a winter ends the next year)
            y = max(y for y in years if _add_months(date(y, *first), 3) <= ref)
        return [_year_match(y, True)]
    if kind == "ago":
        n = int(g["n"]) if g["n"].isdigit() else int(parse_number_words(g["n"]) or 0)
        if ref is None or not n:
            return []
        unit = strip_accents(g["unit"].lower())
        if unit.startswith("jour"):
            return [_day_match(ref - timedelta(days=n), True)]
        if unit.startswith("semaine"):
            monday = ref - timedelta(days=ref.weekday() + 7 * n)
            return [_week_match(monday, True)]
        if unit == "mois":
            back = _add_months(ref, -n)
            return [_month_match(back.year, back.month, True)]
        return [_year_match(ref.year - n, True)]
    if kind == "months_of_year":
        return [_year_match(ref.year, True)] if ref else []
    if kind == "year":
        return [_year_match(int(g["y"]))]
    return []


# resolved by tense when no year is named
TENSED = ("day", "numeric_day", "day_pair", "day_range", "month_rel", "month_range", "weekday")


@cache
def _anchor() -> re.Pattern:
    """Something every date rule needs: a year, a numeric date or a calendar word."""
    lex = lexicon()["dates"]
    words = [*lex["months"], *lex["month_abbrev"], *lex["weekdays"], "hier", "demain", "semaine", "mois", "an",
             "année", "trimestre", "semestre", "courant", "il y a",
             # seasons; "été" only with its article, as the participle is everywhere
             "printemps", "automne", "hiver", "l'été", "l’été", "cet été"]
    return re.compile(rf"(?=\d)(?<!\w)(?:1[89]\d\d|20\d\d)\b|(?=\d)\d\s*[/.-]\s*\d|(?=[TSH])(?<!\w)[TSH][1-4]\b"
                      rf"|{word_start(words)}{alternation(words)}\b", re.IGNORECASE)


def _windows(text: str, before: int = 60, after: int = 60) -> list[tuple[int, int]]:
    out: list[list[int]] = []
    for m in _anchor().finditer(text):
        s, e = max(0, m.start() - before), min(len(text), m.end() + after)
        if out and s <= out[-1][1]:
            out[-1][1] = max(out[-1][1], e)
        else:
            out.append([s, e])
    return [(s, e) for s, e in out]


def find_dates(text: str, ref: date | None = None) -> list[DateMatch]:
    """Non-overlapping date spans, earliest and longest first. The rules run
    only in windows around figures and calendar words."""
    cands: list[tuple[int, int, str, re.Match]] = []
    windows = _windows(text)
    for kind, pat in _patterns():
        for ws, we in windows:
            for m in pat.finditer(text, ws, we):
                cands.append((m.start(), m.end(), kind, m))
    cands.sort(key=lambda c: (c[0], -(c[1] - c[0])))
    out: list[DateMatch] = []
    last_end = -1
    for s, e, kind, m in cands:
        if s < last_end:
            continue
        g = m.groupdict()
        if kind in TENSED and ref is not None and not g.get("rel") and not g.get("y") and not g.get("y2"):
            g["future"] = _future_context(text, s, e)
        vals = _interpret(kind, g, ref)
        if not vals:
            continue
        if kind == "weekday" and not m.group("rel") and not _weekday_is_date(text, m):
            continue
        span = text[s:e]
        for value, gran, first, last, rel in vals:
            out.append(DateMatch(s, e, span, value, gran, first, last, rel))
        last_end = e
    return out


def _weekday_is_date(text: str, m: re.Match) -> bool:
    """A bare weekday is a date when it reads as one ('vendredi', 'ce lundi'),
    not in a list of opening days ('du lundi au vendredi')."""
    before = text[max(0, m.start() - 12):m.start()].lower()
    return not re.search(r"\b(du|au|les|chaque|tous les|le)\s*$", before)
