"""Watch an inbox and run the ingest flow when a dump arrives.

A poll, not file-system events: it works the same on a network share and in a
container. A file counts once its size and modification time have not changed
between two scans, so a dump still being copied is not read half-written. The
flow itself skips files whose bytes it has already loaded, so a run that finds
nothing new costs a plan and no model load.
"""
from __future__ import annotations

import time
from collections.abc import Callable
from pathlib import Path

from extractors.readers import discover

Snapshot = dict[str, tuple[int, int]]


def snapshot(paths: list[str]) -> Snapshot:
    """Size and modification time of every dump file under the paths."""
    out: Snapshot = {}
    for f in discover(paths):
        try:
            st = f.stat()
        except FileNotFoundError:  # removed between the listing and now
            continue
        out[str(f)] = (st.st_size, st.st_mtime_ns)
    return out


def arrived(now: Snapshot, before: Snapshot, done: Snapshot) -> bool:
    """Some file is new or changed since the last run, and nothing changed since the
    previous scan (files only removed start no run)."""
    return now == before and any(done.get(k) != v for k, v in now.items())


def watch(paths: list[str], run: Callable[[], dict], interval: float = 30.0, max_runs: int | None = None,
          sleep: Callable[[float], None] = time.sleep, log: Callable[[str], None] = print) -> int:
    """Scan every `interval` seconds and call `run` (the ingest flow) when a dump
    has arrived and settled. A failed run (a locked database, say) is retried at
    the next settled scan. Returns the number of runs, after `max_runs` if given."""
    for p in paths:
        if not Path(p).exists():
            raise FileNotFoundError(p)
    done: Snapshot = {}
    before: Snapshot | None = None
    runs = 0
    while True:
        now = snapshot(paths)
        if before is not None and arrived(now, before, done):
            try:
                result = run()
            except Exception as e:  # noqa: BLE001  (the watcher outlives a failed run)
                log(f"run failed, retried at the next scan: {e}")
            else:
                if result.get("status") == "completed":
                    done = now
                runs += 1
                log(f"run {result.get('run_id')} {result.get('status')}: {result.get('articles_loaded', 0)} "
                    f"articles loaded, {result.get('files_skipped', 0)} unchanged files skipped")
                if max_runs is not None and runs >= max_runs:
                    return runs
        before = now
        sleep(interval)
