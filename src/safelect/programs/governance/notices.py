"""What governance sends through the outbox."""

from safelect.core.outbox.services import NoticeKind, members_of

KINDS = [
    NoticeKind(
        code="governance.guidelines_published",
        title="Election cybersecurity guidelines published",
        description="S.2261 §5(j): the guidelines are distributed to every election agency known.",
        recipients=lambda ctx: members_of(ctx["organization_ids"]),
        email_subject="Election cybersecurity guidelines, version {{ number }}, published",
        email_body="The Secretary distributes the election cybersecurity guidelines (S.2261 §5(j)): {{ title }}, version {{ number }}."
        "\n\nRead them: {{ base_url }}{{ path }}\n",
        inbox_title="Guidelines published: {{ title }} (version {{ number }})",
        inbox_body="The election cybersecurity guidelines are distributed to every election agency (S.2261 §5(j)).",
    ),
]
