"""`depeche`: a thin command line over the extractors and the Prefect flow."""
from __future__ import annotations

import json
import sys
from datetime import date
from pathlib import Path
from typing import Annotated

import typer
from rich.console import Console
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn
from rich.table import Table

app = typer.Typer(help="Depeche: French economic press articles -> facts in DuckDB.", no_args_is_help=True,
                  add_completion=False)
err = Console(stderr=True)
out = Console(width=None if sys.stdout.isatty() else 130)  # logs and pipes get readable tables

DB_OPT = typer.Option("--db", help="DuckDB file.")
EXIT_FAILED, EXIT_LOCKED = 1, 75  # 75 = EX_TEMPFAIL: a scheduler may retry later

EXAMPLES = [
    ("Largest sums in dirhams",
     "SELECT format('{:,}', value::BIGINT) AS dirhams, text, organization, publisher, published_date "
     "FROM v_amounts WHERE currency = 'MAD' ORDER BY v_amounts.value DESC LIMIT 5"),
    ("Organisations named in most articles",
     "SELECT organization, acronym, articles, mentions FROM v_org_counts ORDER BY articles DESC, mentions DESC "
     "LIMIT 5"),
    ("Dates by month",
     "SELECT value, count(*) AS n FROM dates WHERE granularity = 'month' GROUP BY value ORDER BY value LIMIT 5"),
]


def _parse_date(value: str | None) -> date | None:
    if value is None:
        return None
    try:
        return date.fromisoformat(value)
    except ValueError as e:
        raise typer.BadParameter(f"expected YYYY-MM-DD, got {value!r}") from e


def prediction_line(facts) -> str:
    """One article's line of `extract`'s output (made in the worker that extracted it)."""
    return json.dumps(facts.to_prediction(), ensure_ascii=False, default=str) + "\n"


@app.command()
def extract(
    paths: Annotated[list[Path], typer.Argument(help="Article files (.txt, .html, .jsonl, .warc) or folders.")],
    fmt: Annotated[str, typer.Option("--format", help="Output format: jsonl.")] = "jsonl",
    reference_date: Annotated[str | None, typer.Option(
        "--reference-date", help="YYYY-MM-DD for articles without a publication date.")] = None,
    batch_size: Annotated[int, typer.Option(help="Articles per nlp.pipe batch.")] = 32,
    processes: Annotated[int, typer.Option(help="Worker processes for extraction.")] = 1,
) -> None:
    """Print one JSON object per article (PREDICTIONS.md); no database, no Prefect."""
    from extractors.pipeline import build_nlp, extract_iter, worker_pool
    from extractors.readers import discover
    from extractors.stages import ReadStream, read_and_clean_iter
    from schemas.models import Reject

    if fmt != "jsonl":
        raise typer.BadParameter("only jsonl is supported", param_hint="--format")
    ref = _parse_date(reference_date)
    try:
        files = discover(paths)
    except FileNotFoundError as e:
        err.print(f"[red]no such file or folder: {e}")
        raise typer.Exit(2) from e
    # with workers, a process forked before spaCy loads reads the dump, and goes on
    # cleaning while the workers extract what it has sent
    stream = ReadStream([str(f) for f in files]) if processes > 1 else None
    try:
        build_nlp()  # meanwhile, a reader reads
        total, items = (stream.total, iter(stream)) if stream else read_and_clean_iter(files)

        def articles():
            for item, _ in items:
                if isinstance(item, Reject):
                    err.print(f"[yellow]rejected[/] {item.source_path}: {item.reason} {item.detail}")
                else:
                    yield item

        with Progress(TextColumn("extract"), BarColumn(), MofNCompleteColumn(), TimeElapsedColumn(), console=err,
                      transient=True, disable=not err.is_terminal) as bar, worker_pool(processes) as pool:
            job = bar.add_task("extract", total=total)
            # streamed: lines are written while the workers extract what follows
            for line in extract_iter(articles(), reference=ref, batch_size=batch_size, pool=pool,
                                     remaining=stream.remaining if stream else None, finish=prediction_line):
                sys.stdout.write(line)
                bar.advance(job)
    finally:
        if stream:
            stream.close()
    sys.stdout.flush()


@app.command()
def run(
    paths: Annotated[list[Path], typer.Argument(help="Dump files or folders to ingest.")],
    db: Annotated[Path, DB_OPT] = Path("data/depeche.duckdb"),
    reprocess: Annotated[bool, typer.Option(help="Re-extract files even when unchanged.")] = False,
    batch_size: Annotated[int, typer.Option(help="Files per batch (one transaction each).")] = 200,
    reference_date: Annotated[str | None, typer.Option("--reference-date")] = None,
    summary: Annotated[bool, typer.Option(help="Print counts and example queries at the end.")] = True,
    processes: Annotated[int, typer.Option(help="Worker processes for extraction on this machine.")] = 1,
    dask: Annotated[str | None, typer.Option(
        help="Extract on Dask: 'local:N' for N local worker processes, or a scheduler address.")] = None,
) -> None:
    """Run the Prefect `ingest` flow into the DuckDB file."""
    from flows.ingest import by_hand, ingest_with
    from flows.warehouse import DatabaseLocked

    try:
        with err.status("running the ingest flow (Prefect starts a local server first)…"), by_hand():
            result = ingest_with(dask)([str(p) for p in paths], db=str(db), reprocess=reprocess, batch_size=batch_size,
                                             reference_date=_parse_date(reference_date), processes=processes)
    except DatabaseLocked as e:
        err.print(f"[red]{e}")
        raise typer.Exit(EXIT_LOCKED) from e
    except FileNotFoundError as e:
        err.print(f"[red]no such file or folder: {e}")
        raise typer.Exit(2) from e
    err.print(f"run {result['run_id']} {result['status']}: {result['articles_loaded']} articles loaded, "
              f"{result['files_skipped']} unchanged files skipped, {result['rejects']} rejects")
    if summary:
        show_summary(db)
    if result["status"] != "completed":
        raise typer.Exit(EXIT_FAILED)


@app.command()
def watch(
    paths: Annotated[list[Path], typer.Argument(help="Inbox folders (or files) to watch.")],
    db: Annotated[Path, DB_OPT] = Path("data/depeche.duckdb"),
    interval: Annotated[float, typer.Option(help="Seconds between two scans of the inbox.")] = 30.0,
    processes: Annotated[int, typer.Option(help="Worker processes for extraction on this machine.")] = 1,
) -> None:
    """Run the ingest flow whenever a dump arrives in the inbox (Ctrl-C stops).

    A file is read once its size and time have not changed between two scans."""
    from flows.ingest import by_hand, ingest
    from flows.watch import watch as watch_inbox

    def run() -> dict:
        with by_hand():
            return ingest([str(p) for p in paths], db=str(db), processes=processes)

    err.print(f"watching {', '.join(map(str, paths))} every {interval:g} s into {db} (Ctrl-C stops)")
    try:
        watch_inbox([str(p) for p in paths], run, interval=interval, log=err.print)
    except FileNotFoundError as e:
        err.print(f"[red]no such file or folder: {e}")
        raise typer.Exit(2) from e
    except KeyboardInterrupt:
        err.print("stopped")


def _connect_ro(db: Path):
    from flows.warehouse import DatabaseLocked, connect

    if not db.exists():
        err.print(f"[red]no database at {db}: run `depeche run` first")
        raise typer.Exit(2)
    try:
        return connect(db, read_only=True, wait_s=10)
    except DatabaseLocked as e:
        err.print(f"[red]{e}")
        raise typer.Exit(EXIT_LOCKED) from e


def _table(cols: list[str], rows: list[tuple], title: str | None = None) -> Table:
    t = Table(title=title, title_justify="left")
    for c in cols:
        t.add_column(c)
    for r in rows:
        t.add_row(*["" if v is None else str(v) for v in r])
    return t


@app.command()
def query(
    sql: Annotated[str, typer.Argument(help="SQL to run (the database is opened read-only).")],
    db: Annotated[Path, DB_OPT] = Path("data/depeche.duckdb"),
    fmt: Annotated[str, typer.Option("--format", help="table, csv or json.")] = "table",
) -> None:
    """Run one SQL statement against the warehouse, read-only."""
    import duckdb

    con = _connect_ro(db)
    try:
        cur = con.execute(sql)
        cols = [d[0] for d in cur.description or []]
        rows = cur.fetchall()
    except duckdb.Error as e:
        err.print(f"[red]SQL error: {e}")
        raise typer.Exit(1) from e
    finally:
        con.close()
    if fmt == "json":
        for r in rows:
            sys.stdout.write(json.dumps(dict(zip(cols, r, strict=True)), ensure_ascii=False, default=str) + "\n")
    elif fmt == "csv":
        import csv

        w = csv.writer(sys.stdout)
        w.writerow(cols)
        w.writerows(rows)
    elif fmt == "table":
        out.print(_table(cols, rows))
    else:
        raise typer.BadParameter("table, csv or json", param_hint="--format")


def show_summary(db: Path) -> None:
    con = _connect_ro(db)
    try:
        counts = {t: con.execute(f"SELECT count(*) FROM {t}").fetchone()[0]
                  for t in ("articles", "rejects", "organizations", "org_mentions", "amounts", "dates", "metrics")}
        out.print(_table(list(counts), [tuple(counts.values())], title=f"Depeche warehouse {db}"))
        for title, sql in EXAMPLES:
            cur = con.execute(sql)
            out.print(f"\n[bold]{title}[/]\n[dim]{sql}[/]")
            out.print(_table([d[0] for d in cur.description], cur.fetchall()))
    finally:
        con.close()


@app.command()
def summary(db: Annotated[Path, DB_OPT] = Path("data/depeche.duckdb")) -> None:
    """Counts per table and a few example queries with their results."""
    show_summary(db)


if __name__ == "__main__":
    app()
