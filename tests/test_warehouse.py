"""The warehouse file's schema across versions of the DDL."""
from __future__ import annotations

from pathlib import Path

import duckdb

from flows.warehouse import Warehouse
from schemas.sql import ddl_sha


def _views(db: Path) -> set[str]:
    con = duckdb.connect(str(db), read_only=True)
    try:
        return {r[0] for r in con.execute("SELECT view_name FROM duckdb_views() WHERE NOT internal").fetchall()}
    finally:
        con.close()


def test_a_file_made_by_another_ddl_is_brought_up_to_date(tmp_path: Path):
    db = tmp_path / "w.duckdb"
    Warehouse(db).close()
    views = _views(db)
    assert "v_articles" in views
    con = duckdb.connect(str(db))  # as an older Depeche left it: a view missing, another DDL recorded
    con.execute("DROP VIEW v_articles")
    con.execute("UPDATE schema_version SET ddl_sha = 'older'")
    con.close()
    Warehouse(db).close()
    assert _views(db) == views
    con = duckdb.connect(str(db), read_only=True)
    assert con.execute("SELECT ddl_sha FROM schema_version").fetchall() == [(ddl_sha(),)]
    con.close()


def test_a_file_from_before_the_schema_version_table_gets_it(tmp_path: Path):
    db = tmp_path / "w.duckdb"
    Warehouse(db).close()
    con = duckdb.connect(str(db))
    con.execute("DROP TABLE schema_version")
    con.execute("DROP VIEW v_amounts")
    con.close()
    with Warehouse(db) as wh:
        assert wh.con.execute("SELECT ddl_sha FROM schema_version").fetchall() == [(ddl_sha(),)]
    assert "v_amounts" in _views(db)


def test_an_up_to_date_file_is_left_as_it_is(tmp_path: Path):
    """The DDL runs once per version of it, not on every connection."""
    db = tmp_path / "w.duckdb"
    Warehouse(db).close()
    con = duckdb.connect(str(db))
    con.execute("DROP VIEW v_dates")  # a change the DDL would undo if it ran again
    con.close()
    Warehouse(db).close()
    assert "v_dates" not in _views(db)
