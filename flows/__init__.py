"""Prefect flows and I/O. Kept thin: the work is in `extractors`.

A local run starts a temporary Prefect server, which takes 9-20 s on a
2-core machine; Prefect's default 20 s start-up timeout is too tight there.
"""
import os

os.environ.setdefault("PREFECT_SERVER_EPHEMERAL_STARTUP_TIMEOUT_SECONDS", "120")
