"""Faults a nightly job meets: a database held open, a run killed mid-load."""
from __future__ import annotations

import os
import shutil
import signal
import subprocess
import sys
import time
from pathlib import Path

import duckdb
import pytest

from flows.warehouse import DatabaseLocked, Warehouse
from tests.conftest import ROOT, SAMPLES

HOLD = ("import duckdb, sys, time; c = duckdb.connect(sys.argv[1]); print('held', flush=True); "
        "time.sleep(float(sys.argv[2]))")


def hold(db: Path, seconds: float) -> subprocess.Popen:
    p = subprocess.Popen([sys.executable, "-c", HOLD, str(db), str(seconds)], stdout=subprocess.PIPE, text=True)
    assert p.stdout.readline().strip() == "held"
    return p


def test_locked_database_fails_with_a_clear_message(tmp_path: Path):
    db = tmp_path / "l.duckdb"
    Warehouse(db).close()
    holder = hold(db, 30)
    try:
        t0 = time.monotonic()
        with pytest.raises(DatabaseLocked) as exc:
            Warehouse(db, wait_s=1.5)
        assert time.monotonic() - t0 >= 1.5  # it waited and retried before giving up
        msg = str(exc.value)
        assert "locked by another process" in msg and str(holder.pid) in msg
    finally:
        holder.kill()
        holder.wait()


def test_load_waits_for_a_reader_to_let_go(tmp_path: Path):
    db = tmp_path / "w.duckdb"
    Warehouse(db).close()
    holder = hold(db, 2)
    try:
        with Warehouse(db, wait_s=60) as wh:
            assert wh.table_counts()["articles"] == 0
    finally:
        holder.wait()


def _consistent(db: Path) -> tuple[int, int]:
    con = duckdb.connect(str(db), read_only=True)
    try:
        orphans = con.execute("SELECT count(*) FROM amounts WHERE article_id NOT IN (SELECT article_id FROM articles)"
                              ).fetchone()[0]
        unrecorded = con.execute("SELECT count(*) FROM articles WHERE source_path NOT IN "
                                 "(SELECT source_path FROM source_files)").fetchone()[0]
        assert orphans == 0 and unrecorded == 0
        return (con.execute("SELECT count(*) FROM articles").fetchone()[0],
                con.execute("SELECT count(*) FROM source_files").fetchone()[0])
    finally:
        con.close()


def test_killed_run_leaves_database_consistent_and_rerun_completes(prefect_harness, tmp_path: Path):
    from prefect.settings import PREFECT_API_URL

    from flows.ingest import ingest

    dump = tmp_path / "dump"
    dump.mkdir()
    for i in range(6):  # 6 batches of 2 files: the kill lands between or inside loads
        for f in sorted(SAMPLES.glob("0[1-4]*.txt")):
            text = f.read_text(encoding="utf-8").replace("\n\nCliquez ici", f"\nÉdition numéro {i}.\n\nCliquez ici")
            (dump / f"{i}_{f.name}").write_text(text, encoding="utf-8")
    db = tmp_path / "k.duckdb"
    env = {**os.environ, "PREFECT_API_URL": PREFECT_API_URL.value(), "PYTHONPATH": str(ROOT)}
    proc = subprocess.Popen([sys.executable, "-m", "depeche.cli", "run", str(dump), "--db", str(db),
                             "--batch-size", "2", "--no-summary"], cwd=ROOT, env=env,
                            stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
    killed = False
    deadline = time.monotonic() + 240
    for line in proc.stdout:
        if "loading batch 3" in line:
            proc.send_signal(signal.SIGKILL)
            killed = True
            break
        assert time.monotonic() < deadline
    proc.wait(timeout=60)
    assert killed and proc.returncode == -signal.SIGKILL
    articles, files = _consistent(db)
    assert 0 < files < 24 and articles == files  # whole batches only

    result = ingest([str(dump)], db=str(db))
    assert result["status"] == "completed" and result["files_skipped"] == files
    assert _consistent(db) == (24, 24)
    # and the tables equal those of a clean run in one batch: copies are found across batches too
    clean = tmp_path / "clean.duckdb"
    ingest([str(dump)], db=str(clean))
    for t in ("articles", "amounts", "dates", "metrics", "org_mentions", "organizations"):
        a = duckdb.connect(str(db), read_only=True)
        b = duckdb.connect(str(clean), read_only=True)
        q = f"SELECT count(*) FROM {t}"
        assert a.execute(q).fetchone() == b.execute(q).fetchone(), t
        a.close()
        b.close()
    shutil.rmtree(dump)


def test_an_article_that_breaks_extraction_loses_its_facts_alone(nlp, tmp_path: Path, monkeypatch, caplog):
    """A rule that fails on one article (injected here: none is known to fail) must not take the
    chunk, the run or the other articles with it: that article keeps its row without facts, and
    gets an extract_error reject with the reason."""
    import extractors.pipeline as pipeline
    from extractors.readers import discover
    from extractors.stages import read_and_clean

    arts = read_and_clean(discover([SAMPLES])).articles[:3]
    real = pipeline.doc_to_facts

    def breaks_on_the_second(doc, article):
        if article.article_id == arts[1].article_id:
            raise IndexError("string index out of range")
        return real(doc, article)

    monkeypatch.setattr(pipeline, "doc_to_facts", breaks_on_the_second)
    facts = pipeline.extract(arts)
    assert [f.article.article_id for f in facts] == [a.article_id for a in arts]
    assert [f.error for f in facts] == [None, "IndexError: string index out of range", None]
    assert (facts[0].dates or facts[0].amounts) and not (facts[1].dates or facts[1].amounts)
    assert "extraction failed on" in caplog.text

    files = [(a.source_path, "sha") for a in arts]
    with Warehouse(tmp_path / "w.duckdb") as wh:
        counts = wh.load("run", "v", facts, [], files)
        rows = wh.con.execute("SELECT reason, detail FROM rejects").fetchall()
        stored = wh.con.execute("SELECT count(*) FROM articles").fetchone()[0]
    assert counts["rejects"] == 1 and rows == [("extract_error", "IndexError: string index out of range")]
    assert stored == 3
