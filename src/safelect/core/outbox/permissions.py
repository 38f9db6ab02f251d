"""Notices: everyone reads their own inbox and sets their own email preferences; the national
office reads delivery logs; organizations' senior officials manage their webhooks."""

from safelect.core.accounts.roles import ROLES

_EVERYONE = ["outbox:inbox:view", "outbox:preference:edit"]
_DELIVERY_LOG = ["outbox:delivery:view"]
_WEBHOOKS = ["outbox:webhook:manage"]

GRANTS = {code: list(_EVERYONE) for code in ROLES}
for code in ("national_program_staff", "national_leadership"):
    GRANTS[code] += _DELIVERY_LOG + _WEBHOOKS
for code in ("chief_state_election_official", "isac_analyst", "election_service_provider_staff", "federal_partner_analyst"):
    GRANTS[code] += _WEBHOOKS
