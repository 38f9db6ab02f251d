"""Who may do what with engagements; object scope is in :mod:`.access`.

State election officials read their State's engagements (without the internal columns, which
need ``view_internal``); regional staff record and edit their region's; national-office staff
import, review and release; leadership reads everything.
"""

_READ = [
    "engagements:engagement:view",
    "engagements:engagement:view_internal",
    "engagements:coverage:view",
    "engagements:export:run",
    "engagements:export:internal",
]
_EDIT = ["engagements:engagement:edit", "engagements:followup:edit", "engagements:review:resolve"]

GRANTS = {
    "national_program_staff": [*_READ, *_EDIT, "engagements:import:run"],
    "national_leadership": [*_READ],
    "regional_staff": [*_READ, *_EDIT],
    "chief_state_election_official": ["engagements:engagement:view"],
    "state_election_staff": ["engagements:engagement:view"],
}
