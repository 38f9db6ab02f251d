"""Grant writes (S.2261 §7; H.R. 5011 §297–298; HSA §321). Each is one transaction with its journal
entry and its clocks; each checks the actor's permission and object scope itself. Refusals are
``PermissionDenied`` (who) or ``ValidationError`` naming the field (what); nothing is half-written.

Money is whole dollars (integers) everywhere. An allocation is computed by the pure formulas of
:mod:`..allocation` and frozen into the program when it is published; awards of a formula program
take the applicant State's line of that frozen table.

One module per stage: :mod:`.programs` (create, publish), :mod:`.applications` (apply, review,
decide), :mod:`.awards` (award, pay, remaining funds, grantees' reports), :mod:`.review` (competitive
scores), :mod:`.providers` (the qualified-provider lists) and :mod:`.congress` (the reports' figures).
"""

from ._shared import MAX_DOLLARS, MAX_TEXT, national_administrator
from .applications import context_for, deny, failing, open_clock, record_judgement, request_changes, run_automatic_checks, save_application
from .awards import (
    award,
    award_audit_cycle,
    certify_remaining_funds,
    decide_remaining_funds,
    installments,
    record_payment,
    settle_audit_claims,
    submit_report,
)
from .congress import fiscal_year_summary, record_congress_report
from .programs import compute_allocation, create_program, publish
from .providers import CRITERIA, publish_provider, save_provider
from .review import ranking, score

__all__ = [
    "CRITERIA",
    "MAX_DOLLARS",
    "MAX_TEXT",
    "award",
    "award_audit_cycle",
    "certify_remaining_funds",
    "compute_allocation",
    "context_for",
    "create_program",
    "decide_remaining_funds",
    "deny",
    "failing",
    "fiscal_year_summary",
    "installments",
    "national_administrator",
    "open_clock",
    "publish",
    "publish_provider",
    "ranking",
    "record_congress_report",
    "record_judgement",
    "record_payment",
    "request_changes",
    "run_automatic_checks",
    "save_application",
    "save_provider",
    "score",
    "settle_audit_claims",
    "submit_report",
]
