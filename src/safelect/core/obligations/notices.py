"""Notices of the obligations app: reminders before a deadline, escalation after it.

* ``obligations.reminder`` goes to the members of the holder organization whose roles hold
  the duty (:data:`HOLDER_ROLES`). Reminders are an internal courtesy — the law does not
  require them — so people may turn their email off (the inbox copy stays).
* ``obligations.overdue`` goes to the holder's members AND escalates: to the national office's
  leadership and program staff, and for a State or local holder also to its supervising
  organization (``Organization.parent``: a county's State office). An overdue statutory duty
  must not go unseen, so its email cannot be turned off.

The sweep (``sweep.send_reminders``) sends each with ``dedupe_key="obligation:<id>:<threshold>"``.
"""

from __future__ import annotations

from safelect.core.outbox.services import NoticeKind, members_of, national_office, nobody

#: Roles that act for each holder kind (a membership's roles must overlap these). ``None``: everyone.
HOLDER_ROLES: dict[str, tuple[str, ...] | None] = {
    "national_office": ("national_program_staff", "national_leadership"),
    "state_election_office": ("chief_state_election_official", "state_election_staff"),
    "local_election_agency": ("local_election_official",),
    "election_service_provider": ("election_service_provider_staff",),
    "federal_entity": ("federal_partner_analyst",),
    "eac": ("federal_partner_analyst", "grants_officer"),
    "isac": ("isac_analyst",),
    "research_org": ("researcher",),
    "congress": None,
}
#: Roles of a supervising organization (``parent``) told when a supervised holder is overdue.
SUPERVISOR_ROLES = (
    "chief_state_election_official",
    "state_election_staff",
    "national_program_staff",
    "national_leadership",
    "local_election_official",
)


def holder_members(context: dict):
    return members_of(context["holder_id"], HOLDER_ROLES.get(context.get("holder_kind", "")))


def escalation(context: dict):
    people = holder_members(context) | national_office(("national_leadership", "national_program_staff"))
    if context.get("supervisor_id"):
        people = people | members_of(context["supervisor_id"], SUPERVISOR_ROLES)
    return people


_ABOUT = "{{ citation }} — {{ title }}{% if subject_label %} ({{ subject_label }}){% endif %}{% if cycle %} [{{ cycle }}]{% endif %}"

KINDS = [
    NoticeKind(
        code="obligations.reminder",
        title="Deadline reminder",
        description="Before a statutory deadline or internal policy target: at each of the duty's lead times.",
        recipients=holder_members,
        email_subject="{{ when|capfirst }}: {{ citation }} — {{ title }}",
        email_body=(
            "{{ holder_name }} has a {{ kind_label }} {{ when }}.\n\n" + _ABOUT + "\n\n"
            "Due: {{ due_text }}\nRule: {{ rule }}\n\n"
            "{% if is_policy %}This is an internal policy target, not a deadline set by law.\n\n{% endif %}"
            "Open it: {{ base_url }}{{ path }}\n"
        ),
        inbox_title="{{ when|capfirst }}: {{ citation }} — {{ title }}",
        inbox_body=_ABOUT + "\nDue {{ due_text }}.",
        email_opt_out_allowed=True,
    ),
    NoticeKind(
        code="obligations.overdue",
        title="Deadline missed (escalation)",
        description="The due moment passed with the obligation still open: the holder, its supervising "
        "organization and the national office are told.",
        recipients=escalation,
        email_subject="OVERDUE: {{ citation }} — {{ title }} ({{ holder_name }})",
        email_body=(
            "The {{ kind_label }} of {{ holder_name }} passed without a recorded fulfilment or waiver.\n\n"
            + _ABOUT
            + "\n\nWas due: {{ due_text }}\nRule: {{ rule }}\n\n"
            "{% if is_policy %}This is an internal policy target, not a deadline set by law.\n\n{% endif %}"
            "Record the fulfilment or a waiver with its reason: {{ base_url }}{{ path }}\n"
        ),
        inbox_title="Overdue: {{ citation }} — {{ title }} ({{ holder_name }})",
        inbox_body=_ABOUT + "\nWas due {{ due_text }}.",
        email_opt_out_allowed=False,
    ),
]

__all__ = ["HOLDER_ROLES", "KINDS", "SUPERVISOR_ROLES", "escalation", "holder_members", "nobody"]
