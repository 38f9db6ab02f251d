"""What incidents send through the outbox (in-app and email)."""

from safelect.core.outbox.services import NoticeKind, members_of, national_office, state_officials

_LINK = "\n\nOpen it: {{ base_url }}{{ path }}\n"

KINDS = [
    NoticeKind(
        code="incidents.possible_incident",
        title="Possible incident reported by a local election agency",
        description="S.2261 §4(h)(1): a local election agency in your State became aware of a possible incident.",
        recipients=lambda ctx: state_officials(ctx["state_id"]),
        email_subject="Possible election cybersecurity incident: {{ reporter }} ({{ reference }})",
        email_body=(
            "{{ reporter }} became aware of a possible election cybersecurity incident on {{ aware_text }}.\n\n"
            "{{ title }}\nSystems: {{ systems }}\nHow it was learned: {{ how_learned }}\n\n"
            "The agency is assessing whether an incident occurred (S.2261 §4(h)(1))." + _LINK
        ),
        inbox_title="Possible incident: {{ reporter }} — {{ title }}",
        inbox_body="Aware since {{ aware_text }}. Systems: {{ systems }}.",
        email_opt_out_allowed=False,
    ),
    NoticeKind(
        code="incidents.incident_notice",
        title="Incident notice (S.2261 §4(i))",
        description="An election agency notifies the national office of an election cybersecurity incident, or updates its notice.",
        recipients=lambda ctx: national_office() | state_officials(ctx["state_id"]),
        email_subject="{% if update %}Update {{ number }} to incident{% else %}Incident notice{% endif %} {{ reference }}: {{ reporter }}",
        email_body=(
            "{{ reporter }} {% if update %}updates its notice of{% else %}notifies the national office of{% endif %} "
            "an election cybersecurity incident (S.2261 §4(i), (k)).\n\n{{ title }}\n"
            "Discovered: {{ discovered_text }}\nStarted: {{ started_text }}{% if ended_text %}; ended {{ ended_text }}{% endif %}\n"
            "Systems believed accessed: {{ systems }}\n\nCircumstances:\n{{ circumstances }}\n\n"
            "Information acquired:\n{{ information_acquired }}\n\nMeasures planned:\n{{ measures_planned }}\n\n"
            "Measures implemented:\n{{ measures_implemented }}\n"
            "{% if late %}\nSent after the 3-day limit. Reason given: {{ late_reason }}\n{% endif %}" + _LINK
        ),
        inbox_title="{% if update %}Update {{ number }}: {% endif %}Incident {{ reference }} — {{ reporter }}",
        inbox_body="{{ title }}. Systems: {{ systems }}.",
        email_opt_out_allowed=False,
    ),
]

KINDS.append(
    NoticeKind(
        code="incidents.congress_notification",
        title="Notification of Congress (S.2261 §4(p))",
        description="A notification of Congress about a significant incident was sent: the letter to transmit and its recipients.",
        recipients=lambda ctx: national_office(("national_program_staff", "national_leadership")),
        email_subject="{{ subject }}",
        email_body="{{ body }}\n\nThe letter (PDF) and its {{ recipient_count }} recipients: {{ base_url }}{{ path }}\n",
        inbox_title="Congress notified: {{ reference }} ({{ recipient_count }} recipients)",
        inbox_body="{{ subject }}",
        email_opt_out_allowed=False,
    )
)

KINDS.append(
    NoticeKind(
        code="incidents.provider_notice",
        title="Possible incident at an election service provider (S.2261 §4(j))",
        description="A provider that serves your agency notifies it of a possible incident, or updates its notice.",
        recipients=lambda ctx: members_of(ctx["agency_ids"]),
        email_subject="{% if update %}Update {{ number }}: {% endif %}possible incident at {{ reporter }} ({{ reference }})",
        email_body=(
            "{{ reporter }}, which provides election services to your agency, {% if update %}updates its notice of{% else %}notifies you of{% endif %} "
            "a possible election cybersecurity incident (S.2261 §4(j)).\\n\\n{{ title }}\\n"
            "Started: {{ started_text }}{% if ended_text %}; ended {{ ended_text }}{% endif %}\\nSystems: {{ systems }}\\n\\n"
            "Circumstances:\\n{{ circumstances }}\\n\\nInformation acquired:\\n{{ information_acquired }}\\n\\n"
            "Measures planned:\\n{{ measures_planned }}\\n\\nMeasures implemented:\\n{{ measures_implemented }}\\n\\n"
            "If it affects your agency, assess it and report your own incident, linked to this one (S.2261 §4(h)(1), (j)(2))." + _LINK
        ),
        inbox_title="{% if update %}Update {{ number }}: {% endif %}possible incident at {{ reporter }} — {{ title }}",
        inbox_body="Systems: {{ systems }}.",
        email_opt_out_allowed=False,
    )
)
