"""The notice kinds the outbox itself sends."""

from safelect.core.directory.models import Organization

from .account_mail import KINDS as ACCOUNT_KINDS
from .recipients import members_of
from .registry import NoticeKind


def _announcement_recipients(context: dict):
    """Every member of the organization kinds named in the context (default: all election agencies)."""
    kinds = context.get("organization_kinds") or ["local_election_agency", "state_election_office"]
    return members_of(Organization.objects.filter(kind__in=kinds), context.get("roles"))


KINDS = [
    NoticeKind(
        code="outbox.announcement",
        title="Announcement from the national office",
        description="A message from the national election security office to election agencies.",
        recipients=_announcement_recipients,
        email_subject="{{ title }}",
        email_body="outbox/email/announcement.txt",
        inbox_title="{{ title }}",
        inbox_body="{{ message }}",
        email_opt_out_allowed=True,
        webhook=True,
    ),
    NoticeKind(
        code="outbox.webhook_registered",
        title="Webhook registered",
        description="Sent to an organization's members when someone registers a webhook for it.",
        recipients=lambda context: members_of(context["organization_id"]),
        email_subject="A webhook was registered for {{ organization_name }}",
        email_body="A webhook that receives safelect's notices was registered for {{ organization_name }}: {{ url }}\n\n"
        "If you did not expect this, tell the national office.",
        inbox_title="Webhook registered: {{ url }}",
        email_opt_out_allowed=False,  # a security-relevant change: always emailed
    ),
]
KINDS += ACCOUNT_KINDS
