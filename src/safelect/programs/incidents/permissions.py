"""Who may do what with incidents; object scope is the kernel's (``Actor.restrict`` with the
model's ``SCOPE_FIELDS``).

Election agencies (local and State) report, assess, notify and update their own incidents; a
State's election officials see their State's incidents, including those of its local agencies;
national-office staff and leadership see every incident. Election service providers report their
own possible incidents and notify the agencies they serve (§4(h)(2), (j)); those agencies then see
the provider's incident. Federal partners, the sharing center and researchers see none here: they
receive what a sharing decision releases (S.2261 §4(c), (g)).
"""

VIEW = "incidents:incident:view"
REPORT = "incidents:incident:report"
# §4(p): the national office determines that an incident is significant and notifies Congress;
# leadership adopts the uniform definition (§4(p)(2)).
DECIDE = "incidents:significance:decide"
DEFINE = "incidents:definition:manage"

GRANTS = {
    "local_election_official": [VIEW, REPORT],
    "election_service_provider_staff": [VIEW, REPORT],
    "chief_state_election_official": [VIEW, REPORT],
    "state_election_staff": [VIEW, REPORT],
    "national_program_staff": [VIEW, DECIDE],
    "regional_staff": [VIEW],
    "national_leadership": [VIEW, DECIDE, DEFINE],
}
