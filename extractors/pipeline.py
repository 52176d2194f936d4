"""The spaCy pipeline, built in one place, and the Doc -> facts conversion.

Only what the facts need runs: the NER (with its own tok2vec), sentence
boundaries, the gazetteer ruler and Depeche's registered components. The
tagger, parser and lemmatizer of `fr_core_news_md` are excluded: they cost
a third of the time and no rule reads them.
"""
from __future__ import annotations

import gc
import itertools
import logging
import multiprocessing as mp
import re
import time
from bisect import bisect_left
from collections import deque
from collections.abc import Callable, Iterable, Iterator
from concurrent.futures import Future, ProcessPoolExecutor
from contextlib import contextmanager
from datetime import date
from functools import cache
from typing import Any

import numpy
import spacy
import srsly
from spacy.language import Language
from spacy.pipeline import Sentencizer
from spacy.strings import get_string_id
from spacy.tokens import Doc, Span

from extractors import orgs  # noqa: F401  (registers depeche_orgs)
from extractors.amounts import find_amounts
from extractors.dates import find_dates
from extractors.doctext import Sentences, TextKeepingTokenizer, span_text, text_of
from extractors.metrics import find_metrics
from extractors.numbers import clean_value
from extractors.recache import compile_all, precompile, precompile_set
from schemas.models import Amount, Article, ArticleFacts, DateFact, Metric, Organization, OrgMention

log = logging.getLogger("depeche.extract")
MODEL = "fr_core_news_md"
EXCLUDE = ["tok2vec", "morphologizer", "parser", "senter", "attribute_ruler", "lemmatizer"]
BATCH_SIZE = 32
# run once when the pipeline is built: lazy tables (dateparser's, the rules' regex
# caches, thinc's buffers) fill before any worker is forked, not once per worker
WARM_UP = ("Le groupe OCP a levé 4,5 milliards de dirhams (MDH) lundi dernier, le 3 mars 2024, "
           "soit une hausse de 12,5 % ; 320 entreprises et 40 000 tonnes sont visées à l'horizon 2027.")

for _name in ("amount", "date_values", "metric"):
    if not Span.has_extension(_name):
        Span.set_extension(_name, default=None)
if not Doc.has_extension("ref_date"):
    Doc.set_extension("ref_date", default=None)
if not Doc.has_extension("dateline"):
    Doc.set_extension("dateline", default=(0, 0))  # characters of the body's wire dateline: no date there


def _spans(doc: Doc, matches, label: str) -> list[tuple[Span, object]]:
    out = []
    for m in matches:
        span = doc.char_span(m.start, m.end, label=label, alignment_mode="expand")
        if span is not None:
            out.append((span, m))
    return out


PUNCT_IDS = frozenset(get_string_id(c) for c in Sentencizer.default_punct_chars)


@Language.component("depeche_sentences")
def sentences(doc: Doc) -> Doc:
    """spaCy's sentencizer rule (a token after end punctuation starts a sentence)
    plus line breaks: headings and paragraphs end without a full stop. Read from
    token arrays: the stock sentencizer builds a Python Token per token."""
    if not len(doc):
        return doc
    arr = doc.to_array(["ORTH", "IS_PUNCT", "IDX"])
    orth, punct, idx = arr[:, 0].tolist(), arr[:, 1].tolist(), arr[:, 2].tolist()
    starts = [-1] * len(doc)
    starts[0] = 1
    seen = False
    for i, o in enumerate(orth):
        if o in PUNCT_IDS:
            seen = True
        elif seen and not punct[i]:
            starts[i] = 1
            seen = False
    for m in re.finditer(r"\n+\s*", text_of(doc)):
        i = bisect_left(idx, m.end())  # the first token after the line break
        if 0 < i < len(doc):
            starts[i] = 1
    doc.from_array(["SENT_START"], numpy.array(starts, dtype="int64").view("uint64").reshape(-1, 1))
    return doc


@Language.component("depeche_amounts")
def amounts_component(doc: Doc) -> Doc:
    spans = []
    for span, m in _spans(doc, find_amounts(text_of(doc)), "AMOUNT"):
        span._.amount = m
        spans.append(span)
    doc.spans["amounts"] = spans
    return doc


@Language.component("depeche_dates")
def dates_component(doc: Doc) -> Doc:
    """Resolves against `doc._.ref_date` (publication or reference date)."""
    grouped: dict[tuple[int, int], list] = {}
    for m in find_dates(text_of(doc), doc._.ref_date):
        if doc._.dateline[0] <= m.start < doc._.dateline[1]:
            continue  # the publication date, in the dateline that opens the body
        grouped.setdefault((m.start, m.end), []).append(m)
    spans = []
    for (s, e), ms in grouped.items():
        span = doc.char_span(s, e, label="DATE", alignment_mode="expand")
        if span is not None:
            span._.date_values = ms
            spans.append(span)
    doc.spans["dates"] = spans
    return doc


@Language.component("depeche_metrics")
def metrics_component(doc: Doc) -> Doc:
    """Money and dates are never metrics, nor is the dateline: overlapping candidates are dropped."""
    taken = [(s.start_char, s.end_char) for k in ("amounts", "dates") for s in doc.spans.get(k, [])]
    taken.append(doc._.dateline)
    spans = []
    for span, m in _spans(doc, find_metrics(text_of(doc)), "METRIC"):
        if any(m.start < e and s < m.end for s, e in taken):
            continue
        span._.metric = m
        spans.append(span)
    doc.spans["metrics"] = spans
    return doc


@cache
def build_nlp(model: str = MODEL) -> Language:
    """The pipeline, loaded once per process."""
    _precompile_tokenizer(model)
    # without the vocab's table of 700k strings (1.3 s of load): the model reads
    # hashes, and a text's own strings enter the table as it is tokenised
    nlp = spacy.load(model, exclude=[*EXCLUDE, "strings"])
    _split_stop_after_currency(nlp.tokenizer)
    nlp.tokenizer = TextKeepingTokenizer(nlp.tokenizer)  # the rules read doc text without re-joining tokens
    # span rulers, not an entity ruler: gazetteer hits must not cut short a
    # longer name the NER found ("OCP" inside "OCP Entrepreneurship Network").
    # First in the pipeline: a span ruler runs the pipes before it over its
    # phrase patterns, and these need only tokens (the model's pipes took 0.6 s).
    before = nlp.pipe_names[0] if nlp.pipe_names else None
    for key, attr, patterns in zip(orgs.GAZ_KEYS, ("LOWER", "ORTH"), orgs.gazetteer_patterns(nlp), strict=True):
        ruler = nlp.add_pipe("span_ruler", name=key, before=before,
                             config={"spans_key": key, "phrase_matcher_attr": attr, "validate": False})
        ruler.add_patterns(patterns)
    nlp.add_pipe("depeche_sentences")
    nlp.add_pipe("depeche_orgs")
    nlp.add_pipe("depeche_amounts")
    nlp.add_pipe("depeche_dates")
    nlp.add_pipe("depeche_metrics")
    art = Article(article_id="warm-up", source_path="", body=WARM_UP, published_date=date(2024, 3, 5))
    for doc in nlp.pipe(make_docs(nlp, [art], None)):
        doc_to_facts(doc, art)
    return nlp


def _precompile_tokenizer(model: str) -> None:
    """The French tokenizer's patterns from the regex cache: its huge `token_match`
    took most of the model's load time. Before `spacy.load`, which imports `spacy.lang.fr`."""
    try:
        path = next(spacy.util.get_package_path(model).glob("*/tokenizer"))
        data = srsly.msgpack_loads(path.read_bytes())
    except (StopIteration, OSError, ValueError):  # a model on a path, or another layout: load as usual
        return
    patterns = [data[k] for k in ("prefix_search", "suffix_search", "infix_finditer", "token_match", "url_match")
                if isinstance(data.get(k), str)]
    # the huge one in a file of its own; the affix rules (also compiled from the
    # language's defaults as the model is made, 50 ms) share one
    precompile_set([p for p in patterns if not precompile(p)])


# French suffix rules split a full stop off only after a letter, a figure or a
# closing mark, so "4,5 M$." or "1,7 Md€." stayed one token: the sentence ran on
# into the next one, and the NER joined across it ("G$. Air France" as one name).
STOP_AFTER_CURRENCY = r"(?<=[$€£¥])\.$"


def _split_stop_after_currency(tokenizer) -> None:
    compiled = getattr(tokenizer.suffix_search, "__self__", None)
    if not isinstance(compiled, re.Pattern):  # a model with other suffix rules: left as it is
        return
    pattern = compiled.pattern + "|" + STOP_AFTER_CURRENCY
    tokenizer.suffix_search = compile_all([pattern])[0].search  # 9 ms to compile in every process


def make_docs(nlp: Language, articles: Iterable[Article], reference: date | None) -> Iterator[Doc]:
    for a in articles:
        doc = nlp.make_doc(a.text_for_nlp)
        doc._.ref_date = a.published_date or reference
        doc._.dateline = (a.body_offset, a.body_offset + a.dateline_chars)
        doc._.title_end = len(a.title) if a.title else 0
        yield doc


CLAUSE_BREAK = re.compile(r"[,;:«»\n]|\bet\b|\bmais\b|\btandis\b")  # "(CAM)" does not break a clause


def _where(article: Article, span: Span, sents: Sentences, chars: tuple[int, int] | None = None) -> dict:
    """`chars`: the rule's own match, which a token span may overrun (a figure glued to the next word)."""
    start, end = chars or (span.start_char, span.end_char)
    off = article.body_offset
    in_title = bool(article.title) and start < off
    base = 0 if in_title else off
    return {
        "text": text_of(span.doc)[start:end],
        "start_char": start - base,
        "end_char": end - base,
        "sentence": span_text(sents.of(span)).strip(),
        "in_title": in_title,
    }


def holder(doc: Doc, amount: Span, orgs: list[Span], sents: Sentences) -> str | None:
    """The organisation that holds an amount: the nearest one before it in the same
    clause ("Innov Invest doté d'une enveloppe de 50 millions de dollars")."""
    sent = sents.of(amount)
    before = [o for o in orgs if sent.start <= o.start and o.end <= amount.start]
    if not before:
        return None
    o = before[-1]
    between = text_of(doc)[o.end_char:amount.start_char]
    return o._.org_key if len(between) <= 120 and not CLAUSE_BREAK.search(between) else None


def doc_to_facts(doc: Doc, article: Article) -> ArticleFacts:
    groups = doc._.organizations or []
    orgs_out = [
        Organization(org_id=g.key, name=g.name, acronym=g.acronym, org_type=g.org_type,
                     in_gazetteer=g.gaz_id is not None, aliases=[*g.forms, *g.extra_aliases])
        for g in groups
    ]
    sents = Sentences(doc)
    names = {g.key: g.name for g in groups}
    org_spans = list(doc.spans.get("orgs", []))
    mentions = [OrgMention(org_key=s._.org_key, name=names[s._.org_key], **_where(article, s, sents))
                for s in org_spans]
    amounts = []
    for s in doc.spans.get("amounts", []):
        m = s._.amount
        amounts.append(Amount(value=clean_value(m.value),
                              value_max=clean_value(m.value_max) if m.value_max is not None else None,
                              currency=m.currency, approximate=m.approximate,
                              org_id=holder(doc, s, org_spans, sents), **_where(article, s, sents, (m.start, m.end))))
    dates = [DateFact(value=m.value, granularity=m.granularity, start=m.first, end=m.last, relative=m.relative,
                      **_where(article, s, sents, (m.start, m.end)))
             for s in doc.spans.get("dates", []) for m in s._.date_values]
    metrics = [Metric(value=clean_value(s._.metric.value), unit=s._.metric.unit, name=s._.metric.name,
                      approximate=s._.metric.approximate,
                      **_where(article, s, sents, (s._.metric.start, s._.metric.end)))
               for s in doc.spans.get("metrics", [])]
    return ArticleFacts(article=article, organizations=orgs_out, org_mentions=mentions, amounts=amounts,
                        dates=dates, metrics=metrics)


def _extract_chunk(articles: list[Article], reference: date | None, batch_size: int,
                   finish: Callable[[ArticleFacts], Any] | None = None) -> tuple[list, float]:
    t0 = time.perf_counter()
    nlp = build_nlp()
    done = finish or (lambda f: f)
    out: list = []
    try:
        docs = nlp.pipe(make_docs(nlp, articles, reference), batch_size=batch_size)
        for a, doc in zip(articles, docs, strict=True):
            out.append(done(doc_to_facts(doc, a)))
    except Exception:  # an article broke a rule: it alone goes without facts, the chunk goes on
        out += [done(_extract_one(nlp, a, reference)) for a in articles[len(out):]]
    return out, time.perf_counter() - t0


def _extract_one(nlp: Language, article: Article, reference: date | None) -> ArticleFacts:
    try:
        return doc_to_facts(nlp(next(make_docs(nlp, [article], reference))), article)
    except Exception as e:
        msg = f"{type(e).__name__}: {e}"[:300]
        log.warning("extraction failed on %s (%s): %s", article.source_path, article.record_id or "-", msg)
        return ArticleFacts(article=article, error=msg)


def extract(articles: list[Article], reference: date | None = None, batch_size: int = BATCH_SIZE,
            pool: ProcessPoolExecutor | None = None) -> list[ArticleFacts]:
    """Facts for every article; non-French articles and duplicates get none.

    With a `worker_pool` the articles are split over its forked workers.
    """
    return list(extract_iter(articles, reference, batch_size, pool))


def extract_timed(articles: list[Article], reference: date | None = None, batch_size: int = BATCH_SIZE,
                  pool: ProcessPoolExecutor | None = None) -> tuple[list[ArticleFacts], float]:
    """`extract`, and the seconds it took summed over workers (wall time would count
    twice the batches that share the workers)."""
    seconds: list[float] = []
    return list(extract_iter(articles, reference, batch_size, pool, seconds)), sum(seconds)


def extract_iter(articles: Iterable[Article], reference: date | None = None, batch_size: int = BATCH_SIZE,
                 pool: ProcessPoolExecutor | None = None, seconds: list[float] | None = None,
                 remaining: Callable[[], int] | None = None, finish: Callable[[ArticleFacts], Any] | None = None
                 ) -> Iterator[Any]:
    """`extract`, in order, each article as soon as its chunk is done: a caller
    writes results while the workers go on. `seconds` gets each chunk's time.

    `articles` may be a stream that is still being read; `remaining` then says
    how many articles may still come, for the chunks to shrink toward the end.
    `finish` (a module-level function) turns each article's facts into what is
    yielded, in the worker: a JSON line crosses back to this process far faster
    than the pydantic objects it is made from."""
    def done(a: Article) -> Any:  # an article that gets no facts
        return finish(ArticleFacts(article=a)) if finish else ArticleFacts(article=a)

    def wanted(a: Article) -> bool:
        return a.language == "fr" and not a.duplicate_of

    order: deque[Article] = deque()  # every article, in the order they are answered

    def todo(stream: Iterable[Article]) -> Iterator[Article]:
        for a in stream:
            order.append(a)
            if wanted(a):
                yield a

    workers = pool._max_workers if pool is not None else 1
    if pool is None:
        chunks: Iterator[list[Article]] = _fixed_chunks(todo(articles), batch_size * 8)
    elif isinstance(articles, list):
        chunks = iter(shrinking_chunks(list(todo(articles)), workers))
    else:
        chunks = streaming_chunks(todo(articles), workers, remaining or (lambda: 0))
    # with workers, enough chunks in flight to keep them busy while this process writes;
    # alone, one chunk at a time, so memory stays bounded on a large dump
    window = 2 * workers if pool is not None else 1
    inflight: deque[tuple[list[Article], Future]] = deque()
    by_id: dict[str, Any] = {}

    def fill() -> None:
        while len(inflight) < window and (chunk := next(chunks, None)) is not None:
            if pool is None:
                fut: Future = Future()
                fut.set_result(_extract_chunk(chunk, reference, batch_size, finish))
            else:
                fut = pool.submit(_extract_chunk, chunk, reference, batch_size, finish)
            inflight.append((chunk, fut))

    fill()
    while True:
        while order and (not wanted(order[0]) or order[0].article_id in by_id):
            a = order.popleft()
            yield by_id.pop(a.article_id) if wanted(a) else done(a)
        if not inflight:
            fill()
            if not inflight:
                break
        chunk, fut = inflight.popleft()
        results, took = fut.result()
        by_id.update(zip((a.article_id for a in chunk), results, strict=True))
        if seconds is not None:
            seconds.append(took)
        if pool is not None:  # keep the workers busy; alone, the next chunk waits until these are yielded
            fill()
    for a in order:  # after the last chunk: articles that get no facts
        yield done(a)


def _fixed_chunks(articles: Iterator[Article], size: int) -> Iterator[list[Article]]:
    while chunk := list(itertools.islice(articles, size)):
        yield chunk


def streaming_chunks(articles: Iterator[Article], workers: int, remaining: Callable[[], int],
                     most: int = 8 * BATCH_SIZE) -> Iterator[list[Article]]:
    """`shrinking_chunks` for articles that are still being read: the text still
    to come is estimated from `remaining()` articles of the mean length so far.

    The first chunks are small and double in size: a worker waits for its whole
    first chunk to be cleaned, and a quarter of a dump took the reader most of a
    second while both workers idled. Cleaning is some twenty times faster than
    extracting, so the reader stays ahead of the doubling."""
    seen = chars = taken = cut = 0
    chunk: list[Article] = []
    for a in articles:
        size = len(a.text_for_nlp)
        seen, chars, taken = seen + 1, chars + size, taken + size
        chunk.append(a)
        mean = chars / seen
        to_come = remaining() * mean
        least = min((chars + to_come) / (16 * workers), 8 * mean)
        if taken >= max(least, min((taken + to_come) / (2 * workers), least * 2 ** cut)) or len(chunk) >= most:
            yield chunk
            chunk, taken, cut = [], 0, cut + 1
    if chunk:
        yield chunk


def shrinking_chunks(articles: list[Article], workers: int, most: int = 8 * BATCH_SIZE) -> list[list[Article]]:
    """Guided self-scheduling: each chunk takes a share of the text still left, so
    chunks shrink toward the end and the workers finish together, whatever the
    articles' lengths. Equal chunks left one worker idle for up to a chunk's time.
    No chunk has more than `most` articles, so a large dump still streams."""
    sizes = [len(a.text_for_nlp) for a in articles]
    left = sum(sizes)
    # the smallest chunk: enough to batch the NER, few enough to even out the end
    least = min(left / (16 * workers), 8 * left / max(1, len(sizes)))
    chunks: list[list[Article]] = [[]]
    taken = 0
    for a, size in zip(articles, sizes, strict=True):
        chunks[-1].append(a)
        taken += size
        if taken >= max(least, left / (2 * workers)) or len(chunks[-1]) >= most:
            chunks.append([])
            left -= taken
            taken = 0
    return [c for c in chunks if c]


@contextmanager
def worker_pool(processes: int) -> Iterator[ProcessPoolExecutor | None]:
    """Long-lived extraction workers, forked after the pipeline is built so that
    they share its memory and none loads the model again. (spaCy's own
    `n_process` would send Docs back as bytes, and Depeche's span extensions
    hold Python objects.) None when one process is asked for."""
    if processes <= 1:
        yield None
        return
    build_nlp()
    gc.freeze()  # the collector would otherwise touch, and so copy, every page of the model in each worker
    try:
        with ProcessPoolExecutor(processes, mp_context=mp.get_context("fork")) as pool:
            pool.submit(int)  # forks every worker now, while a reader may still be cleaning the first articles
            yield pool
    finally:
        gc.unfreeze()
