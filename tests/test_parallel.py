"""Parallel extraction (forked worker processes, a 2-worker Dask LocalCluster)
gives exactly the sequential run's tables."""
from __future__ import annotations

import shutil
from pathlib import Path

import duckdb
import pytest

from tests.conftest import SAMPLES

QUERIES = {
    "articles": "SELECT article_id, title, language, duplicate_of FROM articles ORDER BY ALL",
    "amounts": "SELECT article_id, text, value, value_max, currency, org_id, start_char FROM amounts ORDER BY ALL",
    "dates": "SELECT article_id, text, value, start_char FROM dates ORDER BY ALL",
    "metrics": "SELECT article_id, text, value, unit, start_char FROM metrics ORDER BY ALL",
    "orgs": "SELECT org_id, name FROM organizations ORDER BY ALL",
    "mentions": "SELECT article_id, org_id, start_char FROM org_mentions ORDER BY ALL",
    "rejects": "SELECT source_path, reason FROM rejects ORDER BY ALL",
}


def tables(db: Path) -> dict:
    con = duckdb.connect(str(db), read_only=True)
    try:
        return {k: con.execute(q).fetchall() for k, q in QUERIES.items()}
    finally:
        con.close()


@pytest.fixture(scope="module")
def sequential(prefect_harness, tmp_path_factory) -> tuple[Path, dict]:
    from flows.ingest import ingest

    tmp = tmp_path_factory.mktemp("parallel")
    dump = tmp / "dump"
    shutil.copytree(SAMPLES, dump)
    (dump / "empty.txt").write_bytes(b"")
    db = tmp / "seq.duckdb"
    ingest([str(dump)], db=str(db), batch_size=3)
    return dump, tables(db)


def test_worker_processes_match_sequential(sequential, tmp_path: Path):
    from flows.ingest import ingest

    dump, expected = sequential
    db = tmp_path / "procs.duckdb"
    result = ingest([str(dump)], db=str(db), batch_size=3, processes=2)
    assert result["status"] == "completed" and result["articles_read"] == 10 and result["rejects"] == 2
    got = tables(db)
    assert expected["articles"] and expected["amounts"]
    assert got == expected


def test_a_reader_that_dies_costs_the_flow_only_its_head_start(sequential, tmp_path: Path, monkeypatch):
    """The process reading the first batch while spaCy loads is killed: the batch
    is read in the flow process and the run gives the same tables."""
    import os

    import extractors.stages as st
    from flows.ingest import ingest

    dump, expected = sequential
    parent, died = os.getpid(), tmp_path / "died"
    real = st.read_and_clean_iter

    def dying_once(files):
        if os.getpid() != parent and not died.exists():  # the first child to read is the reader
            died.touch()
            os._exit(1)
        return real(files)

    monkeypatch.setattr(st, "read_and_clean_iter", dying_once)
    db = tmp_path / "died.duckdb"
    result = ingest([str(dump)], db=str(db), batch_size=3, processes=2)
    assert died.exists() and result["status"] == "completed"
    assert tables(db) == expected


def test_one_process_reads_every_batch_ahead_in_another(sequential, tmp_path: Path, monkeypatch):
    """On one process, each batch is read by a process forked while the one before
    is extracted (the first while spaCy loads): the flow process reads none itself."""
    import os

    import extractors.stages as st
    from flows.ingest import ingest

    dump, expected = sequential
    parent, readers = os.getpid(), tmp_path / "readers"
    readers.mkdir()
    real = st.read_and_clean_iter

    def noting(files):
        (readers / f"{os.getpid()}-{Path(next(iter(files))).name}").touch()
        return real(files)

    monkeypatch.setattr(st, "read_and_clean_iter", noting)
    db = tmp_path / "ahead.duckdb"
    result = ingest([str(dump)], db=str(db), batch_size=3)
    from extractors.readers import discover

    batches = -(-len(discover([dump])) // 3)
    pids = [int(f.name.split("-")[0]) for f in readers.iterdir()]
    assert result["status"] == "completed" and batches >= 3 and len(pids) == batches
    assert parent not in pids and len(set(pids)) == batches
    assert tables(db) == expected


def test_dask_local_cluster_matches_sequential(sequential, tmp_path: Path):
    from flows.ingest import ingest_with

    dump, expected = sequential
    db = tmp_path / "dask.duckdb"
    result = ingest_with("local:2")([str(dump)], db=str(db), batch_size=3)
    assert result["status"] == "completed" and result["articles_read"] == 10
    assert tables(db) == expected


def test_dask_batches_are_sized_by_the_cluster_s_own_task_slots():
    from prefect_dask import DaskTaskRunner

    from flows.ingest import _dask_slots

    for workers, threads, slots in ((3, 2, 6), (1, 1, 2)):  # a cluster still scaling up counts as 2
        with DaskTaskRunner(cluster_kwargs={"n_workers": workers, "threads_per_worker": threads,
                                            "processes": False, "dashboard_address": None}) as runner:
            assert _dask_slots(runner) == slots


def test_extract_with_two_processes_prints_the_same_facts():
    from tests.test_cli import run

    one, two = run("extract", str(SAMPLES)), run("extract", "--processes", "2", "--batch-size", "2", str(SAMPLES))
    assert one.returncode == 0 and two.returncode == 0, two.stderr
    assert one.stdout.count("\n") == 10 and one.stdout == two.stdout


def test_extraction_streams_in_input_order_around_skipped_articles():
    from extractors.pipeline import extract, extract_iter, worker_pool
    from extractors.readers import discover
    from extractors.stages import read_and_clean

    arts = read_and_clean(discover([SAMPLES])).articles
    arts[1].language = "en"
    arts[4].duplicate_of = arts[0].article_id
    with worker_pool(2) as pool:
        it = extract_iter(arts, pool=pool)
        got = [next(it), *it]
    assert [f.article.article_id for f in got] == [a.article_id for a in arts]
    for skipped in (got[1], got[4]):
        assert not (skipped.organizations or skipped.amounts or skipped.dates or skipped.metrics)
    assert sum(len(f.amounts) for f in got) > 0
    assert [f.model_dump() for f in got] == [f.model_dump() for f in extract(arts)]


def test_reading_ahead_in_a_forked_process_gives_what_reading_here_gives(nlp, tmp_path: Path):
    """The flow reads its first batch in a process forked while spaCy loads: the
    articles, rejects and MinHash signatures must come back whole."""
    import numpy as np

    from extractors.readers import discover
    from extractors.stages import read_and_clean, reading_ahead

    dump = tmp_path / "dump"
    shutil.copytree(SAMPLES, dump)
    (dump / "binary.txt").write_bytes(bytes(range(256)) * 40)
    with reading_ahead([str(f) for f in discover([dump])]) as ahead:
        there, seconds = ahead()
    here = read_and_clean(discover([dump]))
    assert seconds > 0 and len(there.articles) == 10 and sorted(r.reason for r in there.rejects) == ["binary", "not_french"]
    assert [a.model_dump() for a in there.articles] == [a.model_dump() for a in here.articles]
    assert there.rejects == here.rejects
    assert there.signatures.keys() == here.signatures.keys()
    assert all(np.array_equal(there.signatures[k], here.signatures[k]) for k in here.signatures)


def test_chunks_for_the_workers_shrink_toward_the_end_and_keep_every_article_in_order():
    from extractors.pipeline import shrinking_chunks
    from schemas.models import Article

    arts = [Article(article_id=str(i), source_path="x", body="mot " * (50 + 37 * (i % 9))) for i in range(100)]
    chunks = shrinking_chunks(arts, 2)
    assert [a for c in chunks for a in c] == arts
    chars = [sum(len(a.text_for_nlp) for a in c) for c in chunks]
    assert chars[0] > 3 * chars[-2]  # the last chunk is whatever is left
    assert chars[0] <= sum(chars) / 4 + max(len(a.text_for_nlp) for a in arts)
    assert len(shrinking_chunks(arts[:1], 2)) == 1
    big = shrinking_chunks(arts * 30, 2, most=64)  # a large dump streams in bounded chunks, and still shrinks
    assert max(map(len, big)) == 64 and len(big[-2]) < 16 and [a for c in big for a in c] == arts * 30


def _dump_with_rejects(tmp_path: Path) -> Path:
    dump = tmp_path / "dump"
    shutil.copytree(SAMPLES, dump)
    (dump / "binary.txt").write_bytes(bytes(range(256)) * 40)
    (dump / "short.txt").write_text("Titre\n\nTrop court.\n", encoding="utf-8")
    return dump


def _same_items(got: list, want: list) -> bool:
    import numpy as np

    return len(got) == len(want) and all(
        a.model_dump() == b.model_dump() and (s is None) == (t is None) and (s is None or np.array_equal(s, t))
        for (a, s), (b, t) in zip(got, want, strict=True))


def test_a_streamed_read_gives_what_reading_here_gives(tmp_path: Path):
    """The CLI's reader process sends articles back while it cleans the rest: same
    articles, rejects and MinHash signatures, in the same order, and `total` counts
    every item but the `not_french` rejects that follow their article."""
    from extractors.readers import discover
    from extractors.stages import ReadStream, read_and_clean_iter
    from schemas.models import Reject

    files = discover([_dump_with_rejects(tmp_path)])
    total, items = read_and_clean_iter(files)
    here = list(items)
    with ReadStream([str(f) for f in files]) as stream:
        assert stream.total == total
        there = list(stream)
        assert stream.remaining() == 0
    assert _same_items(there, here)
    reasons = sorted(r.reason for r, _ in here if isinstance(r, Reject))
    assert reasons == ["binary", "no_article", "not_french"]
    assert total == len(here) - 1 and sum(1 for a, _ in here if not isinstance(a, Reject)) == 10


def test_a_streamed_read_whose_reader_dies_midway_is_finished_here(tmp_path: Path, monkeypatch):
    """The reader is killed after it has sent some articles: the rest are read in
    this process, none is lost and none comes twice."""
    import os
    import time

    import extractors.stages as st
    from extractors.readers import discover

    files = discover([_dump_with_rejects(tmp_path)])
    here = list(st.read_and_clean_iter(files)[1])
    parent, real, calls = os.getpid(), st.to_article, []

    def dying(raw, boiler=frozenset()):
        calls.append(1)
        if os.getpid() != parent and len(calls) > 5:  # after its first messages
            time.sleep(0.5)  # those already put reach the pipe (the queue's feeder thread writes them)
            os._exit(1)
        return real(raw, boiler)

    monkeypatch.setattr(st, "to_article", dying)
    monkeypatch.setattr(st, "STREAM_CHUNK", 2)
    with st.ReadStream([str(f) for f in files]) as stream:
        there = list(stream)
        assert 0 < stream.received < len(here)  # some came from the reader, the rest from here
    assert _same_items(there, here)


def _many(tmp_path: Path, n: int = 300) -> list[str]:
    """A dump whose items fill more than a pipe's buffer."""
    dump = tmp_path / "many"
    dump.mkdir()
    for i in range(n):
        (dump / f"{i:03d}.txt").write_text(f"Titre numéro {i}\n\n" + f"Le texte {i} de l'article est assez long. " * 8,
                                           encoding="utf-8")
    return [str(p) for p in sorted(dump.iterdir())]


def test_a_batch_read_ahead_lets_its_reader_exit_before_it_is_collected(tmp_path: Path):
    """While the flow extracts a batch, the next one is read ahead: its reader must not
    wait on a full pipe until the batch is collected, sharing the flow's pages all along."""
    import multiprocessing as mp
    import time

    from extractors.stages import reading_ahead

    files = _many(tmp_path)
    with reading_ahead(files) as ahead:
        deadline = time.monotonic() + 20
        while mp.active_children() and time.monotonic() < deadline:
            time.sleep(0.05)
        assert not mp.active_children()
        prepared, _ = ahead()
    assert len(prepared.articles) + len(prepared.rejects) == len(files)


def test_a_read_ahead_left_by_an_error_stops_its_reader_at_once(tmp_path: Path, monkeypatch):
    """An extraction that fails while the next batch is read ahead: the reader is
    stopped, not waited for, and the batch is not read again in this process."""
    import os
    import time

    import extractors.stages as st

    parent, real = os.getpid(), st.read_and_clean_iter

    def slow(files):
        if os.getpid() != parent:
            time.sleep(30)
        else:
            (tmp_path / "read-here").touch()
        return real(files)

    monkeypatch.setattr(st, "read_and_clean_iter", slow)
    t0 = time.monotonic()
    with pytest.raises(KeyError), st.reading_ahead(_many(tmp_path, 5)):
        raise KeyError("extraction failed")
    assert time.monotonic() - t0 < 10 and not (tmp_path / "read-here").exists()


def test_a_caller_that_stops_early_does_not_wait_for_the_reader(tmp_path: Path):
    import time

    from extractors.stages import ReadStream

    stream = ReadStream(_many(tmp_path), ahead=1)  # the reader soon waits on the queue
    first = next(iter(stream))
    t0 = time.perf_counter()
    stream.close()
    assert "Le texte 0 " in first[0].body and not stream._proc.is_alive() and time.perf_counter() - t0 < 5


def test_chunks_of_a_stream_grow_then_shrink_toward_the_end_and_keep_every_article_in_order():
    """Small first chunks, so that no worker waits long for the reader; then
    guided sizes, so that the workers finish together."""
    from extractors.pipeline import streaming_chunks
    from schemas.models import Article

    arts = [Article(article_id=str(i), source_path="x", body="mot " * (50 + 37 * (i % 9))) for i in range(400)]
    taken = iter(range(len(arts) - 1, -1, -1))
    chunks = list(streaming_chunks(iter(arts), 2, lambda: next(taken, 0)))
    assert [a for c in chunks for a in c] == arts
    sizes = [len(c) for c in chunks]
    peak = sizes.index(max(sizes))
    assert sizes[0] <= 10 and sizes[1] <= 2 * sizes[0] + 2 and max(sizes) >= 6 * sizes[0]
    assert sizes[:peak + 1] == sorted(sizes[:peak + 1]) and max(sizes) > 3 * sizes[-2]
    assert max(map(len, streaming_chunks(iter(arts * 30), 2, lambda: 3000, most=64))) == 64


def test_extraction_of_a_stream_matches_extraction_of_a_list():
    """Articles coming from a generator (as from the reader) are answered in order,
    skipped ones included, with the same facts as from a list."""
    from extractors.pipeline import extract, extract_iter, worker_pool
    from extractors.readers import discover
    from extractors.stages import read_and_clean

    arts = read_and_clean(discover([SAMPLES])).articles
    arts[1].language = "en"
    arts[-1].duplicate_of = arts[0].article_id  # the last one is skipped: nothing comes after it
    with worker_pool(2) as pool:
        got = list(extract_iter((a for a in arts), pool=pool, batch_size=2, remaining=lambda: 3))
    alone = list(extract_iter((a for a in arts), batch_size=2))
    assert [f.article.article_id for f in got] == [a.article_id for a in arts]
    assert [f.model_dump() for f in got] == [f.model_dump() for f in extract(arts)] == [f.model_dump() for f in alone]


def test_the_reader_ends_quietly_under_a_sigterm_handler_that_raises(tmp_path: Path, capfd, monkeypatch):
    """Prefect's engine installs a SIGTERM handler that raises, and the forked reader
    inherited it: a reader still on its way out when the caller closed the stream
    was sent SIGTERM and printed a TerminationSignal traceback into the flow run's
    log. A reader that has sent everything now ends by itself; one stopped early
    dies without running Python's handlers."""
    import signal
    import time

    import extractors.stages as st

    def raising(signum, frame):
        raise RuntimeError("a handler that raises, as Prefect's does")

    def slow_to_exit(out, files):  # a process as big as a flow's takes a while to exit
        st_stream_into(out, files)
        time.sleep(0.5)

    st_stream_into = st._stream_into
    files = _many(tmp_path)
    old = signal.signal(signal.SIGTERM, raising)
    try:
        with monkeypatch.context() as m:
            m.setattr(st, "_stream_into", slow_to_exit)
            with st.ReadStream(files) as whole:
                list(whole)
        assert whole._proc.exitcode != -signal.SIGTERM  # (not 0: once a flow has run in this process, the
        # reader exits with 1 after its own code and multiprocessing's exit handlers are done)
        with st.ReadStream(files, ahead=1) as early:
            next(iter(early))
        assert early._proc.exitcode == -signal.SIGTERM
    finally:
        signal.signal(signal.SIGTERM, old)
    assert "Traceback" not in capfd.readouterr().err


def test_the_reader_sends_its_first_articles_in_small_messages_then_larger_ones(tmp_path: Path):
    """A worker's first chunk is a few articles: it should not wait for the reader
    to clean a full message of them."""
    import pickle
    import signal

    from extractors.stages import FIRST_CHUNK, STREAM_CHUNK, _stream_into

    class Sink(list):
        put = list.append

    sink = Sink()
    handler = signal.getsignal(signal.SIGTERM)  # the reader's side resets it, here in the test's process
    try:
        _stream_into(sink, _many(tmp_path, n=60))
    finally:
        signal.signal(signal.SIGTERM, handler)
    sizes = [len(pickle.loads(v)) for kind, v in sink if kind == "items"]
    assert sink[0] == ("total", 60) and sink[-1][0] == "end" and sum(sizes) == 60
    assert FIRST_CHUNK < STREAM_CHUNK and sizes[0] == FIRST_CHUNK and max(sizes) == STREAM_CHUNK
    assert all(b == min(STREAM_CHUNK, 2 * a) for a, b in zip(sizes[:-2], sizes[1:-1], strict=True))  # the last: what is left


def test_the_worker_pool_has_forked_its_workers_when_it_is_handed_over(nlp):
    """Forking takes some ten milliseconds a worker: done on entering, it overlaps
    the reader's first articles instead of delaying the first chunk."""
    import multiprocessing as mp

    from extractors.pipeline import worker_pool

    before = len(mp.active_children())
    with worker_pool(2) as pool:
        assert len(mp.active_children()) - before == 2
        assert pool.submit(len, "abc").result() == 3
