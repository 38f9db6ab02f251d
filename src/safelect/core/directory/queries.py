"""Read functions over the directory that other apps, views, the API and the CLI share."""

from __future__ import annotations

from django.conf import settings
from django.db.models import Count, Q, QuerySet

from .models import Jurisdiction, Organization, Region, State


def directory_summary() -> dict[str, int]:
    return {
        "regions": Region.objects.count(),
        "states": State.objects.count(),
        "jurisdictions": Jurisdiction.objects.count(),
        "organizations": Organization.objects.count(),
    }


def regions_with_states() -> QuerySet[Region]:
    states = State.objects.annotate(jurisdiction_count=Count("jurisdictions")).order_by("name")
    from django.db.models import Prefetch

    return Region.objects.prefetch_related(Prefetch("states", queryset=states))


def states(region: int | None = None) -> QuerySet[State]:
    qs = State.objects.select_related("region").annotate(jurisdiction_count=Count("jurisdictions")).order_by("name")
    return qs.filter(region__number=region) if region else qs


def state(usps: str) -> State:
    """The State by USPS code (case-insensitive); raises State.DoesNotExist."""
    return State.objects.select_related("region").get(usps=usps.upper())


def jurisdictions(state: State | None = None, search: str = "", kind: str = "") -> QuerySet[Jurisdiction]:
    qs = Jurisdiction.objects.select_related("state", "county", "organization")
    if state is not None:
        qs = qs.filter(state=state)
    if kind:
        qs = qs.filter(kind=kind)
    if search:
        term = search.strip()
        qs = qs.filter(Q(name__icontains=term) | Q(eavs_code__startswith=term) | Q(county__name__icontains=term))
    return qs.order_by("state__name", "name")


def chief_election_office(state: State) -> Organization | None:
    return Organization.objects.filter(key=f"state:{state.usps}").first()


#: Organizations the public may list: public bodies named in the bills (S.2261 §3) and the
#: information-sharing center. Election service providers (private businesses), research groups,
#: the national office's internal units and Congress's committees are listed to signed-in people only.
PUBLIC_KINDS = ("state_election_office", "local_election_agency", "eac", "federal_entity", "isac")


def organizations(kind: str = "", search: str = "", *, public_only: bool = False) -> QuerySet[Organization]:
    qs = Organization.objects.select_related("state", "region")
    if public_only:
        qs = qs.filter(kind__in=PUBLIC_KINDS, is_demo=False)
    if kind:
        qs = qs.filter(kind=kind)
    if search:
        qs = qs.filter(name__icontains=search.strip())
    return qs.order_by("name")


NATIONAL_OFFICE_KEY = "national-office"


def national_office() -> Organization:
    """The national office: the organization that holds the national duties of both bills (the
    component the Secretary acts through). Loaded by ``safelect directory load``."""
    return Organization.objects.get(key=NATIONAL_OFFICE_KEY)


def display_zone(*organizations) -> str:
    """The time zone a page shows dates in: that of the first of ``organizations`` that has one (the
    reader's, then any fallback the page names), else the national office's, else the server's."""
    for organization in organizations:
        if organization is not None and organization.time_zone:
            return organization.time_zone
    office = Organization.objects.filter(key=NATIONAL_OFFICE_KEY).only("time_zone").first()
    return office.time_zone if office is not None and office.time_zone else settings.TIME_ZONE


def viewer_zone(request) -> str:
    """The time zone a page shows a reader: their acting organization's, else the national office's."""
    return display_zone(getattr(getattr(request, "acting_membership", None), "organization", None))


def organizations_using_product(manufacturer: str, product: str) -> set[int]:
    """Organizations whose inventory lists this product (any version), not retired."""
    from .models import ElectionSystem

    return set(
        ElectionSystem.objects.filter(
            manufacturer__iexact=manufacturer.strip(), product__iexact=product.strip(), retired_at__isnull=True
        ).values_list("organization_id", flat=True)
    )
