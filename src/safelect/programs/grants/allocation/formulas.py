"""The grant formulas of S.2261 §7 and H.R. 5011 §297, and the 2018 HAVA election security formula.

Each function takes the amount in whole dollars and its input tables, computes exactly (see
:mod:`.money` for how floors, remainders and whole dollars are handled) and returns an
:class:`Allocation` that carries, for every State, the terms that produced its amount, and every
reading of the text the computation had to choose (``assumptions``). Pure: no Django, no database.

Which States: S.2261 §3(18) — the 50 States, DC, Puerto Rico, Guam, American Samoa, the Northern
Mariana Islands and the U.S. Virgin Islands (56); H.R. 5011 and HAVA — the same without the Northern
Mariana Islands (55).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from fractions import Fraction

from . import tables
from .money import AllocationError, dollars, floor_dollars, whole_dollars, with_floors

ROUNDING = (
    "Amounts are computed exactly (rational arithmetic) and rounded to whole dollars by the largest-remainder "
    "method: each is rounded down and the dollars still needed to meet the total go one each to the largest "
    "fractional parts (ties to the first State in USPS-code order), so the total is met exactly. Floors are "
    "rounded up to the whole dollar, so no State is below its floor."
)
TERRITORIES = {"PR", "GU", "AS", "MP", "VI"}


@dataclass
class Line:
    state: str
    name: str
    amount: int
    terms: dict
    applicant: str = ""

    def as_json(self) -> dict:
        out = {"state": self.state, "name": self.name, "amount": self.amount, "terms": self.terms}
        if self.applicant:
            out["applicant"] = self.applicant
        return out


@dataclass
class Allocation:
    formula: str
    citation: str
    amount: int
    lines: list[Line]
    assumptions: list[str]
    excluded: list[dict] = field(default_factory=list)
    inputs: dict = field(default_factory=dict)

    @property
    def total(self) -> int:
        return sum(line.amount for line in self.lines)

    def as_json(self) -> dict:
        return {
            "formula": self.formula,
            "citation": self.citation,
            "amount": self.amount,
            "allocations": [line.as_json() for line in self.lines],
            "total": self.total,
            "excluded": self.excluded,
            "inputs": self.inputs,
            "assumptions": self.assumptions,
        }


def _check_amount(amount: int) -> int:
    if isinstance(amount, bool) or not isinstance(amount, int):
        raise AllocationError(f"the amount must be a whole number of dollars, not {amount!r}")
    if amount < 0:
        raise AllocationError(f"the amount must not be negative (got {amount:,})")
    return amount


def _universe(without_mp: bool) -> dict[str, dict]:
    known = tables.states()
    return {code: row for code, row in known.items() if not (without_mp and code == "MP")}


def _population_values(population: tables.Table, universe: dict, formula: str) -> dict[str, int]:
    values = {}
    for code in universe:
        value = population.value(code, formula)
        if value is None:
            raise AllocationError(f"{formula}: the population table has no count for {code} ({population.basis.get(code, '')})")
        values[code] = value
    return values


def _quality_notes(population: tables.Table, universe: dict, floored: set[str], formula: str) -> list[str]:
    """Estimates are named; an upper bound is acceptable only where the floor binds at it (the
    amount is then the floor for every true value below the bound, and floored States' populations
    do not enter any other State's amount: the solved scale absorbs them)."""
    notes = []
    bounded = [c for c in universe if population.quality.get(c) == "upper_bound"]
    loose = [c for c in bounded if c not in floored]
    if loose:
        raise AllocationError(
            f"{formula}: only an upper bound of the voting-age population is known for {', '.join(loose)}, and the floor "
            "does not bind at it, so the amount depends on the unknown count; supply a population table with it"
        )
    if bounded:
        notes.append(
            f"Voting-age population of {', '.join(bounded)}: only an upper bound is known (the total population); each of "
            "these is raised to its floor even at the bound, so its amount, and every other State's, is the same for any "
            "true count below it."
        )
    estimates = [c for c in universe if population.quality.get(c) == "estimate"]
    for code in estimates:
        notes.append(f"Voting-age population of {code} is an estimate, not a census count: {population.basis.get(code, '')}")
    return notes


def _percent(value: Fraction) -> str:
    return f"{float(value * 100):.6f}"


def s2261_7e(amount: int, population: tables.Table | None = None) -> Allocation:
    """S.2261 §7(e): G_s = A · p_s, p_s = VAP_s / Σ VAP (the printed quotient is upside down,
    §7(e)(2)); not less than 0.5 % of A for the 50 States and DC and 0.1 % for the territories
    (§7(e)(3)), with pro rata reductions of the others to meet those floors (§7(e)(4))."""
    formula = "s2261-7e"
    amount = _check_amount(amount)
    population = population or tables.population()
    universe = _universe(without_mp=False)
    vap = _population_values(population, universe, formula)
    whole = sum(vap.values())
    floors = {c: floor_dollars(Fraction(amount, 1000 if c in TERRITORIES else 200)) for c in universe}
    weight = {c: Fraction(amount * vap[c], whole) for c in universe}
    exact, floored, scale = with_floors(Fraction(amount), dict.fromkeys(universe, Fraction(0)), weight, floors)
    rounded = whole_dollars(exact, amount)
    lines = [
        Line(
            c,
            universe[c]["state_name"],
            rounded[c],
            {
                "voting_age_population": vap[c],
                "population_quality": population.quality.get(c, "official"),
                "allocation_percentage": _percent(Fraction(vap[c], whole)),
                "formula_amount": dollars(weight[c]),
                "floor": floors[c],
                "floor_percent": "0.1" if c in TERRITORIES else "0.5",
                "raised_to_floor": c in floored,
                "pro_rata_factor": f"{float(scale):.9f}" if c not in floored else None,
                "exact_amount": dollars(exact[c]),
            },
        )
        for c in universe
    ]
    assumptions = [
        "§7(e)(2) as printed divides the total voting-age population by the State's, which is 100 % or more for every "
        "State; the numerator and denominator are read the other way round: p = VAP(State) / VAP(all 56 States).",
        f"The amount (${amount:,}) is taken as the 'total amount appropriated for grants' of §7(e)(1). The text does not "
        "say whether it is net of the $186,000,000 of §7(g)(6) and the $5,000,000 of §7(h)(5); to read it net, pass the "
        "net amount.",
        "The floors of §7(e)(3) are 0.5 % (50 States and DC) and 0.1 % (Puerto Rico, Guam, American Samoa, the Northern "
        "Mariana Islands, the U.S. Virgin Islands) of the same amount.",
        "§7(e)(4) 'pro rata reductions' is read as G = max(floor, k · p · A), with one factor k ≤ 1 for every State not "
        "raised to its floor, solved exactly so that the amounts add up to the total.",
        f"'Most recent decennial census': the population table used is {population.source}.",
        ROUNDING,
        *_quality_notes(population, universe, floored, formula),
    ]
    return Allocation(formula, "S.2261 §7(e)", amount, lines, assumptions, inputs={"population": population.source})


def s2261_7g(amount: int, claims: list[dict]) -> Allocation:
    """S.2261 §7(g)(6)(B): the non-paper replacement pool ($186,000,000 in §7(g)(6)(A)) shared by
    the States designated under §7(g)(2) — 10 % or more of the votes expected on systems that
    §7(c)(3) would not allow — in proportion to those votes. ``claims``: ``state``,
    ``votes_ineligible``, ``votes_total`` (one row per State that reports)."""
    formula = "s2261-7g"
    amount = _check_amount(amount)
    universe = _universe(without_mp=False)
    eligible, excluded = {}, []
    for claim in claims:
        code, votes, total = claim["state"], claim["votes_ineligible"], claim["votes_total"]
        if total == 0 or votes > total:
            raise AllocationError(f"{formula}: {code} row {claim['row']}: votes on ineligible systems must be between 0 and the votes cast")
        if 10 * votes >= total:
            eligible[code] = claim
        else:
            excluded.append(
                {"state": code, "reason": f"{_percent(Fraction(votes, total))[:6]} % of votes on ineligible systems, below 10 % (§7(g)(2))"}
            )
    lines, assumptions = [], []
    if eligible:
        mass = sum(c["votes_ineligible"] for c in eligible.values())
        exact = {c: Fraction(amount * eligible[c]["votes_ineligible"], mass) for c in eligible}
        rounded = whole_dollars(exact, amount)
        lines = [
            Line(
                c,
                universe[c]["state_name"],
                rounded[c],
                {
                    "votes_ineligible": eligible[c]["votes_ineligible"],
                    "votes_total": eligible[c]["votes_total"],
                    "percent_ineligible": _percent(Fraction(eligible[c]["votes_ineligible"], eligible[c]["votes_total"])),
                    "share_of_pool": _percent(Fraction(eligible[c]["votes_ineligible"], mass)),
                    "exact_amount": dollars(exact[c]),
                },
            )
            for c in sorted(eligible, key=list(universe).index)
        ]
    else:
        assumptions.append("No State is designated (none reaches 10 %); the pool is not allocated.")
    assumptions += [
        "'The proportional formula described in subsection (e), as applied to' the designated States and their votes on "
        "ineligible systems is read as the proportional share only: the floors of §7(e)(3) are not applied to this pool.",
        "Designation (§7(g)(2)): votes expected on ineligible systems are 10 % or more of the votes in the State.",
        "States not in the input are taken as not reporting ineligible systems.",
        "Money not awarded returns to the §7(a) program once the Secretary determines that no other State will receive a "
        "grant (§7(g)(6)(C)).",
        ROUNDING,
    ]
    return Allocation(formula, "S.2261 §7(g)(6)", amount, lines, assumptions, excluded)


def s2261_7h(amount: int, claims: list[dict], population: tables.Table | None = None) -> Allocation:
    """S.2261 §7(h): reimbursing hand inspection of paper ballots above 5 % of the voting-age
    population of the State (national or statewide office) or district. The pool ($5,000,000,
    §7(h)(5)) pays the claims in full when it suffices; otherwise it is split in proportion to the
    ballots inspected above the 5 % line (§7(h)(4)). ``claims``: ``state``, ``applicant``,
    ``ballots_inspected``, ``claimed_expenses`` and optionally ``voting_age_population`` (a
    district's; the State's from the population table when absent)."""
    formula = "s2261-7h"
    amount = _check_amount(amount)
    universe = _universe(without_mp=False)
    population = population or tables.population()
    eligible, excluded, bases = [], [], {}
    for claim in claims:
        base = claim.get("voting_age_population")
        if base is None:
            base = population.value(claim["state"], formula)
            if base is None or population.quality.get(claim["state"]) == "upper_bound":
                raise AllocationError(
                    f"{formula}: {claim['state']} row {claim['row']}: give the voting-age population of the State or district"
                )
        bases[(claim["state"], claim["applicant"])] = base
        excess = claim["ballots_inspected"] - Fraction(base, 20)
        if excess > 0:
            eligible.append((claim, excess))
        else:
            excluded.append(
                {
                    "state": claim["state"],
                    "applicant": claim["applicant"],
                    "reason": f"{claim['ballots_inspected']:,} ballots inspected by hand, not more than 5 % of {base:,} (§7(h)(1))",
                }
            )
    claimed = sum(c["claimed_expenses"] for c, _ in eligible)
    enough = claimed <= amount
    mass = sum(e for _, e in eligible)
    keys = [f"{c['state']}|{c['applicant']}" for c, _ in eligible]
    if enough:
        exact = {k: Fraction(c["claimed_expenses"]) for k, (c, _) in zip(keys, eligible, strict=True)}
        rounded = {k: int(v) for k, v in exact.items()}
    else:
        exact = {k: amount * e / mass for k, (_, e) in zip(keys, eligible, strict=True)}
        rounded = whole_dollars(exact, amount)
    lines = []
    for key, (claim, excess) in zip(keys, eligible, strict=True):
        base = bases[(claim["state"], claim["applicant"])]
        lines.append(
            Line(
                claim["state"],
                universe[claim["state"]]["state_name"],
                rounded[key],
                {
                    "ballots_inspected": claim["ballots_inspected"],
                    "voting_age_population": base,
                    "five_percent_line": dollars(Fraction(base, 20)),
                    "ballots_above_line": dollars(excess),
                    "claimed_expenses": claim["claimed_expenses"],
                    "paid_in_full": enough,
                    "award_exceeds_claim": rounded[key] > claim["claimed_expenses"],
                    "exact_amount": dollars(exact[key]),
                },
                applicant=claim["applicant"],
            )
        )
    assumptions = [
        "Eligible: ballots inspected by hand greater than 5 % of the voting-age population of the State (national or "
        "statewide office) or of the district (§7(h)(1)); the line is 5 % exactly, not rounded.",
        f"Claims add up to ${claimed:,}; the pool is ${amount:,}: "
        + (
            "the claims are paid in full."
            if enough
            else "insufficient, so the pool is split in proportion to the ballots above the 5 % line (§7(h)(4))."
        ),
        "The proportional split states no cap at an applicant's actual expenses; an award above the claim is flagged "
        "(award_exceeds_claim), not cut.",
        "Grants are awarded on January 31, 2019 and every 2 years thereafter (§7(h)(4)); local agencies may apply when "
        "their State authorises them (§7(h)(3)).",
        ROUNDING,
    ]
    return Allocation(formula, "S.2261 §7(h)", amount, lines, assumptions, excluded, inputs={"population": population.source})


def hr5011_297(amount: int, turnout: tables.Table | None = None) -> Allocation:
    """H.R. 5011, HAVA §297(b)–(c): each State at least $1 × the average number of individuals
    who voted in the two most recent regularly scheduled general elections for Federal office; pro
    rata reductions when the appropriation is short, so that all of it is distributed."""
    formula = "hr5011-297"
    amount = _check_amount(amount)
    turnout = turnout or tables.turnout()
    universe = _universe(without_mp=True)
    years = turnout.extra["years"]
    counted, excluded = {}, []
    for code in universe:
        value = turnout.value(code, formula)
        if value is None:
            excluded.append({"state": code, "reason": f"no turnout in the table: {turnout.basis.get(code, '')}"})
        else:
            counted[code] = value
    if not counted:
        raise AllocationError(f"{formula}: the turnout table has no counts")
    minimum = {c: Fraction(v, 2) for c, v in counted.items()}
    floor_total = sum(minimum.values())
    short = amount < floor_total
    exact = {c: amount * minimum[c] / floor_total for c in counted}
    rounded = whole_dollars(exact, amount)
    lines = [
        Line(
            c,
            universe[c]["state_name"],
            rounded[c],
            {
                f"voted_{years['first']}": turnout.extra[c][str(years["first"])],
                f"voted_{years['second']}": turnout.extra[c][str(years["second"])],
                "average": dollars(minimum[c]),
                "minimum_297b": dollars(minimum[c]),
                "reduced_pro_rata": short,
                "turnout_basis": turnout.basis.get(c, ""),
                "exact_amount": dollars(exact[c]),
            },
        )
        for c in counted
    ]
    assumptions = [
        f"The two most recent regularly scheduled general elections for Federal office: {years['first']} and "
        f"{years['second']} (from {turnout.source}); 'individuals who cast votes' is the total ballots counted, or the votes "
        "for the highest office where the total is not reported (named per State).",
        f"The §297(b) minimums add up to ${float(floor_total):,.2f}; the appropriation is ${amount:,}: "
        + (
            "short, so every minimum is reduced by the same factor (§297(c))."
            if short
            else "enough. The excess is 'such amount as the Commission determines'; it is shown distributed in proportion to "
            "the same minimums, which keeps every State at or above its minimum."
        ),
        "The States of HAVA §901 as amended: the 50 States, DC, Puerto Rico, Guam, American Samoa and the U.S. Virgin Islands.",
        ROUNDING,
    ]
    if excluded:
        assumptions.append(
            "Not allocated, for lack of a turnout count in the table (supply one with --turnout): "
            + ", ".join(e["state"] for e in excluded)
            + ". The amount is divided among the others."
        )
    return Allocation(formula, "H.R. 5011 §297(b)–(c)", amount, lines, assumptions, excluded, inputs={"turnout": turnout.source})


@dataclass
class Interim:
    """S.2261 §7(f)(5) for one State: the interim preparedness grants to its election agencies and
    what is left of its §7(e) amount."""

    state_grant: int
    cap: int
    funded: list[dict]
    not_funded: list[dict]
    returned: int
    reduced_state_grant: int


def s2261_7f5(state_grant: int, requests: list[dict], returned: int = 0) -> Interim:
    """S.2261 §7(f)(5): the interim grants to all election agencies in a State may not exceed 10 %
    of its §7(e)(1) amount (A); that amount is then reduced by the interim grants less the unused
    money returned (B). ``requests`` are ``{"agency", "amount"}`` in the State's priority order
    (§7(f)(2)); each is funded in full if it still fits under the cap, otherwise not funded (a
    remediation plan is not partly fundable) and the next one is tried."""
    state_grant, returned = _check_amount(state_grant), _check_amount(returned)
    cap = state_grant // 10  # 10 %, rounded down to the dollar so the cap is never exceeded
    funded, not_funded, used = [], [], 0
    for request in requests:
        wanted = _check_amount(request["amount"])
        if used + wanted <= cap:
            funded.append(request)
            used += wanted
        else:
            not_funded.append({**request, "reason": f"would exceed the 10 % cap of ${cap:,} (${cap - used:,} left) (§7(f)(5)(A))"})
    if returned > used:
        raise AllocationError(f"s2261-7f5: ${returned:,} returned is more than the ${used:,} granted")
    return Interim(state_grant, cap, funded, not_funded, returned, state_grant - (used - returned))


HAVA_FLOOR_STATE, HAVA_FLOOR_TERRITORY = 3_000_000, 600_000


def hava_2018(amount: int = 380_000_000, population: tables.Table | None = None) -> Allocation:
    """For comparison: the 2018 HAVA election security grants (Consolidated Appropriations Act,
    2018, Pub. L. 115-141, div. F, title V) by the HAVA §101(d) formula — a minimum payment of ½ %
    of the total for each of the 50 States and DC and 1/10 % for Puerto Rico, Guam, American Samoa
    and the U.S. Virgin Islands, plus a share of the rest by voting-age population (2010 Census) —
    with the act's floors ($3,000,000 per State, $600,000 per territory) met by scaling down the
    population shares of the others."""
    formula = "hava-2018"
    amount = _check_amount(amount)
    population = population or tables.population()
    universe = _universe(without_mp=True)
    vap = _population_values(population, universe, formula)
    whole = sum(vap.values())
    minimum = {c: Fraction(amount, 1000 if c in TERRITORIES else 200) for c in universe}
    rest = amount - sum(minimum.values())
    if rest < 0:
        raise AllocationError(f"{formula}: the amount cannot cover the minimum payments")
    weight = {c: Fraction(rest * vap[c], whole) for c in universe}
    floors = {c: HAVA_FLOOR_TERRITORY if c in TERRITORIES else HAVA_FLOOR_STATE for c in universe}
    exact, floored, scale = with_floors(Fraction(amount), minimum, weight, floors)
    rounded = whole_dollars(exact, amount)
    lines = [
        Line(
            c,
            universe[c]["state_name"],
            rounded[c],
            {
                "voting_age_population": vap[c],
                "population_quality": population.quality.get(c, "official"),
                "minimum_payment": dollars(minimum[c]),
                "population_share": dollars(weight[c]),
                "floor": floors[c],
                "raised_to_floor": c in floored,
                "scale_of_population_share": f"{float(scale):.9f}" if c not in floored else None,
                "exact_amount": dollars(exact[c]),
            },
        )
        for c in universe
    ]
    assumptions = [
        "HAVA §101(d): minimum payment ½ % of the total (50 States, DC) or 1/10 % (Puerto Rico, Guam, American Samoa, U.S. "
        "Virgin Islands) plus the State's share of the remainder by voting-age population; the Northern Mariana Islands "
        "were not a grantee.",
        f"The 2018 act's floors are dollar amounts (${HAVA_FLOOR_STATE:,} per State, ${HAVA_FLOOR_TERRITORY:,} per "
        "territory), kept as such for any amount; they are met by scaling the population shares of the other grantees by "
        "one factor, solved exactly.",
        f"Population: {population.source}.",
        ROUNDING,
        *_quality_notes(population, universe, floored, formula),
    ]
    return Allocation(
        formula, "Pub. L. 115-141 div. F title V; HAVA §101(d)", amount, lines, assumptions, inputs={"population": population.source}
    )


FORMULAS = {
    "s2261-7e": "S.2261 §7(e) formula grants: voting-age population share, 0.5 %/0.1 % floors, pro rata",
    "s2261-7g": "S.2261 §7(g)(6) non-paper replacement pool, by votes on ineligible systems (--input)",
    "s2261-7h": "S.2261 §7(h) audit reimbursement above 5 % of voting-age population (--input)",
    "hr5011-297": "H.R. 5011 §297(b)–(c): $1 × average voters of the last two federal general elections, pro rata",
    "hava-2018": "2018 HAVA election security grants (for comparison)",
}
