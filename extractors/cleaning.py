"""Cleaning: from a RawDoc to an Article with exact body and metadata.

Site knowledge lives in `data/sites/*.toml` (markers and metadata patterns);
this module only applies it. What no rule names is caught per dump: lines
that recur across many pages of one dump, and headline tickers.
"""
from __future__ import annotations

import re
import tomllib
from collections import Counter
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from datetime import date
from functools import lru_cache
from pathlib import Path
from urllib.parse import urlsplit

from extractors import DATA_DIR
from extractors.errors import RejectError
from extractors.language import mostly_arabic
from extractors.numbers import alternation, lexicon, strip_accents
from extractors.readers import RawDoc
from extractors.recache import precompile_set
from extractors.textnorm import collapse_ws, normalize_text, unmarkdown
from schemas.models import Article, content_hash

MIN_BODY_CHARS = 80
# A body beyond this is a report, a book or many articles run together: the NER would take
# gigabytes and spaCy refuses a text of a million characters. (A long feature is 60,000.)
MAX_BODY_CHARS = 200_000
MAX_TITLE_CHARS = 1_000
TRAILER_MAX_WORDS = 10
TEASER_MAX_WORDS = 25
PUBLICATION_SCAN = 80  # lines of a page's head where its publication line may stand
# headlines joined by runs of spaces or by bullets; by pipes only from four on, as a
# byline "Par X | 12/03/2025 | 10h30" has three parts
TICKER_SPLITS = ((re.compile(r" {3,}| [•·■◆] "), 3), (re.compile(r" \| "), 4))
# most lines need no rights pattern. Matched on the lowered line: with IGNORECASE the engine tried
# the alternation at every character (17 µs a paragraph); in lower case it skips to its first letters
RIGHTS_HINT = re.compile(r"©|\(c\)|copyright|droits r|reproduction|initialement|originellement|l.origine")


def _rights_hint(line: str) -> bool:
    return RIGHTS_HINT.search(line.lower()) is not None

# one word with a figure, a domain or a capital inside: a site's name, not a person's
SITE_AS_AUTHOR = re.compile(r"^(?=\S*(?:\d|\.[a-z]{2,}$|[a-zà-ÿ][A-Z]))[^\W\d_][\w.'’-]{2,30}$")
DOMAIN = re.compile(r"^[\w.-]+\.[a-z]{2,}$", re.IGNORECASE)


@dataclass
class SiteProfile:
    name: str
    detect: list[re.Pattern] = field(default_factory=list)
    end: list[re.Pattern] = field(default_factory=list)
    teaser: list[re.Pattern] = field(default_factory=list)
    toc: list[re.Pattern] = field(default_factory=list)
    drop: list[re.Pattern] = field(default_factory=list)
    read_more: list[re.Pattern] = field(default_factory=list)
    cut: list[re.Pattern] = field(default_factory=list)
    credit: list[re.Pattern] = field(default_factory=list)
    publication: list[re.Pattern] = field(default_factory=list)
    author: list[re.Pattern] = field(default_factory=list)
    rights: list[re.Pattern] = field(default_factory=list)
    updated: list[re.Pattern] = field(default_factory=list)
    url_date: list[re.Pattern] = field(default_factory=list)
    dateline: list[re.Pattern] = field(default_factory=list)
    standfirst: list[re.Pattern] = field(default_factory=list)
    standfirst_not: list[re.Pattern] = field(default_factory=list)
    stub_max_words: int = 0
    publication_within: int = 5

    def merged(self, other: SiteProfile) -> SiteProfile:
        """This profile's rules first, then the other's."""
        return SiteProfile(
            f"{self.name}+{other.name}",
            *[getattr(self, k) + getattr(other, k) for k in
              ("detect", "end", "teaser", "toc", "drop", "read_more", "cut", "credit", "publication", "author",
               "rights", "updated", "url_date", "dateline", "standfirst", "standfirst_not")],
            stub_max_words=max(self.stub_max_words, other.stub_max_words),
            publication_within=max(self.publication_within, other.publication_within),
        )


def _compile(patterns: Iterable[str]) -> list[re.Pattern]:
    return [re.compile(p, re.IGNORECASE) for p in patterns]


def _profile(data: dict) -> SiteProfile:
    body, meta, page = data.get("body", {}), data.get("metadata", {}), data.get("html", {})
    return SiteProfile(
        name=data.get("name", "?"),
        detect=_compile(data.get("detect", [])),
        end=_compile(body.get("end", [])),
        teaser=_compile(body.get("teaser", [])),
        toc=_compile(body.get("toc", [])),
        drop=_compile(body.get("drop", [])),
        read_more=_compile(body.get("read_more", [])),
        cut=_compile(body.get("cut", [])),
        credit=_compile(body.get("credit", [])),
        publication=_compile(meta.get("publication", [])),
        author=_compile(meta.get("author", [])),
        rights=_compile(meta.get("rights", [])),
        updated=_compile(meta.get("updated", [])),
        url_date=_compile(meta.get("url_date", [])),
        dateline=_compile(meta.get("dateline", [])),
        standfirst=_compile(page.get("standfirst", [])),
        standfirst_not=_compile(page.get("standfirst_not", [])),
        stub_max_words=int(meta.get("stub_max_words", 0)),
        publication_within=int(meta.get("publication_within", 5)),
    )


def _patterns_in(data: object) -> Iterator[str]:
    """Every string in lists of a profile's tables: its patterns."""
    if isinstance(data, dict):
        for v in data.values():
            yield from _patterns_in(v)
    elif isinstance(data, list):
        for v in data:
            yield from ([v] if isinstance(v, str) else _patterns_in(v))


@lru_cache(maxsize=4)
def load_profiles(sites_dir: Path = DATA_DIR / "sites") -> tuple[SiteProfile, list[SiteProfile]]:
    """The common profile, and every site profile (files not starting with '_')."""
    common = SiteProfile("common")
    sites = []
    files = {f: tomllib.loads(f.read_text(encoding="utf-8")) for f in sorted(sites_dir.glob("*.toml"))}
    precompile_set(_patterns_in(list(files.values())), re.IGNORECASE)
    for f, data in files.items():
        prof = _profile(data)
        if f.name.startswith("_"):
            common = common.merged(prof)
        else:
            sites.append(prof)
    return common, sites


def is_ticker(line: str) -> bool:
    """Many short headlines joined by runs of spaces or bullets: a site's news ticker."""
    for split, least in TICKER_SPLITS:
        parts = [p for p in split.split(line.strip()) if p]
        if len(parts) >= least and sum(map(len, parts)) / len(parts) < 200:
            return True
    return False


def _line_key(line: str) -> str:
    return collapse_ws(line).casefold()


def recurring_lines(texts: list[str], min_docs: int = 3, share: float = 0.3, max_words: int = 15) -> set[str]:
    """Lines found in many pages of one dump are the site's, not the article's.

    Exact copies count once, and long prose lines never count: a paragraph
    repeated across pages is more likely a duplicate article than a footer.
    """
    texts = list(dict.fromkeys(texts))
    if len(texts) < min_docs:
        return set()
    counts: Counter[str] = Counter()
    for t in texts:
        counts.update({_line_key(x) for x in t.split("\n") if x.strip() and len(x.split()) <= max_words})
    need = max(min_docs, share * len(texts))
    return {k for k, c in counts.items() if c >= need}


def _match(patterns: list[re.Pattern], line: str) -> re.Match | None:
    for p in patterns:
        m = p.search(line)
        if m:
            return m
    return None


def parse_fr_date(text: str) -> date | None:
    """A publication date as sites print it: ISO, DD/MM/YYYY or '22 novembre 2024'."""
    s = text.strip().lower()
    m = re.search(r"(\d{4})-(\d{2})-(\d{2})", s) or re.fullmatch(r"((?:19|20)\d\d)([01]\d)([0-3]\d)", s)
    if m:  # ISO, or a crawler's compact "20251114"
        y, mo, d = map(int, m.groups())
        return _safe_date(y, mo, d)
    m = re.search(r"(\d{1,2})\s*[-/.]\s*(\d{1,2})\s*[-/.]\s*(\d{4})", s)
    if m:
        d, mo, y = map(int, m.groups())
        return _safe_date(y, mo, d)
    months = {**lexicon()["dates"]["month_abbrev"], **lexicon()["dates"]["months"]}
    m = re.search(r"(\d{1,2})(?:er)?\s+([a-zéû]+)\.?\s+(\d{4})", s)
    if m and m.group(2) in months:  # "12 novembre 2025", "12 nov. 2025"
        return _safe_date(int(m.group(3)), months[m.group(2)], int(m.group(1)))
    import dateparser  # slow to import; only for the formats above failed

    # never relative: "Publié il y a 2 heures" would be dated by the wall clock of the run
    absolute = {"STRICT_PARSING": True, "PARSERS": ["timestamp", "custom-formats", "absolute-time"]}
    dt = dateparser.parse(text, languages=["fr", "en"], settings=absolute)
    return dt.date() if dt else None


def _match_date(m: re.Match | None) -> date | None:
    """The date a site rule's match names: its year, month and day groups, or its `date` group."""
    gd = m.groupdict() if m else {}
    if gd.get("year"):
        return _safe_date(int(gd["year"]), int(gd["month"]), int(gd["day"]))
    return parse_fr_date(gd["date"]) if gd.get("date") else None


def _safe_date(y: int, mo: int, d: int) -> date | None:
    try:
        return date(y, mo, d)
    except ValueError:
        return None


@dataclass
class Cleaned:
    title: str | None = None
    body: str = ""
    publisher: str | None = None
    published: date | None = None
    url: str | None = None
    agency: str | None = None
    author: str | None = None
    rights_holder: str | None = None  # "© 2025 Le Journal": the publisher when nothing better names it
    dateline_chars: int = 0  # "Abidjan, le 1er octobre 2025 (AIP) - " at the body's start


def clean_text(text: str, boiler: set[str] = frozenset(), title: str | None = None) -> Cleaned:
    """Delimit title, metadata and body in a text page dump."""
    text = unmarkdown(text)
    common, sites = load_profiles()
    site = next((s for s in sites if any(_match(s.detect, ln) for ln in text.split("\n")[:80])), None)
    prof = site.merged(common) if site else common
    out = Cleaned(title=title)
    lines = [ln.strip() for ln in text.split("\n")]

    def dropped(ln: str) -> bool:
        return bool(ln) and (is_ticker(ln) or _line_key(ln) in boiler or bool(_match(prof.drop, ln)))

    start, kept_before, paragraphs_before = 0, 0, 0
    publication_line = None
    lead: list[str] = []  # a standfirst above the publication line: the body's first paragraph
    for i, ln in enumerate(lines[:PUBLICATION_SCAN]):
        if not ln or dropped(ln):
            continue
        m = _match(prof.publication, ln)
        if not m:
            kept_before += not _is_stub(ln, prof.stub_max_words)  # menus and kickers do not count
            paragraphs_before += _is_paragraph(ln)
            continue
        # past a block of headlines ("Dernières nouvelles"), or under paragraphs (a date that closes
        # the article), a date line counts only when the article's first paragraph follows it
        if (kept_before > prof.publication_within or paragraphs_before >= 2) \
                and not _paragraph_follows(lines, i, dropped, prof):
            continue
        alone = out.title is None and not any(x and not dropped(x) for x in lines[:i])
        if alone and any(_match(prof.publication, x) for x in lines[i + 1:PUBLICATION_SCAN] if x and not dropped(x)):
            continue  # the site's date above its menu ("Vendredi 14 novembre 2025 | Mise à jour 10:22")
        publication_line = i
        gd = m.groupdict()
        out.publisher = collapse_ws(gd["publisher"]) if gd.get("publisher") else None
        out.author = gd.get("author")
        if out.author and not out.publisher and SITE_AS_AUTHOR.match(out.author):
            out.publisher, out.author = out.author, None  # "Par Médias24", "Par LesEco.ma": the site signs
        out.agency = collapse_ws(gd["agency"]) if gd.get("agency") else None
        out.published = _match_date(m)
        if out.title is None:
            prev = [x for x in lines[:i] if x and not dropped(x)]
            for x in prev:
                a = _match(prof.author, x)
                if a:
                    out.author = out.author or a.group("author")
            # the title: the last line before the date that is not a byline or a kicker
            titles = [x for x in prev if not _match(prof.author, x) and not _is_stub(x, prof.stub_max_words)]
            out.title = (titles or prev or [None])[-1]
            unsigned = [x for x in prev if not _match(prof.author, x)]
            if len(titles) >= 2 and titles[-2:] == unsigned[-2:] and STANDFIRST.search(titles[-1]) \
                    and _looks_like_title(titles[-2]) and (re.search(r"\s[a-zà-ÿ]", titles[-2])  # not a menu
                                                       or titles[-2].isupper() and len(titles[-2].split()) >= 5):
                # a standfirst between the headline and the date: a sentence under a line with no full stop
                out.title, lead = titles[-2], [titles[-1]]
        start = i + 1
        # the date above the headline, alone or under the site's name ("Le Journal Test")
        if alone or (out.title and NAME_LINE.match(out.title) and title is None):
            j = _headline_after(lines, i, dropped, prof)
            if j is not None:
                out.title, start = lines[j], j + 1
        break
    if publication_line is None:
        # "Dernière mise à jour : 28/02/2025": better than no date at all
        out.published = next((_match_date(um) for ln in lines[:40] if ln and (um := _match(prof.updated, ln))), None)
        kept = [j for j, x in enumerate(lines) if x and not dropped(x)]
        # the first line that reads as a headline, past a kicker ("ENTREPRISES") or a notice
        heads = [j for j in kept[:3] if not _is_stub(lines[j], prof.stub_max_words) and _looks_like_title(lines[j])]
        if not heads:  # past a menu: the headline right above the first paragraph (a byline between)
            first = next((k for k, j in enumerate(kept) if _is_paragraph(lines[j])), 0)
            heads = [j for j in kept[max(0, first - 3):first][::-1] if not _match(prof.author, lines[j])
                     and not _is_stub(lines[j], prof.stub_max_words) and _looks_like_title(lines[j])][:1]
        if out.title is None and heads and heads[0] != kept[-1]:
            out.title, start = lines[heads[0]], heads[0] + 1
        elif title and (at := next((j for j in kept[:4] if _line_key(lines[j]) == _line_key(title)), 0)):
            start = at + 1  # a record's own title under a line or two: what is above is the site's head

    body: list[str] = []
    stop = len(lines)
    skip_to = start
    for i, ln in enumerate(lines[start:], start):
        if not ln or i < skip_to:
            continue
        if (teaser := _match(prof.teaser, ln)) or _match(prof.end, ln):
            if not body:  # a share bar or a paywall label under the headline: the body is still to come
                continue
            if teaser and (resume := _inline_teaser_end(lines, i)) is not None:
                skip_to = resume  # "LIRE AUSSI" and a headline in the middle of the article
                continue
            stop = i
            break
        if dropped(ln):  # before "Lire la suite": "Abonnez-vous pour lire la suite" is a banner
            continue
        if not body and _match(prof.toc, ln):  # "Sommaire", then its entries: short lines, often numbered
            skip_to = next((j for j in range(i + 1, len(lines)) if lines[j] and not TOC_ENTRY.match(lines[j])),
                           len(lines))
            continue
        rm = _match(prof.read_more, ln)
        if rm:
            out.url = out.url or (rm.groupdict().get("url") or None)
            head = ln[: rm.start()].rstrip()
            if head:
                body.append(head + (" …" if re.search(r"(…|\.\.\.)\s*Lire", ln) else ""))
            stop = i + 1
            break
        if out.title and _line_key(ln) == _line_key(out.title) \
                and sum(not _is_stub(b, prof.stub_max_words) for b in body) < 3:
            continue  # the title repeated at the top of the body (maybe after a kicker)
        if not body and _match(prof.author, ln):
            out.author = out.author or _match(prof.author, ln).group("author")
            continue
        if (cut := _match(prof.cut, ln)) and cut.start() > 0:
            ln = ln[:cut.start()].rstrip()  # "… sur 25 ans. Lire aussi : <a headline>": a link inside a paragraph
        body.append(ln)

    body = _unwrapped(lead + body)
    # a line in Arabic script beside a Latin-script article: its translation or a site's label, not its text
    body = [b for b in body if not mostly_arabic(b)] or body
    _trim_stubs(body, out, prof)
    if body and (dm := _match(prof.dateline, body[0])):  # "Abidjan, le 1er octobre 2025 (AIP) - Le gouvernement…"
        out.published = out.published or _match_date(dm)
        out.dateline_chars = dm.end() - 1
        out.agency = out.agency or (collapse_ws(dm["agency"]) if dm.groupdict().get("agency") else None)
    for ln in lines[stop:]:  # a wire credit in the trailer still names the agency
        cm = _match(prof.credit, ln) if ln else None
        if cm:
            out.agency = collapse_ws(cm.group("agency"))
            break
    # trailer: credit lines, the repeated title, after the last real paragraph
    while body:
        last = body[-1]
        cm = _match(prof.credit, last)
        if cm:
            out.agency = out.agency or collapse_ws(cm.group("agency"))
            body.pop()
        elif out.title and _line_key(last) == _line_key(out.title):
            body.pop()
        else:
            break
    out.body = "\n".join(body)
    out.rights_holder = next((m.group("publisher") for ln in reversed(lines)
                              if _rights_hint(ln) and (m := _match(prof.rights, ln))), None)
    return out


TOC_ENTRY = re.compile(r"^(?:\d{1,2}\s*[.)/-]\s*|[-•·*]\s*)?\S(?:\S*\s+){0,11}\S*(?<![.!?…])$")  # short, unpunctuated


# a name in capitalised words, no headline: "Le Journal Test", "Hespress FR"
NAME_LINE = re.compile(r"^(?:[A-ZÀ-Ý0-9][\w'’.&-]*|\w{1,3})(?:\s+(?:[A-ZÀ-Ý0-9][\w'’.&-]*|\w{1,3})){0,4}$")


def _headline_after(lines: list[str], i: int, dropped: Callable[[str], bool], prof: SiteProfile) -> int | None:
    """The line after line i that reads as a headline (bylines and kickers passed), if
    the first such line does."""
    for j in range(i + 1, min(len(lines), i + 6)):
        x = lines[j]
        if not x or dropped(x) or _match(prof.author, x) or _is_stub(x, prof.stub_max_words):
            continue
        return j if _looks_like_title(x) and not _is_paragraph(x) and not NAME_LINE.match(x) else None
    return None


def _paragraph_follows(lines: list[str], i: int, dropped: Callable[[str], bool], prof: SiteProfile) -> bool:
    """The article's first paragraph, not the comments under a date that closes an article."""
    after = []
    for x in lines[i + 1:i + 8]:
        if x and _match(prof.end, x):
            break
        if x and not dropped(x):
            after.append(x)
    return any(_is_paragraph(x) for x in after[:3])


WRAP_WIDTH = 50  # a hard-wrapped line is at least this long; a heading is shorter
CLOSED = re.compile(r"[.!?…:;»\")]$")
GOES_ON = re.compile(r"[a-zà-ÿ0-9(]")
OPEN_END = re.compile(r"(?<![\w'’])(?:le|la|les|l['’]|un|une|des|du|de|d['’]|à|au|aux|en|et|ou|par|pour|sur|avec|"
                      r"dans|entre|selon|que|qui|dont|son|sa|ses|leur|leurs|ce|cette|ces)$", re.IGNORECASE)


def _unwrapped(body: list[str]) -> list[str]:
    """Paragraphs a dump broke at a fixed width ("… est estimée à" / "44 millions de quintaux, …")
    joined again: a long line with no final punctuation and a next line that goes on in lower
    case or with a figure, or a line that stops on an article or a preposition."""
    out: list[str] = []
    for ln in body:
        prev = out[-1] if out else ""
        if prev and not CLOSED.search(prev) and (
                (len(prev) >= WRAP_WIDTH and GOES_ON.match(ln)) or OPEN_END.search(prev)):
            out[-1] = f"{prev} {ln}"
        else:
            out.append(ln)
    return out


def _is_paragraph(line: str) -> bool:
    return len(line.split()) >= 12 and bool(re.search(r"[.!?…»\"]$", line))


def _inline_teaser_end(lines: list[str], i: int) -> int | None:
    """Where the article resumes after a "Lire aussi" heading and its one or two
    headlines, when a paragraph follows them; None when the heading opens the
    trailer (a list of links, nothing of the article after it)."""
    rest = [j for j in range(i + 1, min(len(lines), i + 8)) if lines[j]]
    for k, j in enumerate(rest[:3]):
        if _is_paragraph(lines[j]):
            return j if k else None  # a heading straight before a paragraph has no headline: not a teaser
        if len(lines[j].split()) > 20:
            return None
    return None


TEASER = re.compile(r"^[^:.!?]{2,40}\s:\s\S")  # "Tourisme : les arrivées progressent…": a kicker, a colon


def _is_teaser(line: str) -> bool:
    """Another article's headline after the last paragraph: its rubric and a colon
    up front, no final punctuation, longer than a stub."""
    return len(line.split()) <= TEASER_MAX_WORDS and bool(TEASER.match(line)) and not re.search(r"[.!?…»\"]$", line)


def _is_stub(line: str, max_words: int) -> bool:
    return len(line.split()) <= max_words and not re.search(r"[.!?…»\"]$", line)


def _trim_stubs(body: list[str], out: Cleaned, prof: SiteProfile) -> None:
    """Kickers, categories, bylines and dates before the first paragraph, and
    signatures or tag words after the last one."""
    if not prof.stub_max_words or len(body) < 2:
        return
    while len(body) > 1 and (_is_stub(body[0], prof.stub_max_words) or _match(prof.publication, body[0])):
        m = _match(prof.publication, body[0])
        out.published = out.published or _match_date(m)
        body.pop(0)
    # a paragraph ends with punctuation; short unpunctuated lines after the last one are
    # the site's (a newsletter pitch, a teaser headline, a signature)
    credit = None
    while len(body) > 1 and (_is_stub(body[-1], max(prof.stub_max_words, TRAILER_MAX_WORDS))
                             or _is_teaser(body[-1])):
        if cm := _match(prof.credit, body[-1]):
            credit = collapse_ws(cm.group("agency"))  # "APS" under the last paragraph, teasers below it
        if pm := _match(prof.publication, body[-1]):
            out.published = out.published or _match_date(pm)  # a site that prints the date under the article
        body.pop()
    out.agency = out.agency or credit


STANDFIRST = re.compile(r"\w.*\s.*\s.*[.!…]$")  # a sentence of a few words at least


def _looks_like_title(line: str) -> bool:
    return 8 <= len(line) <= 250 and not line.rstrip().endswith((".", ":", ",", ";"))


def clean_html(html: str, url: str | None = None) -> Cleaned:
    """trafilatura's main text and metadata; its baseline when that finds nothing."""
    import trafilatura

    doc = trafilatura.bare_extraction(html, url=url, with_metadata=True, include_comments=False,
                                      include_tables=False, favor_precision=True)
    text = doc.text if doc is not None else None
    if text:
        wider = trafilatura.bare_extraction(html, url=url, include_comments=False, include_tables=False)
        text = _with_missed_paragraphs(text, wider.text if wider is not None else None)
    if not text:
        _, text, _ = trafilatura.baseline(html)
        if doc is None:  # a page built by script: its text in JSON-LD, its title and date in the head
            from trafilatura.metadata import extract_metadata

            doc = extract_metadata(html, default_url=url)
    if text:
        text = _with_standfirst(text, html)
    if not text or not text.strip():  # a fragment, its text mostly outside any paragraph: all of its text
        text = _all_text(html)
    if not text or not text.strip():
        raise RejectError("no_article", "no article text found in the HTML page")
    title = normalize_text(doc.title).strip() if doc is not None and doc.title else None
    tag = _title_tag(html)
    headline, site = _title_tag_parts(tag)
    if title and title == site:  # without og:site_name, trafilatura may swap the two
        title = headline
    whole = headline or tag  # the title tag's headline, without the site's name when it has one
    if title and whole and title != whole and title in (tag or "") and (
            title not in whole or re.match(re.escape(title) + r"\s*:\s*\S", whole)):
        # trafilatura cut the tag at the headline's colon: "Agriculture" or "Le Journal - Pêche" for
        # "Le Journal - Pêche : les débarquements …"; the headline is all after the site's name
        title = whole
    cleaned = clean_text(normalize_text(text), title=title)
    if doc is not None:
        named = doc.sitename if doc.sitename and doc.sitename not in (doc.title, title, headline) else None
        # trafilatura falls back to the URL's domain: a name the page prints beats it
        domain = named if named and DOMAIN.match(named) else None
        named = None if domain else named
        cleaned.publisher = cleaned.publisher or named or site or cleaned.rights_holder or domain
        cleaned.url = doc.url or url or cleaned.url
        cleaned.author = cleaned.author or (re.sub(r"^[Pp]ar\s+", "", doc.author) if doc.author else None)
        if doc.date and not cleaned.published:
            cleaned.published = parse_fr_date(doc.date)
    return cleaned


def _with_missed_paragraphs(precise: str, wider: str | None) -> str:
    """trafilatura's precise text, unless its default extraction holds the same lines and
    paragraphs among them that precision lost (text straight in a <div>, before its first
    <br>). What the wider text adds after the article's last line, or well before its first
    (teasers), stays out."""
    if not wider:
        return precise
    kept, lines = set(precise.split("\n")), wider.split("\n")
    where = [i for i, ln in enumerate(lines) if ln in kept]
    if len(where) < len(kept) - 1 or not where:  # not the same article
        return precise
    span = lines[max(0, where[0] - 3):where[-1] + 1]  # a sidebar's teasers before the article stay out too
    if not any(ln not in kept and _is_paragraph(ln) for ln in span):
        return precise
    return "\n".join(span)


CLASS_ATTR = re.compile(r"""\b(?:class|id)\s*=\s*["']([^"']{1,300})""", re.IGNORECASE)
UNLIKELY_STANDFIRST = ("aside", "nav", "footer", "figure", "figcaption", "form")


def _with_standfirst(text: str, html: str) -> str:
    """The page's standfirst (chapô) as the text's first line when trafilatura left it out.

    Sites set it apart from the text's own block, between the headline and the text,
    so trafilatura's choice of the main block drops it; yet it is the article's first
    paragraph and often carries its main figure. Only an element after the page's
    <h1> and before the text's first line counts, outside asides, figures and menus."""
    common = load_profiles()[0]

    def named(n: str) -> bool:  # a class or id that names a standfirst, not a block that holds none
        return bool(_match(common.standfirst, n)) and not _match(common.standfirst_not, n)

    names = {n for m in CLASS_ATTR.finditer(html) for n in m.group(1).split()}  # a page repeats its classes
    if not common.standfirst or not any(map(named, names)):
        return text
    import lxml.html
    from lxml import etree

    try:
        tree = lxml.html.fromstring(html)
    except (etree.ParserError, ValueError):
        return text
    first = collapse_ws(text.split("\n", 1)[0])[:60]
    seen_h1 = False
    for el in tree.iter():
        if not isinstance(el.tag, str):
            continue
        if el.tag == "h1":
            seen_h1 = True
            continue
        own = collapse_ws(el.text_content() if el.tag == "p" else el.text or "")
        if first and own.startswith(first):  # the text itself: a standfirst stands before it
            return text
        own_names = [*(el.get("class") or "").split(), el.get("id") or ""]
        if not (seen_h1 and any(named(n) for n in own_names if n)):
            continue
        if any(a.tag in UNLIKELY_STANDFIRST or _match(common.standfirst_not, a.get("class") or "")
               for a in el.iterancestors()):
            continue
        lead = collapse_ws(el.text_content())
        if 6 <= len(lead.split()) <= 120 and (STANDFIRST.match(lead) or len(lead.split()) >= 10) \
                and lead[:60] not in text:
            return lead + "\n" + text
        return text  # one standfirst per page: a second such element is something else
    return text


BLOCKS = ("p", "div", "br", "li", "tr", "h1", "h2", "h3", "h4", "h5", "h6", "section", "article", "blockquote")


def _all_text(html: str) -> str:
    """A page's text, a line per block, without scripts and styles."""
    import lxml.html
    from lxml import etree

    try:
        tree = lxml.html.fromstring(html)
    except (etree.ParserError, ValueError):
        return ""
    etree.strip_elements(tree, "script", "style", "noscript", "template", with_tail=False)
    for el in tree.iter(*BLOCKS):
        el.tail = "\n" + (el.tail or "")
    return tree.text_content()


SITE_SEPARATORS = (" | ", " – ", " — ", " - ")  # between a headline and its site's name


def _title_tag(html: str) -> str | None:
    import html as html_lib

    m = re.search(r"<title[^>]*>(.*?)</title>", html[:20000], re.IGNORECASE | re.DOTALL)
    return normalize_text(collapse_ws(html_lib.unescape(m.group(1)))).strip() if m else None


def _title_tag_parts(raw: str | None) -> tuple[str | None, str | None]:
    """'<title>Headline | Site</title>', 'Site - Headline' or 'Site - Rubrique - Headline':
    the headline is the one long part, the site's name the short part at an end (a rubric
    may stand between them)."""
    if not raw:
        return None, None
    for sep in (*SITE_SEPARATORS, " :: "):
        parts = [p.strip() for p in raw.split(sep) if p.strip()]
        if not 2 <= len(parts) <= 3:
            continue
        longs = [p for p in parts if len(p.split()) > 5]
        if len(longs) == 1 and all(len(p.split()) <= 5 for p in parts if p is not longs[0]):
            head = parts.index(longs[0])
            if len(parts) == 2 or head in (0, 2):  # 'Site - Rubrique - Headline', 'Headline - Rubrique - Site'
                return longs[0], parts[-1] if head == 0 else parts[0]
    return None, None


def to_article(raw: RawDoc, boiler: set[str] = frozenset()) -> Article:
    """Clean one record; raise RejectError when nothing usable is left."""
    if raw.html is not None:
        c = clean_html(raw.html, raw.url)
    else:
        c = clean_text(raw.text or "", boiler, title=raw.title)
        text = (raw.text or "").strip()
        if text and "\n" not in text:  # a crawler joined the lines
            at = _title_start(text, raw.title)
            after = _flat_date().match(text, at + len(raw.title)) if at >= 0 else None
            if len(c.body) < MIN_BODY_CHARS or at > 0 or after:
                c = clean_text(_unflattened(text, raw.title, at), boiler, title=raw.title)
    if raw.title and not c.title:
        c.title = raw.title
    if raw.published:
        c.published = parse_fr_date(str(raw.published)) or c.published
    c.url = c.url or raw.url  # a canonical link in the page beats the crawl address
    if c.published is None and c.url:
        c.published = _match_date(_match(load_profiles()[0].url_date, c.url))
    c.publisher = _unshouted(raw.publisher or c.publisher or c.rights_holder or _site_in_title(c.title, c.url))
    c.title = _without_site(c.title, c.publisher)
    if len(c.body) < MIN_BODY_CHARS:
        raise RejectError("no_article", f"body too short after cleaning ({len(c.body)} chars)")
    if c.title and len(c.title) > MAX_TITLE_CHARS:  # a record's "title" that holds a whole text
        c.title = c.title[:MAX_TITLE_CHARS].rsplit(" ", 1)[0] + " …"
    if len(c.body) > MAX_BODY_CHARS:
        raise RejectError("too_large", f"body of {len(c.body)} characters after cleaning > {MAX_BODY_CHARS}: "
                                       "a report or many articles, not one")
    where = Path(raw.source_path).name
    return Article(
        article_id=content_hash(where, raw.record_id, c.title, c.body),
        source_path=raw.source_path,
        record_id=raw.record_id,
        url=c.url,
        title=c.title,
        publisher=c.publisher,
        agency=c.agency,
        author=c.author,
        published_date=c.published,
        body=c.body,
        dateline_chars=c.dateline_chars,
        fmt=raw.fmt,
    )


@lru_cache(maxsize=1)
def _flat_date() -> re.Pattern:
    """A publication date where a run of words goes on (used with `match`): 'Publié le 03/12/2025 à 10h00 Le port…'."""
    months, days = (alternation(lexicon()["dates"][k]) for k in ("months", "weekdays"))
    return re.compile(rf"\s*(?:(?:Publi[ée]e?|Mise? en ligne)\s+(?:le\s+)?:?\s*)?(?:le\s+)?(?:{days}\s+)?"
                      rf"(?:\d{{1,2}}(?:er)?\s+{months}\s+\d{{4}}|\d{{1,2}}[/.-]\d{{1,2}}[/.-]\d{{4}})"
                      r"(?:\s*(?:à|-|,)?\s*\d{1,2}\s*[h:]\s*\d{2})?", re.IGNORECASE)


def _title_start(text: str, title: str | None) -> int:
    """Where a record's title stands among the first words of its (stripped) text; -1: not there."""
    return text.find(title, 0, 400 + len(title)) if title and len(title) >= 15 else -1


def _unflattened(text: str, title: str | None = None, at: int = -1) -> str:
    """A text whose crawler joined every line into one: lines again, so that the
    line rules can apply at all (a headline ticker would otherwise take the whole
    text with it). Runs of spaces part it; short unpunctuated parts in a row stay
    one line, for the ticker rule to judge; prose is cut after each sentence. `at`: where
    the record's title stands in the stripped text (`_title_start`), -1 when it does not."""
    if at >= 0 and title:  # the record's title in the run of words: what is before it is the page's, a date may follow
        rest = text[at + len(title):]
        when = _flat_date().match(rest)
        cut = when.end() if when else 0
        text = "  ".join(x for x in (text[:at], title, rest[:cut], rest[cut:]) if x.strip())
    lines: list[str] = []
    heads: list[str] = []
    for part in re.split(r" {2,}", text):
        if len(part.split()) <= 20 and not re.search(r"[.!?…»]$", part):
            heads.append(part)
            continue
        lines.extend(_headings_apart(heads))
        heads = []
        lines.extend(re.split(r"(?<=[.!?…»])\s+(?=[«\"A-ZÀ-Ý])", part))
    lines.extend(_headings_apart(heads))
    return "\n".join(lines)


def _headings_apart(heads: list[str]) -> list[str]:
    """Short parts in a row: one line, unless a publication line is among them. Then
    what comes before the headline above it (a menu) stays one line, and the headline,
    the byline and the date become lines of their own."""
    prof = load_profiles()[0]
    rights = next((i for i, h in enumerate(heads) if _rights_hint(h) and _match(prof.rights, h)), None)
    if rights:  # the site's rights line closes the page ("… Les plus lus   © Le Journal 2025")
        return _headings_apart(heads[:rights]) + heads[rights:rights + 1] + _headings_apart(heads[rights + 1:])
    pub = next((i for i, h in enumerate(heads) if i and _match(prof.publication, h)), None)
    if pub is None:
        return ["   ".join(heads)] if heads else []
    above = [i for i in range(pub) if not _match(prof.author, heads[i]) and not _is_stub(heads[i], prof.stub_max_words)]
    k = above[-1] if above else pub
    return (["   ".join(heads[:k])] if k else []) + heads[k:]


LETTERS = re.compile(r"([^\W\d_]+)")
NAME_SMALL_WORDS = {"le", "la", "les", "l", "de", "du", "des", "d", "et", "en", "au", "aux"}


def _unshouted(name: str | None) -> str | None:
    """A masthead's shouted name as the paper writes it: "L'ECONOMISTE" is L'Economiste,
    "AUJOURD'HUI LE MAROC" Aujourd'hui le Maroc. Short words stay ("LES ECO": Les ECO),
    and so does a name in capitals with no long word nor article ("MAP")."""
    if not name or not name.isupper() or not (re.search(r"[^\W\d_]{4,}", name)
                                              or re.match(r"(?:LES?|LA)\b|L['’]|LE\d", name)):
        return name
    parts = LETTERS.split(name)  # separators at even indexes, words at odd ones
    for i in range(1, len(parts), 2):
        w, low = parts[i], parts[i].lower()
        elided = i > 1 and parts[i - 1] in ("'", "’") and len(parts[i - 2]) > 1  # the "hui" of "aujourd'hui"
        if elided or (low in NAME_SMALL_WORDS and i > 1):
            parts[i] = low
        elif len(w) > 3 or low in NAME_SMALL_WORDS:
            parts[i] = w.capitalize()
    return "".join(parts)


def _site_in_title(title: str | None, url: str | None) -> str | None:
    """'Bourse : le MASI recule - Médias24' crawled from medias24.com: the last part of the
    title names the site its address names (or the first part, when it is the address's name)."""
    if not title or not url:
        return None
    def key(s: str) -> str:
        return re.sub(r"[^a-z0-9]", "", strip_accents(s.casefold()))

    hostname = (urlsplit(url).hostname or "").casefold()
    host = key(hostname)
    # its own name ("aero-test" of www.aero-test.ma): a site named first must be exactly that
    label = key(next((x for x in hostname.split(".") if x not in ("www", "fr", "m", "amp")), ""))
    t = collapse_ws(title)
    for sep in SITE_SEPARATORS:
        head, found, site = t.rpartition(sep)
        if found and len(head) >= 8 and len(site) <= 40 and len(k := key(site)) >= 3 and k in host:
            return site
        site, found, head = t.partition(sep)  # "Aéro Test - RAM ouvre une ligne"
        if found and len(head) >= 8 and len(site) <= 40 and len(k := key(site)) >= 4 and k == label:
            return site
    return None


def _without_site(title: str | None, site: str | None) -> str | None:
    """'Le MASI termine en hausse | Le Journal Test': the page's title, with the
    publisher's name after a separator (or before it); the headline is the rest."""
    if not title or not site:
        return title
    t, name = collapse_ws(title), collapse_ws(site)
    for sep in SITE_SEPARATORS:
        n = len(sep) + len(name)
        if len(t) >= n + 8 and t[-n:].casefold() == (sep + name).casefold():
            return t[:-n]
        if len(t) >= n + 8 and t[:n].casefold() == (name + sep).casefold():  # "Le Journal Test - Le MASI…"
            return t[n:]
    return title


def dump_key(raw: RawDoc) -> str:
    """Pages of one dump share boilerplate: a folder of files, or one JSONL/WARC file."""
    p = Path(raw.source_path)
    return str(p) if raw.fmt in ("jsonl", "warc") else str(p.parent)


def boilerplate_by_dump(raws: list[RawDoc]) -> dict[str, set[str]]:
    groups: dict[str, list[str]] = {}
    for r in raws:
        if r.text:
            groups.setdefault(dump_key(r), []).append(r.text)
    return {k: recurring_lines(v) for k, v in groups.items()}
