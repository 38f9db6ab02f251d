"""Who may do what in sharing.

* National-office staff receive information, decide to share (the default), author products and
  publish them; regional staff read everything the office holds. Withholding needs a written
  determination by the Secretary or a delegate: national-office leadership (``WITHHOLD``).
* Federal partners and the sharing center submit information (§4(b), §4(f)) and record their own
  written good-cause withholding (§4(b)); they read the products shared with them.
* Election agencies (State and local) and providers read the products shared with them, within
  the product's TLP; agencies manage their own subscriptions to ongoing updates (§4(c)(3)).
"""

VIEW = "sharing:product:view"
VIEW_ITEMS = "sharing:item:view"
SUBMIT = "sharing:item:submit"
DECIDE = "sharing:item:decide"
WITHHOLD = "sharing:item:withhold"
PUBLISH = "sharing:product:publish"
SUBSCRIBE = "sharing:subscription:manage"

GRANTS = {
    "national_program_staff": [VIEW, VIEW_ITEMS, SUBMIT, DECIDE, PUBLISH],
    "regional_staff": [VIEW, VIEW_ITEMS],
    "national_leadership": [VIEW, VIEW_ITEMS, SUBMIT, DECIDE, WITHHOLD, PUBLISH],
    "chief_state_election_official": [VIEW, SUBSCRIBE],
    "state_election_staff": [VIEW, SUBSCRIBE],
    "local_election_official": [VIEW, SUBSCRIBE],
    "election_service_provider_staff": [VIEW],
    "federal_partner_analyst": [VIEW, SUBMIT],
    "isac_analyst": [VIEW, SUBMIT],
}
