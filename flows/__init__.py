"""Prefect flows and I/O. Kept thin: the work is in `extractors`.

A local run starts a temporary Prefect server, which takes 9-20 s on a
2-core machine; Prefect's default 20 s start-up timeout is too tight there.
Its telemetry is off by default: these machines have no internet, and each
failed attempt logs an ERROR line in the middle of the run.
"""
import os

os.environ.setdefault("PREFECT_SERVER_EPHEMERAL_STARTUP_TIMEOUT_SECONDS", "120")
os.environ.setdefault("PREFECT_SERVER_ANALYTICS_ENABLED", "false")
