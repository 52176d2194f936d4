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
from datetime import date, datetime
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


def peer_suite(peers: Path) -> dict[str, tuple[int, int]]:
    """kind -> (passed, cases). A case passes when every expected entity is found
    with the expected value (and no entity is found where none is expected)."""
    import re

    results: dict[str, tuple[int, int]] = {}

    def run(kind: str, cases: list[dict], check) -> None:
        ok = sum(1 for c in cases if check(c))
        results[kind] = (ok, len(cases))

    def currency(c: dict) -> bool:
        got = find_amounts(c["Input"])
        exp = c.get("Results") or []
        if not exp:
            return not got
        for e in exp:
            val = _num(e["Resolution"].get("value"))
            iso = CURRENCY_NAMES.get(str(e["Resolution"].get("unit", "")).lower())
            if not any(_close(g.value, val) and (iso is None or g.currency == iso) for g in got):
                return False
        return True

    def number(c: dict) -> bool:
        vals = [parse_number(m.group(0)) for m in re.finditer(number_re(), c["Input"], re.IGNORECASE)]
        exp = c.get("Results") or []
        if not exp:
            return not vals
        return all(any(v is not None and _close(v, _num(e["Resolution"]["value"])) for v in vals) for e in exp
                   if e["Resolution"].get("value") not in (None, ""))

    def percent(c: dict) -> bool:
        got = [m.value for m in find_metrics(c["Input"]) if m.unit == "%"]
        exp = c.get("Results") or []
        if not exp:
            return not got
        return all(any(_close(g, _num(e["Resolution"]["value"])) for g in got) for e in exp)

    def date_extract(c: dict) -> bool:
        got = find_dates(c["Input"], _ref(c))
        exp = c.get("Results") or []
        if not exp:
            return not got
        return all(any(g.start < e["Start"] + e["Length"] and e["Start"] < g.end for g in got) for e in exp)

    def date_parse(c: dict) -> bool:
        got = find_dates(c["Input"], _ref(c))
        exp = c.get("Results") or []
        if not exp:
            return not got
        for e in exp:
            want = {r.get("date") for r in (e["Value"].get("PastResolution") or {},
                                            e["Value"].get("FutureResolution") or {})}
            if not any(g.value in want or g.first.isoformat() in want for g in got):
                return False
        return True

    def period_parse(c: dict) -> bool:
        got = find_dates(c["Input"], _ref(c))
        exp = c.get("Results") or []
        if not exp:
            return not got
        for e in exp:
            res = [e["Value"].get("PastResolution") or {}, e["Value"].get("FutureResolution") or {}]
            ok = False
            for r in res:
                s, t = r.get("startDate"), r.get("endDate")
                firsts = {g.first.isoformat() for g in got}
                lasts = {g.last.isoformat() for g in got} | {(g.last.toordinal() + 1) and
                                                            date.fromordinal(g.last.toordinal() + 1).isoformat()
                                                            for g in got}
                ok = ok or (s in firsts and t in lasts)
            if not ok:
                return False
        return True

    run("currency", _load(peers / "NumberWithUnit" / "CurrencyModel.json"), currency)
    run("number", _load(peers / "Number" / "NumberModel.json"), number)
    run("percent", _load(peers / "Number" / "PercentModel.json"), percent)
    run("date (extract)", _load(peers / "DateTime" / "DateExtractor.json"), date_extract)
    run("date (resolve)", _load(peers / "DateTime" / "DateParser.json"), date_parse)
    run("period (resolve)", _load(peers / "DateTime" / "DatePeriodParser.json"), period_parse)
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
