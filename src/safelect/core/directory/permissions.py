"""Who may keep the provider ↔ agency relationships (S.2261 §4(j): a provider's "relevant election
agencies"). Both sides keep them; national-office staff read them.
Agencies and providers keep their own inventory of election systems."""

VIEW_LINKS = "directory:relationship:view"
MANAGE_LINKS = "directory:relationship:manage"
MANAGE_SYSTEMS = "directory:system:manage"  # an agency's or provider's own inventory of election systems

GRANTS = {
    "election_service_provider_staff": [VIEW_LINKS, MANAGE_LINKS, MANAGE_SYSTEMS],
    "local_election_official": [VIEW_LINKS, MANAGE_LINKS, MANAGE_SYSTEMS],
    "chief_state_election_official": [VIEW_LINKS, MANAGE_LINKS, MANAGE_SYSTEMS],
    "state_election_staff": [VIEW_LINKS, MANAGE_LINKS, MANAGE_SYSTEMS],
    "national_program_staff": [VIEW_LINKS],
    "national_leadership": [VIEW_LINKS],
}
