"""Duties with a clock in H.R. 5011, the Election Security Act (shared/spec/003_*.txt).

The source is a PDF extraction: quotes below drop the line numbers, page headers
and hyphenation noise but keep the words. Sections added to HAVA by §101 are cited
as "H.R. 5011 §101 (HAVA §297C(2))"; §121 adds §321 to the Homeland Security Act.
In §302 "the Commission" is the National Commission to Protect United States
Democratic Institutions, "established within the legislative branch" (§302(a)); its
duties are recorded under ``congress``. "Chairman" is the EAC chair (§401(1)).
"""

from __future__ import annotations

from ..calendar_rules import federal_general_election
from ..clocks import (
    AfterThenEvery,
    DaysAfter,
    DaysAfterFiscalYearEnd,
    DaysBeforeFederalGeneralElection,
    FixedDate,
    MonthsAfter,
    PeriodBeginningOn,
)
from .duty import Duty, Trigger, policy

ENACTMENT = Trigger("enactment")


def _event(name: str) -> Trigger:
    return Trigger("event", name)


_FOR_USE_IN = (
    "the statute sets no lead time: a grant 'for use in' an election is due before that election (the day before, here); "
    "'each succeeding election for Federal office' includes primaries and special elections, which the office adds as "
    "they are scheduled"
)

DUTIES: tuple[Duty, ...] = (
    Duty(
        "HR5011-101-297a1",
        "H.R. 5011 §101 (HAVA §297(a)(1))",
        "EAC grants to replace non-paper voting systems for the November 2018 general election",
        "eac",
        Trigger("fixed_date"),
        FixedDate(federal_general_election(2018)),
        "once",
        ("state_election_office",),
        "statutory",
        "The Commission shall make a grant to each eligible State-- (1) to replace voting systems which are not "
        "qualified paper ballot voting systems with voting systems which are qualified paper ballot voting systems, "
        "for use in the regularly scheduled general elections for Federal office held in November 2018",
        note="due by the 2018 general election (2018-11-06), for which the replacement systems were to be used",
    ),
    Duty(
        "HR5011-101-297a2",
        "H.R. 5011 §101 (HAVA §297(a)(2))",
        "EAC grants for voting system security improvements for each Federal election",
        "eac",
        Trigger("federal_general_election"),
        DaysBeforeFederalGeneralElection(1, first_year=2018),
        "per_federal_general_election",
        ("state_election_office",),
        "statutory",
        "The Commission shall make a grant to each eligible State-- ... (2) to carry out voting system security "
        "improvements described in section 297B with respect to the regularly scheduled general elections for "
        "Federal office held in November 2018 and each succeeding election for Federal office.",
        note=_FOR_USE_IN,
    ),
    Duty(
        "HR5011-111-298a",
        "H.R. 5011 §111 (HAVA §298(a))",
        "EAC grants for risk-limiting audits of each Federal election",
        "eac",
        Trigger("federal_general_election"),
        DaysBeforeFederalGeneralElection(1, first_year=2018),
        "per_federal_general_election",
        ("state_election_office",),
        "statutory",
        "The Commission shall make a grant to each eligible State to conduct risk-limiting audits as described in "
        "subsection (b) with respect to the regularly scheduled general elections for Federal office held in "
        "November 2018 and each succeeding election for Federal office.",
        note=_FOR_USE_IN,
    ),
    Duty(
        "HR5011-101-297C2",
        "H.R. 5011 §101 (HAVA §297C(2))",
        "Grantee State carries out risk-limiting audits within 5 years of the paper-ballot grant",
        "state_election_office",
        _event("paper_ballot_grant_received"),
        MonthsAfter(60),
        "once",
        ("eac",),
        "statutory",
        "a certification and assurance that, not later than 5 years after receiving the grant, the State will "
        "carry out risk-limiting audits of the results of elections for Federal office held in the State, as "
        "described in section 298(b)",
        condition="States that received a HAVA part 7 grant",
    ),
    Duty(
        "HR5011-101-297D",
        "H.R. 5011 §101 (HAVA §297D)",
        "EAC reports to Congress on paper-ballot grant activities",
        "eac",
        Trigger("fiscal_year_end"),
        DaysAfterFiscalYearEnd(90),
        "per_fiscal_year",
        ("congress",),
        "statutory",
        "Not later than 90 days after the end of each fiscal year, the Commission shall submit a report to the "
        "appropriate congressional committees ... on the activities carried out with the funds provided under "
        "this part.",
    ),
    Duty(
        "HR5011-112a",
        "H.R. 5011 §112(a)",
        "GAO analyses the effects of risk-limiting audits",
        "federal_entity",
        _event("first_federal_election_after_rla_grants"),
        MonthsAfter(6),
        "once",
        ("congress",),
        "statutory",
        "Not later than 6 months after the first election for Federal office is held after grants are first "
        "awarded to States for conducting risk-limiting under part 8 of subtitle D of title II of the Help "
        "America Vote Act of 2002 (as added by section 111) for conducting risk-limiting audits of elections for "
        "Federal office, the Comptroller General of the United States shall conduct an "
        "analysis of the extent to which such audits have improved the administration of such elections",
        note="§112(b) requires the report to four committees; trigger = date of that first election",
    ),
    Duty(
        "HR5011-121-321b",
        "H.R. 5011 §121 (Homeland Security Act §321(b))",
        "Report to Congress on election infrastructure innovation grants",
        "national_office",
        Trigger("fiscal_year_end"),
        DaysAfterFiscalYearEnd(90),
        "per_fiscal_year",
        ("congress",),
        "statutory",
        "Not later than 90 days after the conclusion of each fiscal year for which grants are awarded under "
        "this section, the Secretary shall submit to the Committee on Homeland Security and the Committee on "
        "House Administration ... a report describing such grants",
        condition="only fiscal years in which §321 grants were awarded (authorised FY2018 through FY2026)",
    ),
    Duty(
        "HR5011-202",
        "H.R. 5011 §202 (Homeland Security Act §201(d)(27))",
        "Provide timely threat information to the chief State election official",
        "national_office",
        _event("threat_information_received"),
        policy(1, "timely", "HR5011-202"),
        "per_event",
        ("chief_state_election_official",),
        "policy",
        "To provide timely threat information regarding election infrastructure to the chief State election "
        "official of the State with respect to which such information pertains.",
    ),
    Duty(
        "HR5011-204a",
        "H.R. 5011 §204(a)",
        "Pre-election threat assessment to every chief State election official",
        "federal_entity",
        Trigger("federal_general_election"),
        DaysBeforeFederalGeneralElection(180, first_year=2018),
        "per_federal_general_election",
        ("chief_state_election_official", "congress"),
        "statutory",
        "Not later than 180 days before the date of each regularly scheduled general election for Federal "
        "office, the Director of National Intelligence shall submit an assessment of the full scope of threats "
        "to election infrastructure ... as developed by the Secretary and Chairman, to-- (1) the chief State "
        "election official of each State; (2) the Committees on Homeland Security and House Administration ...",
        co_holders=("national_office",),
        note="Submitted by the Director of National Intelligence with the Secretary (the national office tracks it); "
        "the EAC's Chairman helps develop it but does not submit it. Owed to the chief State election official of each of "
        "HAVA's 55 States. §204(b): applies from the November 2018 general election",
    ),
    Duty(
        "HR5011-205b1",
        "H.R. 5011 §205(b)(1)",
        "Commence a requested security risk and vulnerability assessment",
        "national_office",
        _event("rva_request_received"),
        DaysAfter(90),
        "per_event",
        ("chief_state_election_official",),
        "statutory",
        "Not later than 90 days after receiving a written request from a chief State election official, the "
        "Secretary shall, to the extent practicable, commence a security risk and vulnerability assessment ... "
        "on election infrastructure in the State at issue.",
        note="'to the extent practicable'; if it cannot start in time see HR5011-205b2",
    ),
    Duty(
        "HR5011-205b2",
        "H.R. 5011 §205(b)(2)",
        "Tell the requester an assessment cannot start within 90 days",
        "national_office",
        _event("rva_cannot_commence_determined"),
        policy(3, "expeditiously", "HR5011-205b2"),
        "per_event",
        ("chief_state_election_official",),
        "policy",
        "If the Secretary, upon receipt of a request described in paragraph (1), determines that a security "
        "risk and vulnerability assessment cannot be commenced within 90 days, the Secretary shall "
        "expeditiously notify the chief State election official who submitted such request.",
    ),
    Duty(
        "HR5011-206",
        "H.R. 5011 §206",
        "Annual report on clearance assistance and risk assessments",
        "national_office",
        ENACTMENT,
        AfterThenEvery(12, 12, through_year=2026),
        "annual",
        ("congress",),
        "statutory",
        "Not later than one year after the date of the enactment of this Act and annually thereafter through "
        "2026, the Secretary shall submit to the Committee on Homeland Security and the Committee on House "
        "Administration ... a report on-- (1) efforts to carry out section 203 ...; and (2) efforts to carry out "
        "section 205",
    ),
    Duty(
        "HR5011-301a",
        "H.R. 5011 §301(a)",
        "Issue the national strategy to protect democratic institutions",
        "national_office",
        ENACTMENT,
        MonthsAfter(12),
        "once",
        ("public",),
        "statutory",
        "Not later than one year after the date of the enactment of this Act, the President, acting through the "
        "Secretary, in consultation with the Chairman, ... shall issue a national strategy to protect against "
        "cyber attacks, influence operations, disinformation campaigns, and other activities that could "
        "undermine the security and integrity of United States democratic institutions.",
        note="the EAC's Chairman is consulted; the President, acting through the Secretary, issues it",
    ),
    Duty(
        "HR5011-301c",
        "H.R. 5011 §301(c)",
        "Issue the implementation plan for the national strategy",
        "national_office",
        _event("national_strategy_issued"),
        DaysAfter(90),
        "once",
        ("public",),
        "statutory",
        "Not later than 90 days after the issuance of the national strategy required under subsection (a), the "
        "President, acting through the Secretary, in coordination with the Chairman, shall issue an "
        "implementation plan for Federal efforts to implement such strategy",
        co_holders=("eac",),
    ),
    Duty(
        "HR5011-302c4",
        "H.R. 5011 §302(c)(4)",
        "Appoint all members of the National Commission",
        "congress",
        ENACTMENT,
        DaysAfter(60),
        "once",
        ("congress",),
        "statutory",
        "All members of the Commission shall be appointed no later than 60 days after the date of the enactment of this Act.",
        co_holders=("national_office", "eac"),
        note="appointing authorities: the Secretary, the EAC Chairman and four congressional leaders (§302(c)(1))",
    ),
    Duty(
        "HR5011-302c5",
        "H.R. 5011 §302(c)(5)",
        "Fill a National Commission vacancy",
        "congress",
        _event("commission_vacancy_occurs"),
        DaysAfter(60),
        "per_event",
        ("congress",),
        "statutory",
        "The appointment of the replacement member shall be made not later than 60 days after the date on which the vacancy occurs.",
        co_holders=("national_office", "eac"),
    ),
    Duty(
        "HR5011-302e1",
        "H.R. 5011 §302(e)(1)",
        "National Commission holds its first meeting",
        "congress",
        _event("all_commission_members_appointed"),
        DaysAfter(30),
        "once",
        ("congress",),
        "statutory",
        "The Commission shall meet and begin the operations of the Commission not later than 30 days after the "
        "date on which all members have been appointed or, if such meeting cannot be mutually agreed upon, on a "
        "date designated by the Speaker of the House of Representatives and the President pro Tempore of the "
        "Senate.",
    ),
    Duty(
        "HR5011-302i1",
        "H.R. 5011 §302(i)(1)",
        "Provide security clearances to National Commission members and staff",
        "federal_entity",
        _event("commission_clearance_requested"),
        policy(90, "expeditiously", "HR5011-302i1"),
        "per_event",
        ("congress",),
        "policy",
        "[The] heads of appropriate departments and agencies of the executive branch shall cooperate with the "
        "Commission to expeditiously provide Commission members and staff with appropriate security clearances "
        "to the extent possible under applicable procedures and requirements.",
        co_holders=("national_office",),
    ),
    Duty(
        "HR5011-302j2",
        "H.R. 5011 §302(j)(2)",
        "National Commission submits its final report",
        "congress",
        _event("commission_first_meeting"),
        MonthsAfter(18),
        "once",
        ("congress",),
        "statutory",
        "[Not] later than 18 months after the date of the first meeting of the Commission, the Commission shall "
        "submit to the President and Congress a final report",
        note="also owed to the President",
    ),
    Duty(
        "HR5011-302k1",
        "H.R. 5011 §302(k)(1)",
        "National Commission terminates",
        "congress",
        _event("commission_final_report_submitted"),
        PeriodBeginningOn(60),
        "once",
        ("congress",),
        "statutory",
        "The Commission shall terminate upon the expiration of the 60-day period which begins on the date on "
        "which the Commission submits the final report required under subsection (j)(2).",
        sense="expiry",
        note="the period begins ON the submission day, so it ends at the end of day 60 counting that day",
    ),
    Duty(
        "HR5011-402",
        "H.R. 5011 §402",
        "Initial report on adequacy of implementation resources",
        "eac",
        ENACTMENT,
        DaysAfter(120),
        "once",
        ("congress",),
        "statutory",
        "Not later than 120 days after enactment of this Act, the Chairman and the Secretary shall submit a "
        "report to the appropriate committees of Congress ... analyzing the adequacy of the funding, resources, "
        "and personnel available to carry out this Act",
        co_holders=("national_office",),
    ),
)
