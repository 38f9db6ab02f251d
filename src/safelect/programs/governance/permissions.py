"""Who may do what in governance.

* National program staff are the bodies' secretariat (S.2261 §5(a)(6): the Secretary provides the
  Advisory Panel its administrative support): they record members and meetings, draft guideline
  versions for the panel, open the comment period, moderate comments and record dispositions and
  consultations, record the panel's submission to the Secretary, and draft reports.
* National leadership acts for the Secretary: sends the guidelines to Congress (with a written
  justification of any modification, §5(i)), distributes and publishes them (§5(j), (k)), reviews
  and approves reports and records their submission.
* The public reads the published guidelines, the open comment periods (and comments without an
  account), the bodies' public meetings, the public versions of submitted reports and the register of
  reports with their deadlines.
"""

MANAGE = "governance:record:manage"
DRAFT = "governance:report:draft"
APPROVE = "governance:report:approve"
SECRETARY = "governance:guidelines:decide"
VIEW = "governance:record:view"

GRANTS = {
    "national_program_staff": [VIEW, MANAGE, DRAFT],
    "national_leadership": [VIEW, APPROVE, SECRETARY],
}
