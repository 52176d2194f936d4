"""The warehouse DDL, read from the versioned SQL files beside this module."""
from __future__ import annotations

import hashlib
from functools import cache
from pathlib import Path

SQL_DIR = Path(__file__).with_name("sql")


@cache
def ddl_statements() -> tuple[str, ...]:
    """All DDL files in order, split into statements (read once: a tuple, so no caller can change it)."""
    out: list[str] = []
    for f in sorted(SQL_DIR.glob("*.sql")):
        text = "\n".join(line for line in f.read_text().splitlines() if not line.lstrip().startswith("--"))
        out.extend(s.strip() for s in text.split(";") if s.strip())
    return tuple(out)


@cache
def ddl_sha() -> str:
    """Names the DDL a database file was last brought up to date with."""
    return hashlib.sha256("\0".join(ddl_statements()).encode()).hexdigest()[:16]
