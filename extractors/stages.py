"""Read and clean a set of paths into articles and rejects: the stage every
entry point shares (the CLI's `extract`, the Prefect flow, the benchmark)."""
from __future__ import annotations

import gc
import itertools
import logging
import multiprocessing as mp
import pickle
import queue
import signal
import time
from collections.abc import Callable, Iterable, Iterator
from concurrent.futures import ProcessPoolExecutor, ThreadPoolExecutor
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path

import numpy as np

from extractors.cleaning import boilerplate_by_dump, dump_key, to_article
from extractors.dedup import Deduper
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


Item = tuple[Article | Reject, np.ndarray | None]  # an article with its MinHash, or a reject


def read_and_clean_iter(files: Iterable[Path]) -> tuple[int, Iterator[Item]]:
    """How many items will come, and the items, cleaned one by one in the order
    `read_and_clean` lists them. Reading is done first, since boilerplate is found
    across a dump's pages; cleaning is lazy, so a caller can extract while it goes on.

    Every file that fails to read and every record read gives one item; a
    non-French article is followed by its `not_french` reject, which is not counted."""
    failures: list[Reject] = []
    raws: list[RawDoc] = []
    for f in files:
        for item in read_file(Path(f)):
            if isinstance(item, ReadFailure):
                failures.append(Reject(source_path=item.source_path, reason=item.error.reason,
                                       detail=item.error.detail))
            else:
                raws.append(item)
    return len(failures) + len(raws), _cleaned(failures, raws)


def _cleaned(failures: list[Reject], raws: list[RawDoc]) -> Iterator[Item]:
    yield from ((r, None) for r in failures)
    boiler = boilerplate_by_dump(raws)
    dedup = Deduper()
    first_ids: list[str] = []  # article index -> id, for duplicates to point to
    for raw in raws:
        rec = f"record {raw.record_id}: " if raw.record_id else ""
        try:
            art = to_article(raw, boiler.get(dump_key(raw), set()))
        except RejectError as e:
            yield Reject(source_path=raw.source_path, reason=e.reason, detail=rec + e.detail), None
            continue
        art.language = detect_language(art.body)
        dup, sig = dedup.add(art.body)
        if dup is not None:
            art.duplicate_of = first_ids[dup]
        first_ids.append(art.article_id)
        yield art, sig
        if art.language != "fr":  # its row stays (copies, the language, the body), but it gets no facts
            what = "too few words to tell its language" if art.language == "und" else f"language '{art.language}'"
            yield Reject(source_path=raw.source_path, reason="not_french",
                         detail=f"{rec}{what}: stored without facts"), None


def read_and_clean(files: Iterable[Path]) -> Prepared:
    """Read, clean, tag language and mark duplicates; bad input becomes a Reject."""
    return collect(read_and_clean_iter(files)[1])


def collect(items: Iterable[Item]) -> Prepared:
    out = Prepared()
    for item, sig in items:
        if isinstance(item, Reject):
            out.rejects.append(item)
        else:
            out.articles.append(item)
            out.signatures[item.article_id] = sig
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
    """`read_timed(files)` in a process forked now (a `ReadStream` taken whole), so
    that a batch is read while this process loads spaCy or extracts the batch before:
    that work holds the GIL, a thread would wait on it. Yields the call that gets the result.

    A thread here takes the reader's messages as they come, so that the reader exits
    when it is done: alive, it shares this process's pages, and each page this
    process then writes is copied."""
    # the stream closes first: a caller that stops early stops the reader, and the thread with it
    with ThreadPoolExecutor(1) as drain, ReadStream(files) as stream:
        got = drain.submit(collect, stream)
        yield lambda: (got.result(), stream.seconds)


STREAM_CHUNK = 16  # items per message from the reader
FIRST_CHUNK = 4  # the first messages are smaller, doubling: a worker's first chunk is a few articles


def _stream_into(out: mp.Queue, files: list[str]) -> None:
    """The reader process's side of `ReadStream`. Items are pickled here, so that an
    item that cannot be sent fails the reader (and the caller reads again) instead
    of being dropped by the queue's feeder thread."""
    # the parent's handlers are not the reader's: Prefect's raises, and a reader stopped
    # early printed its traceback into the flow run's log
    signal.signal(signal.SIGTERM, signal.SIG_DFL)
    t0 = time.perf_counter()
    try:
        total, items = read_and_clean_iter([Path(f) for f in files])
        out.put(("total", total))
        buf: list[Item] = []
        size = min(FIRST_CHUNK, STREAM_CHUNK)  # STREAM_CHUNK caps every message
        for item in items:
            buf.append(item)
            if len(buf) >= size:
                out.put(("items", pickle.dumps(buf, pickle.HIGHEST_PROTOCOL)))
                buf, size = [], min(STREAM_CHUNK, 2 * size)
        out.put(("items", pickle.dumps(buf, pickle.HIGHEST_PROTOCOL)))
        out.put(("end", time.perf_counter() - t0))
    except BaseException as e:  # noqa: BLE001  (anything: the caller reads here instead)
        out.put(("error", repr(e)))


def _counted(item: Item) -> bool:
    """Whether `read_and_clean_iter`'s total counts the item: not a `not_french` reject,
    which follows its article."""
    return not (isinstance(item[0], Reject) and item[0].reason == "not_french")


class ReadStream:
    """`read_and_clean_iter(files)` in a process forked now, its items coming back
    in order as they are cleaned. The caller loads spaCy meanwhile, then extracts
    the first articles while the reader cleans the rest: reading a dump no longer
    holds up extraction. At most `ahead` messages wait in the queue, so memory stays
    bounded on a large dump. If the reader dies, the rest is read here: a head
    start lost must not fail the run."""

    def __init__(self, files: list[str], ahead: int = 64) -> None:
        ctx = mp.get_context("fork")
        self.files = files
        self.received = 0  # items taken from the reader
        self.counted = 0  # of them, those `total` counts (not the `not_french` rejects)
        self.seconds = 0.0  # reading and cleaning, in the reader (and here, if it died)
        self._total: int | None = None
        self._here: Iterator[Item] | None = None
        self._ended = False  # the reader sent everything: it exits once its pipe is drained
        self._closed = False  # the caller stopped: a reader that ends now is not read again here
        self._queue = ctx.Queue(maxsize=ahead)
        gc.freeze()  # if a model is loaded already, the reader's collector must not copy its pages
        try:
            self._proc = ctx.Process(target=_stream_into, args=(self._queue, files), daemon=True)
            self._proc.start()
        finally:
            gc.unfreeze()

    @property
    def total(self) -> int:
        """How many items the stream gives (see `read_and_clean_iter`)."""
        if self._total is None:
            kind, value = self._get()
            if kind == "total":
                self._total = value
            else:
                self._read_here(value)
        return self._total

    def remaining(self) -> int:
        """Items still to come: chunks of work shrink toward the end by it."""
        return max(0, self.total - self.counted)

    def __iter__(self) -> Iterator[Item]:
        _ = self.total
        while self._here is None:
            kind, value = self._get()
            if kind == "items":
                for item in pickle.loads(value):
                    self.received += 1
                    self.counted += _counted(item)
                    yield item
            elif kind == "end":
                self.seconds = value
                self._ended = True
                return
            else:
                self._read_here(value)
        t0 = time.perf_counter()
        for item in itertools.islice(self._here, self.received, None):
            self.counted += _counted(item)
            yield item
        self.seconds += time.perf_counter() - t0

    def _get(self) -> tuple[str, object]:
        while True:
            try:
                return self._queue.get(timeout=0.5)
            except queue.Empty:
                if not self._proc.is_alive():
                    try:  # what it put just before it ended
                        return self._queue.get(timeout=0.1)
                    except queue.Empty:
                        return "died", f"the reader ended with exit code {self._proc.exitcode}"

    def _read_here(self, why: object) -> None:
        if self._closed:
            raise RuntimeError(f"the stream was closed ({why})")
        log.warning("reading in a separate process failed (%s); reading here", why)
        total, self._here = read_and_clean_iter([Path(f) for f in self.files])
        self._total = total if self._total is None else self._total

    def close(self) -> None:
        self._closed = True
        if self._ended:  # its last bytes may still be leaving its pipe: not a reason to kill it
            self._proc.join(timeout=5)
        if self._proc.is_alive():  # the caller stopped early: the reader may wait on a full queue
            self._proc.terminate()
        self._proc.join()
        self._queue.close()
        self._queue.cancel_join_thread()

    def __enter__(self) -> ReadStream:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()


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
