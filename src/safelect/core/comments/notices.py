"""What the comment mechanism sends through the outbox."""

from safelect.core.outbox.services import NoticeKind, members_of

_LINK = "\n\nComment here: {{ base_url }}{{ path }}\n"

KINDS = [
    NoticeKind(
        code="comments.solicitation",
        title="Comments requested",
        description="An organization of yours is asked for comments, with a closing date.",
        recipients=lambda ctx: members_of(ctx["organization_ids"], ctx.get("roles")),
        email_subject="Comments requested by {{ closes_text }}: {{ title }}",
        email_body="{{ asker }} asks for your organization's comments: {{ title }}.\n\n{{ body }}\n\nComments close {{ closes_text }}."
        + _LINK,
        inbox_title="Comments requested: {{ title }} (by {{ closes_text }})",
        inbox_body="{{ asker }} asks for your organization's comments.",
    ),
    NoticeKind(
        code="comments.reminder",
        title="Reminder: comments requested",
        description="A reminder to organizations that have not commented yet.",
        recipients=lambda ctx: members_of(ctx["organization_ids"], ctx.get("roles")),
        email_subject="Reminder: comments close {{ closes_text }}: {{ title }}",
        email_body="Your organization has not commented yet on: {{ title }}. Comments close {{ closes_text }}." + _LINK,
        inbox_title="Reminder: comments close {{ closes_text }} — {{ title }}",
        inbox_body="Your organization has not commented yet.",
    ),
]
