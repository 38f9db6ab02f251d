"""What safelect does for each part of the bills: the program that implements it (with its page), or
why nothing is built — out of scope by nature, or planned. Matched by the longest citation prefix,
so ``S.2261 §4(h)`` covers §4(h)(1) and §4(h)(2). Duties and their clocks come from the obligations
registry, not from here."""

from __future__ import annotations

from dataclasses import dataclass

from django.urls import NoReverseMatch, reverse


@dataclass(frozen=True)
class Part:
    prefix: str
    status: str  # built | planned | out_of_scope
    words: str
    url_name: str = ""

    @property
    def url(self) -> str:
        try:
            return reverse(self.url_name) if self.url_name else ""
        except NoReverseMatch:  # the app is not installed here
            return ""


PARTS = [
    Part("S.2261 §1", "out_of_scope", "The short title: nothing to do."),
    Part("S.2261 §2", "out_of_scope", "A sense of Congress: it states views and imposes no duty."),
    Part(
        "S.2261 §3",
        "built",
        "The definitions safelect's directory and programs use (election agency, election service provider, State election official …).",
    ),
    Part(
        "S.2261 §4",
        "built",
        "Information sharing: items received, sharing decisions, written withholding, products with TLP and STIX, audiences.",
        "sharing:feed",
    ),
    Part("S.2261 §4(h)", "built", "Incidents: the duty to assess possible incidents and notify.", "incidents:list"),
    Part("S.2261 §4(i)", "built", "Incidents: the agency's notification within 3 calendar days of discovery.", "incidents:list"),
    Part("S.2261 §4(j)", "built", "Incidents: a provider's notice to the agencies it serves within 3 calendar days.", "incidents:list"),
    Part("S.2261 §4(k)", "built", "Incidents: the content of the notification and its updates.", "incidents:list"),
    Part("S.2261 §4(l)", "built", "Security clearance requests, expedited where the statute says.", "preparedness:clearances"),
    Part(
        "S.2261 §4(m)",
        "built",
        "The public catalog of cybersecurity services; the classified annex is never stored.",
        "preparedness:catalog",
    ),
    Part("S.2261 §4(n)", "out_of_scope", "A rule of construction about liability: nothing for software to do."),
    Part(
        "S.2261 §4(o)",
        "built",
        "The assessment of inter-State information sharing, with the States' comments.",
        "preparedness:interstate-list",
    ),
    Part("S.2261 §4(p)", "built", "Congressional notification of significant incidents.", "incidents:list"),
    Part(
        "S.2261 §5",
        "built",
        "The Advisory Panel and its composition rules; the guidelines from draft through the 45-day public comment to Congress, "
        "distribution and publication.",
        "governance:guidelines",
    ),
    Part(
        "S.2261 §6",
        "built",
        "The joint report on foreign threats, with the State election agencies' comments; the GAO's grant reports are tracked.",
        "governance:reports",
    ),
    Part(
        "S.2261 §7",
        "built",
        "State election system cybersecurity and modernization grants: formulas, programs, applications, awards.",
        "grants:home",
    ),
    Part("S.2261 §7(h)", "built", "Financial assistance for auditing expenses; the audits themselves are run in safelect.", "audits:list"),
    Part("S.2261 §8", "built", "Hack the Election: designations, rounds, qualification, reports, awards, notification.", "hack:home"),
    Part("H.R. 5011 §1", "out_of_scope", "The short title and table of contents."),
    Part("H.R. 5011 §2", "out_of_scope", "A sense of Congress: it states views and imposes no duty."),
    Part("H.R. 5011 §101", "built", "Voting system security grants (HAVA part 7): formula, applications, conditions.", "grants:home"),
    Part("H.R. 5011 §297", "built", "Paper-ballot and security-improvement grants: $1 times average votes cast, pro rata.", "grants:home"),
    Part("H.R. 5011 §297C(2)", "built", "Risk-limiting audits within 5 years of the grant: run in safelect.", "audits:list"),
    Part(
        "H.R. 5011 §102",
        "out_of_scope",
        "Amendments to the Election Assistance Commission's own duties and boards under HAVA: outside the national office's program.",
    ),
    Part("H.R. 5011 §103", "out_of_scope", "A definition moved into HAVA: nothing to do beyond using it."),
    Part("H.R. 5011 §901", "out_of_scope", "HAVA's definitions as amended: nothing to do beyond using them."),
    Part("H.R. 5011 §111", "built", "Grants for risk-limiting audits (HAVA part 8).", "grants:home"),
    Part(
        "H.R. 5011 §298", "built", "Risk-limiting audits: set-up, draws, audit boards, measurement, escalation and reports.", "audits:list"
    ),
    Part("H.R. 5011 §112", "out_of_scope", "The GAO's analysis of the audits: GAO writes it; its clock is tracked in the registry."),
    Part("H.R. 5011 §121", "built", "Election infrastructure innovation grants.", "grants:home"),
    Part("H.R. 5011 §321", "built", "Election infrastructure innovation grants.", "grants:home"),
    Part(
        "H.R. 5011 §201",
        "out_of_scope",
        "The designation of election infrastructure as critical infrastructure: a legal status, nothing to run.",
    ),
    Part(
        "H.R. 5011 §202",
        "built",
        "Timely threat information to chief State election officials: threat notices in the sharing program.",
        "sharing:feed",
    ),
    Part("H.R. 5011 §203", "built", "Security clearance assistance, temporary clearances included.", "preparedness:clearances"),
    Part(
        "H.R. 5011 §204", "built", "Pre-election threat assessments, 180 days before each Federal general election.", "preparedness:threats"
    ),
    Part(
        "H.R. 5011 §205",
        "built",
        "Security risk and vulnerability assessments within 90 days of a written request.",
        "preparedness:assessments",
    ),
    Part("H.R. 5011 §206", "built", "The annual report on clearances and assessments.", "preparedness:report"),
    Part(
        "H.R. 5011 §301",
        "built",
        "The national strategy and its implementation plan, with objectives, tasks, costs, metrics and progress.",
        "governance:reports",
    ),
    Part(
        "H.R. 5011 §302",
        "built",
        "The National Commission: composition, appointments, vacancies, meetings and its reports' clocks.",
        "governance:home",
    ),
    Part("H.R. 5011 §401", "built", "The definitions safelect's directory and programs use."),
    Part(
        "H.R. 5011 §402",
        "built",
        "The initial report on funding, resources and personnel, drafted and submitted in safelect.",
        "governance:reports",
    ),
]
STATUS_WORDS = {"built": "Built in safelect", "planned": "Planned", "out_of_scope": "Nothing to build"}


def part_for(citation: str) -> Part | None:
    """The most specific part whose prefix is the citation or encloses it."""
    found = [p for p in PARTS if citation == p.prefix or citation.startswith(p.prefix + "(")]
    return max(found, key=lambda p: len(p.prefix)) if found else None
