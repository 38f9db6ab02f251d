"""Duties with a clock in S.2261, the Secure Elections Act (shared/spec/004_*.txt).

"The Secretary"/"the Department" (DHS) is safelect's ``national_office``; the
Election Assistance Commission is ``eac``; "appropriate Federal entities", the DNI,
GAO, GSA and OMB are ``federal_entity``; "election agency" (S.2261 §3(7)) covers
both ``local_election_agency`` and ``state_election_office``. The Advisory Panel
(§5(a)) is convened by the Secretary and is recorded under ``national_office``.
"""

from __future__ import annotations

from datetime import date

from ..clocks import (
    AfterThenEvery,
    DaysAfter,
    DaysAfterFiscalYearEnd,
    EveryNYears,
    FixedDate,
    MonthsAfter,
)
from .duty import Duty, Trigger, policy

ENACTMENT = Trigger("enactment")
AGENCIES = ("local_election_agency", "state_election_office")


def _event(name: str) -> Trigger:
    return Trigger("event", name)


DUTIES: tuple[Duty, ...] = (
    Duty(
        "S2261-4b",
        "S.2261 §4(b)",
        "Federal entity shares election cybersecurity information with the national office",
        "federal_entity",
        _event("information_received"),
        policy(1, "promptly", "S2261-4b"),
        "per_event",
        ("national_office",),
        "policy",
        "If a Federal entity receives information about an election cybersecurity incident, threat, or "
        "vulnerability, the Federal entity shall promptly share that information with the Department, unless "
        "the head of the entity ... makes a specific determination in writing that there is good cause to withhold",
        condition="unless a written good-cause determination to withhold is made",
    ),
    Duty(
        "S2261-4c",
        "S.2261 §4(c)",
        "National office shares election cybersecurity information with federal entities and election agencies",
        "national_office",
        _event("information_received"),
        policy(1, "promptly", "S2261-4c"),
        "per_event",
        ("federal_entity", "state_election_office", "local_election_agency"),
        "policy",
        "If the Department receives information about an election cybersecurity incident, threat, or "
        "vulnerability, unless the Secretary makes a specific determination in writing that there is good cause "
        "to withhold the particular information, the Department shall promptly share that information with-- "
        "(1) the appropriate Federal entities; (2) all State election agencies; (3) all election agencies that "
        "have requested ongoing updates ...; and (4) all election agencies that may be affected",
        condition="unless the Secretary makes a written good-cause determination to withhold",
    ),
    Duty(
        "S2261-4e1",
        "S.2261 §4(e)(1)",
        "Request expedited declassification review of classified election threat information",
        "national_office",
        _event("classified_information_received"),
        policy(3, "promptly", "S2261-4e1"),
        "per_event",
        ("federal_entity",),
        "policy",
        "If the Department receives classified information about an election cybersecurity incident, threat, or "
        "vulnerability-- (1) the Secretary shall promptly submit a request for expedited declassification review "
        "to the head of a Federal entity with authority to conduct the review",
    ),
    Duty(
        "S2261-4e2",
        "S.2261 §4(e)(2)",
        "Conduct the expedited declassification review",
        "federal_entity",
        _event("declassification_review_requested"),
        policy(14, "promptly", "S2261-4e2"),
        "per_event",
        ("national_office",),
        "policy",
        "the head of the Federal entity described in paragraph (1) shall promptly conduct the review.",
    ),
    Duty(
        "S2261-4h1",
        "S.2261 §4(h)(1)",
        "Election agency assesses a possible incident and notifies the State election official",
        "local_election_agency",
        _event("possible_incident_aware"),
        policy(1, "promptly", "S2261-4h1"),
        "per_event",
        ("chief_state_election_official",),
        "policy",
        "If an election agency becomes aware of the possibility of an election cybersecurity incident, the "
        "election agency shall promptly assess whether an election cybersecurity incident occurred and notify "
        "the State election official.",
        co_holders=("state_election_office",),
    ),
    Duty(
        "S2261-4h2",
        "S.2261 §4(h)(2)",
        "Election service provider assesses a possible incident and notifies election agencies",
        "election_service_provider",
        _event("possible_incident_aware"),
        policy(1, "promptly", "S2261-4h2"),
        "per_event",
        AGENCIES,
        "policy",
        "If an election service provider becomes aware of the possibility of an election cybersecurity incident, "
        "the election service provider shall promptly assess whether an election cybersecurity incident occurred "
        "and notify the relevant election agencies consistent with subsection (j).",
        note="subsection (j)(1) caps the notification at 3 calendar days (S2261-4j1)",
    ),
    Duty(
        "S2261-4i",
        "S.2261 §4(i)",
        "Election agency notifies the national office of an election cybersecurity incident",
        "local_election_agency",
        _event("incident_discovered"),
        DaysAfter(3),
        "per_event",
        ("national_office",),
        "statutory",
        "the election agency shall, in the most expedient time possible and without unreasonable delay (in no "
        "event longer than 3 calendar days after discovery of the incident), provide notification of the "
        "election cybersecurity incident to the Secretary.",
        co_holders=("state_election_office",),
        note="'most expedient time possible' governs; 3 calendar days is the outer limit",
    ),
    Duty(
        "S2261-4j1",
        "S.2261 §4(j)(1)",
        "Election service provider notifies election agencies of a possible incident",
        "election_service_provider",
        _event("possible_incident_aware"),
        DaysAfter(3),
        "per_event",
        AGENCIES,
        "statutory",
        "the election service provider shall-- (1) notify the relevant election agencies in the most expedient "
        "time possible and without unreasonable delay (in no event longer than 3 calendar days after discovery "
        "of the possible incident)",
        note="the same provider event as §4(h)(2): becoming aware of (discovering) a possible incident starts both clocks",
    ),
    Duty(
        "S2261-4k2",
        "S.2261 §4(k)(2)",
        "Update an incident notification with additional material information",
        "local_election_agency",
        _event("material_information_available"),
        policy(3, "as it becomes available", "S2261-4k2"),
        "per_event",
        ("national_office", "chief_state_election_official"),
        "policy",
        "The notifications required under subsections (h)(1) and (i)-- ... (2) shall be updated with additional "
        "material information, including technical data, as it becomes available.",
        co_holders=("state_election_office",),
    ),
    Duty(
        "S2261-4l",
        "S.2261 §4(l)",
        "Establish expedited security-clearance processes for election officials",
        "national_office",
        ENACTMENT,
        DaysAfter(30),
        "once",
        ("chief_state_election_official", "state_election_staff", "eac", "local_election_agency"),
        "statutory",
        "Not later than 30 days after the date of enactment of this Act, the Secretary-- (1) shall establish an "
        "expedited process for providing appropriate security clearance to State election officials ...; "
        "(2) ... to members of the Commission ...; and (3) shall establish a process for providing appropriate "
        "security clearance to personnel at other election agencies.",
    ),
    Duty(
        "S2261-4p1A",
        "S.2261 §4(p)(1)(A)",
        "Notify Congress of a significant election cybersecurity incident",
        "federal_entity",
        _event("significant_incident_basis_established"),
        DaysAfter(7),
        "per_event",
        ("congress",),
        "statutory",
        "If an appropriate Federal entity has reason to believe that a significant election cybersecurity "
        "incident has occurred, the entity shall-- (A) not later than 7 calendar days after the date on which "
        "there is a reasonable basis to conclude that the significant incident has occurred, provide "
        "notification of the incident to-- (i) the appropriate congressional committees; (ii) the members of the "
        "Senate representing the States affected ...; and (iii) the members of the House of Representatives",
        co_holders=("national_office",),
    ),
    Duty(
        "S2261-4p1B",
        "S.2261 §4(p)(1)(B)",
        "Update Congress on a significant incident",
        "federal_entity",
        _event("significant_incident_information_discovered"),
        policy(7, "within a reasonable period of time", "S2261-4p1B"),
        "per_event",
        ("congress",),
        "policy",
        "(B) update the initial notification under paragraph (1) within a reasonable period of time after "
        "additional information relating to the incident is discovered.",
        co_holders=("national_office",),
    ),
    Duty(
        "S2261-5f",
        "S.2261 §5(f)(1)",
        "Hold a 45-day public comment period on the draft guidelines",
        "advisory_panel",
        _event("draft_guidelines_published"),
        DaysAfter(45),
        "per_event",
        ("public",),
        "statutory",
        "including a 45-day opportunity for public comment on a draft of the guidelines before they are submitted under subsection (i)",
        sense="minimum_period",
        co_holders=("national_office",),
        note="the Advisory Panel holds it (the national office convenes the panel and tracks it); the due moment is the "
        "earliest the draft may go forward (comment closes)",
    ),
    Duty(
        "S2261-5h",
        "S.2261 §5(h)",
        "Advisory Panel submits the election cybersecurity guidelines to the national office",
        "advisory_panel",
        ENACTMENT,
        DaysAfter(180),
        "once",
        ("national_office",),
        "statutory",
        "Not later than 180 days after the date of enactment of this Act, the Advisory Panel shall submit the "
        "guidelines required under subsection (b) to the Secretary.",
        co_holders=("national_office",),
        note="the Advisory Panel holds it; the national office convenes the panel and tracks it",
    ),
    Duty(
        "S2261-5i",
        "S.2261 §5(i)",
        "Submit received guidelines to Congress",
        "national_office",
        _event("guidelines_received"),
        DaysAfter(14),
        "per_event",
        ("congress",),
        "statutory",
        "Not later than 14 calendar days after the date on which the Secretary receives guidelines under "
        "subsection (h) or (l), the Secretary shall submit the guidelines to the appropriate congressional "
        "committees.",
    ),
    Duty(
        "S2261-5l",
        "S.2261 §5(l)",
        "Advisory Panel reviews and updates the guidelines every two years",
        "advisory_panel",
        Trigger("periodic"),
        EveryNYears(date(2019, 1, 31), 2),
        "every_2_years",
        ("national_office",),
        "statutory",
        "Not later than January 31, 2019, and once every 2 years thereafter, the Advisory Panel shall review "
        "and update the guidelines required under subsection (b).",
        co_holders=("national_office",),
        note="the Advisory Panel holds it; the national office convenes the panel and tracks it",
    ),
    Duty(
        "S2261-6a1",
        "S.2261 §6(a)(1)",
        "Joint report to Congress on foreign threats to elections",
        "national_office",
        Trigger("fiscal_year_end"),
        DaysAfterFiscalYearEnd(30, initial_days=30),
        "per_fiscal_year",
        ("congress",),
        "statutory",
        "Not later than 30 days after the date of enactment of this Act, and 30 days after the end of each "
        "fiscal year thereafter, the Secretary and the Director of National Intelligence ... shall submit a "
        "joint report to the appropriate congressional committees on foreign threats to elections",
        co_holders=("federal_entity",),
    ),
    Duty(
        "S2261-6b",
        "S.2261 §6(b)",
        "GAO report to Congress on the grant program",
        "federal_entity",
        ENACTMENT,
        AfterThenEvery(24, 48),
        "every_4_years",
        ("congress",),
        "statutory",
        "Not later than 2 years after the date of enactment of this Act, and every 4 years thereafter, the "
        "Comptroller General of the United States shall submit a report to the appropriate congressional "
        "committees on the Department grant program established under section 7",
    ),
    Duty(
        "S2261-7d",
        "S.2261 §7(d)",
        "GSA qualifies private-sector cybersecurity providers and contract vehicles",
        "federal_entity",
        ENACTMENT,
        DaysAfter(90),
        "once",
        ("state_election_office", "national_office", "eac"),
        "statutory",
        "Not later than 90 days after the date of enactment of this Act, the Administrator of General Services "
        "... shall take such actions as may be necessary through competitive processes-- (1) to qualify a set of "
        "private sector entities ...; (4) to provide a list of qualified entities to the Secretary and Chairman",
    ),
    Duty(
        "S2261-7f1B",
        "S.2261 §7(f)(1)(B)",
        "Submit evaluation results and remediation plan for an interim grant",
        "local_election_agency",
        Trigger("fixed_date"),
        FixedDate(date(2018, 11, 6)),
        "once",
        ("national_office",),
        "statutory",
        "not later than November 6, 2018, submits to the Department-- (i) the results of the evaluation ...; "
        "(ii) a plan for rapidly remediating the vulnerabilities ...; and (iii) ... a certification of approval "
        "from the State election agency.",
        co_holders=("state_election_office",),
        condition="election agencies seeking an interim grant",
    ),
    Duty(
        "S2261-7f4",
        "S.2261 §7(f)(4)",
        "Agency may procure a private-sector evaluation when the Department has not evaluated within 30 days",
        "local_election_agency",
        _event("evaluation_requested"),
        DaysAfter(30),
        "per_event",
        AGENCIES,
        "statutory",
        "If an election agency requests an evaluation by the Department consistent with paragraph (1)(A), and "
        "the Department is not able to provide the evaluation during the 30-calendar-day period following the "
        "request, the agency may-- (A) procure a reasonably equivalent evaluation from a private-sector entity",
        co_holders=("state_election_office",),
        sense="permission_from",
        note="not a deadline of the national office: from the end of the 30-day period without an evaluation, the agency "
        "may procure a reasonably equivalent private evaluation and be reimbursed from its grant",
    ),
    Duty(
        "S2261-7g2",
        "S.2261 §7(g)(2)",
        "List States still voting on non-paper systems and submit it to Congress",
        "national_office",
        ENACTMENT,
        DaysAfter(60),
        "once",
        ("congress",),
        "statutory",
        "Not later than 60 days after the date of enactment of this Act, the Secretary shall develop a list of "
        "States in which 10 percent or more of votes ... are expected to be cast using voting systems that would "
        "not be eligible for purchase under subsection (c)(3), and shall submit the list to the appropriate "
        "congressional committees.",
    ),
    Duty(
        "S2261-7h4",
        "S.2261 §7(h)(4)",
        "Award auditing-expense grants",
        "national_office",
        Trigger("periodic"),
        EveryNYears(date(2019, 1, 31), 2),
        "every_2_years",
        ("state_election_office", "local_election_agency"),
        "statutory",
        "The Secretary shall award grants under this subsection on January 31, 2019, and every 2 years thereafter.",
        sense="on_date",
        note="awarded ON the date (not 'not later than'); local election agencies authorised by their State (§7(h)(3)) are owed it too",
    ),
    Duty(
        "S2261-7i3B",
        "S.2261 §7(i)(3)(B)",
        "OMB promulgates grant-closeout procedures",
        "federal_entity",
        ENACTMENT,
        MonthsAfter(12),
        "once",
        ("federal_entity",),
        "statutory",
        "Not later than 1 year after the date of enactment of this Act, the Director shall promulgate procedures "
        "requiring the head of each agency to promptly conduct a closeout of each Federal grant award.",
    ),
    Duty(
        "S2261-7i3D",
        "S.2261 §7(i)(3)(D)",
        "Grant-closeout procedures expire",
        "federal_entity",
        _event("closeout_procedures_promulgated"),
        MonthsAfter(48),
        "once",
        ("federal_entity",),
        "statutory",
        "The procedures required under subparagraph (B) shall expire 4 years after the date on which the procedures are promulgated.",
        sense="expiry",
    ),
    Duty(
        "S2261-8a",
        "S.2261 §8(a)",
        "Establish the Hack the Election program",
        "national_office",
        ENACTMENT,
        MonthsAfter(12),
        "once",
        ("local_election_agency", "state_election_office", "election_service_provider"),
        "statutory",
        "Not later than 1 year after the date of enactment of this Act, the Secretary shall establish a program "
        "to improve election system cybersecurity by facilitating and encouraging assessments by independent "
        "technical experts",
    ),
    Duty(
        "S2261-8d1",
        "S.2261 §8(d)(1)",
        "Open the next round of the recurring Hack the Election competition",
        "national_office",
        _event("competition_round_closed"),
        policy(365, "recurring", "S2261-8d1"),
        "per_event",
        ("research_org", "local_election_agency", "state_election_office", "election_service_provider"),
        "policy",
        "establish a recurring competition for independent technical experts to assess election systems for the "
        "purpose of identifying and reporting election cybersecurity vulnerabilities",
        note="the statute names no interval: the office's policy target is the next round within a year of the last",
    ),
    Duty(
        "S2261-8d5",
        "S.2261 §8(d)(5)",
        "Notify agencies and providers of vulnerabilities found in the competition",
        "national_office",
        _event("competition_vulnerability_discovered"),
        policy(7, "promptly", "S2261-8d5"),
        "per_event",
        ("local_election_agency", "state_election_office", "election_service_provider"),
        "policy",
        "promptly notify election agencies and election service providers about relevant election cybersecurity "
        "vulnerabilities discovered through the competition, and provide technical assistance in remedying the "
        "vulnerabilities.",
    ),
)
