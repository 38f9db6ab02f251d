"""Who may do what in grants.

* Grants officers (national office or the EAC) create and publish programs, review each
  application's conditions, request changes, deny, award, record payments, keep the provider lists
  and score competitive proposals. National leadership and program staff read everything.
* State election officials apply for their State; local election officials apply where the statute
  lets a local agency apply (S.2261 §7(f), §7(h)); researchers answer research calls (HSA §321).
  Each sees its own applications (a State's officials also those of its local agencies), its awards
  and the published allocation tables and provider lists.
"""

VIEW = "grants:program:view"
MANAGE = "grants:program:manage"
VIEW_APPLICATIONS = "grants:application:view"
APPLY = "grants:application:submit"
REVIEW = "grants:application:review"

GRANTS = {
    "grants_officer": [VIEW, MANAGE, VIEW_APPLICATIONS, REVIEW],
    "national_leadership": [VIEW, VIEW_APPLICATIONS],
    "national_program_staff": [VIEW, VIEW_APPLICATIONS],
    "regional_staff": [VIEW],
    "chief_state_election_official": [VIEW, VIEW_APPLICATIONS, APPLY],
    "state_election_staff": [VIEW, VIEW_APPLICATIONS, APPLY],
    "local_election_official": [VIEW, VIEW_APPLICATIONS, APPLY],
    "researcher": [VIEW, VIEW_APPLICATIONS, APPLY],
    "election_service_provider_staff": [VIEW],
    "federal_partner_analyst": [VIEW],
}
