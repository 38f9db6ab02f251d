"""``safelect grants allocate``: an allocation table from the command line, with no database.

    safelect grants allocate --formula s2261-7e --amount 386000000 [--population FILE] [--json]
    safelect grants allocate --formula s2261-7g --amount 186000000 --input votes.csv
    safelect grants allocate --formula s2261-7h --amount 5000000 --input hand-counts.csv
    safelect grants allocate --formula hr5011-297 --amount 175000000 [--turnout FILE]
    safelect grants allocate --formula hava-2018 --amount 380000000

Input files (CSV, UTF-8, one header row): ``--population`` ``state_abbr`` and
``voting_age_population`` (or ``pop18plus_2010_census``); ``--turnout`` ``state_abbr``,
``total_ballots_YYYY`` and optionally ``highest_office_YYYY`` for two elections; ``--input`` for
s2261-7g ``state_abbr, votes_ineligible, votes_total`` and for s2261-7h ``state_abbr, applicant,
ballots_inspected, claimed_expenses`` and optionally ``voting_age_population``.

Exit status 0 with the table (or JSON), 2 with one line naming the problem.
"""

from __future__ import annotations

import argparse
import json
import os
import re
import sys

from . import formulas, tables
from .money import AllocationError


def _amount(text: str) -> int:
    cleaned = text.strip().replace(",", "").replace("_", "").lstrip("$")
    if re.fullmatch(r"-\d+", cleaned):
        raise argparse.ArgumentTypeError(f"the amount must not be negative (got {text})")
    if not re.fullmatch(r"\d+", cleaned):
        raise argparse.ArgumentTypeError(f"the amount must be whole dollars, e.g. 386000000 (got {text!r})")
    return int(cleaned)


def parser() -> argparse.ArgumentParser:
    out = argparse.ArgumentParser(
        prog="safelect grants allocate", description="Allocate a grant amount to the States by a formula of the bills."
    )
    out.add_argument("--formula", required=True, help="; ".join(f"{k}: {v}" for k, v in formulas.FORMULAS.items()))
    out.add_argument("--amount", required=True, type=_amount, help="dollars to allocate (whole dollars)")
    out.add_argument("--population", help="voting-age population CSV (default: 2010 Census, shipped)")
    out.add_argument("--turnout", help="turnout CSV (default: 2014 and 2016, shipped)")
    out.add_argument("--input", help="per-State input CSV for s2261-7g and s2261-7h")
    out.add_argument("--json", action="store_true", help="print JSON instead of a table")
    return out


def allocate(args: argparse.Namespace) -> formulas.Allocation:
    if args.formula not in formulas.FORMULAS:
        raise AllocationError(f"unknown formula {args.formula!r}; choose one of {', '.join(formulas.FORMULAS)}")
    needs_input = args.formula in ("s2261-7g", "s2261-7h")
    if needs_input and not args.input:
        raise AllocationError(f"{args.formula} needs --input FILE (the States' claims)")
    if args.input and not needs_input:
        raise AllocationError(f"{args.formula} takes no --input; it reads --population or --turnout")
    population = tables.population(args.population) if args.formula in ("s2261-7e", "hava-2018", "s2261-7h") else None
    if args.formula == "s2261-7e":
        return formulas.s2261_7e(args.amount, population)
    if args.formula == "hava-2018":
        return formulas.hava_2018(args.amount, population)
    if args.formula == "hr5011-297":
        return formulas.hr5011_297(args.amount, tables.turnout(args.turnout))
    if args.formula == "s2261-7g":
        return formulas.s2261_7g(args.amount, tables.claims(args.input, ("votes_ineligible", "votes_total")))
    return formulas.s2261_7h(
        args.amount, tables.claims(args.input, ("ballots_inspected", "claimed_expenses"), ("voting_age_population",)), population
    )


def render(result: formulas.Allocation) -> str:
    """A table with a bar per State, then the States left out and the assumptions."""
    lines = [f"{result.citation} — ${result.amount:,} allocated (total ${result.total:,})", ""]
    top = max((line.amount for line in result.lines), default=0) or 1
    width = max(
        (len(line.name) + (len(line.applicant) + 3 if line.applicant and line.applicant != line.state else 0) for line in result.lines),
        default=10,
    )
    for line in sorted(result.lines, key=lambda line: -line.amount):
        label = line.name + (f" — {line.applicant}" if line.applicant and line.applicant != line.state else "")
        bar = "█" * max(1, round(30 * line.amount / top)) if line.amount else ""
        floor = "  (floor)" if line.terms.get("raised_to_floor") else ""
        lines.append(f"{line.state}  {label.ljust(width)}  ${line.amount:>14,}  {bar}{floor}")
    for left in result.excluded:
        lines.append(f"{left['state']}  not allocated: {left['reason']}")
    lines += ["", "Assumptions:"] + [f"- {text}" for text in result.assumptions]
    return "\n".join(lines)


def main(argv: list[str]) -> int:
    args = parser().parse_args(argv)
    try:
        result = allocate(args)
    except (AllocationError, tables.TableError) as exc:
        print(f"safelect grants allocate: {exc}", file=sys.stderr)
        return 2
    try:
        print(json.dumps(result.as_json(), indent=2, ensure_ascii=False) if args.json else render(result))
    except BrokenPipeError:  # piped into head: the reader has what it wanted
        sys.stdout = open(os.devnull, "w")  # noqa: SIM115  (so the interpreter's final flush does not fail)
    return 0
