"""The inbox watcher: the real ingest flow into a real DuckDB file, scans paced by the test."""
from __future__ import annotations

import shutil
from pathlib import Path

import duckdb

from tests.conftest import SAMPLES


def test_a_dump_is_ingested_once_it_has_arrived_whole(prefect_harness, tmp_path: Path):
    """A file still being written is left for the next scan; each settled arrival is one run."""
    from extractors.stages import read_and_clean
    from flows.ingest import by_hand, ingest
    from flows.watch import watch

    inbox, db = tmp_path / "inbox", tmp_path / "w.duckdb"
    inbox.mkdir()
    shutil.copy(SAMPLES / "01_bam_taux.txt", inbox)
    late = (SAMPLES / "02_ocp_engrais.txt").read_text(encoding="utf-8")
    steps = iter([
        lambda: None,  # the sample has settled: run 1
        lambda: (inbox / "late.txt").write_text(late[: len(late) // 3], encoding="utf-8"),  # a copy under way
        lambda: (inbox / "late.txt").write_text(late, encoding="utf-8"),  # the copy ends
        lambda: None,  # settled: run 2
    ])
    scans: list[int] = []

    def pace(_seconds: float) -> None:
        scans.append(1)
        next(steps)()

    def run() -> dict:
        with by_hand():
            return ingest([str(inbox)], db=str(db))

    assert watch([str(inbox)], run, interval=0, max_runs=2, sleep=pace, log=lambda _: None) == 2
    assert len(scans) == 4  # the half-written file started no run
    con = duckdb.connect(str(db), read_only=True)
    try:
        bodies = dict(con.execute("SELECT regexp_extract(source_path, '[^/]+$'), body FROM articles").fetchall())
        runs = con.execute("SELECT count(*) FROM runs WHERE status = 'completed'").fetchone()[0]
        rejects = con.execute("SELECT count(*) FROM rejects").fetchone()[0]
    finally:
        con.close()
    assert set(bodies) == {"01_bam_taux.txt", "late.txt"} and runs == 2 and rejects == 0
    (whole,) = read_and_clean([inbox / "late.txt"]).articles
    assert bodies["late.txt"] == whole.body  # the whole article, not the third first written


def test_removed_files_start_no_run_and_a_failed_run_is_retried():
    from flows.watch import arrived

    a, b = {"x.txt": (10, 1)}, {"x.txt": (10, 1), "y.txt": (5, 2)}
    assert not arrived(a, a, done=b)  # y.txt was removed: nothing to load
    assert arrived(b, b, done=a) and not arrived(b, a, done=a)  # y.txt must settle first
    assert arrived(b, b, done={})  # a run that failed left `done` as it was
