"""What Hack the Election sends through the outbox (in-app and email)."""

from safelect.core.outbox.services import NoticeKind, members_of, national_office

_LINK = "\n\nOpen it: {{ base_url }}{{ path }}\n"

KINDS = [
    NoticeKind(
        code="hack.application",
        title="Hack the Election: application to qualify",
        description="A researcher applied to take part (S.2261 §8(d)(2)); the office's decision clock started.",
        recipients=lambda ctx: national_office(("national_program_staff",)),
        email_subject="Application to qualify: {{ reference }}",
        email_body="{{ name }} applied to take part in Hack the Election. Decide the application within the program's target." + _LINK,
        inbox_title="Application to qualify: {{ reference }}",
        inbox_body="{{ name }}",
        email_opt_out_allowed=False,
    ),
    NoticeKind(
        code="hack.qualification",
        title="Hack the Election: qualification decided",
        description="The office decided a researcher's application.",
        recipients=lambda ctx: members_of([ctx["organization_id"]]),
        email_subject="{% if qualified %}You are qualified for Hack the Election{% else %}Your Hack the Election application{% endif %} ({{ reference }})",
        email_body="{% if qualified %}You may now see the scopes of open rounds and submit reports.{% else %}The national office did not "
        "qualify your application: {{ reason }}{% endif %}" + _LINK,
        inbox_title="{% if qualified %}Qualified{% else %}Not qualified{% endif %}: {{ reference }}",
        inbox_body="{{ reason }}",
        email_opt_out_allowed=False,
    ),
    NoticeKind(
        code="hack.finding_submitted",
        title="Hack the Election: vulnerability report submitted",
        description="A qualified researcher submitted a report to triage.",
        recipients=lambda ctx: national_office(("national_program_staff",)),
        email_subject="Report to triage: {{ reference }} ({{ severity }})",
        email_body="A researcher reported: {{ title }}. Sign in to triage it; the report is not sent by email." + _LINK,
        inbox_title="Report to triage: {{ reference }}",
        inbox_body="{{ title }} ({{ severity }})",
        email_opt_out_allowed=False,
    ),
    NoticeKind(
        code="hack.finding_triaged",
        title="Hack the Election: your report was triaged",
        description="The office decided what a researcher's report is.",
        recipients=lambda ctx: members_of(ctx["organization_ids"]),
        email_subject="Your report {{ reference }}: {{ status }}",
        email_body="The national office triaged your report {{ reference }}: {{ status }}. Sign in to read the note." + _LINK,
        inbox_title="{{ reference }}: {{ status }}",
        inbox_body="Sign in to read the triage note.",
        email_opt_out_allowed=False,
    ),
    NoticeKind(
        code="hack.assistance_requested",
        title="Hack the Election: technical assistance requested",
        description="A notified agency or provider asked for help remedying a vulnerability (S.2261 §8(d)(5)).",
        recipients=lambda ctx: national_office(("national_program_staff",)),
        email_subject="Technical assistance requested: {{ reference }} ({{ organization }})",
        email_body="{{ organization }} asks for technical assistance with {{ reference }}:\n{{ request }}" + _LINK,
        inbox_title="Assistance requested: {{ reference }}",
        inbox_body="{{ organization }}",
        email_opt_out_allowed=False,
    ),
    NoticeKind(
        code="hack.award",
        title="Hack the Election: award approved",
        description="An award for a previously unidentified vulnerability was approved (S.2261 §8(d)(3)).",
        recipients=lambda ctx: members_of(ctx["organization_ids"]),
        email_subject="Award approved for {{ reference }}",
        email_body="The award for your report {{ reference }} was approved: ${{ amount }}{% if non_monetary %}, and {{ non_monetary }}{% endif %}."
        + _LINK,
        inbox_title="Award approved: {{ reference }}",
        inbox_body="${{ amount }}",
        email_opt_out_allowed=False,
    ),
]
