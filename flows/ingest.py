"""The Prefect `ingest` flow: discover -> read and clean -> extract -> load.

Tasks work on batches of files, never one article, so a run of a thousand
articles is a handful of task runs; the spaCy pipeline is built once per
process (extractors.pipeline.build_nlp is cached).
"""
from __future__ import annotations

import time
import uuid
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path

from prefect import flow, get_run_logger, task
from prefect.artifacts import create_markdown_artifact
from prefect.cache_policies import NO_CACHE

from extractors import EXTRACTOR_VERSION
from extractors.pipeline import extract
from extractors.readers import discover
from extractors.stages import Prepared, read_and_clean
from flows.warehouse import Warehouse, file_sha
from schemas.models import ArticleFacts

DEFAULT_DB = "data/depeche.duckdb"


@dataclass
class Plan:
    todo: list[tuple[str, str]] = field(default_factory=list)  # (path, sha)
    skipped: int = 0
    seen: int = 0


@task(cache_policy=NO_CACHE, retries=2, retry_delay_seconds=2)
def plan_files(paths: list[str], db: str, reprocess: bool) -> Plan:
    """New or changed files only: unchanged ones are skipped before spaCy loads."""
    files = discover(paths)
    with Warehouse(db) as wh:
        known = {} if reprocess else wh.known_files()
    plan = Plan(seen=len(files))
    for f in files:
        sha = file_sha(f)
        if known.get(str(f), (None, None)) == (sha, EXTRACTOR_VERSION):
            plan.skipped += 1
        else:
            plan.todo.append((str(f), sha))
    return plan


@task(cache_policy=NO_CACHE, retries=1)
def prepare_batch(files: list[str]) -> Prepared:
    return read_and_clean([Path(f) for f in files])


@task(cache_policy=NO_CACHE)
def extract_batch(prepared: Prepared, reference: date | None, n_process: int) -> list[ArticleFacts]:
    return extract(prepared.articles, reference=reference, n_process=n_process)


@task(cache_policy=NO_CACHE, retries=3, retry_delay_seconds=[2, 5, 10])
def load_batch(db: str, run_id: str, facts: list[ArticleFacts], prepared: Prepared,
               files: list[tuple[str, str]]) -> dict[str, int]:
    with Warehouse(db) as wh:
        return wh.load(run_id, EXTRACTOR_VERSION, facts, prepared.rejects, files)


def _batches(items: list, size: int) -> list[list]:
    return [items[i:i + size] for i in range(0, len(items), size)]


@flow(name="ingest", log_prints=False)
def ingest(paths: list[str], db: str = DEFAULT_DB, reprocess: bool = False, batch_size: int = 200,
           reference_date: date | None = None, n_process: int = 1) -> dict:
    """Load article dumps into DuckDB; rerunning on the same dump adds nothing."""
    log = get_run_logger()
    run_id = str(uuid.uuid4())
    with Warehouse(db) as wh:
        wh.start_run(run_id, EXTRACTOR_VERSION)
    stats = {"files_seen": 0, "files_skipped": 0, "articles_read": 0, "articles_loaded": 0, "duplicates": 0,
             "non_french": 0, "rejects": 0, "organizations": 0, "amounts": 0, "dates": 0, "metrics": 0,
             "seconds_read": 0.0, "seconds_extract": 0.0, "seconds_load": 0.0}
    reject_lines: list[str] = []
    status = "failed"
    try:
        plan = plan_files(paths, db, reprocess)
        stats["files_seen"], stats["files_skipped"] = plan.seen, plan.skipped
        log.info("%d files found, %d unchanged and skipped, %d to process", plan.seen, plan.skipped, len(plan.todo))
        for batch in _batches(plan.todo, batch_size):
            t0 = time.perf_counter()
            prepared = prepare_batch([p for p, _ in batch])
            t1 = time.perf_counter()
            facts = extract_batch(prepared, reference_date, n_process)
            t2 = time.perf_counter()
            counts = load_batch(db, run_id, facts, prepared, batch)
            t3 = time.perf_counter()
            stats["seconds_read"] += t1 - t0
            stats["seconds_extract"] += t2 - t1
            stats["seconds_load"] += t3 - t2
            arts = prepared.articles
            stats["articles_read"] += len(arts)
            stats["articles_loaded"] += counts["articles"]
            stats["duplicates"] += sum(1 for a in arts if a.duplicate_of)
            nf = [a for a in arts if a.language != "fr"]
            stats["non_french"] += len(nf)
            for a in nf:
                log.warning("not French (%s), stored without facts: %s", a.language, a.source_path)
            for r in prepared.rejects:
                log.warning("rejected %s: %s %s", r.source_path, r.reason, r.detail)
                reject_lines.append(f"| `{Path(r.source_path).name}` | {r.reason} | {r.detail[:80]} |")
            stats["rejects"] += len(prepared.rejects)
            for k in ("amounts", "dates", "metrics"):
                stats[k] += counts[k]
            stats["organizations"] += counts["organizations"]
        status = "completed"
    finally:
        with Warehouse(db) as wh:
            wh.finish_run(run_id, status, stats)
    _artifact(run_id, db, stats, reject_lines)
    log.info("run %s %s: %s", run_id, status, stats)
    return {"run_id": run_id, "status": status, **stats}


def _artifact(run_id: str, db: str, stats: dict, reject_lines: list[str]) -> None:
    rows = "\n".join(f"| {k} | {round(v, 2) if isinstance(v, float) else v} |" for k, v in stats.items())
    md = f"# Depeche ingest\n\nRun `{run_id}` into `{db}`.\n\n| figure | value |\n|---|---|\n{rows}\n"
    if reject_lines:
        md += "\n## Rejects\n\n| file | reason | detail |\n|---|---|---|\n" + "\n".join(reject_lines[:200]) + "\n"
    create_markdown_artifact(markdown=md, key="depeche-ingest-summary", description="Depeche ingest run")


@flow(name="reprocess")
def reprocess(db: str = DEFAULT_DB, batch_size: int = 200) -> dict:
    """Re-extract every stored file made by another extractor version."""
    with Warehouse(db) as wh:
        stale = [p for p in wh.stored_sources(older_than=EXTRACTOR_VERSION) if Path(p).exists()]
    get_run_logger().info("%d files were extracted by another version", len(stale))
    if not stale:
        return {"status": "completed", "files": 0}
    return ingest(stale, db=db, reprocess=True, batch_size=batch_size)
