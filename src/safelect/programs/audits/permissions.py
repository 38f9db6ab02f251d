"""Who may do what in audits.

* A State's election officials (the State audit administrators) create audits for their State,
  choose the participating jurisdictions and contests, and standardise contest names; they may
  upload files on a jurisdiction's behalf.
* A jurisdiction's officials (the jurisdiction audit administrators) upload their ballot manifest
  and cast vote records, and see only their own files.
* National-office staff read every audit (they count hand inspections for S.2261 §7(h)).
"""

VIEW = "audits:audit:view"
MANAGE = "audits:audit:manage"
UPLOAD = "audits:file:upload"

GRANTS = {
    "chief_state_election_official": [VIEW, MANAGE, UPLOAD],
    "state_election_staff": [VIEW, MANAGE, UPLOAD],
    "local_election_official": [VIEW, UPLOAD],
    "national_program_staff": [VIEW],
    "national_leadership": [VIEW],
    "grants_officer": [VIEW],
    "regional_staff": [VIEW],
}
