"""Read and clean a set of paths into articles and rejects: the stage every
entry point shares (the CLI's `extract`, the Prefect flow, the benchmark)."""
from __future__ import annotations

import gc
import logging
import multiprocessing as mp
import time
from collections.abc import Callable, Iterable, Iterator
from concurrent.futures import ProcessPoolExecutor
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path

import numpy as np

from extractors.cleaning import boilerplate_by_dump, dump_key, to_article
from extractors.dedup import duplicates_and_signatures
from extractors.errors import RejectError
from extractors.language import detect_language
from extractors.readers import RawDoc, ReadFailure, read_file
from schemas.models import Article, ArticleFacts, Reject

log = logging.getLogger(__name__)


@dataclass
class Prepared:
    articles: list[Article] = field(default_factory=list)
    rejects: list[Reject] = field(default_factory=list)
    signatures: dict[str, np.ndarray] = field(default_factory=dict)  # article_id -> MinHash


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
        rec = f"record {raw.record_id}: " if raw.record_id else ""
        try:
            art = to_article(raw, boiler.get(dump_key(raw), set()))
        except RejectError as e:
            out.rejects.append(Reject(source_path=raw.source_path, reason=e.reason, detail=rec + e.detail))
            continue
        art.language = detect_language(art.body)
        out.articles.append(art)
        if art.language != "fr":  # its row stays (copies, the language, the body), but it gets no facts
            what = "too few words to tell its language" if art.language == "und" else f"language '{art.language}'"
            out.rejects.append(Reject(source_path=raw.source_path, reason="not_french",
                                      detail=f"{rec}{what}: stored without facts"))
    dups, sigs = duplicates_and_signatures([a.body for a in out.articles])
    for i, j in dups.items():
        out.articles[i].duplicate_of = out.articles[j].article_id
    out.signatures = {a.article_id: sig for a, sig in zip(out.articles, sigs, strict=True)}
    return out


@dataclass
class Batch:
    """What one worker hands the writer for a batch of files."""
    prepared: Prepared
    facts: list[ArticleFacts]
    seconds_read: float
    seconds_extract: float


def read_timed(files: list[str]) -> tuple[Prepared, float]:
    t0 = time.perf_counter()
    return read_and_clean([Path(f) for f in files]), time.perf_counter() - t0


@contextmanager
def reading_ahead(files: list[str]) -> Iterator[Callable[[], tuple[Prepared, float]]]:
    """`read_timed(files)` in a process forked now, so that a batch is read while
    this process loads spaCy: the load holds the GIL, a thread would wait on it.
    Yields the call that gets the result; if the reader died, it reads here: a
    head start lost must not fail the run."""
    reader = ProcessPoolExecutor(1, mp_context=mp.get_context("fork"))
    gc.freeze()  # if a model is loaded already, the reader's collector must not copy its pages
    try:
        future = reader.submit(read_timed, files)  # forks the reader
    finally:
        gc.unfreeze()

    def result() -> tuple[Prepared, float]:
        try:
            return future.result()
        except Exception as e:
            log.warning("reading ahead failed (%r); reading here", e)
            return read_timed(files)

    try:
        yield result
    finally:
        reader.shutdown(wait=False, cancel_futures=True)


def prepare_batch(files: list[str], reference: date | None, pool: ProcessPoolExecutor | None = None,
                  read: tuple[Prepared, float] | None = None) -> Batch:
    """Read, clean and extract a batch of files (`read`: already read and cleaned).

    With a worker pool the batch is read in one worker and its articles are
    extracted in chunks over all of them, so no worker idles at the end of a
    run waiting for another's last batch. Reading stays whole-batch either way:
    boilerplate and duplicates are found across the batch, and results must not
    depend on the number of workers.
    """
    from extractors.pipeline import extract_timed  # spaCy loads only where extraction runs

    if read is None:
        read = read_timed(files) if pool is None else pool.submit(read_timed, files).result()
    prepared, seconds_read = read
    facts, seconds_extract = extract_timed(prepared.articles, reference=reference, pool=pool)
    return Batch(prepared, facts, seconds_read, seconds_extract)
