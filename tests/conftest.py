"""Shared fixtures: the real spaCy model, the real DuckDB file, one Prefect
test harness per session (a local server start costs 10-20 s)."""
from __future__ import annotations

import os
from pathlib import Path

import pytest

os.environ.setdefault("PREFECT_SERVER_EPHEMERAL_STARTUP_TIMEOUT_SECONDS", "120")

ROOT = Path(__file__).resolve().parent.parent
SHARED = Path(os.environ.get("DEPECHE_SHARED", ROOT.parent / "shared"))
SEEDS = SHARED / "seeds"
SAMPLES = ROOT / "data" / "samples"


@pytest.fixture(scope="session")
def prefect_harness():
    from prefect.testing.utilities import prefect_test_harness

    with prefect_test_harness(server_startup_timeout=120):
        yield


@pytest.fixture(scope="session")
def nlp():
    from extractors.pipeline import build_nlp

    return build_nlp()


def pytest_collection_modifyitems(config, items):
    if not SEEDS.exists():
        skip = pytest.mark.skip(reason=f"shared seeds not found at {SEEDS}")
        for item in items:
            if "seeds" in item.keywords:
                item.add_marker(skip)
