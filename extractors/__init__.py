"""Pure extraction stages: readers -> cleaning -> spaCy components -> facts.

Nothing here touches Prefect or a database, so `depeche extract` runs alone.
"""
from pathlib import Path

# Bump when a change alters what is extracted: stored articles record it and
# the `reprocess` deployment re-extracts the ones made by an older version.
EXTRACTOR_VERSION = "0.9.4"

DATA_DIR = Path(__file__).resolve().parent.parent / "data"
