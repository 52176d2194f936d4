"""A disk cache of compiled regular-expression programs.

`fr_core_news_md`'s tokenizer carries a 1.4 MB `token_match` pattern (spaCy's
French hyphen and elision exceptions). Python compiles it in about 2 s, once
in every process that loads the model, and that was most of the model's load
time: each `depeche extract`, flow run and Dask worker paid it. The compiled
program is a pure function of the pattern and the interpreter, so it is kept
on disk and handed to `re`'s own cache before spaCy asks for the pattern.

Everything here is an optimisation: on a Python whose `re` internals differ,
or with no writable cache folder, patterns simply compile as before.
"""
from __future__ import annotations

import array
import hashlib
import logging
import os
import re
import sys
import tempfile
from collections.abc import Iterable
from pathlib import Path

log = logging.getLogger(__name__)

MIN_CHARS = 100_000  # smaller patterns compile in milliseconds: not worth a file


def cache_dir() -> Path:
    """`DEPECHE_CACHE_DIR`, else the XDG cache folder."""
    env = os.environ.get("DEPECHE_CACHE_DIR")
    if env:
        return Path(env)
    return Path(os.environ.get("XDG_CACHE_HOME") or Path.home() / ".cache") / "depeche" / "regex"


def _key(pattern: str, flags: int) -> str:
    import _sre

    h = hashlib.sha256(f"{sys.version}\0{_sre.MAGIC}\0{_sre.CODESIZE}\0{flags}\0".encode())
    h.update(pattern.encode("utf-8", "surrogatepass"))
    return h.hexdigest()[:32]


def _program(pattern: str, flags: int) -> tuple[re.Pattern, bytes]:
    """What `re.compile` does (CPython 3.11+), and the program it builds as bytes."""
    import _sre
    from re import _compiler, _parser

    parsed = _parser.parse(pattern, flags)
    code = _compiler._code(parsed, flags)
    groupindex = dict(parsed.state.groupdict)
    compiled = _sre.compile(pattern, flags | parsed.state.flags, code, parsed.state.groups - 1, groupindex,
                            tuple(_index_groups(groupindex, parsed.state.groups)))
    words = array.array(_typecode(_sre.CODESIZE), code)
    names = "\0".join(f"{k}={v}" for k, v in groupindex.items())
    header = f"{compiled.flags} {parsed.state.groups} {len(words)}\n{names}\n".encode()
    return compiled, header + words.tobytes()


def _write(path: Path, data: bytes) -> None:
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        with tempfile.NamedTemporaryFile(dir=path.parent, delete=False) as fh:
            fh.write(data)
        os.replace(fh.name, path)
    except OSError as e:  # a read-only home: compile every time, as before
        log.debug("regex cache not written (%s)", e)


def _compile(pattern: str, flags: int, path: Path) -> re.Pattern:
    compiled, data = _program(pattern, flags)
    _write(path, data)
    return compiled


def _parse(pattern: str, raw: bytes, pos: int) -> tuple[re.Pattern, int]:
    """The program of `pattern` stored at `pos`, and where the next one starts."""
    import _sre

    head_end = raw.index(b"\n", pos)
    names_end = raw.index(b"\n", head_end + 1)
    flags, groups, n = map(int, raw[pos:head_end].split())
    words = array.array(_typecode(_sre.CODESIZE))
    end = names_end + 1 + n * words.itemsize
    if end > len(raw):  # cut short (a full disk, a killed writer)
        raise ValueError("truncated")
    words.frombytes(raw[names_end + 1:end])
    names = raw[head_end + 1:names_end].decode()
    groupindex = {k: int(v) for k, _, v in (x.partition("=") for x in names.split("\0") if x)}
    return _sre.compile(pattern, flags, words.tolist(), groups - 1, groupindex,
                        tuple(_index_groups(groupindex, groups))), end


def _load(pattern: str, path: Path) -> re.Pattern | None:
    try:
        raw = path.read_bytes()
        compiled, end = _parse(pattern, raw, 0)
    except (OSError, ValueError):  # missing, or cut short: compile again
        return None
    return compiled if end == len(raw) else None


def _index_groups(groupindex: dict[str, int], groups: int) -> list[str | None]:
    out: list[str | None] = [None] * groups
    for k, i in groupindex.items():
        out[i] = k
    return out


def _typecode(size: int) -> str:
    return next(t for t in "IL" if array.array(t).itemsize == size)


def precompile(pattern: str, flags: int = 0) -> bool:
    """Put `pattern` in `re`'s cache, from the disk cache when it is there, so the
    next `re.compile(pattern, flags)` costs nothing. True when it was done."""
    cache = getattr(re, "_cache", None)
    key = (str, pattern, flags)
    if not isinstance(cache, dict) or len(pattern) < MIN_CHARS:
        return False
    if key in cache:
        return True
    try:
        path = cache_dir() / f"{_key(pattern, flags)}.sre"
    except Exception as e:  # re's internals changed: compile as usual
        log.debug("regex cache skipped (%r)", e)
        return False
    try:
        compiled = _load(pattern, path)
    except Exception as e:  # a damaged file: made again below
        log.debug("regex cache file %s unreadable (%r)", path, e)
        compiled = None
    if compiled is None:
        try:
            compiled = _compile(pattern, flags, path)
        except Exception as e:
            log.debug("regex cache skipped (%r)", e)
            return False
    cache[key] = compiled
    return True


def precompile_set(patterns: Iterable[str], flags: int = 0) -> bool:
    """Put many small patterns in `re`'s cache from one file for the whole set: the
    site profiles' 130 patterns took 30 ms to compile in every process that cleans
    text, the file reads in a few. True when it was done."""
    cache = getattr(re, "_cache", None)
    if not isinstance(cache, dict):
        return False
    todo = [p for p in dict.fromkeys(patterns) if (str, p, flags) not in cache]
    if not todo:
        return True
    try:
        path = cache_dir() / f"{_key(chr(0).join(todo), flags)}.sres"
        compiled = _load_set(todo, path)
        if compiled is None:
            programs = [_program(p, flags) for p in todo]
            compiled = [c for c, _ in programs]
            _write(path, b"".join(d for _, d in programs))
    except Exception as e:  # re's internals changed, or a bad pattern: compile as usual
        log.debug("regex cache skipped (%r)", e)
        return False
    for p, c in zip(todo, compiled, strict=True):
        cache[(str, p, flags)] = c
    return True


def compile_all(patterns: Iterable[str], flags: int = 0) -> list[re.Pattern]:
    """`re.compile` of each pattern, the set's programs from one cache file: the rule
    modules' patterns, built from the lexicons at load, took some 0.1 s to compile
    in every process that builds the pipeline."""
    patterns = list(patterns)
    precompile_set(patterns, flags)
    return [re.compile(p, flags) for p in patterns]


def _load_set(patterns: list[str], path: Path) -> list[re.Pattern] | None:
    try:
        raw = path.read_bytes()
        out, pos = [], 0
        for p in patterns:
            c, pos = _parse(p, raw, pos)
            out.append(c)
    except (OSError, ValueError):
        return None
    return out if pos == len(raw) else None
