"""The grant clocks. Statutory ones come from the obligations registry: S.2261 §7(g)(2) (the list of
States still voting on non-paper systems, 60 days after enactment — fulfilled by publishing a
§7(g) program, whose frozen allocation is that list), §7(h)(4) (audit grants awarded on January 31,
2019 and every 2 years) and H.R. 5011 §297D / HSA §321(b) (annual reports, opened by the kernel's
periodic opener). Two internal policy duties (never law) are registered here:

* ``GRANT-APPLY`` — an eligible State's application to a formula program, due when the window
  closes (the program's ``closes_on``: the due moment is set when the clock opens);
* ``GRANT-REVIEW`` — the grants officer's decision on a submitted application (award, denial or a
  request for changes), 30 days by default (``SAFELECT_OBLIGATION_POLICY_TARGETS["GRANT-REVIEW"]``).
"""

from __future__ import annotations

from datetime import timedelta

from safelect.core.obligations.registry import register_policy_duty

APPLY_DUTY = "GRANT-APPLY"
REVIEW_DUTY = "GRANT-REVIEW"
LIST_DUTY = "S2261-7g2"
AUDIT_AWARD_DUTY = "S2261-7h4"
REVIEW_DAYS = 30
RESEARCH_REPORT_DUTY = "HR5011-121-321b"
CONGRESS_REPORT_DUTIES = {
    "HR5011-101-297D": "H.R. 5011 (HAVA §297D) report on paper-ballot grant activities",
    RESEARCH_REPORT_DUTY: "Homeland Security Act §321(b) report on innovation grants",
}

register_policy_duty(
    APPLY_DUTY,
    "Apply to a formula grant program before its window closes",
    1,
    "state_election_office",
    lead_times=(timedelta(days=14), timedelta(days=3)),
    origin="grants",
    citation="S.2261 §7(b)(1)(A); H.R. 5011 §101 (HAVA §297C) (window: set per program)",
    text="Program policy: each State eligible for a formula program applies before the program's window closes; the "
    "due date is the window's last day, set when the program is published.",
    event="grant_program_published",
    event_words="the publication of the program",
)
register_policy_duty(
    REVIEW_DUTY,
    "Decide on a submitted grant application",
    REVIEW_DAYS,
    "national_office",
    lead_times=(timedelta(days=7),),
    origin="grants",
    citation="S.2261 §7(b)(2); H.R. 5011 §101 (HAVA §297C) (review period: internal policy)",
    text=f"Program policy: a grants officer awards, denies or requests changes to a submitted application within "
    f"{REVIEW_DAYS} days of its submission.",
    event="grant_application_submitted",
    event_words="the submission of the application",
)
