"""The Prefect flow into a real DuckDB file, under one test harness."""
from __future__ import annotations

import shutil
from pathlib import Path

import duckdb
import pytest

from tests.conftest import SAMPLES

TABLES = ["articles", "organizations", "org_aliases", "org_mentions", "amounts", "dates", "metrics", "rejects",
          "source_files"]


def counts(db: Path) -> dict[str, int]:
    con = duckdb.connect(str(db), read_only=True)
    try:
        return {t: con.execute(f"SELECT count(*) FROM {t}").fetchone()[0] for t in TABLES}
    finally:
        con.close()


def snapshot(db: Path) -> dict[str, list]:
    con = duckdb.connect(str(db), read_only=True)
    try:
        return {
            "amounts": con.execute("SELECT article_id, text, value, currency, start_char FROM amounts "
                                   "ORDER BY ALL").fetchall(),
            "orgs": con.execute("SELECT org_id, name FROM organizations ORDER BY ALL").fetchall(),
            "articles": con.execute("SELECT article_id, title, body FROM articles ORDER BY ALL").fetchall(),
        }
    finally:
        con.close()


@pytest.fixture()
def dump(tmp_path: Path) -> Path:
    d = tmp_path / "inbox"
    shutil.copytree(SAMPLES, d)
    (d / "empty.txt").write_bytes(b"")
    (d / "binary.txt").write_bytes(bytes(range(256)) * 40)
    return d


def test_ingest_idempotent_incremental_and_rejects(prefect_harness, dump: Path, tmp_path: Path):
    from flows.ingest import ingest

    db = tmp_path / "w.duckdb"
    first = ingest([str(dump)], db=str(db))
    assert first["status"] == "completed"
    c1 = counts(db)
    assert c1["articles"] == 10 and c1["amounts"] > 10 and c1["dates"] > 10 and c1["metrics"] > 10
    con = duckdb.connect(str(db), read_only=True)
    rejects = dict(con.execute("SELECT regexp_extract(source_path, '[^/]+$'), reason FROM rejects").fetchall())
    langs = dict(con.execute("SELECT record_id, language FROM articles WHERE record_id LIKE 'crawl%'").fetchall())
    offsets = con.execute("SELECT a.body[m.start_char + 1 : m.end_char] = m.text FROM amounts m JOIN articles a "
                          "USING (article_id) WHERE NOT m.in_title").fetchall()
    views = {v: con.execute(f"SELECT count(*) FROM {v}").fetchone()[0] for v in ("v_dates", "v_metrics", "v_articles")}
    fact_sums = con.execute("SELECT sum(dates), sum(metrics) FROM v_articles").fetchone()
    con.close()
    # every fact of an extracted article, and only extracted articles (the English record and copies are not)
    assert views == {"v_dates": c1["dates"], "v_metrics": c1["metrics"],
                     "v_articles": c1["articles"] - 1 - first["duplicates"]}
    assert fact_sums == (c1["dates"], c1["metrics"])
    assert rejects == {"empty.txt": "empty", "binary.txt": "binary", "07_crawl.jsonl": "not_french"}
    assert langs["crawl-0004"] == "en"
    assert offsets and all(ok for (ok,) in offsets)
    snap = snapshot(db)

    second = ingest([str(dump)], db=str(db))  # unchanged: every file skipped
    assert second["files_skipped"] == second["files_seen"] and second["articles_read"] == 0
    assert counts(db) == c1

    third = ingest([str(dump)], db=str(db), reprocess=True)  # forced: same tables
    assert third["articles_read"] == 10
    assert counts(db) == c1 and snapshot(db) == snap

    # a changed article replaces its own facts and nothing else
    f = dump / "03_startups.txt"
    f.write_text(f.read_text(encoding="utf-8").replace("500 MDH", "800 MDH"), encoding="utf-8")
    ingest([str(dump)], db=str(db))
    con = duckdb.connect(str(db), read_only=True)
    vals = [v for (v,) in con.execute("SELECT value FROM amounts a JOIN articles USING (article_id) "
                                      "WHERE source_path LIKE '%03_startups.txt'").fetchall()]
    con.close()
    assert 800e6 in vals and 500e6 not in vals
    assert counts(db)["articles"] == c1["articles"]


def test_organisation_shared_across_articles(prefect_harness, tmp_path: Path):
    from flows.ingest import ingest

    d = tmp_path / "two"
    d.mkdir()
    base = ("{t}\nPublié dans Le Test le 0{n} - 03 - 2024\n\nLa société Atlas Digital Services (ADS) {v} selon "
            "un communiqué publié à Casablanca par l'entreprise, qui emploie 300 ingénieurs.\n")
    (d / "a.txt").write_text(base.format(t="Atlas recrute", n=1, v="recrute 50 ingénieurs,"), encoding="utf-8")
    (d / "b.txt").write_text(base.format(t="ADS investit", n=2, v="investit 20 MDH,").replace(
        "La société Atlas Digital Services (ADS)", "ADS"), encoding="utf-8")
    db = tmp_path / "o.duckdb"
    ingest([str(d)], db=str(db))
    con = duckdb.connect(str(db), read_only=True)
    rows = con.execute("SELECT DISTINCT org_id, count(DISTINCT article_id) FROM org_mentions m JOIN organizations o "
                       "USING (org_id) WHERE o.acronym = 'ADS' OR o.name LIKE 'Atlas%' GROUP BY 1").fetchall()
    con.close()
    assert len(rows) == 1 and rows[0][1] == 2


def test_reprocess_reextracts_articles_of_another_version(prefect_harness, dump: Path, tmp_path: Path):
    from extractors import EXTRACTOR_VERSION
    from flows.ingest import ingest, reprocess

    db = tmp_path / "r.duckdb"
    ingest([str(dump)], db=str(db))
    before = counts(db)
    con = duckdb.connect(str(db))
    con.execute("UPDATE source_files SET extractor_version = '0.0.1' WHERE source_path LIKE '%01_bam_taux.txt'")
    con.execute("UPDATE articles SET extractor_version = '0.0.1' WHERE source_path LIKE '%01_bam_taux.txt'")
    con.close()
    res = reprocess(db=str(db))
    assert res["articles_read"] == 1
    con = duckdb.connect(str(db), read_only=True)
    versions = {v for (v,) in con.execute("SELECT DISTINCT extractor_version FROM articles").fetchall()}
    con.close()
    assert versions == {EXTRACTOR_VERSION} and counts(db) == before


def test_a_missing_path_fails_the_run_at_once(prefect_harness, tmp_path: Path, monkeypatch):
    """No retries for a path that is not there, and the run is recorded as failed."""
    import flows.ingest as fi

    looked: list = []
    real = fi.discover
    monkeypatch.setattr(fi, "discover", lambda paths: looked.append(paths) or real(paths))
    db = tmp_path / "w.duckdb"
    with pytest.raises(FileNotFoundError):
        fi.ingest([str(tmp_path / "nowhere")], db=str(db))
    assert len(looked) == 1
    con = duckdb.connect(str(db), read_only=True)
    try:
        assert con.execute("SELECT status, files_seen FROM runs").fetchall() == [("failed", 0)]
    finally:
        con.close()
