"""Who may do what in Hack the Election (S.2261 §8).

* National program staff run the program: the safe-harbour versions, the rounds, the solicitation
  of agencies' input (§8(c)), researchers' qualification (§8(d)(2)), triage, notification through the
  sharing program and disclosure (§8(d)(5)); they propose awards. Leadership approves awards (§8(d)(3))
  and reads everything.
* Election agencies and providers volunteer their own systems (§8(b), (d)(4)) and see the findings
  against the systems they designated, or that they were notified of because they use the product;
  they record their remediation and ask for technical assistance.
* A researcher applies to qualify, submits reports against the scopes of an open round and sees their
  own reports only.
* The public sees the program page, the rounds' dates and award schedules, how fast qualification
  decisions are, the hall of fame (with consent) and disclosed advisories.
"""

MANAGE = "hack:program:manage"
TRIAGE = "hack:finding:triage"
APPROVE_AWARD = "hack:award:approve"
VIEW = "hack:finding:view"
SUBMIT = "hack:finding:submit"
DESIGNATE = "hack:designation:manage"
REMEDIATE = "hack:remediation:update"

AGENCY = [VIEW, DESIGNATE, REMEDIATE]
GRANTS = {
    "national_program_staff": [MANAGE, TRIAGE, VIEW],
    "national_leadership": [VIEW, APPROVE_AWARD],
    "chief_state_election_official": AGENCY,
    "state_election_staff": AGENCY,
    "local_election_official": AGENCY,
    "election_service_provider_staff": AGENCY,
    "researcher": [VIEW, SUBMIT],
}
