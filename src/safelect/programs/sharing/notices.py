"""What sharing sends through the outbox (in-app, email and the organizations' webhooks)."""

from safelect.core.directory.models import Organization
from safelect.core.outbox.services import NoticeKind, members_of, national_office

_LINK = "\n\nOpen it: {{ base_url }}{{ path }}\n"


def _recipient_organizations(ctx):
    from .models import Recipient

    return Organization.objects.filter(pk__in=Recipient.objects.filter(share_id=ctx["share_id"]).values("organization_id"))


KINDS = [
    NoticeKind(
        code="sharing.item_received",
        title="Information received: a sharing decision is due (S.2261 §4(c))",
        description="Information about an election cybersecurity incident, threat or vulnerability was received; share it promptly unless it is withheld in writing.",
        recipients=lambda ctx: national_office(("national_program_staff", "national_leadership")),
        email_subject="Information received {{ reference }}: {{ title }}",
        email_body="{{ source }} provided information ({{ tlp }}): {{ title }}.\n\nS.2261 §4(c): share it promptly, unless the Secretary determines in writing that there is good cause to withhold it."
        + _LINK,
        inbox_title="Decide on sharing: {{ reference }} — {{ title }}",
        inbox_body="From {{ source }} ({{ tlp }}).",
        email_opt_out_allowed=False,
    ),
    NoticeKind(
        code="sharing.product",
        title="Election security information shared with your organization (S.2261 §4(c))",
        description="The national office shares an alert, advisory or bulletin with your organization.",
        recipients=lambda ctx: members_of(_recipient_organizations(ctx)),
        email_subject="[{{ tlp }}] {{ product_kind }} {{ reference }}: {{ title }}",
        email_body="The national election security office shares a {{ product_kind|lower }} with your organization: {{ title }}.\n\n"
        "{{ tlp }}: {{ tlp_words }}\n\nRead it, with its indicators and recommended measures, after signing in:" + _LINK,
        inbox_title="[{{ tlp }}] {{ title }}",
        inbox_body="{{ product_kind }} {{ reference }}.",
        webhook=True,
    ),
    NoticeKind(
        code="sharing.threat_notice",
        title="Threat information for the chief State election official (H.R. 5011 §202)",
        description="Timely threat information regarding election infrastructure in your State.",
        recipients=lambda ctx: members_of(_recipient_organizations(ctx), roles=["chief_state_election_official"]),
        email_subject="[{{ tlp }}] Threat notice {{ reference }}: {{ title }}",
        email_body="Threat information regarding election infrastructure in your State (H.R. 5011 §202): {{ title }}.\n\n"
        "{{ tlp }}: {{ tlp_words }}\n\nRead it after signing in (your reading is recorded):" + _LINK,
        inbox_title="[{{ tlp }}] Threat notice: {{ title }}",
        inbox_body="{{ reference }}.",
        email_opt_out_allowed=False,
    ),
]
