"""The statutory conditions a grant application is reviewed against, each with its provision.

A condition is *automatic* when it follows from the answers and the frozen allocation (a
percentage, a yes/no certification, the personal-data scan) — safelect computes its outcome and
reason at every submission, and a reviewer cannot overrule arithmetic — or *judged* (the Secretary
"determines that … will likely implement"), recorded by a grants officer with a reason. An
application can be awarded only when every condition is met or not applicable; each failing one
is named with its reason.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, replace

from safelect.core.personal.scanner import KINDS, scan

from .allocation.formulas import s2261_7f5
from .content import FIELDS

VOTER_KINDS = {"person_name", "date_of_birth", "ssn", "driver_licence", "voter_id"}
MET, NOT_MET, NOT_APPLICABLE = "met", "not_met", "not_applicable"


@dataclass(frozen=True)
class Condition:
    code: str
    citation: str
    text: str
    check: Callable | None = None  # (application, context) -> (outcome, reason); None: judged by a reviewer


def _money(value) -> int:
    try:
        return int(value or 0)
    except (TypeError, ValueError):
        return 0


def no_voter_data(application, context) -> tuple[str, str]:
    """S.2261 §7(b)(4): nothing in the application identifies a voter."""
    kinds = set()
    for field in FIELDS[application.program.statute]:
        if field.kind == "text":
            kinds |= {f.kind for f in scan(str(application.answers.get(field.key) or "")) if f.kind in VOTER_KINDS}
    if kinds:
        return NOT_MET, "The answers contain what looks like a voter's personal information (" + ", ".join(
            KINDS[k].lower() for k in sorted(kinds)
        ) + "); remove it."
    return MET, "No voter's personal information found in the answers."


def _pilot(application, context):
    year = _money(application.answers.get("audit_pilot_year"))
    if year and year <= 2022 and year % 2 == 0 and year >= 2018:
        return MET, f"Statewide audit pilot in the {year} federal general election, not later than 2022."
    return NOT_MET, f"The pilot year {year or '(none)'} is not a biennial federal general election in 2018–2022."


def _match(application, context):
    allocation = context.get("allocation")
    if allocation is None:
        return NOT_MET, "No frozen allocation for the applicant's State in this program: the 10 % match cannot be computed."
    match = _money(application.answers.get("match_amount"))
    needed = -(-allocation // 10)
    if match >= needed:
        return MET, f"Match ${match:,} is at least 10 % of the allocation ${allocation:,} (${needed:,})."
    return NOT_MET, f"Match ${match:,} is less than 10 % of the allocation ${allocation:,}: at least ${needed:,} is needed."


def _no_non_paper(application, context):
    answer = application.answers.get("buys_non_paper")
    if answer is False or answer == "no":
        return MET, "No grant funds for a voting system that is not a paper-ballot optical scanner."
    return (
        NOT_MET,
        "Grant funds may not be used for a voting system that records votes electronically unless it is an optical scanner that reads paper ballots.",
    )


def _state_law(application, context):
    conflicts = (application.answers.get("state_law_conflicts") or "").strip()
    if not conflicts:
        return NOT_APPLICABLE, "No guideline is declared inconsistent with State law."
    if _money(application.answers.get("withheld_amount")) > 0:
        return (
            MET,
            f"The legal issue is identified and ${_money(application.answers.get('withheld_amount')):,} is held until it is resolved.",
        )
    return NOT_MET, "Guidelines inconsistent with State law are declared, but not the grant funds that would be spent on them."


def _filled(*keys):
    def check(application, context):
        missing = [k for k in keys if not str(application.answers.get(k) or "").strip()]
        if missing:
            return NOT_MET, "Missing: " + ", ".join(missing) + "."
        return MET, "Provided."

    return check


def _yes(key, what):
    def check(application, context):
        if application.answers.get(key) is True or application.answers.get(key) == "yes":
            return MET, f"{what}: yes."
        return NOT_MET, f"{what}: not given."

    return check


def _local_only(key, what):
    def check(application, context):
        if application.applicant.kind != "local_election_agency":
            return NOT_APPLICABLE, "The applicant is the State election agency."
        return _yes(key, what)(application, context)

    return check


def _interim_cap(application, context):
    state_amount = context.get("state_formula_amount")
    if state_amount is None:
        return NOT_MET, "No published §7(e) allocation for the State in the same fiscal year: the 10 % cap cannot be checked."
    cap = s2261_7f5(state_amount, []).cap  # the cap as the formula rounds it
    others = context.get("state_interim_awarded", 0)
    wanted = _money(application.answers.get("remediation_spending"))
    if others + wanted <= cap:
        return MET, f"${wanted:,} with ${others:,} already granted in the State stays within 10 % of ${state_amount:,} (${cap:,})."
    return NOT_MET, f"${wanted:,} with ${others:,} already granted exceeds 10 % of the State's ${state_amount:,} (${cap:,})."


def _designated(application, context):
    if context.get("allocation") is not None:
        return MET, "The State is on the §7(g)(2) list (10 % or more of votes on systems §7(c)(3) would not allow)."
    return NOT_MET, "The State is not on the §7(g)(2) list of this program."


def _commitment(application, context):
    allocation = context.get("allocation") or 0
    committed = _money(application.answers.get("state_commitment"))
    if allocation and committed >= allocation:
        return MET, f"State commitment ${committed:,} is at least the grant ${allocation:,}."
    return NOT_MET, f"State commitment ${committed:,} is less than the grant ${allocation:,}."


def _above_five_percent(application, context):
    ballots = _money(application.answers.get("ballots_inspected"))
    base = _money(application.answers.get("voting_age_population")) or context.get("state_population") or 0
    if not base:
        return NOT_MET, "No voting-age population to compare with: give the district's."
    if ballots * 20 > base:
        return MET, f"{ballots:,} ballots inspected by hand, more than 5 % of {base:,} ({base / 20:,.0f})."
    return NOT_MET, f"{ballots:,} ballots inspected by hand is not more than 5 % of {base:,} ({base / 20:,.0f})."


def _research_entity(application, context):
    if application.applicant.kind == "research_org":
        return MET, "The applicant is a research organization in the directory."
    return NOT_MET, "Only research organizations apply to this call."


PERSONAL = Condition("7b4", "S.2261 §7(b)(4)", "The application discloses no voter's personal information", no_voter_data)
PAPER = Condition("7c3", "S.2261 §7(c)(3)", "No funds for voting systems that are not paper-ballot optical scanners", _no_non_paper)

CONDITIONS: dict[str, list[Condition]] = {
    "s2261-7": [
        Condition("7b2Ai", "S.2261 §7(b)(2)(A)(i)", "The election agencies within the State will likely implement the guidelines of §5(b)"),
        Condition(
            "7b2Aii",
            "S.2261 §7(b)(2)(A)(ii)",
            "Statewide audit pilot during a biennial federal general election not later than 2022",
            _pilot,
        ),
        Condition("7b2Aiii", "S.2261 §7(b)(2)(A)(iii)", "The State matches at least 10 % of the total grant allocation", _match),
        Condition("7b3B", "S.2261 §7(b)(3)(B)", "Guidelines inconsistent with State law identified, with the funds held back", _state_law),
        PAPER,
        PERSONAL,
    ],
    "s2261-7f": [
        Condition(
            "7f1A",
            "S.2261 §7(f)(1)(A)",
            "The agency received a cyber hygiene scan, a risk and vulnerability assessment or a similar evaluation",
        ),
        Condition(
            "7f1B",
            "S.2261 §7(f)(1)(B)(i)–(ii)",
            "Evaluation results and a remediation plan with specific expenditures",
            _filled("evaluation_results", "remediation_plan", "remediation_spending"),
        ),
        Condition(
            "7f1Biii",
            "S.2261 §7(f)(1)(B)(iii)",
            "A local agency's application carries the State election agency's certification",
            _local_only("state_certification", "State certification"),
        ),
        Condition("7f5A", "S.2261 §7(f)(5)(A)", "Interim grants in the State stay within 10 % of its §7(e)(1) amount", _interim_cap),
        PERSONAL,
    ],
    "s2261-7g": [
        Condition("7g2", "S.2261 §7(g)(2)", "The State is designated (10 % or more of votes on ineligible systems)", _designated),
        Condition(
            "7g4B",
            "S.2261 §7(g)(4)(B)(i)–(ii)",
            "Inventory of ineligible systems and a replacement plan",
            _filled("inventory", "replacement_plan"),
        ),
        Condition("7g4Biii", "S.2261 §7(g)(4)(B)(iii)", "State funding committed at least equal to the grant", _commitment),
        Condition("7g5A", "S.2261 §7(g)(5)(A)", "The State will likely replace the ineligible voting systems"),
        replace(PAPER, citation="S.2261 §7(g)(1), §7(c)(3)"),  # §7(g) money replaces systems: §7(c)(3) applies
        PERSONAL,
    ],
    "s2261-7h": [
        Condition("7h1", "S.2261 §7(h)(1)", "Ballots inspected by hand exceed 5 % of the voting-age population", _above_five_percent),
        Condition(
            "7h3",
            "S.2261 §7(h)(3)",
            "A local agency is authorised by its State election agency",
            _local_only("state_authorised", "State authorisation"),
        ),
        PERSONAL,
    ],
    "hr5011-297": [
        Condition("297C1", "HAVA §297C(1)", "A description of how the State will use the grant", _filled("use_description")),
        Condition(
            "297C2",
            "HAVA §297C(2)",
            "Certification and assurance of risk-limiting audits within 5 years",
            _yes("rla_certification", "Risk-limiting audit certification"),
        ),
        Condition(
            "297A",
            "HAVA §297A",
            "Voting systems bought are qualified paper ballot voting systems",
            _yes("paper_ballot_systems", "Paper ballot systems"),
        ),
        PERSONAL,
    ],
    "hr5011-298": [
        Condition(
            "298b", "HAVA §298(b)", "The audits are risk-limiting audits", _yes("rla_certification", "Risk-limiting audit certification")
        ),
        PERSONAL,
    ],
    "hsa-321": [
        Condition("321a", "Homeland Security Act §321(a)", "An eligible entity", _research_entity),
        Condition(
            "321-merit",
            "Homeland Security Act §321",
            "The proposal ranks within the funds available (reviewers' scores, conflicts excluded)",
        ),
        PERSONAL,
    ],
}


def for_statute(statute: str) -> list[Condition]:
    return CONDITIONS[statute]


def judged(statute: str) -> list[Condition]:
    return [c for c in CONDITIONS[statute] if c.check is None]
