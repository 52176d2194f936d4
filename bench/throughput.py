"""`make bench`: Depeche's throughput against bare spaCy on the same texts.

Each measurement runs in a fresh process (so its peak RSS is its own) on a
corpus of N articles in the page-dump format, built from `data/samples` and
the shared seeds by recombining paragraphs so that no two articles are
duplicates. Repetitions run the phases in turn (a, a0, b, ... a, a0, b, ...);
a ratio is the median of the per-repetition ratios, so drift of the machine's
speed cancels out. The output ends with the issue's targets, each with its
figure and whether it holds.

  a   the ceiling: bare `nlp.pipe` over the cleaned bodies with the same model
      and components as Depeche's pipeline (model loaded and warmed up before timing,
      as b and c have it: not on the corpus's own texts)
  a2  the ceiling at two processes: the same bare `nlp.pipe`, each of two workers
      forked after the model is built, taking the bodies in the chunks Depeche's
      workers take (the fork timed, as in b2). (spaCy's own `n_process` cannot
      serve: it sends Docs back as bytes, and Depeche's span extensions hold Python
      objects.) b2, c2 and c2dask are compared to it
  a0  the model alone (NER and sentence boundaries): what Depeche's rule
      components add on top of statistical NER
  b   `depeche extract` end to end, the command's own code: read, clean, extract, write
      JSON lines to a file (model loaded before timing; b2 includes forking its workers)
  c   the ingest flow into DuckDB, as `depeche run` runs it. Prefect's start (its
      server up and answering, its flow and task engines imported) is reported apart, and
      so is loading the model inside the flow ("model s"); c is compared to (a)
      without that load, as (a) is timed without it
  d   the rerun over the unchanged dump
  b2, c2  b and c with two worker processes (forked after the model is built)
  c2dask  the flow on a 2-worker Dask LocalCluster (each worker loads its own model)
"""
from __future__ import annotations

import argparse
import compileall
import html
import json
import random
import re
import resource
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
BATCH_SIZE = 32  # extractors.pipeline.BATCH_SIZE, the batch Depeche's own nlp.pipe uses
MONTHS = "janvier février mars avril mai juin juillet août septembre octobre novembre décembre".split()


def build_corpus(out: Path, n: int, shared: Path, seed: int = 7) -> int:
    """N page-dump files; returns the number of words of their bodies."""
    from extractors.readers import discover
    from extractors.stages import read_and_clean

    sources = discover([ROOT / "data" / "samples", shared / "seeds"])
    arts = [a for a in read_and_clean(sources).articles if a.language == "fr"]
    paras = [p for a in arts for p in a.body.split("\n") if len(p.split()) >= 12]
    rng = random.Random(seed)
    out.mkdir(parents=True, exist_ok=True)
    words = 0
    assert len(paras) > 20, "too few paragraphs to build a corpus from"
    for i in range(n):
        chosen = rng.sample(paras, k=min(len(paras), rng.randint(4, 8)))
        # renumber figures so that recombined paragraphs are new articles
        body = "\n".join(re.sub(r"\d+", lambda m: str(int(m.group(0)) + rng.randint(1, 9)), p) for p in chosen)
        body += f"\nCe dossier numéro {i} a été préparé par la rédaction le {rng.randint(1, 28)} {rng.choice(MONTHS)}."
        title = f"Dossier économique {i} : {chosen[0].split('.')[0][:80]}"
        day = f"{rng.randint(1, 28):02d} - {rng.randint(1, 12):02d} - {rng.randint(2010, 2025)}"
        (out / f"{i:05d}.txt").write_text(f"{title}\nPublié dans Le Banc d'Essai le {day}\n\n{body}\n",
                                          encoding="utf-8")
        body_html = "".join(f"<p>{html.escape(p)}</p>\n" for p in body.split("\n"))
        html_dir = out.with_name(out.name + "_html")
        html_dir.mkdir(exist_ok=True)
        (html_dir / f"{i:05d}.html").write_text(
            f"<html><head><meta charset='utf-8'><title>{html.escape(title)}</title>"
            f"<meta property='og:site_name' content=\"Le Banc d'Essai\"></head><body><nav><a>Accueil</a>"
            f"<a>Economie</a><a>Sport</a></nav><article><h1>{html.escape(title)}</h1>\n{body_html}</article>"
            f"<aside>Lire aussi : un autre dossier</aside><footer>© Le Banc d'Essai. Tous droits réservés</footer>"
            f"</body></html>", encoding="utf-8")
        words += len(body.split())
    return words


# -- phases, each run in its own process ---------------------------------------

def _pipe(bodies: list[str], nlp=None) -> int:
    """Bare `nlp.pipe`: the docs are made and dropped. Workers use the pipeline
    built before they were forked."""
    from extractors.pipeline import build_nlp

    return sum(1 for _ in (nlp or build_nlp()).pipe(bodies, batch_size=BATCH_SIZE))


def phase(name: str, corpus: Path, db: Path) -> dict:
    out: dict = {}
    if name in ("clean_txt", "clean_html"):
        from extractors.readers import discover
        from extractors.stages import read_and_clean

        src = corpus if name == "clean_txt" else corpus.with_name(corpus.name + "_html")
        files = discover([src])
        read_and_clean(files[:5])  # imports and lazy tables outside the timing
        t0 = time.perf_counter()
        prepared = read_and_clean(files)
        out["seconds"] = time.perf_counter() - t0
        out["articles"] = len(prepared.articles)
    elif name in ("a", "a0", "a2"):
        import spacy

        from extractors.pipeline import EXCLUDE, MODEL, WARM_UP, build_nlp, shrinking_chunks, worker_pool
        from extractors.readers import discover
        from extractors.stages import read_and_clean

        nlp = build_nlp() if name != "a0" else spacy.load(MODEL, exclude=EXCLUDE)
        if name == "a0":
            nlp.add_pipe("depeche_sentences")
            nlp(WARM_UP)  # the warm-up building the pipeline gives the others
        articles = read_and_clean(discover([corpus])).articles
        bodies = [a.text_for_nlp for a in articles]
        # from the state b and c start in: no warm-up on the corpus's own texts (it fills the
        # tokenizer's cache with their words), and a2's timing includes forking its workers, as b2's does
        t0 = time.perf_counter()
        with worker_pool(2 if name == "a2" else 1) as pool:
            if pool is None:
                _pipe(bodies, nlp)
            else:  # the chunks b2 and c2 hand their workers: halves fixed in advance would leave
                # one worker waiting whenever the other core runs slower
                list(pool.map(_pipe, [[a.text_for_nlp for a in c] for c in shrinking_chunks(articles, 2)]))
        out["seconds"] = time.perf_counter() - t0  # with the workers' shutdown, as b2's
        out["articles"] = len(bodies)
    elif name in ("b", "b2"):
        from contextlib import redirect_stdout

        from depeche.cli import extract
        from extractors.pipeline import build_nlp

        build_nlp()
        lines = db.with_suffix(".jsonl")
        with open(lines, "w", encoding="utf-8") as sink, redirect_stdout(sink):
            t0 = time.perf_counter()
            extract([corpus], fmt="jsonl", reference_date=None, batch_size=BATCH_SIZE,
                    processes=2 if name == "b2" else 1)
            out["seconds"] = time.perf_counter() - t0
        with open(lines, encoding="utf-8") as fh:
            out["articles"] = sum(1 for _ in fh)
        lines.unlink()
    elif name in ("c", "d", "c2", "c2dask"):
        from prefect.client.orchestration import get_client
        from prefect.testing.utilities import prefect_test_harness

        from flows.ingest import by_hand, ingest, ingest_with  # first: its Prefect settings reach the server

        t0 = time.perf_counter()
        with prefect_test_harness(server_startup_timeout=120):
            with get_client(sync_client=True) as client:  # the new server's first answer is slow: part of its start
                client.api_version()
            # Prefect imports its engines on a process's first flow and task call (~0.25 s): part of its start
            import prefect.flow_engine  # noqa: F401
            import prefect.task_engine  # noqa: F401
            import prefect.utilities.visualization  # noqa: F401
            out["server_seconds"] = time.perf_counter() - t0

            flow = ingest_with("local:2") if name == "c2dask" else ingest
            with by_hand():  # as `depeche run` runs it
                if name == "d":  # the first run fills the database; only the rerun is timed
                    ingest([str(corpus)], db=str(db))
                t1 = time.perf_counter()
                res = flow([str(corpus)], db=str(db), processes=2 if name == "c2" else 1)
                out["seconds"] = time.perf_counter() - t1
            out["model_seconds"] = res["seconds_model"]
            out.update({k: round(res[k], 2) for k in ("seconds_read", "seconds_extract", "seconds_load")})
            out["articles"] = res["articles_read"]
            out["skipped"] = res["files_skipped"]
    out["peak_rss_mb"] = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    children = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024
    out["peak_rss_children_mb"] = children
    return out


def run_phase(name: str, corpus: Path, db: Path) -> dict:
    if db.exists():  # d too: its first run must fill the database, not skip what c left
        db.unlink()
    res = subprocess.run([sys.executable, "-m", "bench.throughput", "--phase", name, "--corpus", str(corpus),
                          "--db", str(db)], cwd=ROOT, capture_output=True, text=True)
    if res.returncode != 0:
        raise RuntimeError(f"phase {name} failed:\n{res.stderr[-3000:]}")
    out = json.loads(res.stdout.strip().splitlines()[-1])
    n = int(corpus.name.removeprefix("corpus"))
    if out.get("articles") not in (None, n) and name != "d":
        raise RuntimeError(f"phase {name} read {out['articles']} articles, not {n}: the corpus is broken")
    return out


ONE_PROCESS = ("a", "a0", "b", "c", "d")


def ceiling(ph: str) -> str:
    """(a) at the phase's own process count."""
    return "a" if ph in ONE_PROCESS or ph == "a2" else "a2"


def timed(r: dict) -> float:
    """Seconds comparable with (a): without loading the model, as (a) is timed."""
    return r["seconds"] - r.get("model_seconds", 0.0)


def whole(r: dict) -> float:
    return r["seconds"]


def ratio(results: dict[str, list[dict]], x: str, y: str, f=timed) -> float:
    """Median over repetitions of x/y, each pair measured in the same repetition."""
    if x not in results or y not in results:
        return float("nan")
    return statistics.median(f(rx) / f(ry) for rx, ry in zip(results[x], results[y], strict=True))


# the targets: (what, x, y, times compared, holds if the ratio is at least / at most the bound)
TARGETS = (
    ("b/a, throughput of depeche extract against bare spaCy", "a", "b", timed, "min", 0.90),
    ("b2/a2, the same at two processes", "a2", "b2", timed, "min", 0.90),
    ("c/a, throughput of the flow against bare spaCy", "a", "c", timed, "min", 0.80),
    ("c2/a2, the same at two processes", "a2", "c2", timed, "min", 0.80),
    ("two processes against one, extract", "b", "b2", whole, "min", 1.70),
    ("two processes against one, flow (whole run)", "c", "c2", whole, "min", 1.70),
    ("two processes against one, flow without the model load", "c", "c2", timed, "min", 1.70),
    ("rerun over the unchanged dump / first run", "d", "c", whole, "max", 0.05),
)
RSS_LIMIT_MB = 1536  # 1.5 GB per process
FLAT = 1.2  # "time per article flat": the largest size's ms per article at most 1.2x the smallest's


def target_lines(by_size: dict[int, dict[str, list[dict]]]) -> list[str]:
    """One line per target and size: the figure and whether it holds (targets whose
    phases were not run are left out)."""
    out = []
    for n, results in sorted(by_size.items()):
        for what, x, y, f, kind, bound in TARGETS:
            r = ratio(results, x, y, f)
            if r == r:  # not nan
                ok = r >= bound if kind == "min" else r <= bound
                figure = f"{r:.2f} (≥ {bound:g})" if kind == "min" else f"{r:.1%} (≤ {bound:.0%})"
                out.append(f"N={n}: {what}: {figure} {'holds' if ok else 'MISSED'}")
        peak = max((max(r["peak_rss_mb"], r["peak_rss_children_mb"]) for rs in results.values() for r in rs),
                   default=0.0)
        out.append(f"N={n}: peak RSS of any process: {peak:.0f} MB (≤ {RSS_LIMIT_MB}) "
                   f"{'holds' if peak <= RSS_LIMIT_MB else 'MISSED'}")
    sizes = sorted(by_size)
    for ph in ("b", "c"):
        if len(sizes) >= 2 and all(ph in by_size[n] for n in sizes):
            ms = [statistics.median(timed(r) for r in by_size[n][ph]) / n * 1000 for n in sizes]
            growth = ms[-1] / ms[0]
            out.append(f"time per article ({ph}) from N={sizes[0]} to N={sizes[-1]}: {ms[0]:.0f} -> {ms[-1]:.0f} ms, "
                       f"x{growth:.2f} (≤ {FLAT:g}) {'holds' if growth <= FLAT else 'MISSED'}")
    return out


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--shared", type=Path, default=ROOT.parent / "shared")
    ap.add_argument("--sizes", default="100,1000")
    # the small size's phases last seconds, so the machine's drift moves their ratios most: more
    # repetitions there cost little
    ap.add_argument("--reps", default="7,3", help="repetitions of every phase, per size (one number: every size)")
    ap.add_argument("--phases", default="a,a2,a0,b,c,d,b2,c2,c2dask,clean_txt,clean_html")
    ap.add_argument("--phase", help=argparse.SUPPRESS)
    ap.add_argument("--corpus", type=Path, help=argparse.SUPPRESS)
    ap.add_argument("--db", type=Path, help=argparse.SUPPRESS)
    args = ap.parse_args()
    if args.phase:
        print(json.dumps(phase(args.phase, args.corpus, args.db)))
        return 0
    phases = args.phases.split(",")
    rows = []
    by_size: dict[int, dict[str, list[dict]]] = {}  # size -> phase -> one result per repetition
    sizes = [int(n) for n in args.sizes.split(",")]
    counts = [int(r) for r in args.reps.split(",")]
    if len(counts) not in (1, len(sizes)):
        ap.error("--reps: one number, or one per size")
    reps = dict(zip(sizes, counts * len(sizes) if len(counts) == 1 else counts, strict=True))
    # every phase imports Depeche from source in a new process: with PYTHONDONTWRITEBYTECODE set (as
    # in some containers and CI runners) each would compile it again, some 50 ms that an installed
    # package, compiled at install, never pays
    for pkg in ("extractors", "flows", "schemas", "depeche", "bench"):
        compileall.compile_dir(ROOT / pkg, quiet=1)
    with tempfile.TemporaryDirectory() as tmp:
        for n in sizes:
            corpus = Path(tmp) / f"corpus{n}"
            words = build_corpus(corpus, n, args.shared)
            results = by_size[n] = {}
            for _ in range(reps[n]):
                for ph in phases:
                    results.setdefault(ph, []).append(run_phase(ph, corpus, Path(tmp) / f"db{n}.duckdb"))
                    print(f"  N={n} {ph}: {results[ph][-1]}", file=sys.stderr, flush=True)
            for ph, rs in results.items():
                med = statistics.median(r["seconds"] for r in rs)
                rows.append((n, ph, med, statistics.median(r.get("model_seconds", 0) for r in rs),
                             n / statistics.median(timed(r) for r in rs),
                             words / statistics.median(timed(r) for r in rs),
                             ratio(results, ceiling(ph), ph) if not ph.startswith("clean") else float("nan"),
                             ratio(results, "a0", ph) if ph in ONE_PROCESS else float("nan"),
                             max(r["peak_rss_mb"] for r in rs), max(r["peak_rss_children_mb"] for r in rs),
                             statistics.median(r.get("server_seconds", 0) for r in rs)))
    print("\nmedians of " + ", ".join(f"{r} repetitions at N={n}" for n, r in reps.items())
          + "; art/s, words/s and the ratios leave out the model load (model s), as (a) does; "
          "'vs a' is against (a) at the same process count (a2 for the two-process phases)")
    print(f"{'N':>5} {'phase':<7}{'seconds':>9}{'model s':>8}{'art/s':>8}{'words/s':>9}{'vs a':>7}{'vs a0':>7}"
          f"{'RSS MB':>8}{'child MB':>9}{'prefect s':>10}")
    for n, ph, s, ms, aps, wps, ra, ra0, rss, crss, srv in rows:
        print(f"{n:>5} {ph:<7}{s:>9.2f}{ms:>8.2f}{aps:>8.1f}{wps:>9.0f}{ra:>7.2f}{ra0:>7.2f}{rss:>8.0f}{crss:>9.0f}"
              f"{srv:>10.1f}")
    by = {(n, ph): s for n, ph, s, *_ in rows}
    print()
    for n, results in by_size.items():  # context for the targets below; figures of phases not run left out
        for what, x, y in (("a0/a, the share of the time that is the model alone", "a0", "a"),
                           ("two processes against one, bare spaCy", "a", "a2"),
                           ("two processes against one, the flow on a 2-worker Dask cluster", "c", "c2dask")):
            if (r := ratio(results, x, y, whole)) == r:  # not nan
                print(f"N={n}: {what}: {r:.2f}")
    for n in sorted({r[0] for r in rows}):
        for ph in ("clean_txt", "clean_html"):
            if (n, ph) in by:
                print(f"N={n}: {ph.replace('_', ' ')}: {by[n, ph] / n * 1000:.1f} ms per article")
    print("\ntargets (medians of the per-repetition ratios):")
    for line in target_lines(by_size):
        print("  " + line)
    return 0


if __name__ == "__main__":
    sys.exit(main())
