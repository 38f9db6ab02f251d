"""Who may comment and who may run a solicitation.

* Election agencies' officials comment for their organization when it is in a solicitation's
  audience (the service checks the organization's kind).
* National program staff and leadership open solicitations, send reminders and record dispositions.
"""

SUBMIT = "comments:comment:submit"
VIEW = "comments:solicitation:view"
MANAGE = "comments:solicitation:manage"

GRANTS = {
    "chief_state_election_official": [VIEW, SUBMIT],
    "state_election_staff": [VIEW, SUBMIT],
    "local_election_official": [VIEW, SUBMIT],
    "national_program_staff": [VIEW, MANAGE],
    "national_leadership": [VIEW, MANAGE],
}
