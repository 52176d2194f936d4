"""The `depeche` command as a user runs it: a real subprocess."""
from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

from tests.conftest import SAMPLES, SEEDS, SHARED

DEPECHE = [sys.executable, "-m", "depeche.cli"]
CONTRACT = {"id", "source_file", "title", "publisher", "published", "url", "body", "organizations", "amounts",
            "dates", "metrics"}


def run(*args: str, **kw) -> subprocess.CompletedProcess:
    return subprocess.run([*DEPECHE, *args], capture_output=True, text=True, timeout=300, **kw)


@pytest.mark.seeds
def test_extract_seeds_matches_contract_and_scores(tmp_path: Path):
    res = run("extract", "--format", "jsonl", str(SEEDS))
    assert res.returncode == 0, res.stderr
    recs = [json.loads(line) for line in res.stdout.splitlines()]
    assert len(recs) == 5
    for r in recs:
        assert CONTRACT <= set(r)
        assert all({"name", "aliases"} <= set(o) for o in r["organizations"])
        assert all({"text", "value", "value_max", "currency"} <= set(a) for a in r["amounts"])
        assert all({"text", "value"} <= set(d) for d in r["dates"])
        assert all({"text", "value", "unit"} <= set(m) for m in r["metrics"])
    pred = tmp_path / "pred.jsonl"
    pred.write_text(res.stdout, encoding="utf-8")
    sc = subprocess.run([sys.executable, str(SHARED / "eval" / "score.py"), str(SHARED / "eval" / "dev.jsonl"),
                         str(pred), "--json"], capture_output=True, text=True, check=True)
    figures = json.loads(sc.stdout)
    assert figures["articles"]["paired"] == 5


def test_extract_reference_date_resolves_relative_dates(tmp_path: Path):
    rec = {"id": "r1", "text": "La Banque mondiale a annoncé lundi dernier un prêt de 50 millions de dollars "
                               "pour soutenir 200 entreprises marocaines dans la région de l'Oriental au second "
                               "semestre. Le comité s'est réuni la semaine dernière."}
    f = tmp_path / "one.jsonl"
    f.write_text(json.dumps(rec, ensure_ascii=False) + "\n", encoding="utf-8")
    res = run("extract", "--reference-date", "2011-02-09", str(f))
    assert res.returncode == 0, res.stderr
    (out,) = [json.loads(line) for line in res.stdout.splitlines()]
    assert out["id"] == "r1"
    # the contract's values are days, months or years: a half-year is given as its year
    assert [(d["value"], d.get("period")) for d in out["dates"]] == [("2011-02-07", None), ("2011", "2011-H2")]
    assert [d["value"] for d in out["weeks"]] == ["2011-W05"]  # a week has no value in the contract
    assert [(a["value"], a["currency"]) for a in out["amounts"]] == [(50000000, "USD")]


def test_extract_reports_rejects_and_goes_on(tmp_path: Path):
    (tmp_path / "empty.txt").write_bytes(b"")
    (tmp_path / "ok.html").write_text((SAMPLES / "05_autoroutes.html").read_text(encoding="utf-8"), encoding="utf-8")
    res = run("extract", str(tmp_path))
    assert res.returncode == 0
    assert "rejected" in res.stderr and "empty" in res.stderr
    assert len(res.stdout.splitlines()) == 1


def test_query_is_read_only(tmp_path: Path):
    import duckdb

    db = tmp_path / "q.duckdb"
    con = duckdb.connect(str(db))
    con.execute("CREATE TABLE articles AS SELECT 1 AS article_id")
    con.close()
    res = run("query", "select count(*) AS n from articles", "--db", str(db), "--format", "json")
    assert res.returncode == 0, res.stderr
    assert json.loads(res.stdout) == {"n": 1}
    res = run("query", "insert into articles values (2)", "--db", str(db))
    assert res.returncode == 1 and "read-only" in res.stderr.lower()
    res = run("query", "select 1", "--db", str(tmp_path / "missing.duckdb"))
    assert res.returncode == 2


def test_watch_an_inbox_that_does_not_exist(tmp_path: Path):
    res = run("watch", str(tmp_path / "nope"), "--db", str(tmp_path / "w.duckdb"))
    assert res.returncode == 2 and "no such file or folder" in res.stderr
