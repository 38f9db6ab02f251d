"""Who may open the history page at all; each model's own permission and scope are checked too."""

from safelect.core.accounts.roles import ROLES

GRANTS = {code: ["journal:history:view"] for code in ROLES}
