"""Organisations: gazetteer ruler + statistical NER, then filters, repairs,
acronym linking and one canonical entry per real organisation.

Components registered here:
- the stock `span_ruler`, fed from `data/gazetteers/organizations.csv`
  (built in `pipeline.py`), marks known names in `doc.spans["gazetteer"]`;
- `depeche_orgs` turns entities into `doc.spans["orgs"]`, each span with
  `span._.org_key` (the group within the article) and `span._.gaz_id`, and
  `doc._.organizations`, the article's canonical organisations.
"""
from __future__ import annotations

import csv
import re
import tomllib
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from functools import cache, lru_cache

from rapidfuzz import fuzz, process
from rapidfuzz.distance import OSA
from spacy.language import Language
from spacy.tokens import Doc, Span

from extractors import DATA_DIR
from extractors.doctext import span_text, text_of
from extractors.numbers import alternation, currency_forms, lexicon, strip_accents, trie_regex
from extractors.recache import compile_all

GAZ_FILE = DATA_DIR / "gazetteers" / "organizations.csv"
NOT_ORGS_FILE = DATA_DIR / "gazetteers" / "not_organizations.toml"
CONNECTORS = (r"(?:de\s+la|de\s+l['’]|du|des|de|d['’]|et\s+de\s+la|et\s+de\s+l['’]|et\s+du|et\s+des|et\s+de|et"
              r"|pour\s+la|pour\s+le|pour\s+l['’]|pour\s+les|pour|en|sur\s+les|à\s+l['’])")
CAP = r"[A-ZÀ-ÖØ-Þ][\w'’&-]*"
SP = r"[^\S\n]+"  # between the words of a name: never a line break ("la société Vitalis\n\nLe groupe")
WORDS = re.compile(r"[^\W\d_]+")
ROMAN = re.compile(r"^[IVXLC]+$")
DETERMINER_BEFORE = re.compile(r"(?-i:\b(?:[Ll]a|[Ll]es?|du|des|aux?)\s+|\b[Ll]['’])$")  # not "LA": a shouted line
ACRONYM = re.compile(r"^[A-ZÀ-Þ][A-Z0-9À-Þ&-]{1,9}$")
ADJ = (r"[a-zà-ÿ][\w-]{2,}(?:ique|al|ale|aux|if|ive|aire|el|elle|ien|ienne|ain|aine|able|ible|é|ée|eux|euse"
       r"|ier|ière|ais|aise|ois|oise|ant|ante|ent|ente)s?")
# what an institution is for, in lower case: a noun, maybe adjectives ("pour le développement économique et social")
PURPOSE = re.compile(rf" pour (?:l['’]|la |le |les )(?!(?:période|année|exercice|mois|moment|instant)\b)"
                     rf"[a-zà-ÿ][\w-]{{3,}}(?: {ADJ}(?: et {ADJ})?)?(?![\w'’])")
_FIELD_OF = r"(?:de\s+la\s+|de\s+l['’]\s*|du\s+|des\s+|d['’]\s*)"


@cache
def _verb() -> str:
    return rf"(?:{alternation(not_orgs()['run_on_verbs'])})\b"


@cache
def _verb_end() -> re.Pattern:
    """A verb as a name's last word: the NER ran on into the sentence."""
    return re.compile(rf"\s+{_verb()}$")


@cache
def _portfolio() -> tuple[re.Pattern, re.Pattern]:
    """A ministry's portfolio, one field after another: "ministère de l'Aménagement" + " du
    territoire national, de l'Urbanisme, de l'Habitat et de la Politique de la ville" (the NER
    cuts it in pieces), up to a verb."""
    tail = rf"(?:\s+(?!{_verb()})(?:{ADJ}|entreprises?|(?:du|de\s+la|des)\s+[a-zà-ÿ]{{3,}}(?:\s+{ADJ})?))"
    field = (  # a field opens with "de la", "du"…; after "et" it may not ("des Eaux et Forêts")
        rf"(?:\s*,\s*(?:et\s+)?{_FIELD_OF}|\s+et\s+{_FIELD_OF}?)(?![A-Z]{{2,}}\b)[A-ZÀ-ÖØ-Þ][a-zà-ÿ'’-]+{tail}*")
    return re.compile(rf"{tail}+"), re.compile(field)


def _portfolio_end(text: str, end: int) -> int:
    portfolio_tail, portfolio_field = _portfolio()
    if m := portfolio_tail.match(text, end):
        end = m.end()
    while m := portfolio_field.match(text, end):
        end = m.end()
    return end


# after a known name, a lower-case word that is no connector: the NER ran on into the sentence
# ("la Cour des comptes pointe des défaillances dans 12 établissements")
RUNS_ON = re.compile(rf"\s+(?!{CONNECTORS}\s)[a-zà-ÿ]")
TITLE_ACRONYM = re.compile(r"^[A-Z][a-z]{2,7}$")
CAMEL = re.compile(r"^[a-z]{1,5}[A-Z]\w")  # brands written "easyJet", "eBay"
SMALL = {"de", "la", "le", "les", "l", "du", "des", "d", "et", "pour", "en", "sur", "à", "au", "aux", "of",
         "and", "the", "for"}
ARTICLE = re.compile(r"^(?:(?:le|la|les)\s+|l['’]\s*)", re.IGNORECASE)
# a determiner is a word of its own, or elided ("l'ONEE"): "CESE", "SAZ" and "LAFARGE" start with none
LEADING_DET = re.compile(
    r"^(?:(?:(?:le|la|les|du|de\s+la|des|au|aux|un|une|son|sa|ses|leur|notre|ce|cette)\s+)|(?:de\s+)?[ld]['’]\s*)+",
    re.IGNORECASE)


@dataclass
class GazEntry:
    id: str
    name: str
    acronyms: list[str]
    aliases: list[str]
    type: str


@dataclass
class OrgGroup:
    key: str
    name: str
    gaz_id: str | None = None
    org_type: str | None = None
    acronym: str | None = None
    forms: list[str] = field(default_factory=list)
    extra_aliases: list[str] = field(default_factory=list)


@cache
def gazetteer() -> dict[str, GazEntry]:
    rows = [ln for ln in GAZ_FILE.read_text(encoding="utf-8").splitlines() if ln.strip() and not ln.startswith("#")]
    out = {}
    for r in csv.DictReader(rows, delimiter="|"):
        split = lambda s: [x.strip() for x in (s or "").split(";") if x.strip()]  # noqa: E731
        out[r["id"]] = GazEntry(r["id"], r["name"].strip(), split(r["acronyms"]), split(r["aliases"]), r["type"])
    return out


@cache
def not_orgs() -> dict:
    data = tomllib.loads(NOT_ORGS_FILE.read_text(encoding="utf-8"))
    return {
        # a currency or a unit of measure is never an organisation ("2 800 FCFA", "63,4 MD", "300 MW")
        "generic": {fold(x) for x in [*data["generic"], *currency_forms(), *lexicon()["metrics"]["units"]]},
        "roles": frozenset(fold(x) for x in data["role_prefixes"]),
        "events": frozenset(fold(x) for x in [*data["event_prefixes"], *data["programme_prefixes"]]),
        "heads": {fold(x) for x in data["heads"]},
        "place_heads": tuple(fold(x) + " " for x in data["place_heads"]),
        "suffixes": {fold(x) for x in data["suffixes"]},
        "glued": tuple(data["glued_suffixes"]),
        "boards": {fold(x) for x in data["boards"]} | set(data["boards"]),
        "nationalities": tuple(data["nationalities"]),
        "nationalities_folded": frozenset(fold(x) for x in data["nationalities"]),
        "company_words": {fold(x) for x in data["company_words"]},
        "corporate_words": frozenset(fold(x) for x in data["corporate_words"]),
        "described_by": {fold(x) for x in data["described_by"]},
        "description_stops": tuple(data["description_stops"]),
        "run_on_verbs": tuple(data["run_on_verbs"]),
        "title_case_small_words": tuple(data["title_case_small_words"]),
        "chamber_fields": tuple(data["chamber_fields"]),
        "company_roles": tuple(data["company_roles"]),
    }


@lru_cache(maxsize=16384)
def fold(s: str) -> str:
    """Case, accents, apostrophes and a leading article folded, as names compare."""
    s = strip_accents(s.casefold()).replace("’", "'")
    s = " ".join(s.split()).strip(" .,;:!?()[]{}«»\"")
    s = re.sub(r"^(?:le|la|les)\s+|^l'\s*", "", s)
    return s


@lru_cache(maxsize=16384)
def fold_plural(s: str) -> str:
    return " ".join(w[:-1] if len(w) > 3 and w.endswith(("s", "x")) else w for w in fold(s).split())


GAZ_KEYS = ("gazetteer_names", "gazetteer_exact")


INITIAL_E = re.compile(r"\b([EeÉé])(?=[^\W\d_]{3})")


def accent_variants(form: str) -> list[str]:
    """The spellings of a name that differ only by accents: the press writes
    "l'Economie" as often as "l'Économie", and some crawls drop every accent."""
    accented = INITIAL_E.sub(lambda m: "É" if m.group(1) in "EÉ" else "é", form)
    plain = INITIAL_E.sub(lambda m: "E" if m.group(1) in "EÉ" else "e", form)
    return list(dict.fromkeys([form, accented, plain, strip_accents(form)]))


def _forms(e: GazEntry) -> list[str]:
    """Every written form of an entry. A long acronym also appears in title case
    ("Anapec", "Unesco"), as the French press writes those it pronounces as words."""
    forms = [e.name, *e.aliases, *e.acronyms]
    return forms + [f.capitalize() for f in forms if len(f) >= 4 and f.isalpha() and f.isupper()]


def gazetteer_patterns(nlp: Language) -> tuple[list[dict], list[dict]]:
    """Phrase patterns for two span rulers: long names matched case-free, and
    acronyms and one-word names matched as written ("BAM", not "bam")."""
    names, exact = [], []
    for e in gazetteer().values():
        for form in _forms(e):
            one_word = len(nlp.make_doc(form)) == 1
            for variant in accent_variants(form):
                (exact if one_word else names).append({"label": "ORG", "pattern": variant, "id": e.id})
    return names, exact


@cache
def _gaz_index() -> dict[str, str]:
    idx = {}
    for e in gazetteer().values():
        for form in _forms(e):
            idx.setdefault(fold_plural(form) if not ACRONYM.match(form) else form, e.id)
    return idx


@cache
def _fuzzy_forms() -> list[str]:
    return [f for f in _gaz_index() if not ACRONYM.match(f)]


@lru_cache(maxsize=4096)
def gaz_lookup(text: str) -> str | None:
    """The gazetteer id of a surface form: exact, then fuzzy for near-miss spellings."""
    idx = _gaz_index()
    if ACRONYM.match(text):
        return idx.get(text)
    key = fold_plural(text)
    if key in idx:
        return idx[key]
    if len(key) < 6:
        return None
    hit = process.extractOne(key, _fuzzy_forms(), scorer=fuzz.ratio, score_cutoff=88)
    return idx[hit[0]] if hit and _typo_of(key, hit[0]) else None


def _typo_of(a: str, b: str) -> bool:
    """A misspelling changes letters, not words: "Banque ouest-africaine de
    développement" is close to "Banque africaine de développement" as a string,
    but is another bank."""
    wa, wb = a.split(), b.split()
    if len(wa) == len(wb):
        return all(OSA.normalized_similarity(x, y) >= 0.75 for x, y in zip(wa, wb, strict=True))  # "bnak"
    return fuzz.ratio("".join(wa), "".join(wb)) >= 95  # "Attijari wafa"


for name, default in (("org_key", None), ("gaz_id", None)):
    if not Span.has_extension(name):
        Span.set_extension(name, default=default)
if not Doc.has_extension("organizations"):
    Doc.set_extension("organizations", default=None)
if not Doc.has_extension("title_end"):
    Doc.set_extension("title_end", default=0)  # where the headline ends in the text; 0: none

LONG_WORD = re.compile(r"(?<![\w'’])[^\W\d_][\w'’-]{3,}")


@cache
def _small_capitalised() -> re.Pattern:
    words = [w.capitalize() for w in not_orgs()["title_case_small_words"]]
    return re.compile(rf"(?<=\s)(?:{'|'.join(map(re.escape, words))})\s")


def _title_case(title: str) -> bool:
    """A headline in Title Case capitalises its small words too ("Akdital Lance Une Nouvelle Clinique")."""
    words = LONG_WORD.findall(title)
    return (len(words) >= 3 and bool(_small_capitalised().search(title))
            and sum(w[0].isupper() for w in words) >= 0.8 * len(words))


# a preposition right before a name: "l'entreprise de Karim Alaoui" names its owner, not the company
OF_BEFORE = re.compile(r"(?<![\w'’])(?:de|du|des|d['’]|par|pour|avec|chez)\s*$", re.IGNORECASE)
# a determiner and a lower-case word that is no participle: a common noun ("des moteurs ")
NOUN_BEFORE = re.compile(r"(?<![\w'’])(?i:les|des|aux|ces|le|la|du|au|un|une|ce|cette|de|l['’]|d['’])\s*"
                         r"(?P<n>[a-zà-ÿ]{3,}(?<![éiu])(?<!é[es])(?<!ées))\s+$")
# a last word that mixes a figure in names a product's model ("A320neo", "737", "X5"); a year does not
MODEL_CODE = re.compile(r"\s+(?!(?:19|20)\d\d\b)[A-Z]{0,3}\d+[A-Za-z]{0,4}$")
LEAD_CAP = re.compile(r"(?<=\s)[A-ZÀ-Ý0-9]")  # the first capitalised word after a lower-case lead


LOWER = re.compile(r"[a-zß-öø-ÿ]")
UPPER = re.compile(r"[A-ZÀ-ÖØ-Þ]")
LOWER_WORDS = re.compile(r"[a-zß-öø-ÿ]{2,}(?:[\s,'’]+[a-zß-öø-ÿ]{2,}){2}")  # three words in lower case


def _in_caps_line(text: str, start: int) -> bool:
    a, b = text.rfind("\n", 0, start) + 1, text.find("\n", start)
    b = b if b >= 0 else len(text)
    if LOWER_WORDS.search(text, a, b):  # prose: found in its first words, no count needed
        return False
    upper = len(UPPER.findall(text, a, b))  # counted by the regex engine, not a loop over characters
    return upper > 0 and upper >= 4 * len(LOWER.findall(text, a, b))


def _shouted(text: str, start: int, t: str) -> bool:
    """A word in capitals inside a line written in capitals ("STELLANTIS PORTE SA CAPACITÉ À
    KÉNITRA"), that the text also writes in lower case: a word, not an acronym."""
    if not _in_caps_line(text, start):
        return False
    return re.search(rf"(?<![\w-]){re.escape(t[:1] + t[1:].lower())}(?![\w-])", text) is not None


def _spellings(text: str, paren: int, acr: str) -> Iterator[tuple[int, int, list[str]]]:
    """Runs of words right before '(ACR)' whose initials spell it, shortest first:
    (start, end, words). "l'Agence …": the run starts after the elided article."""
    base = max(0, paren - 160)
    words = list(re.finditer(r"[\w'’&-]+", text[base:paren]))
    for n in range(1, min(len(words), 12) + 1):
        ws = words[-n:]
        first = ws[0].group(0)
        if first.lower() in SMALL:
            continue
        skip = 2 if re.match(r"[ldLD]['’]\w", first) else 0
        spelled = [first[skip:]] + [w.group(0) for w in ws[1:]]
        if _initials_match(spelled, acr):
            yield base + ws[0].start() + skip, base + ws[-1].end(), spelled


def _spelled_in_lower_case(text: str, paren: int, acr: str) -> bool:
    """Whether lower-case words spell '(ACR)' ("tonnes équivalent pétrole (TEP)"): a term's acronym."""
    shortest = next(_spellings(text, paren, acr), None)
    return shortest is not None and not any(w[:1].isupper() for w in shortest[2])


def _initials_match(words: list[str], acr: str) -> bool:
    """Whether the words' initials spell `acr`: every content word gives its letter,
    a small word may ("Agence de l'environnement et de la maîtrise de l'énergie" is ADEME)."""
    letters: list[tuple[str, bool]] = []  # (initial, required)
    for w in words:
        if re.match(r"[ldLD]['’]", w):  # "l'énergie": the article may count, the word must
            letters += [(w[0], False), (w[2:3], True)]
        else:
            letters.append((w[:1], w.lower().strip("'’") not in SMALL))
    target = strip_accents(acr.replace("&", "")).upper()
    letters = [(strip_accents(c).upper(), req) for c, req in letters]
    ok = {0}  # letters of target matched so far, over every way of reading the words
    for c, req in letters:
        ok = {i + 1 for i in ok if i < len(target) and target[i] == c} | (set() if req else ok)
    return len(target) in ok


def _is_event(name: str) -> bool:
    """A name that opens with an event word, unless the gazetteer knows it as a body."""
    words = fold(name).split()
    # "COP29", "Gitex 2025": an event's brand with its edition
    return bool(words) and re.sub(r"\d+$", "", words[0]) in not_orgs()["events"] and gaz_lookup(name) is None


def _is_people(name: str) -> bool:
    """'Marocains résidant à l'étranger': a people in the plural, not a body ('Marocaine des
    Jeux' is one)."""
    first = fold(name).split(" ", 1)[0]
    return first.endswith("s") and first[:-1] in not_orgs()["nationalities_folded"] and gaz_lookup(name) is None


def _corporate_variant(short: str, long_: str) -> bool:
    """The same company with its legal or group word before or after ('Marjane Group')."""
    if long_.startswith(short + " "):
        extra = long_[len(short) + 1:]
    elif long_.endswith(" " + short):
        extra = long_[:-len(short) - 1]
    else:
        return False
    return all(w in not_orgs()["corporate_words"] for w in extra.split())


def _abbreviates(short: str, long_: str) -> bool:
    """'Senelec' for 'Société nationale d'électricité du Sénégal': same first letter,
    and its letters appear in order in the long name ("Douai" after "Renault" does not)."""
    s, ln = strip_accents(short).lower(), strip_accents(long_).lower()
    if not s or not ln or s[0] != ln[0]:
        return False
    rest = iter(ln[1:])
    return all(c in rest for c in s[1:])


ACCENTED = {"a": "[aàâä]", "c": "[cç]", "e": "[eéèêë]", "i": "[iîï]", "o": "[oôö]", "u": "[uùûü]"}


def _accented_alternation(folded: Iterable[str]) -> str:
    """Longest first, so "ministre délégué" is tried before "ministre" (a prefix tree of
    the folded letters, each letter a class of its accented forms)."""
    return trie_regex([[ACCENTED.get(c, re.escape(c)) for c in w] for w in sorted({fold(x) for x in folded}) if w])


def _overlaps(s: int, e: int, spans: Iterable[tuple[int, int]]) -> bool:
    return any(a < e and s < b for a, b in spans)


def _any_accent(folded: str) -> str:
    """A regex for a folded word as the text may write it: "ministere" finds "Ministère"."""
    return "".join(ACCENTED.get(c, re.escape(c)) for c in folded)


CONNECTOR_END = re.compile(rf"(?<![\w'’]){CONNECTORS}\s*$")
PAREN_NAME = re.compile(r"\(\s*(?P<name>[A-ZÀ-Þ][^()\n]{1,60}?)\s*\)")
DANGLING = re.compile(r"(?<!\w)(?:du|de|des|de la|de l['’]|d['’]|l['’]|pour|et|en)$")
PLACE_AFTER = re.compile(r"\s*[A-ZÀ-Ý][\w'’-]*(?:\s+[A-ZÀ-Ý][\w'’-]*)*")


# a name followed by its share-price move, as market reports list them: "TGCC (+8,4%)"
QUOTED_MOVE = re.compile(rf"(?<![\w'’])(?P<name>(?![LD]['’][a-zà-ÿ]){CAP}(?:{SP}{CAP}){{0,3}})"
                         rf"\s*\(\s*[+\-–−]\s*\d+(?:[,.]\d+)?\s*%\s*\)")


def _company_named(t: str) -> bool:
    """A name the NER calls a place or a thing whose last word says it is a company ("Maghreb Steel")."""
    words = t.split()
    return len(words) >= 2 and t[:1].isupper() and fold(words[-1]) in not_orgs()["company_words"]


PLACE_TAIL = re.compile(r"\s(?:de|du|d['’])\s*([A-ZÀ-Þ][\w-]+)$")  # "... de Zenata", "... d'Abidjan"
# separators that never stand inside a name: a headline's label or rubric is before them
NAME_BREAK = re.compile(r"\s*[|•]\s*|\s+[:–—]\s+")


class OrgExtractor:
    """The post-NER organisation stage; see the module docstring."""

    def __init__(self) -> None:
        heads = _accented_alternation(not_orgs()["heads"])
        # only the head word is case-free: the named part must be capitalised
        self.descriptive = {*not_orgs()["heads"], *not_orgs()["described_by"]}
        self.description_stops = set(not_orgs()["description_stops"])
        # "Conseil régional de Casablanca-Settat": an adjective may stand between the head and its named part
        # "Agence urbaine de Casablanca"; "Centre régional d'investissement de Tanger", "Conseil régional du
        # tourisme de Marrakech", "Société d'aménagement de Zenata": an adjective or a field in lower case (or
        # both), then the named place
        pats: dict[str, str] = {}
        pats["institution"] = (rf"\b(?i:{heads})(?P<adj>(?=\s+[a-zà-ÿ])(?:\s+{ADJ})?"
                               rf"(?:\s+{_FIELD_OF}[a-zà-ÿ][\w-]{{2,}}(?:\s+{ADJ})?)?"
                               rf"(?=\s+(?:{_FIELD_OF}|de\s+){CAP}))?"
                               rf"(?:{SP}{CONNECTORS}\s*{CAP}|{SP}{CAP})+")
        field = f"(?:{alternation(not_orgs()['chamber_fields'])})"
        of = r"(?:de\s+la\s+|de\s+l['’]\s*|de\s+|d['’]\s*|des\s+|du\s+)"
        nations = alternation(not_orgs()["nationalities"])  # "la Chambre française de commerce"
        pats["chamber"] = (rf"Chambres?(?:\s+(?:{nations}|{ADJ}))?\s+{of}?{field}"
                           rf"(?:(?:\s*,\s*|\s+et\s+){of}?{field})*"
                           rf"(?:\s+(?:de|du|des|d['’])\s*(?:la\s+|l['’])?{CAP}(?:{SP}{CAP})*)?")
        roles = _accented_alternation(fold(r) for r in not_orgs()["company_roles"])
        pats["officer"] = (rf"\b(?i:{roles})\s+(?:de\s+la\s+|de\s+l['’]\s*|du\s+|des\s+|de\s+|d['’]\s*)"
                           rf"(?P<name>{CAP}(?:{SP}{CAP})*)")
        pats["board"] = rf"(?i:{alternation(not_orgs()['boards'])})\s+{CONNECTORS}\s*(?P<org>.+)$"
        glued = "|".join(re.escape(g) for g in not_orgs()["glued"])
        pats["glued"] = rf"(?<![\w.])[A-Z][a-z]{{2,}}(?:{glued})(?![\w])"
        pats["acr_def"] = r"\(\s*(?P<acr>[A-ZÀ-Þ][A-Za-z0-9À-Þ&-]{1,9})\s*\)"
        descriptions = _accented_alternation([*not_orgs()["heads"], "geant", "leader"])
        # "l'espagnol Acciona", "le géant danois Maersk": a company the NER may call a place
        pats["national"] = (rf"(?:\b[lL]['’]|\b(?:le|du|au)\s+)(?:(?P<desc>(?i:{descriptions}))\s+)?"
                            rf"(?:{nations})\s+(?P<name>{CAP}(?:{SP}{CAP})*)")
        # "la compagnie nationale des hydrocarbures Sonatrach": a description, then the name
        stops = alternation(not_orgs()["description_stops"])
        gap = rf"(?:(?!{stops}(?![\w'’-]))[a-zà-ÿ][\w-]*|[dl]['’][\wÀ-ÿ-]+)"
        long_descriptions = _accented_alternation([*not_orgs()["heads"], *not_orgs()["described_by"]])
        pats["described"] = (rf"(?:\b[lL]['’]|\b(?i:le|la|du|au|de\s+la)\s+)(?i:{long_descriptions})"
                             rf"(?:\s+{gap}){{1,4}}\s+(?P<name>{CAP}(?:{SP}{CAP})*)")
        # "Petrosen, la société nationale, détient 18%": a description in commas after the name
        pats["apposed"] = (rf",\s+(?:(?:la|le|l['’]|une?)\s*)?(?:{ADJ}\s+)?(?i:{long_descriptions})"
                           rf"(?:\s+{gap}){{0,6}},")
        roles = _accented_alternation(not_orgs()["roles"])
        # "Directrice Générale de la Banque Populaire": the NER took the holder's title in
        pats["role_lead"] = (
            rf"(?i:(?:{roles})(?:\s+(?:g[ée]n[ée]rale?|d[ée]l[ée]gu[ée]e?|adjointe?|ex[ée]cutif|ex[ée]cutive))?"
            rf"\s+(?:de\s+la|de\s+l['’]|du|des|de|d['’]|la|le|les|l['’])\s*)(?={CAP})")
        for name, rx in zip(pats, compile_all(pats.values()), strict=True):  # one file of the regex cache
            setattr(self, name, rx)

    def __call__(self, doc: Doc) -> Doc:
        cands: dict[tuple[int, int], str | None] = {}  # (start_char, end_char) -> gazetteer id
        described = self._candidates(doc, cands)
        text = text_of(doc)
        links = self._acronym_links(text, cands) + self._paren_aliases(text, cands)
        mentions = []
        words = set(WORDS.findall(text))
        # a capitalised word the NER calls a place or a person elsewhere is not an organisation,
        # unless the text itself says what it is ("la start-up Chari")
        not_org = {span_text(e) for e in doc.ents if e.label_ in ("LOC", "PER")} - described
        for (s, e), gid in sorted(cands.items()):
            span = doc.char_span(s, e, alignment_mode="expand")
            if span is None:
                continue
            span._.gaz_id = gid or gaz_lookup(span_text(span))
            if self._keep(span, words, not_org):
                mentions.append(span)
        mentions = self._without_their_places(self._near_misses(doc, self._title_case_guesses(doc, mentions)))
        doc._.organizations = self._group(mentions, links)
        doc.spans["orgs"] = mentions
        return doc

    def _add(self, text: str, cands: dict, s: int, e: int, gid: str | None = None) -> None:
        """Add a candidate span; of two overlapping candidates the longer stays."""
        s, e = self._trim(text, s, e)
        role = self.role_lead.match(text, s, e)
        # "Directrice Générale de Digitalia": after a company's officer, even one word is a company
        officer = role and self.officer.match(text, s, e)
        if role and (gaz_lookup(text[role.end():e]) or len(text[role.end():e].split()) >= 2
                     or (officer and officer.start("name") == role.end())):
            if fold(role.group(0)).startswith("ministre") and not gaz_lookup(text[role.end():e]):
                return  # "le ministre de l'Équipement et de l'Entretien routier": a portfolio, not a name
            s = role.end()  # what is left must still be a name: "Directeur de la Communication" is not
        board = self.board.match(text, s, e)
        if board and gaz_lookup(board.group("org")):  # "Conseil de Bank Al-Maghrib" -> the bank
            s, gid = board.start("org"), gaz_lookup(board.group("org"))
        elif board and fold(board.group("org")) in not_orgs()["heads"]:
            return  # "le Conseil de la banque": a board of an organisation named elsewhere
        if e - s < 2 or "\n" in text[s:e]:
            return
        for (cs, ce) in list(cands):
            if cs < e and s < ce:
                if (ce - cs) >= (e - s):
                    return
                cands.pop((cs, ce))
                # the longer name is its own organisation unless the gazetteer knows it
                # ("Groupe OCP" is OCP; "CDG Capital Bourse" is not CDG)
                gid = gid or gaz_lookup(text[s:e])
        cands[(s, e)] = gid

    def _candidates(self, doc: Doc, cands: dict) -> set[str]:
        """Gazetteer hits, NER entities, repeated acronyms, brand names and institution names.
        Returns the names a lower-case description introduces ("le cabinet Deloitte")."""
        described: set[str] = set()
        text = text_of(doc)
        known_ends: dict[int, int] = {}  # start -> end of the longest gazetteer hit there
        for key in GAZ_KEYS:
            for sp in doc.spans.get(key, []):
                name = ARTICLE.sub("", text[sp.start_char:sp.end_char], count=1)
                if not any(c.isupper() for c in name) and not fold(name).startswith("ministere "):
                    continue  # "le matin", "dans le monde": words, not "Le Matin" or "Le Monde"
                    # (a paper may write ministries in lower case: "le ministère de l'économie")
                self._add(text, cands, sp.start_char, sp.end_char, sp.id_ or None)
                known_ends[sp.start_char] = max(known_ends.get(sp.start_char, 0), sp.end_char)
        for ent in doc.ents:
            t = text[ent.start_char:ent.end_char]
            if ent.label_ == "ORG" and t[:1].islower() and (cap := LEAD_CAP.search(t)):
                # "groupe Akdital", "opérateur Inwi": the NER took the description in
                if set(fold(t[:cap.start()]).split()) & self.descriptive:
                    self._add(text, cands, ent.start_char + cap.start(), ent.end_char)
                    described.add(t[cap.start():])
                continue
            misc_org = (ent.label_ == "MISC" and self._misc_is_org(t) and not _shouted(text, ent.start_char, t)
                        and not self._named_thing(doc, ent))
            if ent.label_ == "ORG" or misc_org or _company_named(t):
                end = self._extend(text, ent.end_char)
                if (model := MODEL_CODE.search(t)) and model.start() > 0:
                    end = ent.start_char + model.start()  # "les Airbus A320neo": the maker, not its model
                if verb := _verb_end().search(text, ent.start_char, end):
                    end = verb.start()  # "la Banque de l'Habitat triple son bénéfice": a headline's verb
                known = known_ends.get(ent.start_char, end)
                if known < end and (not any(c.isupper() or c.isdigit() for c in text[known:end])
                                    or RUNS_ON.match(text, known)):
                    end = known  # "Banque mondiale finance le projet": the NER ran on into the verb
                self._add(text, cands, ent.start_char, end)
        acr_counts: dict[str, list[re.Match]] = {}
        for m in re.finditer(r"(?<![\w-])[A-Z][A-Z&]{1,7}(?![\w-])", text):
            acr_counts.setdefault(m.group(0), []).append(m)
        for acr, ms in acr_counts.items():  # an unknown acronym the text repeats is a name, and so is one
            if fold(acr) in not_orgs()["generic"] or ROMAN.match(acr):  # after an article ("la BIDC")
                continue
            if len(ms) >= 2 or (len(acr) >= 3 and DETERMINER_BEFORE.search(text, max(0, ms[0].start() - 6),
                                                                            ms[0].start())
                                and not _in_caps_line(text, ms[0].start())):
                for m in ms:
                    self._add(text, cands, m.start(), m.end(), gaz_lookup(acr))
        for m in self.glued.finditer(text):
            if m.start() > 0 and not re.search(r"[.!?]\s*$|^\s*$", text[max(0, m.start() - 3):m.start()]):
                self._add(text, cands, m.start(), m.end())
                described.add(m.group(0))  # its ending says what it is, whatever the NER calls it
        people = [(e.start_char, e.end_char) for e in doc.ents if e.label_ == "PER"]
        places = [(e.start_char, e.end_char) for e in doc.ents if e.label_ == "LOC"] + people
        for m in QUOTED_MOVE.finditer(text):  # "TGCC (+8,4%), Jet Contractors (+6,2%)": listed companies
            if ACRONYM.match(m.group("name")) or not _overlaps(*m.span("name"), places):  # "la France (+4%)"
                self._add(text, cands, m.start("name"), m.end("name"), gaz_lookup(m.group("name")))
        for m in self.national.finditer(text):
            if not m.group("desc") and _overlaps(*m.span("name"), people):
                continue  # "le marocain Achraf Hakimi": without a description, a person the NER knows stays one
            self._add(text, cands, m.start("name"), m.end("name"), gaz_lookup(m.group("name")))
            described.add(m.group("name"))
        for m in self.officer.finditer(text):  # "M. Hakim Benali, directeur général de Forafric"
            self._add(text, cands, m.start("name"), m.end("name"), gaz_lookup(m.group("name")))
            described.add(m.group("name"))
        for m in self.described.finditer(text):
            s, e = m.span("name")
            in_place = any(ps <= s and e <= pe for ps, pe in places)  # a place or a person
            if any(ps < s < pe for ps, pe in places):
                continue  # "le groupe d'Aziz Akhannouch": the end of a person's name
            if in_place and OF_BEFORE.search(text, max(0, s - 6), s):
                # "la banque de Rabat", "l'entreprise de Karim Alaoui"; a place or a person the NER sees right
                # after the description is a company ("la société marocaine Akwa", "le fonds souverain Ithmar
                # Al Mawarid")
                continue
            self._add(text, cands, s, e, gaz_lookup(m.group("name")))
            described.add(m.group("name"))
        for ent in doc.ents:  # what the NER missed, never a place
            if ent.label_ in ("PER", "MISC") and self.apposed.match(text, ent.end_char):
                self._add(text, cands, ent.start_char, ent.end_char, gaz_lookup(span_text(ent)))
                described.add(span_text(ent))
        for m in self.chamber.finditer(text):  # "la Chambre de commerce, d'industrie et de services de Rabat"
            if not text[m.start() - 1:m.start()].isalnum():
                self._add(text, cands, m.start(), m.end(), gaz_lookup(m.group(0)))
        ent_starts = [ent.start_char for ent in doc.ents]
        for m in self.institution.finditer(text):
            if m.group(0)[:1].isupper() or fold(m.group(0)).startswith("ministere"):
                end = self._purpose(text, m.end())
                if fold(m.group(0)).startswith("ministere"):
                    end = _portfolio_end(text, end)
                # "le ministère de l'Intérieur et Maroc Telecom", "le Port autonome de Douala et Camtel": a
                # known name, or one the NER saw on its own, after "et" is another one
                end = min([k - 4 for k in (*known_ends, *ent_starts) if m.start() < k < end
                           and text[k - 4:k] == " et "] + [end])
                self._add(text, cands, m.start(), end, gaz_lookup(text[m.start():end]))
            else:  # "le club MNF Angels": the lower-case head is a description, the name follows
                # it ("l'opérateur Inwi et Maroc Telecom": Inwi; the other name is found on its own);
                # after a connector, a place or an owner follows ("la banque de Rabat")
                name = re.search(rf"(?<=[\s'’])({CAP}(?:{SP}{CAP})*)", m.group(0))
                if name and not CONNECTOR_END.search(m.group(0), 0, name.start(1)):
                    self._add(text, cands, m.start() + name.start(1), m.start() + name.end(1),
                              gaz_lookup(name.group(1)))
                    described.add(name.group(1))
        return described

    def _acronym_links(self, text: str, cands: dict) -> list[tuple[tuple[int, int], tuple[int, int]]]:
        """'Long Form (ACR)': the long form and every use of ACR are one organisation."""
        links = []
        for m in self.acr_def.finditer(text):
            acr = m.group("acr")
            known = bool(ACRONYM.match(acr) or gaz_lookup(acr))
            # "(Ademe)": a capitalised word counts only when the words before spell it
            if fold(acr) in not_orgs()["generic"] or not (known or TITLE_ACRONYM.match(acr)):
                continue
            # the longest name that ends there: "Société d'aménagement de Zenata (SAZ)", not "Zenata"
            before = sorted(k for k in cands if 0 <= m.start() - k[1] <= 1)
            abbreviated = bool(before) and _abbreviates(acr, text[before[0][0]:before[0][1]])
            if before and not abbreviated and (spelled := self._long_form(text, m.start(), acr)) \
                    and spelled[0] > before[0][0]:
                # "le Comité de politique monétaire de la Banque centrale … (BCEAO)": the bank, not its board
                long_key = spelled
                cands.pop(before[0])
                self._add(text, cands, *long_key, gaz_lookup(text[long_key[0]:long_key[1]]))
            elif before and (known or abbreviated):
                long_key = before[0]
            else:
                long_key = self._long_form(text, m.start(), acr)
                if long_key is None:
                    if not gaz_lookup(acr) and _spelled_in_lower_case(text, m.start(), acr):
                        # "tonnes équivalent pétrole (TEP)", "intelligence artificielle (IA)": a term
                        for k in [k for k in cands if text[k[0]:k[1]] == acr]:
                            cands.pop(k)
                    continue
                self._add(text, cands, *long_key, gaz_lookup(text[long_key[0]:long_key[1]]))
            long_name = text[long_key[0]:long_key[1]]
            if (_is_event(long_name) or _is_people(long_name)) and not gaz_lookup(acr):
                # "Salon international de l'agriculture au Maroc (SIAM)": SIAM is the event too
                for k in [k for k in cands if text[k[0]:k[1]] == acr]:
                    cands.pop(k)
                continue
            acr_key = (m.start("acr"), m.end("acr"))
            self._add(text, cands, *acr_key, gaz_lookup(acr))
            links.append((long_key, acr_key))
            for om in re.finditer(rf"(?<![\w-]){re.escape(acr)}(?![\w-])", text):
                self._add(text, cands, om.start(), om.end(), gaz_lookup(acr))
                links.append((acr_key, (om.start(), om.end())))
        return links

    @staticmethod
    def _title_case_guesses(doc: Doc, mentions: list[Span]) -> list[Span]:
        """In a headline in Title Case every word looks like a name, and so does every word of a
        line in capitals: a name found only there counts when the rest of the text or the
        gazetteer has it."""
        end = doc._.title_end
        text = text_of(doc)
        outside: dict[tuple[int, int], tuple[str, str]] = {}  # (a, b) -> the text before and after, folded once

        def confirmed(m: Span, a: int, b: int) -> bool:  # the text has it outside text[a:b]
            if (a, b) not in outside:
                outside[a, b] = (strip_accents(text[:a].casefold()), strip_accents(text[b:].casefold()))
            f = strip_accents(span_text(m).casefold())
            return any(f in part for part in outside[a, b])

        if end and _title_case(text[:end]):
            mentions = [m for m in mentions if m.start_char >= end or m._.gaz_id or confirmed(m, 0, end)]
        # so do words in capitals on a line written in capitals ("L'ANNONCE DE LA BANQUE"), an acronym aside
        out = []
        for m in mentions:
            if len(m) > 1 and not m._.gaz_id and _in_caps_line(text, m.start_char):
                a = text.rfind("\n", 0, m.start_char) + 1
                b = text.find("\n", m.end_char)
                if not confirmed(m, a, b if b >= 0 else len(text)):
                    continue
            out.append(m)
        return out

    @staticmethod
    def _without_their_places(mentions: list[Span]) -> list[Span]:
        """A word that ends an institution's name as its place ("Société d'aménagement de Zenata",
        "Port autonome d'Abidjan") is a place where it stands alone, whatever the NER says."""
        heads = not_orgs()["place_heads"]
        places = {tail.group(1) for m in mentions if len(m) > 2 and (tail := PLACE_TAIL.search(span_text(m)))
                  and fold(span_text(m)).startswith(heads)}
        if not places:
            return mentions
        return [m for m in mentions if m._.gaz_id or ACRONYM.match(span_text(m)) or span_text(m) not in places]

    @staticmethod
    def _paren_aliases(text: str, cands: dict) -> list[tuple[tuple[int, int], tuple[int, int]]]:
        """'La Banque de l'Habitat (BH Bank)', 'OCP (Office chérifien des phosphates)': a name
        in brackets right after another is the same organisation's other name."""
        ends = {e: (s, e) for s, e in cands}
        links = []
        for m in PAREN_NAME.finditer(text):
            gap = 1 if text[m.start() - 1:m.start()] == " " else 0
            before = ends.get(m.start() - gap)
            if before and m.span("name") in cands:
                links.append((before, m.span("name")))
        return links

    @staticmethod
    def _near_misses(doc: Doc, mentions: list[Span]) -> list[Span]:
        """Capitalised words the NER missed that are a name already found, or a typo
        of one ("Technoaprk" beside "Technopark"): every mention counts."""
        names = {fold_plural(span_text(m)): m for m in mentions if len(m) == 1 and m.end_char - m.start_char >= 6}
        if not names:
            return mentions
        taken = [(m.start_char, m.end_char) for m in mentions]
        extra = []
        for w in re.finditer(r"(?<![\w-])[A-ZÀ-Þ][\w]{5,}(?![\w-])", text_of(doc)):
            if any(s <= w.start() < e for s, e in taken):
                continue
            key = fold_plural(w.group(0))
            best = max(names, key=lambda n: fuzz.ratio(key, n))
            if fuzz.ratio(key, best) >= 85:
                span = doc.char_span(w.start(), w.end())
                if span is not None:
                    span._.gaz_id = names[best]._.gaz_id
                    extra.append(span)
        return sorted(mentions + extra, key=lambda m: m.start)

    @staticmethod
    def _purpose(text: str, end: int) -> int:
        """An institution's name goes on with what it is for, in lower case: "Fonds
        Mohammed VI" + " pour l'investissement", "Fondation X" + " pour la solidarité"."""
        m = PURPOSE.match(text, end)
        return m.end() if m else end

    @staticmethod
    def _extend(text: str, end: int) -> int:
        """Take in the company suffixes the NER left out ("Bull" + " Maroc"), and the
        place a name ending in "du" runs on to ("… des télécommunications du" + " Sénégal",
        which the NER tags apart); a connector left hanging goes."""
        if dangling := DANGLING.search(text, max(0, end - 8), end):
            if place := PLACE_AFTER.match(text, end):
                return place.end()
            while dangling:  # "… et de l'": each connector left hanging goes
                end = dangling.start()
                while end and text[end - 1].isspace():
                    end -= 1
                dangling = DANGLING.search(text, max(0, end - 8), end)
            return end
        suffixes = not_orgs()["suffixes"]
        while True:
            m = re.match(r" ([\w-]+)", text[end:end + 40])
            if not m or fold(m.group(1)) not in suffixes:
                return end
            end += m.end()

    @staticmethod
    def _trim(text: str, s: int, e: int) -> tuple[int, int]:
        # a headline's label or rubric before a separator is no part of the name ("EXCLUSIF | CIH Bank")
        cuts = [(m.start(), m.end()) for m in NAME_BREAK.finditer(text, s, e)]
        if cuts:
            bounds = [s, *(x for c in cuts for x in c), e]
            s, e = max(zip(bounds[::2], bounds[1::2], strict=True), key=lambda p: p[1] - p[0])
        seg = text[s:e]
        m = LEADING_DET.match(seg)
        if m and m.end() < len(seg) and seg[m.end():m.end() + 1].isupper():
            s += m.end()
        while e > s and text[e - 1] in " .,;:!?«»\"'’)(":
            e -= 1
        while s < e and text[s] in " «»\"'’(":
            s += 1
        return s, e

    def _named_thing(self, doc: Doc, ent: Span) -> bool:
        """'les moteurs LEAP', 'le programme PAGER': a common noun before the name says what kind
        of thing it is; only a description ('l'opérateur INWI') makes that an organisation."""
        m = NOUN_BEFORE.search(text_of(doc), max(0, ent.start_char - 40), ent.start_char)
        return bool(m) and not {m.group("n"), fold(m.group("n"))} & self.descriptive \
            and fold(m.group("n")) not in self.description_stops

    @staticmethod
    def _misc_is_org(t: str) -> bool:
        if ACRONYM.match(t):  # a code with a figure ("TC4", "A320") names a thing, not a body
            return fold(t) not in not_orgs()["generic"] and not any(c.isdigit() for c in t)
        first = fold(t).split(" ")[0] if t.strip() else ""
        return first in not_orgs()["heads"] or gaz_lookup(t) is not None

    def _long_form(self, text: str, paren: int, acr: str) -> tuple[int, int] | None:
        """The words before '(ACR)' whose initials spell the acronym, a name's (capitalised)."""
        return next(((s, e) for s, e, ws in _spellings(text, paren, acr) if ws[0][:1].isupper()), None)

    @staticmethod
    def _keep(span: Span, words: set[str], not_org: set[str]) -> bool:
        t = span_text(span)
        f = fold(t)
        rules = not_orgs()
        if not f or f in rules["generic"] or f in rules["title_case_small_words"]:  # "DE" in a shouted headline
            return False
        if span._.gaz_id:  # a known name, however long ("ministère du Tourisme, de l'Artisanat et ...")
            return True
        if len(span) > (30 if f.startswith(("ministere", "chambre")) else 12):  # a ministry's portfolio is long
            return False
        if _is_event(t) or _is_people(t):
            return False
        first_words = {" ".join(f.split()[:n]) for n in (1, 2, 3)}
        if first_words & set(rules["roles"]) and not any(f.startswith(h + " ") for h in rules["heads"]):
            return False
        if not t[:1].isupper() and not f.startswith(("ministere", "fonds")) and not CAMEL.match(t):
            return False
        if len(span) == 1 and not ACRONYM.match(t):
            # a capitalised common noun: the same word occurs in lower case elsewhere
            if t.lower() in words:
                return False
        if len(span) == 1 and not ACRONYM.match(t) and t in not_org:
            return False
        if len(span) > 1 and t[:1].isupper() and re.search(rf"(?<![\w'’]){re.escape(t.lower())}(?![\w'’])",
                                                           text_of(span.doc)):
            return False  # "Crédit bancaire : …" in a headline, "l'encours du crédit bancaire" in the text: words
        return True

    @staticmethod
    def _group(mentions: list[Span], links) -> list[OrgGroup]:
        parent = list(range(len(mentions)))
        gaz = [m._.gaz_id for m in mentions]  # extension lookups are slow: read once
        texts = [span_text(m) for m in mentions]

        def find(i: int) -> int:
            while parent[i] != i:
                parent[i] = parent[parent[i]]
                i = parent[i]
            return i

        def union(i: int, j: int) -> None:
            ri, rj = find(i), find(j)
            if gaz[ri] and gaz[rj] and gaz[ri] != gaz[rj]:
                return  # the gazetteer says these are two organisations
            if not gaz[rj]:
                ri, rj = rj, ri
            parent[ri] = rj  # the root keeps a gazetteer id when one side has it

        by_pos = {(m.start_char, m.end_char): i for i, m in enumerate(mentions)}
        for a, b in links:
            if a in by_pos and b in by_pos:
                union(by_pos[a], by_pos[b])
        first: dict[tuple[str, str | None], int] = {}
        for i, t in enumerate(texts):  # repeated mentions of one form first, then pairs of forms
            key = (t, gaz[i])
            if key in first:
                union(i, first[key])
            else:
                first[key] = i
        reps = list(first.values())
        folded = {i: fold_plural(texts[i]) for i in reps}
        for x, i in enumerate(reps):
            for j in reps[:x]:
                if find(i) == find(j):
                    continue
                gi, gj = gaz[i], gaz[j]
                a, b = folded[i], folded[j]
                same = (gi is not None and gi == gj) or a == b
                if not same and not (ACRONYM.match(texts[i]) or ACRONYM.match(texts[j])):
                    short, long_ = sorted((a, b), key=len)
                    if len(short) >= 6 and fuzz.ratio(a, b) >= 88 and _typo_of(a, b):
                        same = True  # a near-miss spelling of the same name
                    elif len(short.split()) >= 2 and (long_.endswith(" " + short) or long_.startswith(short + " ")):
                        same = True  # "Maroc Numeric Cluster" in "Association Maroc Numeric Cluster"
                    elif len(short) >= 4 and long_.startswith(short + " ") and not (gi or gj):
                        same = True  # "Atlas", the short name of "Atlas Digital Services"
                    elif _corporate_variant(short, long_):
                        same = True  # "Akdital Holding" is Akdital, which the gazetteer knows
                if same:
                    union(i, j)

        groups: dict[int, list[int]] = {}
        for i in range(len(mentions)):
            groups.setdefault(find(i), []).append(i)
        out = []
        entries = gazetteer()
        for members in groups.values():
            forms = list(dict.fromkeys(texts[i] for i in members))
            gid = next((gaz[i] for i in members if gaz[i]), None)
            longs = [f for f in forms if not ACRONYM.match(f)] or forms
            name = max(longs, key=lambda f: (f[:1].isupper(), len(f)))
            acr = next((f for f in forms if ACRONYM.match(f)), None)
            entry = entries.get(gid) if gid else None
            if entry and name[:1].islower() and not fold(name).startswith("ministere"):
                name = entry.name  # "le groupe OCP" only: the known name, not its description
            elif entry and ARTICLE.match(entry.name) and fold(ARTICLE.sub("", entry.name)) == fold(name):
                name = entry.name  # "Selon Le Matin": a title's article is part of its name
            key = f"gaz:{gid}" if gid else "org:" + fold_plural(name)
            extra = [entry.name, *entry.acronyms] if entry else []
            written = {f.casefold() for f in forms}  # the known name in other capitals adds nothing
            grp = OrgGroup(key, name, gid, entry.type if entry else None, acr or (entry.acronyms[0] if entry
                           and entry.acronyms else None), forms, [x for x in extra if x.casefold() not in written])
            for i in members:
                mentions[i]._.org_key = key
            out.append(grp)
        return out


@Language.factory("depeche_orgs")
def make_org_extractor(nlp: Language, name: str) -> OrgExtractor:
    return OrgExtractor()
