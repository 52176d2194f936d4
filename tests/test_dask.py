"""Extraction on a 2-worker Dask LocalCluster gives the sequential run's tables."""
from __future__ import annotations

import shutil
from pathlib import Path

import duckdb

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


def test_dask_local_cluster_matches_sequential(prefect_harness, tmp_path: Path):
    from flows.ingest import ingest, ingest_with

    dump = tmp_path / "dump"
    shutil.copytree(SAMPLES, dump)
    (dump / "empty.txt").write_bytes(b"")
    seq, par = tmp_path / "seq.duckdb", tmp_path / "dask.duckdb"
    ingest([str(dump)], db=str(seq), batch_size=3)
    result = ingest_with("local:2")([str(dump)], db=str(par), batch_size=3)
    assert result["status"] == "completed" and result["articles_read"] == 10
    a, b = tables(seq), tables(par)
    assert a["articles"] and a["amounts"]
    assert a == b
