"""Roles are named sets of permissions, granted per organization through a membership.

Roles are declared here (who they are, how far their scope reaches, whether two-factor sign-in is
required); the permissions each role holds are declared by each app in its ``permissions.py`` as
``GRANTS = {"role_code": ["app:resource:action", ...]}`` and merged at start-up, so an app
declares only what it needs. The key ``EVERY_ROLE`` (``"*"``) grants to every role: apps below
the accounts app in the layers (the journal) use it without importing the list of roles.

Scope says which records a role reaches through the membership's organization:
``national`` — everything; ``region`` — the organization's region; ``state`` — the
organization's State and everything under it; ``jurisdiction``/``organization`` — the
organization's own records and those shared with it.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import cache


@dataclass(frozen=True)
class Role:
    code: str
    label: str
    scope: str  # national | region | state | jurisdiction | organization
    org_kinds: tuple[str, ...]  # organization kinds a membership with this role may belong to
    requires_mfa: bool
    description: str = ""


ROLES: dict[str, Role] = {
    r.code: r
    for r in [
        Role(
            "national_program_staff",
            "National-office program staff",
            "national",
            ("national_office",),
            True,
            "Runs the programs of S.2261 §4-§8 and H.R. 5011 title II.",
        ),
        Role(
            "regional_staff",
            "Regional staff",
            "region",
            ("national_office",),
            True,
            "Field staff for one federal region; the membership's organization carries the region.",
        ),
        Role(
            "national_leadership",
            "National-office leadership",
            "national",
            ("national_office",),
            True,
            "Leadership of the national office: determinations, congressional notifications, reports.",
        ),
        Role(
            "clearance_officer",
            "Clearance officer",
            "national",
            ("national_office",),
            True,
            "Sponsors and tracks security clearances (S.2261 §4(m); H.R. 5011 §203).",
        ),
        Role(
            "grants_officer",
            "Grants officer",
            "national",
            ("national_office", "eac"),
            True,
            "Administers the grants of S.2261 §7 and H.R. 5011 title I.",
        ),
        Role(
            "chief_state_election_official",
            "Chief State election official",
            "state",
            ("state_election_office",),
            True,
            "The chief State election official designated under 52 U.S.C. 20509 (S.2261 §3(19)(A)).",
        ),
        Role(
            "state_election_staff",
            "State election staff",
            "state",
            ("state_election_office",),
            True,
            "Staff of a State election agency (S.2261 §3(19)(B)).",
        ),
        Role(
            "local_election_official",
            "Local election official",
            "jurisdiction",
            ("local_election_agency",),
            False,
            "Official of a local election agency (S.2261 §3(7)).",
        ),
        Role(
            "election_service_provider_staff",
            "Election service provider staff",
            "organization",
            ("election_service_provider",),
            False,
            "Staff of a vendor or contractor that provides or maintains an election system (S.2261 §3(11)).",
        ),
        Role(
            "researcher",
            "Researcher",
            "organization",
            ("research_org",),
            False,
            "Independent security researcher (S.2261 §8; H.R. 5011 §321).",
        ),
        Role(
            "federal_partner_analyst",
            "Federal-partner analyst",
            "organization",
            ("federal_entity", "eac"),
            True,
            "Analyst of an appropriate Federal entity (S.2261 §3(3)).",
        ),
        Role(
            "isac_analyst",
            "Information-sharing-center analyst",
            "organization",
            ("isac",),
            True,
            "Analyst of the Multi-State ISAC, a non-federal sharing partner.",
        ),
        Role(
            "audit_board_member",
            "Audit-board member",
            "jurisdiction",
            ("local_election_agency", "state_election_office"),
            False,
            "Member of an audit board that inspects paper ballots in a risk-limiting audit.",
        ),
    ]
}
PUBLIC_ROLE = "public"  # anyone, signed in or not; holds the PUBLIC routes only


EVERY_ROLE = "*"


@cache
def grants() -> dict[str, frozenset[str]]:
    """Role code → permissions, merged from every installed app's ``permissions.GRANTS``."""
    from safelect.core.discovery import app_modules

    merged: dict[str, set[str]] = {code: set() for code in ROLES}
    for config, module in app_modules("permissions"):
        for role, permissions in getattr(module, "GRANTS", {}).items():
            if role == EVERY_ROLE:
                for code in merged:
                    merged[code].update(permissions)
                continue
            if role not in merged:
                raise LookupError(f"{config.name}.permissions grants to unknown role {role!r}")
            for permission in permissions:
                if permission.count(":") != 2:
                    raise ValueError(f"{config.name}.permissions: {permission!r} is not app:resource:action")
            merged[role].update(permissions)
    return {code: frozenset(perms) for code, perms in merged.items()}


def permissions_of(role_codes) -> frozenset[str]:
    table = grants()
    return frozenset().union(*(table.get(code, frozenset()) for code in role_codes)) if role_codes else frozenset()
