"""Who may use the obligations pages and API (merged into the roles by the accounts kernel).

* ``obligations:obligation:view`` — deadlines, calendar, obligation pages, CSV, calendar feed;
  what each person sees is narrowed by object scope (``queries.visible_obligations``);
* ``obligations:obligation:fulfil`` — record what fulfilled an obligation (its holder's staff);
* ``obligations:obligation:waive`` — close an *internal-policy* obligation without fulfilment, with a
  written reason, or reopen one closed in error: national program staff and leadership, and the
  chief State election official for the obligations of the State's own agencies;
* ``obligations:statutory:record_inapplicable`` — record, with a reason, that a *statutory* duty does
  not apply (or reopen it): national program staff and leadership only, never the holder itself
  (see ``services.may_close``);
* ``obligations:board:view`` — the compliance board (national, regional and State roles).
"""

from safelect.core.accounts.roles import ROLES

VIEW = "obligations:obligation:view"
FULFIL = "obligations:obligation:fulfil"
WAIVE = "obligations:obligation:waive"
RECORD_INAPPLICABLE = "obligations:statutory:record_inapplicable"
BOARD = "obligations:board:view"

_HOLDER_STAFF = [
    "national_program_staff",
    "national_leadership",
    "regional_staff",
    "clearance_officer",
    "grants_officer",
    "chief_state_election_official",
    "state_election_staff",
    "local_election_official",
    "election_service_provider_staff",
    "federal_partner_analyst",
    "isac_analyst",
]

GRANTS = {code: [VIEW] for code in ROLES}
for _code in _HOLDER_STAFF:
    GRANTS[_code] = [VIEW, FULFIL]
for _code in ("national_program_staff", "national_leadership", "chief_state_election_official"):
    GRANTS[_code] = [VIEW, FULFIL, WAIVE]
for _code in ("national_program_staff", "national_leadership"):
    GRANTS[_code] = [*GRANTS[_code], RECORD_INAPPLICABLE]
for _code in ("national_program_staff", "national_leadership", "regional_staff", "chief_state_election_official", "state_election_staff"):
    GRANTS[_code] = [*GRANTS[_code], BOARD]
