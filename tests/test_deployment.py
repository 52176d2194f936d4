"""End to end as the data engineer runs it: a real `prefect server`, a process
work pool, `prefect deploy --all` from prefect.yaml, a triggered run, a worker
that executes it. Every process started here is stopped, within fixed bounds."""
from __future__ import annotations

import os
import shutil
import signal
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import duckdb

from tests.conftest import ROOT, SAMPLES

PREFECT = [sys.executable, "-m", "prefect"]


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def wait_healthy(url: str, proc: subprocess.Popen, timeout: float) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        assert proc.poll() is None, "prefect server exited"
        try:
            with urllib.request.urlopen(f"{url}/health", timeout=2) as r:
                if r.status == 200:
                    return
        except OSError:
            time.sleep(0.5)
    raise TimeoutError("prefect server did not answer")


def stop(proc: subprocess.Popen) -> None:
    if proc.poll() is None:
        os.killpg(proc.pid, signal.SIGTERM)
        try:
            proc.wait(timeout=20)
        except subprocess.TimeoutExpired:
            os.killpg(proc.pid, signal.SIGKILL)
            proc.wait(timeout=10)


def test_deploy_from_prefect_yaml_and_run_with_a_worker(tmp_path: Path):
    port = free_port()
    api = f"http://127.0.0.1:{port}/api"
    env = {**os.environ, "PREFECT_HOME": str(tmp_path / "prefect_home"), "PREFECT_API_URL": api,
           "PWD": str(ROOT), "PREFECT_SERVER_ANALYTICS_ENABLED": "false", "COLUMNS": "250"}
    env.pop("PREFECT_SERVER_EPHEMERAL_ENABLED", None)
    inbox = tmp_path / "inbox"
    inbox.mkdir()
    for f in sorted(SAMPLES.glob("0[12]_*.txt")):
        shutil.copy(f, inbox)
    db = tmp_path / "nightly.duckdb"
    log = (tmp_path / "server.log").open("w")
    server = subprocess.Popen([*PREFECT, "server", "start", "--host", "127.0.0.1", "--port", str(port)],
                              env=env, stdout=log, stderr=subprocess.STDOUT, start_new_session=True)
    worker = None
    try:
        wait_healthy(api, server, timeout=120)

        def cli(*args: str, timeout: float = 120) -> str:
            r = subprocess.run([*PREFECT, *args], env=env, cwd=ROOT, capture_output=True, text=True, timeout=timeout)
            assert r.returncode == 0, r.stdout + r.stderr
            return r.stdout

        cli("work-pool", "create", "depeche-pool", "--type", "process")
        cli("--no-prompt", "deploy", "--all")
        shown = cli("deployment", "inspect", "ingest/nightly-ingest")
        assert "0 2 * * *" in shown and "Africa/Casablanca" in shown
        cli("deployment", "run", "ingest/nightly-ingest", "--param", f'paths=["{inbox}"]', "--param", f"db={db}")
        worker = subprocess.Popen([*PREFECT, "worker", "start", "--pool", "depeche-pool", "--run-once"], env=env,
                                  cwd=ROOT, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True,
                                  start_new_session=True)
        out, _ = worker.communicate(timeout=300)
        assert "Finished in state Completed" in out, out[-3000:]
        states = cli("flow-run", "ls")
        assert "COMPLETED" in states.upper()
        con = duckdb.connect(str(db), read_only=True)
        n_articles, n_amounts = con.execute("SELECT (SELECT count(*) FROM articles), (SELECT count(*) FROM amounts)"
                                            ).fetchone()
        status = con.execute("SELECT status FROM runs").fetchall()
        con.close()
        assert n_articles == 2 and n_amounts > 0 and status == [("completed",)]
    finally:
        if worker is not None:
            stop(worker)
        stop(server)
        log.close()
    assert server.poll() is not None
