"""Duplicate articles: exact (same normalised body) and near (MinHash over
word shingles, banded LSH, confirmed by Jaccard). The first copy is kept
for extraction; later copies point to it."""
from __future__ import annotations

import re
import zlib
from collections.abc import Sequence

import numpy as np

SHINGLE = 5
PERMS = 64
BANDS = 16
THRESHOLD = 0.8
_PRIME = (1 << 61) - 1
_rng = np.random.default_rng(20240101)
_A = _rng.integers(1, _PRIME, PERMS, dtype=np.uint64)
_B = _rng.integers(0, _PRIME, PERMS, dtype=np.uint64)


def _words(text: str) -> list[str]:
    return re.findall(r"\w+", text.casefold())


def _shingles(words: list[str]) -> set[int]:
    n = max(1, len(words) - SHINGLE + 1)
    encoded = [w.encode() for w in words]  # once per word, not once per shingle it is in
    # crc32 is stable across processes (signatures are stored) and runs in C
    return {zlib.crc32(b" ".join(encoded[i:i + SHINGLE])) for i in range(n)}


def _signature(sh: set[int]) -> np.ndarray:
    arr = np.fromiter(sh, dtype=np.uint64)
    with np.errstate(over="ignore"):
        h = (arr[None, :] * _A[:, None] + _B[:, None]) % np.uint64(_PRIME)
    return h.min(axis=1)


def signature(text: str) -> np.ndarray:
    """MinHash signature of a body, comparable across batches and runs."""
    return _signature(_shingles(_words(text)))


def band_keys(sig: np.ndarray) -> list[tuple[int, str]]:
    rows = PERMS // BANDS
    return [(b, sig[b * rows:(b + 1) * rows].tobytes().hex()) for b in range(BANDS)]


def similar(a: np.ndarray, b: np.ndarray) -> bool:
    """Estimated Jaccard of two signatures above the duplicate threshold."""
    return float(np.mean(a == b)) >= THRESHOLD


def duplicates_and_signatures(bodies: Sequence[str]) -> tuple[dict[int, int], list[np.ndarray]]:
    """Map index of a duplicate -> index of the first copy it repeats, and every
    body's signature, which the warehouse stores: shingles are made once per article."""
    out: dict[int, int] = {}
    exact: dict[str, int] = {}
    shingles: list[set[int]] = []
    sigs: list[np.ndarray] = []
    buckets: dict[tuple, list[int]] = {}
    rows = PERMS // BANDS
    for i, body in enumerate(bodies):
        words = _words(body)
        key = " ".join(words)
        sh = _shingles(words)
        shingles.append(sh)
        sig = _signature(sh)
        sigs.append(sig)
        if key in exact:
            out[i] = exact[key]
            continue
        exact[key] = i
        cands: set[int] = set()
        for b in range(BANDS):
            bk = (b, sig[b * rows:(b + 1) * rows].tobytes())
            cands.update(buckets.get(bk, ()))
            buckets.setdefault(bk, []).append(i)
        best = None
        for j in sorted(cands):
            if j in out:
                continue
            inter = len(sh & shingles[j])
            if inter / max(1, len(sh | shingles[j])) >= THRESHOLD:
                best = j
                break
        if best is not None:
            out[i] = best
    return out, sigs
