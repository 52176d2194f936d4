"""The Prefect `ingest` flow: discover -> read and clean -> extract -> load.

Tasks work on batches of files, never one article, so a run of a thousand
articles is a handful of task runs; the spaCy pipeline is built once per
process (extractors.pipeline.build_nlp is cached).
"""
from __future__ import annotations

import time
import uuid
from collections import deque
from collections.abc import Iterator
from concurrent.futures import Executor
from contextlib import contextmanager, nullcontext
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path

from prefect import flow, get_run_logger, task
from prefect.artifacts import create_markdown_artifact
from prefect.cache_policies import NO_CACHE
from prefect.context import FlowRunContext
from prefect.settings import temporary_settings
from prefect.utilities.annotations import quote

from extractors import EXTRACTOR_VERSION
from extractors.pipeline import build_nlp, worker_pool
from extractors.readers import discover
from extractors.stages import Batch, Prepared, prepare_batch, reading_ahead
from flows.warehouse import Warehouse, file_sha

DEFAULT_DB = "data/depeche.duckdb"


@dataclass
class Plan:
    todo: list[tuple[str, str]] = field(default_factory=list)  # (path, sha)
    skipped: int = 0
    seen: int = 0


def _worth_retrying(task, task_run, state) -> bool:
    """A path that is missing now will still be missing two seconds later."""
    try:
        state.result()
    except FileNotFoundError:
        return False
    except Exception:  # any other failure may be transient
        pass
    return True


@task(cache_policy=NO_CACHE, retries=2, retry_delay_seconds=2, retry_condition_fn=_worth_retrying)
def plan_files(paths: list[str], db: str, reprocess: bool, run_id: str) -> Plan:
    """Record the run as started, then keep new or changed files only: unchanged
    ones are skipped before spaCy loads."""
    with Warehouse(db) as wh:  # one opening of the file for both
        wh.start_run(run_id, EXTRACTOR_VERSION)
        files = discover(paths)
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
def extract_files(files: list[str], reference: date | None, pool: Executor | None = None,
                  read: tuple[Prepared, float] | None = None) -> Batch:
    """Read (unless `read` has it), clean and extract one batch: over the flow's worker
    processes when it has a pool (the task's thread only waits), on a Dask worker, or here."""
    return prepare_batch(files, reference, pool, read)


@task(cache_policy=NO_CACHE, retries=3, retry_delay_seconds=[2, 5, 10])
def load_batch(db: str, run_id: str, result: Batch, files: list[tuple[str, str]], n: int) -> dict[str, int]:
    """The single writer: batches load one after the other, in the flow's order."""
    get_run_logger().info("loading batch %d: %d articles, %d rejects", n, len(result.facts),
                          len(result.prepared.rejects))
    with Warehouse(db) as wh:
        return wh.load(run_id, EXTRACTOR_VERSION, result.facts, result.prepared.rejects, files,
                       signatures=result.prepared.signatures)


def _batches(items: list, size: int) -> list[list]:
    return [items[i:i + size] for i in range(0, len(items), size)]


@flow(name="ingest", log_prints=False)
def ingest(paths: list[str], db: str = DEFAULT_DB, reprocess: bool = False, batch_size: int = 200,
           reference_date: date | None = None, processes: int = 1) -> dict:
    """Load article dumps into DuckDB; rerunning on the same dump adds nothing.

    `processes` > 1 extracts batches in that many forked worker processes while
    this process loads finished batches into DuckDB, in order.
    """
    log = get_run_logger()
    run_id = str(uuid.uuid4())
    stats = {"files_seen": 0, "files_skipped": 0, "articles_read": 0, "articles_loaded": 0, "duplicates": 0,
             "non_french": 0, "rejects": 0, "organizations": 0, "amounts": 0, "dates": 0, "metrics": 0,
             "seconds_model": 0.0, "seconds_read": 0.0, "seconds_extract": 0.0, "seconds_load": 0.0}
    reject_lines: list[str] = []
    status = "failed"
    try:
        plan = plan_files(paths, db, reprocess, run_id)
        stats["files_seen"], stats["files_skipped"] = plan.seen, plan.skipped
        log.info("%d files found, %d unchanged and skipped, %d to process", plan.seen, plan.skipped, len(plan.todo))
        runner = FlowRunContext.get().task_runner
        on_dask = type(runner).__name__ == "DaskTaskRunner"
        workers = _dask_slots(runner) if on_dask else max(1, processes)
        if on_dask:  # a Dask worker takes whole batches: enough of them to keep every worker busy
            batch_size = min(batch_size, max(25, -(-len(plan.todo) // (4 * workers))))
        batches = _batches(plan.todo, batch_size)
        first_read = None
        if plan.todo and not on_dask:  # Dask workers load their own
            # a process forked now reads the first batch while spaCy loads here (a
            # second of GIL-bound work); it is gone before extraction starts
            with reading_ahead(_paths(batches[0])) as ahead:
                t0 = time.perf_counter()
                build_nlp()
                stats["seconds_model"] = time.perf_counter() - t0
                first_read = ahead()
        with worker_pool(1 if on_dask else processes) as pool:
            extracted = _extracted(batches, reference_date, pool, on_dask, 2 * workers, first_read)
            for n, (batch, result) in enumerate(extracted, 1):
                t0 = time.perf_counter()
                # quoted: Prefect would otherwise walk every fact looking for futures (~1 s a batch)
                counts = load_batch(db, run_id, quote(result), batch, n)
                stats["seconds_read"] += result.seconds_read
                stats["seconds_extract"] += result.seconds_extract
                stats["seconds_load"] += time.perf_counter() - t0
                _tally(stats, result, counts, reject_lines, log)
        status = "completed"
    finally:
        with Warehouse(db) as wh:
            wh.finish_run(run_id, status, stats)
    _artifact(run_id, db, stats, reject_lines)
    log.info("run %s %s: %s", run_id, status, stats)
    return {"run_id": run_id, "status": status, **stats}


def _dask_slots(runner) -> int:
    """The Dask cluster's task slots (its workers' threads), at least 2 for a cluster
    still scaling up. Assuming 8 cut 1,000 articles on 2 workers into 32 batches, and
    their loads (a task, a DuckDB open and checkpoint each) took 10 s of the flow."""
    return max(2, sum(runner.client.nthreads().values()))


def _paths(batch: list[tuple[str, str]]) -> list[str]:
    return [p for p, _ in batch]


def _extracted(batches: list[list[tuple[str, str]]], reference: date | None, pool: Executor | None, on_dask: bool,
               window: int, first_read: tuple[Prepared, float] | None = None
               ) -> Iterator[tuple[list[tuple[str, str]], Batch]]:
    """Extracted batches in order (the first one maybe already read). With workers, up
    to `window` batches are in flight so they stay busy while the caller loads, and
    memory stays bounded."""
    reads = iter([quote(first_read)] if first_read else [])  # quoted: Prefect would otherwise walk every article
    if pool is None and not on_dask:
        # on one process, a reader forked before each batch's extraction reads the next batch on
        # the other core: reading was a twentieth of a one-process run, in series with spaCy
        read = next(reads, None)
        for b, nxt in zip(batches, [*batches[1:], None], strict=False):  # nxt: None after the last
            with reading_ahead(_paths(nxt)) if nxt else nullcontext() as ahead:
                result = extract_files(_paths(b), reference, read=read)
                read = quote(ahead()) if ahead else None
            yield b, result
        return
    pending: deque = deque()
    todo = iter(batches)
    for b in todo:
        pending.append((b, extract_files.submit(_paths(b), reference, pool, next(reads, None))))
        if len(pending) >= window:
            break
    while pending:
        b, fut = pending.popleft()
        nxt = next(todo, None)
        if nxt is not None:
            pending.append((nxt, extract_files.submit(_paths(nxt), reference, pool, next(reads, None))))
        yield b, fut.result()


def _tally(stats: dict, result: Batch, counts: dict[str, int], reject_lines: list[str], log) -> None:
    arts = result.prepared.articles
    stats["articles_read"] += len(arts)
    stats["articles_loaded"] += counts["articles"]
    stats["duplicates"] += sum(1 for a in arts if a.duplicate_of)
    stats["non_french"] += sum(1 for a in arts if a.language != "fr")  # also among the rejects, logged below
    failed = [(f.article.source_path, "extract_error", f.error) for f in result.facts if f.error]
    for path, reason, detail in [*((r.source_path, r.reason, r.detail) for r in result.prepared.rejects), *failed]:
        log.warning("rejected %s: %s %s", path, reason, detail)
        reject_lines.append(f"| `{Path(path).name}` | {reason} | {detail[:80]} |")
    stats["rejects"] += counts["rejects"]
    for k in ("organizations", "amounts", "dates", "metrics"):
        stats[k] += counts[k]


def _artifact(run_id: str, db: str, stats: dict, reject_lines: list[str]) -> None:
    rows = "\n".join(f"| {k} | {round(v, 2) if isinstance(v, float) else v} |" for k, v in stats.items())
    md = f"# Depeche ingest\n\nRun `{run_id}` into `{db}`.\n\n| figure | value |\n|---|---|\n{rows}\n"
    if reject_lines:
        md += "\n## Rejects\n\n| file | reason | detail |\n|---|---|---|\n" + "\n".join(reject_lines[:200]) + "\n"
    create_markdown_artifact(markdown=md, key="depeche-ingest-summary", description="Depeche ingest run")


@flow(name="reprocess")
def reprocess(db: str = DEFAULT_DB, batch_size: int = 200, processes: int = 1) -> dict:
    """Re-extract every stored file made by another extractor version."""
    with Warehouse(db) as wh:
        stale = [p for p in wh.stored_sources(older_than=EXTRACTOR_VERSION) if Path(p).exists()]
    get_run_logger().info("%d files were extracted by another version", len(stale))
    if not stale:
        return {"status": "completed", "files": 0}
    return ingest(stale, db=db, reprocess=True, batch_size=batch_size, processes=processes)


def task_runner_for(dask: str | None):
    """None: Prefect's default threads. 'local:N': a LocalCluster of N worker
    processes on this machine. Anything else: the address of a Dask scheduler."""
    if not dask:
        return None
    from prefect_dask import DaskTaskRunner

    if dask.startswith("local"):
        n = int(dask.partition(":")[2] or 2)
        return DaskTaskRunner(cluster_kwargs={"n_workers": n, "threads_per_worker": 1, "processes": True})
    return DaskTaskRunner(address=dask)


@contextmanager
def by_hand() -> Iterator[None]:
    """Settings for a run started by hand (`depeche run`, the benchmark) rather than
    by a deployment: no heartbeats. They only let an automation mark a deployment's
    run crashed, and at the end of every run Prefect waits up to a second for the
    heartbeat thread to wake up and stop."""
    with temporary_settings(updates={"flows.heartbeat_frequency": None}):
        yield


def ingest_with(dask: str | None):
    runner = task_runner_for(dask)
    return ingest.with_options(task_runner=runner) if runner else ingest
