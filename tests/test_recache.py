"""The regex program cache: a pattern loaded from disk matches as one compiled
by `re`, and a damaged or unwritable cache only costs a compile."""
from __future__ import annotations

import re
from re import _compiler

import pytest

from extractors import recache

WORDS = [f"mot{i}-de-{i % 7}" for i in range(12_000)]
PATTERN = r"(?iu)^(?:(?P<head>" + "|".join(WORDS) + r")|(?:[a-zé]+(?:-[a-zé]+){2}))$"
PROBES = ["mot17-de-3", "MOT17-DE-3", "mot17-de-4", "arc-en-ciel", "pet-en-l'air", "bonjour", "été-à-été", ""]


@pytest.fixture
def cache(tmp_path, monkeypatch):
    monkeypatch.setenv("DEPECHE_CACHE_DIR", str(tmp_path))
    yield tmp_path
    re._cache.pop((str, PATTERN, 0), None)


def _forget():
    re._cache.pop((str, PATTERN, 0), None)


def _same_as_re(p: re.Pattern) -> None:
    ref = _compiler.compile(PATTERN, 0)  # bypasses re's cache
    assert (p.flags, p.groups, p.groupindex) == (ref.flags, ref.groups, ref.groupindex)
    for s in PROBES:
        a, b = p.match(s), ref.match(s)
        assert (a and (a.span(), a.groupdict())) == (b and (b.span(), b.groupdict())), s


def test_a_pattern_comes_back_from_disk_and_matches_as_re_compiles_it(cache, monkeypatch):
    assert recache.precompile(PATTERN)
    first = re.compile(PATTERN)
    _same_as_re(first)
    assert len(list(cache.glob("*.sre"))) == 1
    _forget()
    monkeypatch.setattr(recache, "_compile", lambda *a: pytest.fail("compiled again despite the cache"))
    assert recache.precompile(PATTERN)
    second = re.compile(PATTERN)
    assert second is not first
    _same_as_re(second)


def test_a_cut_short_cache_file_is_compiled_and_written_again(cache):
    recache.precompile(PATTERN)
    f = next(cache.glob("*.sre"))
    whole = f.stat().st_size
    f.write_bytes(f.read_bytes()[: whole // 2])
    _forget()
    assert recache.precompile(PATTERN)
    _same_as_re(re.compile(PATTERN))
    assert f.stat().st_size == whole


def test_garbage_in_the_cache_file_is_compiled_again(cache):
    recache.precompile(PATTERN)
    next(cache.glob("*.sre")).write_bytes(b"not a program\n\x00\x01")
    _forget()
    assert recache.precompile(PATTERN)
    _same_as_re(re.compile(PATTERN))


def test_an_unwritable_cache_folder_still_compiles(tmp_path, monkeypatch):
    blocker = tmp_path / "file"
    blocker.write_text("a file where the folder should be")
    monkeypatch.setenv("DEPECHE_CACHE_DIR", str(blocker / "regex"))
    try:
        assert recache.precompile(PATTERN)
        _same_as_re(re.compile(PATTERN))
    finally:
        _forget()


def test_small_patterns_are_left_to_re():
    assert not recache.precompile(r"\d+ ?MDH")


SMALL = [r"^(?P<day>\d{1,2})[/.](?P<month>\d{1,2})[/.](?P<year>\d{4})$", r"^Publi[ée]e? le\s+(?-i:[A-Z])\w+",
         r"(?<=[.!?])\s+Lire aussi\s*:.*$"]
SMALL_PROBES = ["12/03/2025", "1.2.2025", "Publié le Lundi", "publiee le lundi", "Fin. Lire aussi : X", "rien"]


def _forget_small():
    for p in SMALL:
        re._cache.pop((str, p, re.IGNORECASE), None)


def test_a_set_of_small_patterns_comes_back_from_one_file(cache, monkeypatch):
    _forget_small()
    try:
        assert recache.precompile_set(SMALL, re.IGNORECASE)
        assert len(list(cache.glob("*.sres"))) == 1
        _forget_small()
        monkeypatch.setattr(recache, "_program", lambda *a: pytest.fail("compiled again despite the cache"))
        assert recache.precompile_set(SMALL, re.IGNORECASE)
        for p in SMALL:
            got, ref = re.compile(p, re.IGNORECASE), _compiler.compile(p, re.IGNORECASE)
            assert (got.groups, got.groupindex) == (ref.groups, ref.groupindex)
            for s in SMALL_PROBES:
                a, b = got.search(s), ref.search(s)
                assert (a and (a.span(), a.groupdict())) == (b and (b.span(), b.groupdict())), (p, s)
    finally:
        _forget_small()


def test_a_cut_short_set_file_is_compiled_and_written_again(cache):
    _forget_small()
    try:
        recache.precompile_set(SMALL, re.IGNORECASE)
        f = next(cache.glob("*.sres"))
        whole = f.read_bytes()
        f.write_bytes(whole[:-5])
        _forget_small()
        assert recache.precompile_set(SMALL, re.IGNORECASE)
        assert f.read_bytes() == whole
        assert re.compile(SMALL[0], re.IGNORECASE).match("12/03/2025").group("year") == "2025"
    finally:
        _forget_small()


def test_compile_all_reads_its_set_back_from_one_file(cache, monkeypatch):
    _forget_small()
    try:
        first = recache.compile_all(SMALL, re.IGNORECASE)
        assert [p.pattern for p in first] == SMALL and len(list(cache.glob("*.sres"))) == 1
        _forget_small()
        monkeypatch.setattr(recache, "_program", lambda *a: pytest.fail("compiled again despite the cache"))
        again = recache.compile_all(SMALL, re.IGNORECASE)
        assert again[0].match("12/03/2025").group("year") == "2025"
        assert again[1].match("PUBLIÉ le Lundi") and not again[1].match("Publié le lundi")
    finally:
        _forget_small()


BUILD_AND_COUNT = """
from re import _compiler
from extractors import recache
from extractors.pipeline import build_nlp
compiled = []
def counting(real):
    def compile(p, flags=0):
        if isinstance(p, str) and len(p) > 1000:
            compiled.append(p[:60])
        return real(p, flags)
    return compile
_compiler.compile = counting(_compiler.compile)  # what re.compile does on a miss of its cache
recache._program = counting(recache._program)  # what the disk cache does on a miss of its own
build_nlp()
print(len(compiled))
"""


def test_a_second_process_builds_the_pipeline_without_compiling_its_rules(tmp_path):
    """Every long pattern the pipeline needs (tokenizer, rule modules) comes from the
    cache once a first process has written it, though each process orders its sets
    differently (another hash seed): the patterns must be the same text."""
    import os
    import subprocess
    import sys
    from pathlib import Path

    root = Path(__file__).resolve().parents[1]
    counts = []
    for seed in ("1", "2"):
        env = {**os.environ, "DEPECHE_CACHE_DIR": str(tmp_path), "PYTHONHASHSEED": seed}
        out = subprocess.run([sys.executable, "-c", BUILD_AND_COUNT], cwd=root, env=env, capture_output=True,
                             text=True, check=True)
        counts.append(int(out.stdout.strip().splitlines()[-1]))
    assert counts[0] >= 10  # the first process compiled them: tokenizer, organisations, amounts, dates
    assert counts[1] == 0
