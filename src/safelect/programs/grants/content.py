"""What an application must contain, per statute: the questions of each program's form, each with
the provision that requires it (S.2261 §7(b), (f), (g), (h); H.R. 5011 §297C, §298; HSA §321).

A field is ``text``, ``money`` (whole dollars), ``count``, ``year``, ``yesno`` or a ``choice``;
``when_local`` fields are asked only of local election agencies. Eligible applicants are
organization kinds of the directory."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Field:
    key: str
    label: str
    kind: str
    citation: str
    help: str = ""
    required: bool = True
    choices: tuple[tuple[str, str], ...] = ()
    when_local: bool = False


NO_PERSONAL_DATA = "Do not include any voter's personal information: the application process may not require it (S.2261 §7(b)(4))."

FIELDS: dict[str, list[Field]] = {
    "s2261-7": [
        Field(
            "implementation",
            "How will the election agencies in your State implement the election cybersecurity guidelines?",
            "text",
            "S.2261 §7(b)(1)(C)",
            "A detailed explanation, agency by agency where it differs.",
        ),
        Field(
            "audit_pilot_year",
            "In which biennial federal general election will the State complete its statewide audit pilot?",
            "year",
            "S.2261 §7(b)(2)(A)(ii)",
            "The statute requires one not later than 2022.",
        ),
        Field(
            "match_amount",
            "State matching funds for election cybersecurity improvements (dollars)",
            "money",
            "S.2261 §7(b)(2)(A)(iii)",
            "At least 10 % of the State's grant allocation.",
        ),
        Field(
            "state_law_conflicts",
            "Guidelines that State law does not allow you to implement, and the legal issue",
            "text",
            "S.2261 §7(b)(3)(B)(i)",
            "Leave empty if there are none.",
            required=False,
        ),
        Field(
            "withheld_amount",
            "Grant funds you would spend on those guidelines, held until the legal issue is resolved (dollars)",
            "money",
            "S.2261 §7(b)(3)(B)(ii)–(iii)",
            required=False,
        ),
        Field(
            "buys_non_paper",
            "Will any grant funds buy a voting system that records votes in electronic storage and is not an optical scanner that reads paper ballots?",
            "yesno",
            "S.2261 §7(c)(3)",
        ),
    ],
    "s2261-7f": [
        Field(
            "evaluation_kind",
            "Evaluation received",
            "choice",
            "S.2261 §7(f)(1)(A)",
            choices=(
                ("cyber_hygiene", "Cyber hygiene scan"),
                ("rva", "Risk and vulnerability assessment"),
                ("similar", "Similar evaluation by the Department or an approved contractor"),
            ),
        ),
        Field("evaluation_results", "Results of the evaluation", "text", "S.2261 §7(f)(1)(B)(i)"),
        Field("remediation_plan", "Plan for rapidly remediating the vulnerabilities found", "text", "S.2261 §7(f)(1)(B)(ii)"),
        Field("remediation_spending", "Specific expenditures of the plan (dollars)", "money", "S.2261 §7(f)(1)(B)(ii)"),
        Field(
            "state_certification",
            "Has your State election agency certified its approval of this application?",
            "yesno",
            "S.2261 §7(f)(1)(B)(iii)",
            when_local=True,
        ),
        Field(
            "state_priority",
            "Your place in the State's priority order, if it set one",
            "count",
            "S.2261 §7(f)(2)",
            required=False,
            when_local=True,
        ),
    ],
    "s2261-7g": [
        Field("inventory", "Inventory of the voting systems that §7(c)(3) would not allow", "text", "S.2261 §7(g)(4)(B)(i)"),
        Field("replacement_plan", "Plan to replace them expeditiously", "text", "S.2261 §7(g)(4)(B)(ii)"),
        Field(
            "state_commitment",
            "State funding committed to the replacements (dollars)",
            "money",
            "S.2261 §7(g)(4)(B)(iii)",
            "At least the grant amount.",
        ),
        Field(
            "buys_non_paper",
            "Will any replacement record votes in electronic storage without being an optical scanner that reads paper ballots?",
            "yesno",
            "S.2261 §7(g)(1), §7(c)(3)",
        ),
    ],
    "s2261-7h": [
        Field("election", "The federal election audited", "text", "S.2261 §7(h)(1)"),
        Field(
            "office_scope",
            "The office audited",
            "choice",
            "S.2261 §7(h)(1)",
            choices=(("statewide", "National or statewide office"), ("district", "A district's office")),
        ),
        Field("ballots_inspected", "Marked paper ballots inspected by hand, not by device", "count", "S.2261 §7(h)(1)"),
        Field(
            "voting_age_population",
            "Voting-age population of the district (district offices only)",
            "count",
            "S.2261 §7(h)(1)",
            "For a statewide office the State's census count is used.",
            required=False,
        ),
        Field("claimed_expenses", "Expenses of inspecting the ballots above the 5 % line (dollars)", "money", "S.2261 §7(h)(2)"),
        Field(
            "state_authorised",
            "Has your State election agency authorised your agency to apply?",
            "yesno",
            "S.2261 §7(h)(3)",
            when_local=True,
        ),
    ],
    "hr5011-297": [
        Field("use_description", "How the State will use the grant", "text", "H.R. 5011 §101 (HAVA §297C(1))"),
        Field(
            "rla_certification",
            "Do you certify and assure that, within 5 years of receiving the grant, the State will carry out risk-limiting audits of federal elections (HAVA §298(b))?",
            "yesno",
            "H.R. 5011 §101 (HAVA §297C(2))",
        ),
        Field(
            "paper_ballot_systems",
            "Will every voting system bought with the grant use an individual, durable paper ballot marked by the voter by hand (or an equivalent accessible system)?",
            "yesno",
            "H.R. 5011 §101 (HAVA §297A)",
        ),
    ],
    "hr5011-298": [
        Field("audit_plan", "The risk-limiting audits the grant will pay for", "text", "H.R. 5011 §111 (HAVA §298)"),
        Field(
            "rla_certification",
            "Do you certify that the audits will be risk-limiting audits as HAVA §298(b) describes?",
            "yesno",
            "H.R. 5011 §111 (HAVA §298(b))",
        ),
    ],
    "hsa-321": [
        Field(
            "entity_kind",
            "Your organization",
            "choice",
            "Homeland Security Act §321(a)",
            choices=(
                ("higher_education", "Institution of higher education"),
                ("nonprofit", "Nonprofit organization"),
                ("private", "Private entity"),
                ("other", "Other"),
            ),
        ),
        Field("project_title", "Project title", "text", "Homeland Security Act §321"),
        Field(
            "proposal",
            "Proposal: the innovation in election infrastructure security and its expected impact",
            "text",
            "Homeland Security Act §321",
        ),
    ],
}

APPLICANT_KINDS: dict[str, tuple[str, ...]] = {
    "s2261-7": ("state_election_office",),
    "s2261-7f": ("state_election_office", "local_election_agency"),
    "s2261-7g": ("state_election_office",),
    "s2261-7h": ("state_election_office", "local_election_agency"),
    "hr5011-297": ("state_election_office",),
    "hr5011-298": ("state_election_office",),
    "hsa-321": ("research_org",),
}


def fields_for(statute: str, *, local: bool) -> list[Field]:
    return [f for f in FIELDS[statute] if local or not f.when_local]
