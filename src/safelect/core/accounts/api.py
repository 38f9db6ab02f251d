"""The accounts API: who am I, switching organization, organization profiles (in scope only),
members and invitations, API tokens, clearances. Token or session auth (:mod:`.api_auth`)."""

from django.core.exceptions import PermissionDenied, ValidationError
from django.http import JsonResponse
from ninja import Router
from ninja.errors import HttpError
from ninja.responses import Status

from safelect.core.directory.models import Organization
from safelect.core.web import api_errors
from safelect.core.web.permissions import requires

from . import queries, services
from .actor import Actor
from .api_auth import api_auth
from .models import ApiToken, Clearance, User
from .permissions import effective_permissions
from .schemas import (
    ClearanceIn,
    ClearanceOut,
    InvitationIn,
    InvitationOut,
    MemberOut,
    MembershipOut,
    MeOut,
    OrganizationProfileOut,
    SwitchIn,
    TokenCreatedOut,
    TokenIn,
    TokenOut,
)
from .scope import get_visible_or_404
from .views import _managed_organization

router = Router(tags=["accounts"], auth=api_auth)


def _invalid(exc: ValidationError) -> JsonResponse:
    return api_errors.from_django(exc)


def _token_out(t: ApiToken, raw: str | None = None):
    data = dict(
        id=t.pk,
        name=t.name,
        prefix=t.prefix,
        organization_key=t.membership.organization.key,
        permissions=t.permissions,
        created_at=t.created_at,
        expires_at=t.expires_at,
        revoked_at=t.revoked_at,
        last_used_at=t.last_used_at,
    )
    return TokenCreatedOut(token=raw, **data) if raw else TokenOut(**data)


def _clearance_out(c: Clearance) -> ClearanceOut:
    return ClearanceOut(
        id=c.pk,
        email=c.user.email,
        level=c.level,
        kind=c.kind,
        sponsor=c.sponsor.key,
        granted_on=c.granted_on,
        expires_on=c.expires_on,
        status=c.status,
    )


@router.get("/me", response=MeOut, summary="The signed-in person, their memberships and what they may do now")
@requires("accounts:account:view")
def me(request):
    acting = request.acting_membership
    return MeOut(
        email=request.user.email,
        full_name=request.user.full_name,
        acting_organization=acting.organization.key if acting else None,
        memberships=[
            MembershipOut(
                id=m.pk,
                organization_key=m.organization.key,
                organization_name=m.organization.name,
                roles=m.roles,
                is_admin=m.is_admin,
                acting=bool(acting and m.pk == acting.pk),
            )
            for m in queries.memberships_of(request.user)
        ],
        permissions=sorted(effective_permissions(request)),
        via_token=request.api_token is not None,
    )


@router.post("/acting", response=MeOut, summary="Switch the organization the session acts for (not with a token)")
@requires("accounts:organization:switch")
def switch(request, payload: SwitchIn):
    try:
        membership = services.switch_organization(Actor.of(request), session=request.session, membership_id=payload.membership)
    except PermissionDenied as exc:
        raise HttpError(403, str(exc)) from None
    request.acting_membership, request.acting_organization = membership, membership.organization
    request._safelect_permissions = None
    return me.__wrapped__(request)


@router.get("/organizations/{key}", response=OrganizationProfileOut, summary="An organization's profile, if it is in your scope (else 404)")
@requires("accounts:organization:view")
def organization(request, key: str):
    o = get_visible_or_404(Organization.objects.select_related("state", "region", "parent"), request, key=key)
    return OrganizationProfileOut(
        key=o.key,
        name=o.name,
        kind=o.kind,
        state=o.state.usps if o.state else None,
        region=o.region.number if o.region else None,
        parent=o.parent.key if o.parent else None,
        time_zone=o.time_zone,
        description=o.description,
    )


def _managed(request, key: str) -> Organization:
    try:
        return _managed_organization(request, key)
    except PermissionDenied as exc:
        raise HttpError(403, str(exc)) from None


@router.get("/organizations/{key}/members", response=list[MemberOut], summary="Members of the organization you administer")
@requires("accounts:member:manage")
def organization_members(request, key: str):
    return [
        MemberOut(email=m.user.email, full_name=m.user.full_name, roles=m.roles, is_admin=m.is_admin, is_active=m.is_active)
        for m in queries.members_of(_managed(request, key))
    ]


@router.post("/organizations/{key}/invitations", response={201: InvitationOut}, summary="Invite someone by email")
@requires("accounts:member:manage")
def organization_invite(request, key: str, payload: InvitationIn):
    org = _managed(request, key)
    try:
        invitation, _ = services.invite(
            Actor.of(request), organization=org, email=payload.email, roles=payload.roles, is_admin=payload.is_admin
        )
    except ValidationError as exc:
        return _invalid(exc)
    return Status(
        201,
        InvitationOut(
            id=invitation.pk, email=invitation.email, roles=invitation.roles, is_admin=invitation.is_admin, expires_at=invitation.expires_at
        ),
    )


@router.get("/tokens", response=list[TokenOut], summary="Your API tokens (never their secrets)")
@requires("accounts:account:view")
def list_tokens(request):
    return [_token_out(t) for t in ApiToken.objects.filter(user=request.user).select_related("membership__organization")]


@router.post("/tokens", response={201: TokenCreatedOut}, summary="Create a token for the acting organization; the token is shown once")
@requires("accounts:account:manage")
def create_token(request, payload: TokenIn):
    if request.acting_membership is None:
        raise HttpError(403, "act for an organization to create a token")
    try:
        token, raw = services.create_token(
            Actor.of(request), name=payload.name, permissions=payload.permissions, expires_at=payload.expires_at
        )
    except ValidationError as exc:
        return _invalid(exc)
    return Status(201, _token_out(token, raw))


@router.post("/tokens/{token_id}/revoke", response=TokenOut, summary="Revoke one of your tokens")
@requires("accounts:account:manage")
def revoke_token(request, token_id: int):
    token = ApiToken.objects.select_related("membership__organization").filter(pk=token_id, user=request.user).first()
    if token is None:
        raise HttpError(404, "no such token of yours")
    return _token_out(services.revoke_token(Actor.of(request), token=token))


@router.get("/clearances", response=list[ClearanceOut], summary="The clearance register")
@requires("accounts:clearance:manage")
def list_clearances(request):
    return [_clearance_out(c) for c in Clearance.objects.select_related("user", "sponsor").order_by("user__email", "-granted_on")]


@router.post("/clearances", response={201: ClearanceOut}, summary="Record a clearance")
@requires("accounts:clearance:manage")
def grant_clearance(request, payload: ClearanceIn):
    person = User.objects.filter(email__iexact=payload.email).first()
    sponsor = Organization.objects.filter(key=payload.sponsor).first()
    if person is None or sponsor is None:
        return _invalid(
            ValidationError(
                {
                    **({"email": "No account has this email address."} if person is None else {}),
                    **({"sponsor": "No organization has this key."} if sponsor is None else {}),
                }
            )
        )
    try:
        clearance = services.grant_clearance(
            Actor.of(request),
            user=person,
            level=payload.level,
            kind=payload.kind,
            sponsor=sponsor,
            granted_on=payload.granted_on,
            expires_on=payload.expires_on,
        )
    except ValidationError as exc:
        return _invalid(exc)
    return Status(201, _clearance_out(clearance))


@router.post("/clearances/{clearance_id}/revoke", response=ClearanceOut, summary="Revoke a clearance")
@requires("accounts:clearance:manage")
def revoke_clearance(request, clearance_id: int):
    clearance = Clearance.objects.select_related("user", "sponsor").filter(pk=clearance_id).first()
    if clearance is None:
        raise HttpError(404, "no such clearance")
    return _clearance_out(services.revoke_clearance(Actor.of(request), clearance=clearance))
