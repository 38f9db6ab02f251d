"""Who may do what in the preparedness services.

* The catalog is public; national program staff keep it.
* A State's election officials request risk and vulnerability assessments (for their office or a
  local agency of the State) and see their State's; a local agency drafts a request for its State and
  sees its own. The assessment team (national program staff) schedules, starts, reports and tracks
  remediation. Findings reach no one else: not grants, clearance or regional staff.
* Clearance requests: a State's officials for their own people, a local agency for its personnel,
  national staff for the Commission's members and staff; the clearance officer sponsors and records
  each status (and the kernel's clearance record follows).
* Threat assessments and the annual report: national program staff and leadership keep them; a
  State's officials see their own State's threat assessments.
"""

ASSESSMENT_VIEW = "preparedness:assessment:view"
ASSESSMENT_REQUEST = "preparedness:assessment:request"
ASSESSMENT_MANAGE = "preparedness:assessment:manage"
CLEARANCE_VIEW = "preparedness:clearance:view"
CLEARANCE_REQUEST = "preparedness:clearance:request"
CLEARANCE_MANAGE = "preparedness:clearance:manage"
THREAT_VIEW = "preparedness:threat:view"
THREAT_MANAGE = "preparedness:threat:manage"
CATALOG_MANAGE = "preparedness:catalog:manage"
REPORT_MANAGE = "preparedness:report:manage"

GRANTS = {
    "chief_state_election_official": [ASSESSMENT_VIEW, ASSESSMENT_REQUEST, CLEARANCE_VIEW, CLEARANCE_REQUEST, THREAT_VIEW],
    "state_election_staff": [ASSESSMENT_VIEW, ASSESSMENT_REQUEST, CLEARANCE_VIEW, CLEARANCE_REQUEST, THREAT_VIEW],
    "local_election_official": [ASSESSMENT_VIEW, ASSESSMENT_REQUEST, CLEARANCE_VIEW, CLEARANCE_REQUEST],
    "national_program_staff": [
        ASSESSMENT_VIEW,
        ASSESSMENT_MANAGE,
        CLEARANCE_VIEW,
        CLEARANCE_REQUEST,
        THREAT_VIEW,
        THREAT_MANAGE,
        CATALOG_MANAGE,
        REPORT_MANAGE,
    ],
    "national_leadership": [CLEARANCE_VIEW, THREAT_VIEW, REPORT_MANAGE],
    "clearance_officer": [CLEARANCE_VIEW, CLEARANCE_MANAGE],
}
