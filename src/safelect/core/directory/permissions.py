"""Who may keep the provider ↔ agency relationships (S.2261 §4(j): a provider's "relevant election
agencies"). Both sides keep them; national-office staff read them."""

VIEW_LINKS = "directory:relationship:view"
MANAGE_LINKS = "directory:relationship:manage"

GRANTS = {
    "election_service_provider_staff": [VIEW_LINKS, MANAGE_LINKS],
    "local_election_official": [VIEW_LINKS, MANAGE_LINKS],
    "chief_state_election_official": [VIEW_LINKS, MANAGE_LINKS],
    "state_election_staff": [VIEW_LINKS, MANAGE_LINKS],
    "national_program_staff": [VIEW_LINKS],
    "national_leadership": [VIEW_LINKS],
}
