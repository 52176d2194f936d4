"""`make eval`: the scorer's table on the shared gold, a stock-spaCy ORG
baseline measured in the same run, and pass rates on the public French peer
suite (Recognizers-Text specs). `--gate FLOORS` fails when a figure drops
below its floor.
"""
from __future__ import annotations

import argparse
import json
import subprocess
import sys
import tempfile
import tomllib
from datetime import date, datetime, timedelta
from pathlib import Path

from extractors.amounts import find_amounts
from extractors.dates import find_dates
from extractors.metrics import find_metrics
from extractors.numbers import number_re, parse_number
from extractors.pipeline import MODEL, extract
from extractors.readers import discover
from extractors.stages import read_and_clean

FIELDS = ("organizations", "amounts", "dates", "metrics")
CURRENCY_NAMES = {"dollar": "USD", "euro": "EUR", "livre sterling": "GBP", "british pound": "GBP", "yuan": "CNY",
                  "franc suisse": "CHF", "swiss franc": "CHF", "yen": "JPY", "dirham": "MAD",
                  "dirham marocain": "MAD", "franc cfa": "XOF", "dollar canadien": "CAD",
                  "roupie": "INR", "roupie indienne": "INR", "yen japonais": "JPY", "dollar américain": "USD",
                  "united states dollar": "USD", "dollar des états-unis": "USD"}


def score(shared: Path, preds: list[dict]) -> dict:
    with tempfile.NamedTemporaryFile("w", suffix=".jsonl", delete=False) as fh:
        for p in preds:
            fh.write(json.dumps(p, ensure_ascii=False, default=str) + "\n")
    res = subprocess.run([sys.executable, str(shared / "eval" / "score.py"), str(shared / "eval" / "dev.jsonl"),
                          fh.name, "--json"], capture_output=True, text=True, check=True)
    Path(fh.name).unlink()
    return json.loads(res.stdout)


def depeche_predictions(shared: Path) -> tuple[list[dict], list]:
    prepared = read_and_clean(discover([shared / "seeds"]))
    return [f.to_prediction() for f in extract(prepared.articles)], prepared.articles


def stock_spacy_predictions(articles) -> list[dict]:
    """Stock fr_core_news_md ORG entities alone, one entry per distinct text."""
    import spacy

    nlp = spacy.load(MODEL)
    out = []
    for a, doc in zip(articles, nlp.pipe(a.text_for_nlp for a in articles), strict=True):
        names = dict.fromkeys(e.text for e in doc.ents if e.label_ == "ORG")
        out.append({"id": a.record_id or a.article_id, "source_file": Path(a.source_path).name,
                    "organizations": [{"name": n, "aliases": []} for n in names]})
    return out


def print_table(res: dict, base: dict) -> None:
    print(f"{'field':<16}{'tp':>5}{'fp':>5}{'fn':>5}{'P':>8}{'R':>8}{'F1':>8}")
    for f in FIELDS:
        r = res["fields"][f]
        print(f"{f:<16}{r['tp']:>5}{r['fp']:>5}{r['fn']:>5}{r['precision']:>8.3f}{r['recall']:>8.3f}{r['f1']:>8.3f}")
    b = base["fields"]["organizations"]
    print(f"{'orgs (stock)':<16}{b['tp']:>5}{b['fp']:>5}{b['fn']:>5}{b['precision']:>8.3f}{b['recall']:>8.3f}"
          f"{b['f1']:>8.3f}   <- stock spaCy ORG entities alone, same bodies, same run")
    for k in ("title", "publisher", "published"):
        m = res["metadata"][k]
        print(f"{k:<16}{m['correct']}/{m['total']}")
    c = res["cleaning"]
    print(f"{'cleaning':<16}{c['clean']}/{c['total']}")


# -- peer suite ---------------------------------------------------------------

def _load(path: Path) -> list[dict]:
    return json.loads(path.read_text(encoding="utf-8-sig"))


def _num(v) -> float | None:
    """The suite writes values the French way at times ("2,75")."""
    s = str(v).rstrip("%").replace(" ", "")
    if s.count(",") == 1 and "." not in s:
        s = s.replace(",", ".")
    try:
        return float(s.replace(",", ""))
    except ValueError:
        return None


def _close(a: float, b: float | None) -> bool:
    if b is None:
        return False
    return abs(a - b) <= 0.005 * max(abs(b), 1e-9)


def _ref(case: dict) -> date:
    ctx = (case.get("Context") or {}).get("ReferenceDateTime")
    return datetime.fromisoformat(ctx).date() if ctx else date(2016, 11, 7)


def _resolutions(e: dict) -> list[dict]:
    return [e["Value"].get("PastResolution") or {}, e["Value"].get("FutureResolution") or {}]


def _period_found(e: dict, got: list) -> bool:
    firsts = {g.first.isoformat() for g in got}
    # the suite gives an exclusive end ("next day") or an inclusive one
    lasts = {g.last.isoformat() for g in got} | {(g.last + timedelta(days=1)).isoformat() for g in got}
    return any(r.get("startDate") in firsts and r.get("endDate") in lasts for r in _resolutions(e))


def peer_suite(peers: Path) -> dict[str, tuple[int, int]]:
    """kind -> (passed, cases). A case passes when every expected entity is found
    with the expected value (and no entity is found where none is expected)."""
    import re

    def numbers(text: str) -> list[float]:
        return [v for m in re.finditer(number_re(), text, re.IGNORECASE) if (v := parse_number(m.group(0))) is not None]

    def currency_found(e: dict, got: list) -> bool:
        val = _num(e["Resolution"].get("value"))
        iso = CURRENCY_NAMES.get(str(e["Resolution"].get("unit", "")).lower())
        return any(_close(g.value, val) and (iso is None or g.currency == iso) for g in got)

    # kind: (spec file, what our extractors find in a case, whether one expected entity is among it)
    kinds = {
        "currency": ("NumberWithUnit/CurrencyModel.json", lambda c: find_amounts(c["Input"]), currency_found),
        "number": ("Number/NumberModel.json", lambda c: numbers(c["Input"]),
                   lambda e, got: e["Resolution"].get("value") in (None, "")
                   or any(_close(v, _num(e["Resolution"]["value"])) for v in got)),
        "percent": ("Number/PercentModel.json",
                    lambda c: [m.value for m in find_metrics(c["Input"]) if m.unit == "%"],
                    lambda e, got: any(_close(g, _num(e["Resolution"]["value"])) for g in got)),
        "date (extract)": ("DateTime/DateExtractor.json", lambda c: find_dates(c["Input"], _ref(c)),
                           lambda e, got: any(g.start < e["Start"] + e["Length"] and e["Start"] < g.end
                                              for g in got)),
        "date (resolve)": ("DateTime/DateParser.json", lambda c: find_dates(c["Input"], _ref(c)),
                           lambda e, got: any(g.value in {r.get("date") for r in _resolutions(e)}
                                              or g.first.isoformat() in {r.get("date") for r in _resolutions(e)}
                                              for g in got)),
        "period (resolve)": ("DateTime/DatePeriodParser.json", lambda c: find_dates(c["Input"], _ref(c)),
                             _period_found),
    }
    results: dict[str, tuple[int, int]] = {}
    for kind, (spec, find, found) in kinds.items():
        cases = _load(peers / spec)
        ok = 0
        for c in cases:
            got, exp = find(c), c.get("Results") or []
            ok += (not got) if not exp else all(found(e, got) for e in exp)
        results[kind] = (ok, len(cases))
    return results


def gate(res: dict, floors_file: Path) -> list[str]:
    floors = tomllib.loads(floors_file.read_text())
    failures = []
    for field, fl in floors.get("fields", {}).items():
        r = res["fields"][field]
        for metric, floor in fl.items():
            if r[metric] < floor:
                failures.append(f"{field} {metric} {r[metric]:.3f} < floor {floor}")
    for key, floor in floors.get("accuracy", {}).items():
        got = res["cleaning"]["accuracy"] if key == "cleaning" else res["metadata"][key]["accuracy"]
        if got < floor:
            failures.append(f"{key} accuracy {got:.3f} < floor {floor}")
    return failures


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__)
    ap.add_argument("--shared", type=Path, default=Path("../shared"))
    ap.add_argument("--gate", type=Path, help="floors file: exit 1 when a figure is below its floor")
    ap.add_argument("--no-peers", action="store_true")
    args = ap.parse_args()
    preds, articles = depeche_predictions(args.shared)
    res = score(args.shared, preds)
    if args.gate:
        failures = gate(res, args.gate)
        for f in FIELDS:
            r = res["fields"][f]
            print(f"quality gate: {f:<14} P {r['precision']:.3f} R {r['recall']:.3f} F1 {r['f1']:.3f}")
        if failures:
            print("quality gate FAILED:\n  " + "\n  ".join(failures))
            return 1
        print(f"quality gate passed ({args.gate})")
        return 0
    base = score(args.shared, stock_spacy_predictions(articles))
    print_table(res, base)
    if not args.no_peers:
        print("\npeer suite (Recognizers-Text French specs): cases passed")
        for kind, (ok, n) in peer_suite(args.shared / "eval" / "peers" / "recognizers-text-fr").items():
            print(f"  {kind:<18}{ok:>5}/{n:<5}{ok / n:>7.1%}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
