"""What the preparedness services send through the outbox (in-app and email)."""

from safelect.core.outbox.services import NoticeKind, members_of, national_office

_LINK = "\n\nOpen it: {{ base_url }}{{ path }}\n"

KINDS = [
    NoticeKind(
        code="preparedness.assessment_requested",
        title="Risk and vulnerability assessment requested (H.R. 5011 §205)",
        description="A chief State election official's office requested an assessment: the 90-day clock to commence it started.",
        recipients=lambda ctx: national_office(("national_program_staff",)),
        email_subject="Assessment requested: {{ reference }} ({{ state }})",
        email_body="{{ state }} requested a security risk and vulnerability assessment of {{ agency }}'s systems:\n{{ systems }}\n\n"
        "H.R. 5011 §205(b)(1): commence it by {{ due_text }}, or tell the requester when it will begin." + _LINK,
        inbox_title="Assessment requested: {{ reference }} — {{ agency }}",
        inbox_body="Commence by {{ due_text }}.",
        email_opt_out_allowed=False,
    ),
    NoticeKind(
        code="preparedness.assessment_scheduled",
        title="Assessment scheduled",
        description="The assessment team scheduled a requested assessment; late starts carry the notice of H.R. 5011 §205(b)(2).",
        recipients=lambda ctx: members_of([ctx["state_office_id"], ctx["agency_id"]]),
        email_subject="{% if late %}Your assessment cannot begin within 90 days: {% else %}Assessment scheduled: {% endif %}{{ reference }}",
        email_body="{% if late %}The national office cannot commence the security risk and vulnerability assessment you requested "
        "within 90 days of your request (H.R. 5011 §205(b)(2)). It will begin on {{ start_text }}.\n\n"
        "{% else %}The security risk and vulnerability assessment you requested will begin on {{ start_text }}.\n\n{% endif %}"
        "Team: {{ team }}. Ends by {{ end_text }}.\nSystems: {{ systems }}" + _LINK,
        inbox_title="{% if late %}Assessment delayed{% else %}Assessment scheduled{% endif %}: {{ reference }} begins {{ start_text }}",
        inbox_body="Team {{ team }}; systems: {{ systems }}.",
        email_opt_out_allowed=False,
    ),
    NoticeKind(
        code="preparedness.assessment_report",
        title="Assessment report delivered",
        description="The findings of a risk and vulnerability assessment are ready for the State and the assessed agency.",
        recipients=lambda ctx: members_of(
            [ctx["state_office_id"], ctx["agency_id"]], ("chief_state_election_official", "state_election_staff", "local_election_official")
        ),
        email_subject="Assessment report ready: {{ reference }} ({{ tlp }})",
        email_body="The report of assessment {{ reference }} is ready in safelect, marked {{ tlp }}: sign in to read it; it is not "
        "sent by email. {{ remediations }} remediation item(s) are tracked with it." + _LINK,
        inbox_title="Assessment report ready: {{ reference }}",
        inbox_body="Marked {{ tlp }}; {{ remediations }} remediation item(s).",
        email_opt_out_allowed=False,
    ),
    NoticeKind(
        code="preparedness.clearance_status",
        title="Security clearance request status",
        description="A sponsored security clearance request changed status (S.2261 §4(l); H.R. 5011 §203).",
        recipients=lambda ctx: members_of(
            [ctx["organization_id"]],
            ("chief_state_election_official", "state_election_staff", "local_election_official", "national_program_staff"),
        ),
        email_subject="Clearance request {{ reference }}: {{ status }}",
        email_body="The security clearance request {{ reference }} for {{ person }} is now: {{ status }} (since {{ since }})." + _LINK,
        inbox_title="Clearance {{ reference }}: {{ status }}",
        inbox_body="{{ person }} — {{ status }} since {{ since }}.",
        email_opt_out_allowed=False,
    ),
    NoticeKind(
        code="preparedness.threat_assessment",
        title="Pre-election threat assessment delivered (H.R. 5011 §204)",
        description="The threat assessment for the coming Federal general election was delivered to the chief State election official.",
        recipients=lambda ctx: members_of([ctx["state_office_id"]], ("chief_state_election_official",)),
        email_subject="Pre-election threat assessment, {{ year }} general election",
        email_body="The assessment of threats to election infrastructure for the {{ year }} general election (H.R. 5011 §204) was "
        "delivered to your office on {{ delivered_text }}. {{ note }}" + _LINK,
        inbox_title="Threat assessment delivered: {{ year }} general election",
        inbox_body="{{ note }}",
        email_opt_out_allowed=False,
    ),
    NoticeKind(
        code="preparedness.interstate_assessment",
        title="Assessment of inter-State information sharing issued (S.2261 §4(o))",
        description="The joint assessment of the MS-ISAC and other inter-State sharing about election cybersecurity was issued.",
        recipients=lambda ctx: members_of(ctx["organization_ids"]),
        email_subject="Issued: {{ title }} ({{ reference }})",
        email_body="The Secretary and {{ jointly }} issued the assessment of inter-State information sharing about election "
        "cybersecurity (S.2261 §4(o)(3)): {{ title }}." + _LINK,
        inbox_title="Assessment issued: {{ title }}",
        inbox_body="S.2261 §4(o)(3): issued to all election agencies and the congressional committees.",
    ),
]
