"""Who may open the history page at all; each model's own permission and scope are checked too."""

GRANTS = {"*": ["journal:history:view"]}  # every role (see accounts.roles.EVERY_ROLE)
