"""``safelect rla``: draw samples, size and measure risk-limiting audits from files.

Pure computation (no database, no Django): the sampler follows Rivest, "Consistent Sampling
with Replacement" (2018); the statistics follow Lindeman, Stark & Yates (BRAVO, 2012), Stark
(super-simple, 2010), Lindeman & Stark ("A Gentle Introduction to RLAs", 2012), Stark (ALPHA,
2023; SHANGRLA, 2020) and Stark (MACRO, 2008). Formats are documented in docs/rla.md.
"""

from __future__ import annotations

import argparse
import csv
import json
import sys
import warnings
from typing import Any, NoReturn

__all__ = ["main"]

METHODS = ("bravo", "supersimple", "alpha", "macro")
_PROGRESS_MIN = 200_000


class _UsageError(Exception):
    pass


class _Parser(argparse.ArgumentParser):
    def error(self, message: str) -> NoReturn:
        raise _UsageError(f"{self.prog}: {message}")


def _pct(text: str) -> float:
    try:
        v = float(text.rstrip("%"))
    except ValueError:
        raise argparse.ArgumentTypeError(f"not a percentage: {text!r}") from None
    if not 0 < v < 100:
        raise argparse.ArgumentTypeError("risk limit must be a percentage strictly between 0 and 100")
    return v


def _nonneg(text: str) -> int:
    try:
        v = int(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"not a whole number: {text!r}") from None
    if v < 0:
        raise argparse.ArgumentTypeError("must be >= 0")
    return v


def _rate(text: str) -> float:
    try:
        v = float(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"not a rate: {text!r}") from None
    if not 0 <= v < 1:
        raise argparse.ArgumentTypeError("rates are fractions in [0, 1)")
    return v


def _parser() -> _Parser:
    p = _Parser(prog="safelect rla", description="Risk-limiting audit sampling and statistics (no database).")
    sub = p.add_subparsers(dest="command", required=True, parser_class=_Parser)

    d = sub.add_parser(
        "draw",
        help="draw ballots with the consistent sampler (identical to Arlo's)",
        description="Draw ballots from an Arlo-style manifest with SHA-256 consistent sampling.",
    )
    d.add_argument("--seed", required=True, help="random seed (20+ digits from public dice rolls)")
    d.add_argument("--manifest", required=True, help="manifest CSV: Batch Name, Number of Ballots[, Tabulator, Container, Jurisdiction]")
    d.add_argument("--sample-size", required=True, type=_nonneg, help="number of draws to output")
    d.add_argument("--with-replacement", action="store_true", help="sample with replacement (Arlo's ballot polling)")
    d.add_argument("--previous", type=_nonneg, default=0, help="skip the first K draws (earlier rounds); default 0")
    d.add_argument("--digits", type=int, default=18, help="ticket digits after leading 9s (Arlo: 18); default 18")
    d.add_argument(
        "--id-format",
        choices=("auto", "arlo", "batch"),
        default="auto",
        help="ballot ids: arlo ((jurisdiction, tabulator, batch), position), batch (batch, position); "
        "auto = arlo if the manifest has a Jurisdiction column or --jurisdiction is given",
    )
    d.add_argument("--jurisdiction", help="jurisdiction name for rows without a Jurisdiction column")
    d.add_argument("--json", action="store_true", help="print JSON instead of CSV")

    b = sub.add_parser(
        "draw-batches",
        help="draw batches with probability proportional to their error bound (PPEB, for MACRO)",
        description="PPEB draws for a batch comparison audit from a contest JSON with its batches.",
    )
    b.add_argument("--seed", required=True, help="random seed (20+ digits from public dice rolls)")
    b.add_argument("--contest", required=True, help="contest JSON with 'batches' (see docs/rla.md)")
    b.add_argument("--sample-size", required=True, type=_nonneg, help="number of draws to output")
    b.add_argument("--previous", type=_nonneg, default=0, help="skip the first K draws (earlier rounds); default 0")
    b.add_argument("--json", action="store_true", help="print JSON instead of CSV")

    s = sub.add_parser(
        "sample-size",
        help="initial sample size for a contest",
        description="Sample size that meets the risk limit if the reported results are right.",
    )
    s.add_argument("--method", required=True, help="bravo | supersimple | alpha | macro")
    s.add_argument("--contest", required=True, help="contest JSON (see docs/rla.md)")
    s.add_argument("--risk-limit", required=True, type=_pct, help="risk limit in percent, e.g. 5 or 2.5")
    for name in ("o1", "o2", "u1", "u2"):
        s.add_argument(f"--{name}-rate", type=_rate, default=0.0, help=f"expected {name} discrepancy rate (comparison)")
    s.add_argument("--supermajority", type=float, help="ALPHA: fraction of valid votes the winner needs")
    s.add_argument("--phantoms", type=_nonneg, default=0, help="ALPHA: ballots in the manifest without a CVR")
    s.add_argument("--json", action="store_true", help="print JSON")

    c = sub.add_parser(
        "cvr-tally",
        help="tally a cast vote record export (no database)",
        description="Per contest: its vote limit, the votes for each choice and the cards that contain it.",
    )
    c.add_argument("--cvr", required=True, help="CVR file: Dominion CSV, ES&S CSV, Hart zip, Clear Ballot CSV or NIST SP 1500-103 JSON")
    c.add_argument("--format", default="auto", help="auto (from the content) | dominion | ess | hart | clearballot | nist")
    c.add_argument("--json", action="store_true", help="print JSON")

    r = sub.add_parser(
        "risk",
        help="measured risk (P-value) of an audited sample",
        description="Risk measured from the audited sample; the audit may stop when it is at most the risk limit.",
    )
    r.add_argument("--method", required=True, help="bravo | supersimple | alpha | macro")
    r.add_argument("--contest", required=True, help="contest JSON (see docs/rla.md)")
    r.add_argument("--sample", required=True, help="audited sample CSV (see docs/rla.md)")
    r.add_argument("--risk-limit", type=_pct, help="risk limit in percent (to say whether the audit may stop)")
    r.add_argument("--supermajority", type=float, help="ALPHA: fraction of valid votes the winner needs")
    r.add_argument("--phantoms", type=_nonneg, default=0, help="ALPHA: ballots in the manifest without a CVR")
    r.add_argument("--with-replacement", action="store_true", help="ALPHA: the sample was drawn with replacement")
    r.add_argument("--json", action="store_true", help="print JSON")
    return p


def _method(m: str) -> str:
    if m.lower() not in METHODS:
        raise _UsageError(f"safelect rla: unknown method {m!r} (choose from {', '.join(METHODS)})")
    return m.lower()


def _progress(total: int) -> tuple[Any, Any]:
    """A rich progress bar on stderr when it is a terminal and the input is large."""
    if total < _PROGRESS_MIN or not sys.stderr.isatty():
        return None, None
    from rich.console import Console
    from rich.progress import BarColumn, Progress, TextColumn, TimeRemainingColumn

    prog = Progress(
        TextColumn("hashing ballots"),
        BarColumn(),
        TextColumn("{task.completed:,}/{task.total:,}"),
        TimeRemainingColumn(),
        console=Console(file=sys.stderr),
        transient=True,
    )
    task = prog.add_task("draw", total=total)
    prog.start()
    return prog, lambda done: prog.update(task, completed=done)


def _draw(a: argparse.Namespace) -> int:
    from .manifest import keyed, read_manifest
    from .sampling import consistent_sample, validate_seed

    if a.digits < 1:
        raise _UsageError("safelect rla draw: --digits must be >= 1")
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        validate_seed(a.seed)
    for w in caught:
        print(f"warning: {w.message}", file=sys.stderr)
    batches = read_manifest(a.manifest)
    fmt, keys = keyed(batches, a.id_format, a.jurisdiction)
    total = sum(n for _, n in keys)
    prog, cb = _progress(total)
    try:
        draws = consistent_sample(
            a.seed, keys, a.sample_size, with_replacement=a.with_replacement, previous=a.previous, digits=a.digits, progress=cb
        )
    finally:
        if prog is not None:
            prog.stop()
    rows = []
    for dr in draws:
        key, pos = dr.id
        if fmt == "arlo":
            jur, tab, name = key
        else:
            jur, tab, name = None, None, key
        rows.append(
            {
                "ticket": dr.ticket,
                "jurisdiction": jur,
                "tabulator": tab,
                "batch": name,
                "position": pos,
                "generation": dr.generation,
                "id": str(dr.id),
            }
        )
    if a.json:
        json.dump(
            {
                "seed": a.seed,
                "ballots": total,
                "batches": len(keys),
                "sample_size": a.sample_size,
                "previous": a.previous,
                "with_replacement": a.with_replacement,
                "digits": a.digits,
                "id_format": fmt,
                "draws": rows,
            },
            sys.stdout,
            ensure_ascii=False,
        )
        sys.stdout.write("\n")
    else:
        w = csv.writer(sys.stdout, lineterminator="\n")
        w.writerow(["Ticket Number", "Jurisdiction", "Tabulator", "Batch Name", "Ballot Position", "Generation"])
        for r in rows:
            w.writerow([r["ticket"], r["jurisdiction"] or "", r["tabulator"] or "", r["batch"], r["position"], r["generation"]])
    return 0


def _draw_batches(a: argparse.Namespace) -> int:
    from .contest import load_contest
    from .macro import ppeb_sample, total_error_bound

    c = load_contest(a.contest)
    total_error_bound(c)  # refuses a contest without batches
    draws = [{"draw": k, "batch": name} for k, name in ppeb_sample(a.seed, c, a.sample_size, previous=a.previous)]
    if a.json:
        json.dump({"seed": a.seed, "contest": c.name, "previous": a.previous, "draws": draws}, sys.stdout, ensure_ascii=False)
        sys.stdout.write("\n")
    else:
        w = csv.writer(sys.stdout, lineterminator="\n")
        w.writerow(["Draw", "Batch Name"])
        for d in draws:
            w.writerow([d["draw"], d["batch"]])
    return 0


def _sample_size(a: argparse.Namespace) -> int:
    from .contest import load_contest

    method = _method(a.method)
    c = load_contest(a.contest)
    alpha = a.risk_limit / 100
    out: dict[str, Any] = {"method": method, "contest": c.name, "risk_limit": a.risk_limit, "ballots_cast": c.ballots_cast}
    if method == "bravo":
        from .bravo import bravo_asn, bravo_sample_size

        asn = bravo_asn(c, alpha)
        quant = {f"{int(q * 100)}%": bravo_sample_size(c, alpha, q) for q in (0.7, 0.8, 0.9)}
        main_ss = quant["90%"]
        out.update(main_ss.as_json())
        out["asn"] = asn.as_json()
        out["finish_in_one_round"] = {k: v.as_json() for k, v in quant.items()}
        lines = [f"ASN: {asn}"] + [f"{k} chance to finish in one round: {v}" for k, v in quant.items()]
    elif method == "supersimple":
        from .comparison import supersimple_sample_size

        main_ss = supersimple_sample_size(alpha, c.min_diluted_margin(), c.ballots_cast, a.o1_rate, a.o2_rate, a.u1_rate, a.u2_rate)
        out.update(main_ss.as_json())
        out["diluted_margin"] = c.min_diluted_margin()
        lines = [f"sample size: {main_ss}"]
    elif method == "alpha":
        from .alpha import alpha_sample_size

        main_ss = alpha_sample_size(
            c,
            alpha,
            o1_rate=a.o1_rate,
            o2_rate=a.o2_rate,
            u1_rate=a.u1_rate,
            u2_rate=a.u2_rate,
            supermajority=a.supermajority,
            phantoms=a.phantoms,
        )
        out.update(main_ss.as_json())
        lines = [f"sample size: {main_ss}"]
    else:
        from .macro import macro_sample_size, total_error_bound

        main_ss = macro_sample_size(c, alpha)
        out.update(main_ss.as_json())
        out["total_error_bound"] = total_error_bound(c)
        out["unit"] = "batches"
        lines = [f"sample size: {main_ss}" + ("" if main_ss.full_hand_count else " batches")]
    if a.json:
        print(json.dumps(out, ensure_ascii=False))
    else:
        print("\n".join(lines))
    return 0


def _risk(a: argparse.Namespace) -> int:
    from .contest import load_contest

    method = _method(a.method)
    c = load_contest(a.contest)
    out: dict[str, Any] = {"method": method, "contest": c.name}
    detail: list[dict[str, Any]] = []
    if method == "bravo":
        from .bravo import bravo_risk
        from .samples import read_polling

        ballots = read_polling(a.sample, c)
        risk, pairs = bravo_risk(c, ballots)
        out["sample_size"] = len(ballots)
        detail = [
            {"winner": p.winner, "loser": p.loser, "winner_ballots": p.winner_ballots, "loser_ballots": p.loser_ballots, "risk": p.risk}
            for p in pairs
        ]
    elif method in ("supersimple", "alpha"):
        from .samples import read_comparison

        rows = read_comparison(a.sample, c)
        out["sample_size"] = len(rows)
        from .comparison import classify, count_discrepancies, overstatement

        es = [r.discrepancy if r.discrepancy is not None else overstatement(c, r.cvr, r.audit) for r in rows]
        d = count_discrepancies(es)
        out["discrepancies"] = {"o1": d.o1, "o2": d.o2, "u1": d.u1, "u2": d.u2}
        if method == "supersimple":
            from .comparison import km_p_value

            risk = km_p_value(c.min_diluted_margin(), es)
            detail = [{"ballot": i + 1, "discrepancy": classify(e)} for i, e in enumerate(es) if e]
        else:
            from .alpha import CLCA_D, alpha_p_value, assertions_for, clca_eta0

            n = c.ballots_cast + a.phantoms
            risk = 0.0
            for asr in assertions_for(c, a.supermajority, a.phantoms):
                if asr.margin <= 0:
                    p = 1.0
                else:
                    k = 2 - asr.margin / asr.upper
                    xs = [
                        (1 - (r.discrepancy / 2)) / k if r.discrepancy is not None else asr.overstatement_value(r.cvr, r.audit)
                        for r in rows
                    ]
                    p = alpha_p_value(xs, None if a.with_replacement else n, asr.clca_upper, clca_eta0(asr), d=CLCA_D)
                detail.append({"assertion": asr.name, "risk": p})
                risk = max(risk, p)
    else:
        from .macro import macro_p_value
        from .samples import read_batches

        draws = read_batches(a.sample, c)
        out["sample_size"] = len(draws)
        risk = macro_p_value(c, draws)
    out["risk"] = risk
    out["detail"] = detail
    if a.risk_limit is not None:
        out["risk_limit"] = a.risk_limit
        out["risk_limit_met"] = risk <= a.risk_limit / 100
    if a.json:
        print(json.dumps(out, ensure_ascii=False))
    else:
        line = f"risk: {risk:.6g} ({risk * 100:.4g}%)"
        if a.risk_limit is not None:
            line += "; risk limit met" if out["risk_limit_met"] else "; risk limit NOT met: escalate"
        print(line)
    return 0


def _cvr_tally(a: argparse.Namespace) -> int:
    from .cvr import tally

    result = tally(a.cvr, a.format)
    if a.json:
        print(json.dumps(result.as_json(), indent=2, ensure_ascii=False))
        return 0
    print(f"{result.cards:,} cards ({result.format})")
    for contest in result.contests.values():
        print(f"\n{contest.name} (vote for {contest.votes_allowed}; on {contest.ballots:,} cards)")
        for choice, votes in sorted(contest.choices.items(), key=lambda kv: -kv[1]):
            print(f"  {votes:>12,}  {choice}")
    return 0


def main(argv: list[str] | None = None) -> int:
    """Entry point of ``safelect rla``; returns the exit status (2 on bad input)."""
    from .contest import ContestError
    from .cvr import CvrError
    from .manifest import ManifestError
    from .samples import SampleError

    try:
        a = _parser().parse_args(argv)
        if a.command == "draw":
            return _draw(a)
        if a.command == "draw-batches":
            return _draw_batches(a)
        if a.command == "sample-size":
            return _sample_size(a)
        if a.command == "cvr-tally":
            return _cvr_tally(a)
        return _risk(a)
    except SystemExit as e:  # --help
        return e.code if isinstance(e.code, int) else 0
    except _UsageError as e:
        print(str(e), file=sys.stderr)
        return 2
    except (ManifestError, ContestError, SampleError, CvrError, ValueError) as e:
        print(f"safelect rla: error: {e}", file=sys.stderr)
        return 2
    except KeyboardInterrupt:
        print("safelect rla: interrupted", file=sys.stderr)
        return 130
    except BrokenPipeError:
        return 0


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
