"""The directory's JSON API (public, read-only)."""

from django.http import Http404
from ninja import Router
from ninja.pagination import LimitOffsetPagination, paginate

from safelect.core.web.permissions import PUBLIC, requires

from . import queries
from .models import Jurisdiction, State
from .schemas import JurisdictionOut, OrganizationOut, RegionOut, StateOut

router = Router(tags=["directory"])


def _state_out(state: State) -> StateOut:
    return StateOut(
        usps=state.usps,
        fips=state.fips,
        name=state.name,
        kind=state.kind,
        region=state.region.number,
        time_zone=state.time_zone,
        jurisdiction_count=getattr(state, "jurisdiction_count", 0),
    )


def _jurisdiction_out(j: Jurisdiction) -> JurisdictionOut:
    return JurisdictionOut(
        eavs_code=j.eavs_code,
        name=j.name,
        kind=j.kind,
        state=j.state.usps,
        county_fips=j.county.fips5 if j.county else None,
        organization_key=j.organization.key,
    )


@router.get("/regions", response=list[RegionOut], summary="The ten federal regions")
@requires(PUBLIC)
def list_regions(request):
    return [RegionOut(number=r.number, name=r.name) for r in queries.regions_with_states()]


@router.get("/states", response=list[StateOut], summary="The 56 States and territories of S.2261 §3(18)")
@requires(PUBLIC)
def list_states(request, region: int | None = None):
    return [_state_out(s) for s in queries.states(region)]


@router.get("/states/{usps}", response=StateOut, summary="One State or territory")
@requires(PUBLIC)
def get_state(request, usps: str):
    state = queries.states().filter(usps=usps.upper()).first()
    if state is None:
        raise Http404(f"No State or territory with the code {usps!r}")
    return _state_out(state)


@router.get("/jurisdictions", response=list[JurisdictionOut], summary="Local election jurisdictions (EAVS 2024)")
@requires(PUBLIC)
@paginate(LimitOffsetPagination)
def list_jurisdictions(request, state: str | None = None, q: str = "", kind: str = ""):
    chosen = None
    if state:
        chosen = State.objects.filter(usps=state.upper()).first()
        if chosen is None:
            raise Http404(f"No State or territory with the code {state!r}")
    return [_jurisdiction_out(j) for j in queries.jurisdictions(chosen, q, kind)]


@router.get(
    "/organizations",
    response=list[OrganizationOut],
    summary="Organizations in the directory (the public sees election agencies and public bodies; signed-in people all)",
)
@requires(PUBLIC)
@paginate(LimitOffsetPagination)
def list_organizations(request, kind: str = "", q: str = ""):
    public_only = not request.user.is_authenticated
    return [
        OrganizationOut(
            key=o.key,
            name=o.name,
            kind=o.kind,
            state=o.state.usps if o.state else None,
            region=o.region.number if o.region else None,
            time_zone=o.time_zone,
        )
        for o in queries.organizations(kind, q, public_only=public_only)
    ]
