"""`make bench`: Depeche's throughput against bare spaCy on the same texts.

Each measurement runs in a fresh process (so its peak RSS is its own) on a
corpus of N articles in the page-dump format, built from `data/samples` and
the shared seeds by recombining paragraphs so that no two articles are
duplicates. Figures are medians over the repetitions; ratios are to (a), the
ceiling: bare `nlp.pipe` with the same model and statistical components.

  a  bare nlp.pipe over the cleaned bodies (model loaded before timing)
  b  extract end to end: read, clean, extract, serialise (model loaded before timing)
  c  the ingest flow into DuckDB (Prefect's server start reported apart)
  d  the rerun over the unchanged dump
  b2, c2  b and c with two processes (forked workers; a 2-worker Dask cluster)
"""
from __future__ import annotations

import argparse
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
    elif name in ("a", "b", "b2"):
        from extractors.pipeline import EXCLUDE, MODEL, build_nlp, extract
        from extractors.readers import discover
        from extractors.stages import read_and_clean

        files = discover([corpus])
        if name == "a":
            import spacy

            nlp = spacy.load(MODEL, exclude=EXCLUDE)
            nlp.add_pipe("sentencizer")
            bodies = [a.text_for_nlp for a in read_and_clean(files).articles]
            t0 = time.perf_counter()
            for _ in nlp.pipe(bodies, batch_size=32):
                pass
            out["seconds"] = time.perf_counter() - t0
        else:
            build_nlp()
            t0 = time.perf_counter()
            prepared = read_and_clean(files)
            facts = extract(prepared.articles, n_process=2 if name == "b2" else 1)
            with open("/dev/null", "w") as sink:
                for f in facts:
                    sink.write(json.dumps(f.to_prediction(), ensure_ascii=False, default=str) + "\n")
            out["seconds"] = time.perf_counter() - t0
            out["articles"] = len(facts)
    elif name in ("c", "d", "c2"):
        from prefect.testing.utilities import prefect_test_harness

        t0 = time.perf_counter()
        with prefect_test_harness(server_startup_timeout=120):
            out["server_seconds"] = time.perf_counter() - t0
            from flows.ingest import ingest, ingest_with

            flow = ingest_with("local:2") if name == "c2" else ingest
            if name == "d":  # the first run fills the database; only the rerun is timed
                ingest([str(corpus)], db=str(db))
            t1 = time.perf_counter()
            res = flow([str(corpus)], db=str(db))
            out["seconds"] = time.perf_counter() - t1
            out["articles"] = res["articles_read"]
            out["skipped"] = res["files_skipped"]
    out["peak_rss_mb"] = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    children = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024
    out["peak_rss_children_mb"] = children
    return out


def run_phase(name: str, corpus: Path, db: Path) -> dict:
    if db.exists() and name != "d":
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


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--shared", type=Path, default=ROOT.parent / "shared")
    ap.add_argument("--sizes", default="100,1000")
    ap.add_argument("--reps", type=int, default=3, help="repetitions for N <= 200 (1 above)")
    ap.add_argument("--phases", default="a,b,c,d,b2,c2,clean_txt,clean_html")
    ap.add_argument("--phase", help=argparse.SUPPRESS)
    ap.add_argument("--corpus", type=Path, help=argparse.SUPPRESS)
    ap.add_argument("--db", type=Path, help=argparse.SUPPRESS)
    args = ap.parse_args()
    if args.phase:
        print(json.dumps(phase(args.phase, args.corpus, args.db)))
        return 0
    phases = args.phases.split(",")
    rows = []
    with tempfile.TemporaryDirectory() as tmp:
        for n in map(int, args.sizes.split(",")):
            corpus = Path(tmp) / f"corpus{n}"
            words = build_corpus(corpus, n, args.shared)
            reps = args.reps if n <= 200 else 1
            results: dict[str, list[dict]] = {}
            for _ in range(reps):
                for ph in phases:
                    results.setdefault(ph, []).append(run_phase(ph, corpus, Path(tmp) / f"db{n}.duckdb"))
                    print(f"  N={n} {ph}: {results[ph][-1]}", file=sys.stderr, flush=True)
            med = {ph: statistics.median(r["seconds"] for r in rs) for ph, rs in results.items()}
            for ph, rs in results.items():
                rows.append((n, ph, med[ph], n / med[ph], words / med[ph],
                             med["a"] / med[ph] if "a" in med else float("nan"),
                             max(r["peak_rss_mb"] for r in rs), max(r["peak_rss_children_mb"] for r in rs),
                             statistics.median(r.get("server_seconds", 0) for r in rs)))
    print(f"\n{'N':>5} {'phase':<6}{'seconds':>9}{'art/s':>8}{'words/s':>9}{'vs a':>7}{'RSS MB':>8}"
          f"{'child MB':>9}{'server s':>9}  (median)")
    for n, ph, s, aps, wps, ratio, rss, crss, srv in rows:
        print(f"{n:>5} {ph:<6}{s:>9.2f}{aps:>8.1f}{wps:>9.0f}{ratio:>7.2f}{rss:>8.0f}{crss:>9.0f}{srv:>9.1f}")
    by = {(n, ph): s for n, ph, s, *_ in rows}
    print()
    for n in sorted({r[0] for r in rows}):
        if (n, "d") in by and (n, "c") in by:
            print(f"N={n}: rerun / first run = {by[n, 'd'] / by[n, 'c']:.1%}")
        if (n, "b2") in by and (n, "b") in by:
            print(f"N={n}: extract, 2 processes vs 1 = {by[n, 'b'] / by[n, 'b2']:.2f}x")
        if (n, "c2") in by and (n, "c") in by:
            print(f"N={n}: flow, 2 Dask workers vs 1 process = {by[n, 'c'] / by[n, 'c2']:.2f}x")
    for n in sorted({r[0] for r in rows}):
        for ph in ("clean_txt", "clean_html"):
            if (n, ph) in by:
                print(f"N={n}: {ph.replace('_', ' ')}: {by[n, ph] / n * 1000:.1f} ms per article")
    sizes = sorted({r[0] for r in rows})
    if len(sizes) >= 2 and all((s, "b") in by for s in sizes):
        per = [by[s, "b"] / s * 1000 for s in sizes]
        print("ms per article (b): " + ", ".join(f"N={s}: {p:.0f}" for s, p in zip(sizes, per, strict=True)))
    return 0


if __name__ == "__main__":
    sys.exit(main())
