"""Writes of the directory: loading the reference data (an operator's command or a scheduled job).

Like every kernel service it takes the kernel's ``Actor`` (``safelect.core.accounts.actor.Actor``)
first and checks the permission itself. The directory sits below the accounts app in the layers,
so the type is named, not imported: any object with ``may(permission)``, ``user`` and
``organization`` is accepted. ``directory:reference:load`` is granted to no role, so only the system
(``Actor.system()``: the ``safelect directory load`` command, the demo, the worker) loads data.
"""

from __future__ import annotations

from django.core.exceptions import PermissionDenied
from django.db import transaction

from safelect.core.journal.services import record

from . import loading

LOAD = "directory:reference:load"


class _System:
    """The system acting (an operator's command, a scheduled job): what ``Actor.system()`` is, for
    the directory's own command and job, which cannot import the accounts app above them."""

    user = None
    organization = None

    def may(self, permission: str) -> bool:
        return True

    def acts_for(self, organization) -> bool:
        return True


SYSTEM = _System()


def load_reference_data(actor: Actor, progress: loading.Progress | None = None, *, congress_folder=None) -> loading.LoadReport:  # noqa: F821
    """Load (or bring up to date) regions, States, counties, districts, organizations and
    jurisdictions from the shipped files, in one transaction; the journal records what changed."""
    if not actor.may(LOAD):
        raise PermissionDenied(f"you do not have the permission {LOAD}")
    with transaction.atomic():
        report = loading.load_reference_data(progress, congress_folder=congress_folder)
        if report.changed:
            record(
                actor=actor.user,
                organization=actor.organization,
                action="directory:reference:load",
                object_type="directory.reference",
                object_id="data",
                object_label="reference data",
                summary=report.as_dict(),
            )
    return report


AGENCY_KINDS = ("local_election_agency", "state_election_office")


def _require_party(actor, provider, agency) -> None:
    """The actor manages links and acts for one of the two organizations."""
    from .permissions import MANAGE_LINKS

    if not actor.may(MANAGE_LINKS):
        raise PermissionDenied(f"you do not have the permission {MANAGE_LINKS}")
    if not (actor.acts_for(provider) or actor.acts_for(agency)):
        raise PermissionDenied("only the provider or the agency keeps their relationship")


@transaction.atomic
def link_provider(actor, *, provider, agency, services: str):
    """Record that ``provider`` serves ``agency`` (either side records it; S.2261 §4(j))."""
    from django.core.exceptions import ValidationError

    from .models import Organization, ServiceRelationship

    _require_party(actor, provider, agency)
    errors = {}
    if provider.kind != Organization.Kind.ELECTION_SERVICE_PROVIDER:
        errors["provider"] = f"{provider.name} is not an election service provider."
    if agency.kind not in AGENCY_KINDS:
        errors["agency"] = f"{agency.name} is not an election agency."
    services = (services or "").strip()
    if not services:
        errors["services"] = "Say what the provider does for the agency."
    if not errors and ServiceRelationship.objects.filter(provider=provider, agency=agency, ended_at__isnull=True).exists():
        errors["agency"] = f"{provider.name} is already recorded as serving {agency.name}."
    if errors:
        raise ValidationError(errors)
    label = (getattr(actor.user, "full_name", "") or getattr(actor.user, "email", "") or "system") + (
        f" ({actor.organization.name})" if actor.organization else ""
    )
    link = ServiceRelationship.objects.create(provider=provider, agency=agency, services=services[:300], added_by_label=label[:200])
    record(
        actor=actor.user,
        organization=actor.organization,
        action="directory:relationship:add",
        obj=link,
        summary={"provider": provider.name, "agency": agency.name, "services": services},
    )
    return link


@transaction.atomic
def end_link(actor, link):
    """End a relationship (kept, with its end, for the notices already sent through it)."""
    from django.utils import timezone

    _require_party(actor, link.provider, link.agency)
    if link.ended_at is None:
        link.ended_at = timezone.now()
        link.save(update_fields=["ended_at"])
        record(
            actor=actor.user,
            organization=actor.organization,
            action="directory:relationship:end",
            obj=link,
            summary={"provider": link.provider.name, "agency": link.agency.name},
        )
    return link


INVENTORY_KINDS = ("local_election_agency", "state_election_office", "election_service_provider")


def _require_inventory_keeper(actor, organization) -> None:
    from .permissions import MANAGE_SYSTEMS

    if not actor.may(MANAGE_SYSTEMS):
        raise PermissionDenied(f"you do not have the permission {MANAGE_SYSTEMS}")
    if not actor.acts_for(organization):
        raise PermissionDenied("you keep the inventory of the organization you act for")


@transaction.atomic
def add_system(actor, *, organization, values: dict):
    """Add an election system to ``organization``'s inventory (kept by the organization itself)."""
    from django.core.exceptions import ValidationError

    from .models import SYSTEM_CATEGORIES, ElectionSystem

    _require_inventory_keeper(actor, organization)
    errors = {}
    if organization.kind not in INVENTORY_KINDS:
        errors["organization"] = "Only election agencies and election service providers keep an inventory of election systems."
    fields = {k: (values.get(k) or "").strip() for k in ("category", "manufacturer", "product", "version", "note")}
    if fields["category"] not in dict(SYSTEM_CATEGORIES):
        errors["category"] = "Choose the kind of election system."
    for name, limit in (("manufacturer", 120), ("product", 120)):
        if not fields[name]:
            errors[name] = f"Give the {name} as the manufacturer writes it."
        elif len(fields[name]) > limit:
            errors[name] = f"At most {limit} characters."
    if len(fields["version"]) > 60:
        errors["version"] = "At most 60 characters."
    if len(fields["note"]) > 300:
        errors["note"] = "At most 300 characters."
    if errors:
        raise ValidationError(errors)
    system = ElectionSystem.objects.create(organization=organization, **fields)
    record(
        actor=actor.user,
        organization=actor.organization,
        action="directory:system:add",
        obj=system,
        summary={"system": str(system), "category": system.get_category_display()},
    )
    return system


@transaction.atomic
def retire_system(actor, system):
    """Take a system out of use (kept, with the date, for the findings and notices that named it)."""
    from django.utils import timezone

    _require_inventory_keeper(actor, system.organization)
    if system.retired_at is None:
        system.retired_at = timezone.now()
        system.save(update_fields=["retired_at"])
        record(
            actor=actor.user, organization=actor.organization, action="directory:system:retire", obj=system, summary={"system": str(system)}
        )
    return system
