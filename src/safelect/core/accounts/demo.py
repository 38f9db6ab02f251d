"""Demo users: one per role at a sensible organization, for ``safelect demo``.

All share the password ``safelect.core.web.demo.DEMO_PASSWORD``. Users of roles that require
two-factor sign-in get a FIXED TOTP secret, printed in the note column so a person can add it to
an authenticator app. These secrets are public (they are derived from the email address in this
file): they are for demo data only and must never protect a real account.

The State official holds two memberships (Wisconsin's chief State election official and State
staff of Minnesota) to show the organization switcher; two neighbouring Alabama counties
(Autauga and Baldwin) show object scope.
"""

from __future__ import annotations

import re

from django.db import transaction
from django.utils import timezone

from safelect.core.web.demo import DEMO_PASSWORD, DemoLogin

from .models import Membership, TotpDevice, User
from .roles import ROLES
from .signin import demo_secret

DEMO_DOMAIN = "demo.safelect.invalid"

# (email local part, full name, [(organization key, roles, is_admin), ...])
DEMO_USERS = [
    ("program-staff", "Pat Program (national office)", [("national-office", ["national_program_staff"], True)]),
    ("region5", "Rene Region (Region 5 field staff)", [("national-office:region:5", ["regional_staff"], False)]),
    ("director", "Dana Director (national-office leadership)", [("national-office", ["national_leadership"], False)]),
    ("clearance", "Casey Clearance (clearance officer)", [("national-office", ["clearance_officer"], False)]),
    ("grants", "Grant Gomez (grants officer)", [("national-office", ["grants_officer"], False)]),
    (
        "wi-chief",
        "Sam State (Wisconsin chief State election official)",
        [("state:WI", ["chief_state_election_official"], True), ("state:MN", ["state_election_staff"], False)],
    ),
    ("wi-staff", "Stacy Staff (Wisconsin State election staff)", [("state:WI", ["state_election_staff"], False)]),
    ("autauga", "Alex Autauga (Autauga County, AL)", [("jurisdiction:0100100000", ["local_election_official"], True)]),
    ("baldwin", "Blake Baldwin (Baldwin County, AL)", [("jurisdiction:0100300000", ["local_election_official"], True)]),
    ("vendor", "Val Vendor (BallotWorks)", [("demo:vendor:ballotworks", ["election_service_provider_staff"], True)]),
    ("researcher", "Riley Researcher (Civic Election Security Lab)", [("demo:research:civic-lab", ["researcher"], True)]),
    ("dhs", "Dev Federal (DHS analyst)", [("federal:dhs", ["federal_partner_analyst"], False)]),
    ("isac", "Ira ISAC (MS-ISAC analyst)", [("isac:ms-isac", ["isac_analyst"], False)]),
    ("audit-board", "Avery Auditor (Autauga County audit board)", [("jurisdiction:0100100000", ["audit_board_member"], False)]),
]

_REGIONAL = re.compile(r"^national-office:region:(\d{1,2})$")


def demo_email(local: str) -> str:
    return f"{local}@{DEMO_DOMAIN}"


def ensure_demo_organization(key: str):
    """Create a demo organization the directory does not load: a regional office of the national
    office (``national-office:region:N``) or the directory's demo vendors and research lab."""
    from safelect.core.directory import demo as directory_demo
    from safelect.core.directory.models import Organization, Region

    match = _REGIONAL.match(key)
    if match:
        region = Region.objects.get(number=int(match.group(1)))
        parent = Organization.objects.get(key="national-office")
        org, _ = Organization.objects.update_or_create(
            key=key,
            defaults={
                "name": f"{parent.name} — {region.name}",
                "kind": Organization.Kind.NATIONAL_OFFICE,
                "region": region,
                "parent": parent,
                "time_zone": parent.time_zone,
                "is_demo": True,
            },
        )
        return org
    if any(row[0] == key for row in directory_demo.DEMO_ORGANIZATIONS):
        directory_demo.create_demo_data()
        return Organization.objects.get(key=key)
    raise Organization.DoesNotExist(f"no organization {key!r}")


def create_demo_data() -> list[DemoLogin]:
    from safelect.core.directory.models import Organization

    logins: list[DemoLogin] = []
    with transaction.atomic():
        for local, full_name, memberships in DEMO_USERS:
            email = demo_email(local)
            user = User.objects.filter(email=email).first()
            if user is None:
                user = User.objects.create_user(username=email, email=email, password=DEMO_PASSWORD, full_name=full_name)
            elif not user.check_password(DEMO_PASSWORD):
                user.set_password(DEMO_PASSWORD)
                user.save(update_fields=["password"])
            for key, roles, is_admin in memberships:
                org = Organization.objects.filter(key=key).first() or ensure_demo_organization(key)
                Membership.objects.update_or_create(
                    user=user, organization=org, defaults={"roles": roles, "is_admin": is_admin, "is_active": True}
                )
            needs_mfa = any(ROLES[r].requires_mfa for _, roles, _ in memberships for r in roles)
            note = ""
            if needs_mfa:
                secret = demo_secret(email)
                device, created = TotpDevice.objects.get_or_create(user=user, defaults={"secret": secret, "confirmed_at": timezone.now()})
                if device.secret != secret or not device.is_confirmed:
                    device.secret, device.confirmed_at = secret, device.confirmed_at or timezone.now()
                    device.save(update_fields=["secret", "confirmed_at"])
                note = f"TOTP secret {secret} (public, demo only)"
            first_key = memberships[0][0]
            also = f"; also {', '.join(k for k, _, _ in memberships[1:])}" if len(memberships) > 1 else ""
            logins.append(
                DemoLogin(role=", ".join(ROLES[r].label for r in memberships[0][1]), email=email, organization=first_key + also, note=note)
            )
    return logins
