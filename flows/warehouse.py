"""The one DuckDB writer. Loads are idempotent: a batch first deletes what its
files loaded before, then inserts, inside one transaction, so a rerun adds
nothing, a changed article replaces its own facts, and a killed run leaves
the previous state."""
from __future__ import annotations

import hashlib
import os
import re
import tempfile
import time
from collections.abc import Iterable
from datetime import UTC, datetime
from pathlib import Path

import duckdb
import numpy as np
import orjson

from extractors.dedup import band_keys, signature, similar
from extractors.orgs import fold
from schemas.models import ArticleFacts, Reject
from schemas.sql import ddl_sha, ddl_statements

FACT_TABLES = ("org_mentions", "amounts", "dates", "metrics")
PER_ARTICLE = (*FACT_TABLES, "article_bands")  # rows a reloaded article replaces
_SPECS: dict[tuple[str, str], tuple[list[str], str]] = {}  # Warehouse._columns
LOCK_HINT = re.compile(r"lock|conflicting", re.IGNORECASE)


class DatabaseLocked(RuntimeError):
    """Another process holds the DuckDB file; the message says which."""


def file_sha(path: str | Path) -> str:
    h = hashlib.sha256()
    with open(path, "rb") as fh:
        for chunk in iter(lambda: fh.read(1 << 20), b""):
            h.update(chunk)
    return h.hexdigest()


def body_hash(body: str) -> str:
    return hashlib.blake2b(" ".join(body.casefold().split()).encode(), digest_size=16).hexdigest()


def connect(path: str | Path, read_only: bool = False, wait_s: float = 60.0) -> duckdb.DuckDBPyConnection:
    """Open the database, waiting with backoff while another process holds it."""
    path = Path(path)
    if not read_only:
        path.parent.mkdir(parents=True, exist_ok=True)
    delay, deadline = 0.25, time.monotonic() + wait_s
    while True:
        try:
            con = duckdb.connect(str(path), read_only=read_only)
            break
        except duckdb.IOException as e:
            if not LOCK_HINT.search(str(e)) or time.monotonic() >= deadline:
                if LOCK_HINT.search(str(e)):
                    raise DatabaseLocked(f"database {path} is locked by another process "
                                         f"(after {wait_s:.0f}s of retries): {e}") from e
                raise
            time.sleep(delay)
            delay = min(delay * 2, 5.0)
    if not read_only:
        _ensure_schema(con)
    return con


def _ensure_schema(con: duckdb.DuckDBPyConnection) -> None:
    """The DDL, unless it is the one this file was last brought up to date with: run on
    every connection, it re-created the views, and each close wrote the catalog again
    (10 ms a connection, three a run)."""
    try:
        row = con.execute("SELECT ddl_sha FROM schema_version").fetchone()
    except duckdb.CatalogException:  # a new file, or one made before the table existed
        row = None
    if row and row[0] == ddl_sha():
        return
    con.execute("BEGIN TRANSACTION")
    try:
        for stmt in ddl_statements():
            con.execute(stmt)
        con.execute("DELETE FROM schema_version")
        con.execute("INSERT INTO schema_version VALUES (?, ?)", [ddl_sha(), _now()])
        con.execute("COMMIT")
    except BaseException:
        con.execute("ROLLBACK")
        raise


class Warehouse:
    def __init__(self, path: str | Path, wait_s: float = 60.0) -> None:
        self.path = Path(path)
        self.con = connect(self.path, wait_s=wait_s)

    def close(self) -> None:
        self.con.close()

    def __enter__(self) -> Warehouse:
        return self

    def __exit__(self, *exc) -> None:
        self.close()

    # -- runs -----------------------------------------------------------------
    def start_run(self, run_id: str, version: str) -> None:
        self.con.execute(
            "INSERT OR REPLACE INTO runs (run_id, started_at, status, extractor_version) VALUES (?, ?, 'running', ?)",
            [run_id, _now(), version])

    def finish_run(self, run_id: str, status: str, stats: dict) -> None:
        cols = [c for c in stats if c in RUN_COLUMNS]
        sets = ", ".join(f"{c} = ?" for c in cols)
        self.con.execute(f"UPDATE runs SET status = ?, finished_at = ?{', ' + sets if sets else ''} WHERE run_id = ?",
                         [status, _now(), *[stats[c] for c in cols], run_id])

    # -- incremental ----------------------------------------------------------
    def known_files(self) -> dict[str, tuple[str, str]]:
        """source_path -> (content sha, extractor version) of files already loaded."""
        rows = self.con.execute("SELECT source_path, content_sha, extractor_version FROM source_files").fetchall()
        return {p: (s, v) for p, s, v in rows}

    def stored_sources(self, older_than: str | None = None) -> list[str]:
        q = "SELECT source_path FROM source_files"
        args: list = []
        if older_than:
            q += " WHERE extractor_version <> ?"
            args.append(older_than)
        return [r[0] for r in self.con.execute(q + " ORDER BY 1", args).fetchall()]

    # -- load -----------------------------------------------------------------
    def load(self, run_id: str, version: str, facts: list[ArticleFacts], rejects: list[Reject],
             files: Iterable[tuple[str, str]], signatures: dict[str, np.ndarray] | None = None) -> dict[str, int]:
        """One transaction: replace everything these files loaded before. `signatures`
        (article_id -> MinHash) are those made while reading; missing ones are computed."""
        files = list(files)
        paths = [p for p, _ in files]
        now = _now()
        # an article extraction failed on keeps its row, without facts, and gets a reject row saying why
        rejects = [*rejects, *(Reject(source_path=f.article.source_path, reason="extract_error", detail=f.error)
                               for f in facts if f.error)]
        con = self.con
        con.execute("BEGIN TRANSACTION")
        try:
            if paths:
                con.execute("CREATE OR REPLACE TEMP TABLE _batch_paths (p VARCHAR)")
                self._many("INSERT INTO _batch_paths VALUES (?)", [[p] for p in paths])
            # a load records every file of its batch, so files never loaded have nothing to replace: a
            # nightly batch of new files skips seven deletes, each a scan of a growing table
            if paths and con.execute("SELECT count(*) FROM source_files WHERE source_path IN "
                                     "(SELECT p FROM _batch_paths)").fetchone()[0]:
                for t in PER_ARTICLE:
                    con.execute(f"DELETE FROM {t} WHERE article_id IN (SELECT article_id FROM articles "
                                "WHERE source_path IN (SELECT p FROM _batch_paths))")
                con.execute("DELETE FROM articles WHERE source_path IN (SELECT p FROM _batch_paths)")
                con.execute("DELETE FROM rejects WHERE source_path IN (SELECT p FROM _batch_paths)")
            counts = self._insert_facts(run_id, version, facts, now, signatures or {})
            self._many("INSERT INTO rejects VALUES (?, ?, ?, ?, ?)",
                       [[run_id, r.source_path, r.reason, r.detail, now] for r in rejects])
            self._many("INSERT OR REPLACE INTO source_files VALUES (?, ?, ?, ?, ?)",
                       [[p, sha, version, run_id, now] for p, sha in files])
            con.execute("COMMIT")
        except BaseException:
            con.execute("ROLLBACK")
            raise
        counts["rejects"] = len(rejects)
        return counts

    def _many(self, sql: str, rows: list) -> None:
        """`INSERT [OR …] INTO table VALUES (?, …) [tail]` for many rows at C speed.

        DuckDB binds Python parameters at about 1 ms a row; the rows go instead
        through a newline-delimited JSON file read with the table's own types.
        """
        if not rows:
            return
        m = re.match(r"(?P<verb>INSERT(?: OR \w+)? INTO) (?P<table>\w+) VALUES \([?, ]+\)(?P<tail>.*)$", sql, re.S)
        if m is None:
            raise ValueError(f"not a VALUES insert: {sql}")
        table = m.group("table")
        names, spec = self._columns(table)
        # orjson: json.dumps made a new encoder for every row, a third of a load's time
        with tempfile.NamedTemporaryFile("wb", suffix=".jsonl", delete=False) as fh:
            fh.write(b"".join(orjson.dumps(dict(zip(names, r, strict=True)), default=str,
                                           option=orjson.OPT_APPEND_NEWLINE) for r in rows))
        try:
            self.con.execute(f"{m.group('verb')} {table} SELECT * FROM read_json(?, format='newline_delimited', "
                             f"columns={{{spec}}}){m.group('tail')}", [fh.name])
        finally:
            os.unlink(fh.name)

    def _columns(self, table: str) -> tuple[list[str], str]:
        """A table's column names, and its `read_json` columns spec: asked once per
        file and process, since connecting brings the file to this code's DDL (and the
        temp tables are always made the same way)."""
        key = (str(self.path.resolve()), table)
        if key not in _SPECS:
            cols = self.con.execute(f"DESCRIBE {table}").fetchall()
            _SPECS[key] = ([c[0] for c in cols], ", ".join(f"'{c[0]}': '{c[1]}'" for c in cols))
        return _SPECS[key]

    def _org_resolver(self) -> dict[str, str]:
        """Folded alias -> org_id across all articles already stored."""
        rows = self.con.execute(
            "SELECT a.alias, a.org_id, o.in_gazetteer FROM org_aliases a JOIN organizations o USING (org_id)"
        ).fetchall()
        out: dict[str, str] = {}
        for alias, oid, _ in sorted(rows, key=lambda r: (not r[2], r[1])):  # gazetteer ids first
            out.setdefault(fold(alias), oid)
        return out

    def _mark_known_copies(self, facts: list[ArticleFacts], known: dict[str, np.ndarray]
                           ) -> tuple[list[ArticleFacts], dict]:
        """An exact or near copy of an article stored by an earlier batch or run keeps
        its row, not its facts, whatever the batching."""
        sigs = {f.article.article_id: known[f.article.article_id] if f.article.article_id in known
                else signature(f.article.body) for f in facts}
        rows = [[aid, b, h] for aid, sig in sigs.items() for b, h in band_keys(sig)]
        self.con.execute("CREATE OR REPLACE TEMP TABLE _batch_bands (article_id VARCHAR, band INTEGER, h VARCHAR)")
        self._many("INSERT INTO _batch_bands VALUES (?, ?, ?)", rows)
        cands = self.con.execute(
            "SELECT DISTINCT n.article_id, a.article_id, a.minhash FROM _batch_bands n "
            "JOIN article_bands o ON o.band = n.band AND o.h = n.h JOIN articles a ON a.article_id = o.article_id "
            "WHERE a.duplicate_of IS NULL AND a.article_id <> n.article_id ORDER BY 1, 2").fetchall()
        first: dict[str, str] = {}
        for new, old, mh in cands:
            if new not in first and mh is not None and similar(sigs[new], np.array(mh, dtype=np.uint64)):
                first[new] = old
        out = []
        for f in facts:
            if f.article.article_id in first and not f.article.duplicate_of:
                f = ArticleFacts(article=f.article.model_copy(update={"duplicate_of": first[f.article.article_id]}))
            out.append(f)
        return out, sigs

    def _insert_facts(self, run_id: str, version: str, facts: list[ArticleFacts], now,
                      signatures: dict[str, np.ndarray]) -> dict[str, int]:
        facts, sigs = self._mark_known_copies(facts, signatures)
        resolver = self._org_resolver()
        art_rows, org_rows, alias_rows, band_rows = [], {}, set(), []
        rows: dict[str, list] = {t: [] for t in FACT_TABLES}
        for f in facts:
            a = f.article
            art_rows.append([a.article_id, a.source_path, a.record_id, a.url, a.title, a.publisher, a.agency,
                             a.author, a.published_date, a.language, a.fmt, a.body, body_hash(a.body),
                             sigs[a.article_id].tolist(), a.duplicate_of, version, now, run_id])
            if not a.duplicate_of:
                band_rows.extend([a.article_id, b, h] for b, h in band_keys(sigs[a.article_id]))
            remap = {}
            for o in f.organizations:
                oid = o.org_id
                if not o.in_gazetteer:
                    known = {resolver[k] for k in (fold(x) for x in [o.name, *o.aliases]) if k in resolver}
                    if len(known) == 1:
                        oid = known.pop()  # the same organisation seen in another article
                remap[o.org_id] = oid
                prev = org_rows.get(oid)
                if prev is None or (not o.in_gazetteer and len(o.name) > len(prev[1])):
                    org_rows[oid] = [oid, o.name, o.acronym, o.org_type, o.in_gazetteer]
                for al in {o.name, *o.aliases}:
                    alias_rows.add((oid, al))
                    resolver.setdefault(fold(al), oid)
            for m in f.org_mentions:
                rows["org_mentions"].append([a.article_id, remap.get(m.org_key, m.org_key), m.text, m.in_title,
                                             m.start_char, m.end_char, m.sentence])
            for x in f.amounts:
                rows["amounts"].append([a.article_id, x.text, x.value, x.value_max, x.currency, x.approximate,
                                        remap.get(x.org_id, x.org_id), x.in_title, x.start_char, x.end_char,
                                        x.sentence])
            for x in f.dates:
                rows["dates"].append([a.article_id, x.text, x.value, x.granularity, x.start, x.end, x.relative,
                                      x.in_title, x.start_char, x.end_char, x.sentence])
            for x in f.metrics:
                rows["metrics"].append([a.article_id, x.text, x.value, x.unit, x.name, x.approximate, x.in_title,
                                        x.start_char, x.end_char, x.sentence])
        self._many(f"INSERT OR REPLACE INTO articles VALUES ({', '.join('?' * 18)})", art_rows)
        self._many("INSERT INTO article_bands VALUES (?, ?, ?)", band_rows)
        self._many(
            "INSERT INTO organizations VALUES (?, ?, ?, ?, ?) ON CONFLICT (org_id) DO UPDATE SET "
                "name = CASE WHEN NOT organizations.in_gazetteer AND length(excluded.name) > length(organizations.name)"
                " THEN excluded.name ELSE organizations.name END, "
                "acronym = coalesce(organizations.acronym, excluded.acronym)",
            list(org_rows.values()))
        self._many("INSERT OR IGNORE INTO org_aliases VALUES (?, ?)", sorted(alias_rows))
        for t, r in rows.items():
            if r:
                self._many(f"INSERT INTO {t} VALUES ({', '.join('?' * len(r[0]))})", r)
        return {"articles": len(art_rows), "organizations": len(org_rows),
                **{t: len(r) for t, r in rows.items()}}

    def table_counts(self) -> dict[str, int]:
        names = ["articles", "organizations", "org_aliases", *FACT_TABLES, "rejects", "runs", "source_files"]
        return {t: self.con.execute(f"SELECT count(*) FROM {t}").fetchone()[0] for t in names}


RUN_COLUMNS = {"files_seen", "files_skipped", "articles_read", "articles_loaded", "duplicates", "non_french",
               "rejects", "organizations", "amounts", "dates", "metrics", "seconds_read", "seconds_extract",
               "seconds_load"}


def _now() -> datetime:
    return datetime.now(UTC).replace(tzinfo=None)
