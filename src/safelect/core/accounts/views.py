"""Account pages: the account (profile, clearances, API tokens), "my organizations" with the
switcher, an organization's profile (in scope only) and its members and invitations (its
admins), and the clearance officer's register."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Q
from django.http import HttpResponseNotAllowed
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone

from safelect.core.days import end_of_day
from safelect.core.directory import services as directory_services
from safelect.core.directory.models import Organization, ServiceRelationship
from safelect.core.directory.permissions import MANAGE_LINKS, VIEW_LINKS
from safelect.core.web.forms import add_service_errors
from safelect.core.web.permissions import requires

from . import queries, services
from .actor import Actor
from .forms import ClearanceForm, InviteForm, ProviderLinkForm, TokenForm
from .models import ApiToken, Clearance, Invitation, User
from .scope import get_visible_or_404


def token_permissions_available(request) -> frozenset[str]:
    return services.token_permissions_available(Actor.of(request))


def _account_context(request, token_form=None, new_token=None):
    available = token_permissions_available(request) if request.acting_membership else frozenset()
    return {
        "memberships": queries.memberships_of(request.user),
        "clearances": queries.current_clearances(request.user),
        "tokens": ApiToken.objects.filter(user=request.user).select_related("membership__organization"),
        "token_form": token_form or (TokenForm(available=available) if available else None),
        "new_token": new_token,
        "now": timezone.now(),
    }


@requires("accounts:account:view")
def account(request):
    return render(request, "accounts/account.html", _account_context(request))


@requires("accounts:account:manage")
def token_create(request):
    if request.method != "POST":
        return HttpResponseNotAllowed(["POST"])
    if request.acting_membership is None:
        raise PermissionDenied("act for an organization to create a token")
    available = token_permissions_available(request)
    form = TokenForm(request.POST, available=available)
    if form.is_valid():
        expires = end_of_day(form.cleaned_data["expires_on"], "UTC")
        try:
            _token, raw = services.create_token(
                Actor.of(request), name=form.cleaned_data["name"], permissions=form.cleaned_data["permissions"], expires_at=expires
            )
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            # Shown in this response only; never stored in clear nor shown again.
            return render(request, "accounts/account.html", _account_context(request, new_token=raw), status=201)
    return render(request, "accounts/account.html", _account_context(request, token_form=form), status=400)


@requires("accounts:account:manage")
def token_revoke(request, pk: int):
    if request.method != "POST":
        return HttpResponseNotAllowed(["POST"])
    token = get_object_or_404(ApiToken, pk=pk, user=request.user)
    services.revoke_token(Actor.of(request), token=token)
    messages.success(request, f"Token “{token.name}” is revoked.")
    return redirect("accounts:account")


@requires("accounts:organization:switch")
def organizations(request):
    if request.method == "POST":
        try:
            membership = services.switch_organization(
                Actor.of(request), session=request.session, membership_id=int(request.POST.get("membership", "0"))
            )
        except (ValueError, PermissionDenied):
            messages.error(request, "Choose one of your organizations.")
        else:
            messages.success(request, f"You now act for {membership.organization.name}.")
        return redirect("accounts:organizations")
    return render(request, "accounts/organizations.html", {"memberships": queries.memberships_of(request.user)})


@requires("accounts:organization:view")
def organization_detail(request, key: str):
    organization = get_visible_or_404(Organization.objects.select_related("state", "region", "parent"), request, key=key)
    is_admin = bool(
        request.acting_membership and request.acting_membership.organization_id == organization.pk and request.acting_membership.is_admin
    )
    contacts = [m for m in queries.members_of(organization).filter(is_active=True, user__is_active=True)]
    actor = Actor.of(request)
    links = ServiceRelationship.objects.filter(ended_at__isnull=True).select_related("provider", "agency", "agency__state")
    is_provider = organization.kind == Organization.Kind.ELECTION_SERVICE_PROVIDER
    is_agency = organization.kind in directory_services.AGENCY_KINDS
    links = links.filter(provider=organization) if is_provider else links.filter(agency=organization) if is_agency else links.none()
    may_link = actor.may(MANAGE_LINKS) and actor.acts_for(organization) and (is_provider or is_agency)
    return render(
        request,
        "accounts/organization.html",
        {
            "organization": organization,
            "is_admin": is_admin,
            "contacts": contacts,
            "links": links if actor.may(VIEW_LINKS) else [],
            "show_links": (is_provider or is_agency) and actor.may(VIEW_LINKS),
            "is_provider": is_provider,
            "may_link": may_link,
            "link_form": ProviderLinkForm(for_provider=is_provider) if may_link else None,
        },
    )


@requires(MANAGE_LINKS)
def provider_links(request, key: str):
    """Add or end a provider ↔ agency relationship of the acting organization (S.2261 §4(j))."""
    organization = _managed_link_organization(request, key)
    actor = Actor.of(request)
    if request.method == "POST" and request.POST.get("action") == "end":
        link = get_object_or_404(
            ServiceRelationship.objects.filter(ended_at__isnull=True).filter(Q(provider=organization) | Q(agency=organization)),
            pk=request.POST.get("link"),
        )
        directory_services.end_link(actor, link)
        messages.success(request, f"Ended: {link.provider.name} serving {link.agency.name}.")
        return redirect("accounts:organization", key=organization.key)
    is_provider = organization.kind == Organization.Kind.ELECTION_SERVICE_PROVIDER
    form = ProviderLinkForm(request.POST or None, for_provider=is_provider)
    if request.method == "POST" and form.is_valid():
        other = form.cleaned_data["counterpart"]
        provider, agency = (organization, other) if is_provider else (other, organization)
        try:
            directory_services.link_provider(actor, provider=provider, agency=agency, services=form.cleaned_data["services"])
        except ValidationError as exc:
            for problems in exc.message_dict.values():
                for problem in problems:
                    messages.error(request, problem)
        else:
            messages.success(request, f"Recorded: {provider.name} serves {agency.name}.")
        return redirect("accounts:organization", key=organization.key)
    for problems in form.errors.values():
        for problem in problems:
            messages.error(request, problem)
    return redirect("accounts:organization", key=organization.key)


def _managed_link_organization(request, key: str) -> Organization:
    organization = get_visible_or_404(Organization.objects.all(), request, key=key)
    if request.acting_organization != organization:
        raise PermissionDenied("you keep the relationships of the organization you act for")
    return organization


def _managed_organization(request, key: str) -> Organization:
    """The organization whose members the acting admin manages: 404 outside scope, 403 if not theirs."""
    organization = get_visible_or_404(Organization.objects.all(), request, key=key)
    if not request.user.is_superuser and request.acting_organization != organization:
        raise PermissionDenied("you manage the members of the organization you act for")
    return organization


@requires("accounts:member:manage")
def members(request, key: str):
    organization = _managed_organization(request, key)
    form = InviteForm(request.POST or None, organization=organization)
    status = 200
    if request.method == "POST":
        if form.is_valid():
            try:
                invitation, _raw = services.invite(
                    Actor.of(request),
                    organization=organization,
                    email=form.cleaned_data["email"],
                    roles=form.cleaned_data["roles"],
                    is_admin=form.cleaned_data["is_admin"],
                )
            except ValidationError as exc:
                add_service_errors(form, exc)
            else:
                messages.success(request, f"Invitation sent to {invitation.email}.")
                return redirect("accounts:members", key=organization.key)
        status = 400
    invitations = Invitation.objects.filter(
        organization=organization, accepted_at__isnull=True, revoked_at__isnull=True, expires_at__gt=timezone.now()
    )
    return render(
        request,
        "accounts/members.html",
        {"organization": organization, "members": queries.members_of(organization), "invitations": invitations, "form": form},
        status=status,
    )


@requires("accounts:member:manage")
def invitation_revoke(request, key: str, pk: int):
    if request.method != "POST":
        return HttpResponseNotAllowed(["POST"])
    organization = _managed_organization(request, key)
    invitation = get_object_or_404(Invitation, pk=pk, organization=organization)
    services.revoke_invitation(Actor.of(request), invitation=invitation)
    messages.success(request, f"Invitation of {invitation.email} withdrawn.")
    return redirect("accounts:members", key=organization.key)


@requires("accounts:clearance:manage")
def clearances(request):
    form = ClearanceForm(request.POST or None)
    status = 200
    if request.method == "POST":
        if form.is_valid():
            data = form.cleaned_data
            person = User.objects.filter(email__iexact=data["email"]).first()
            sponsor = data["sponsor"]
            if person is None:
                form.add_error("email", "No account has this email address.")
            else:
                try:
                    services.grant_clearance(
                        Actor.of(request),
                        user=person,
                        level=data["level"],
                        kind=data["kind"],
                        sponsor=sponsor,
                        granted_on=data["granted_on"],
                        expires_on=data["expires_on"],
                    )
                except ValidationError as exc:
                    add_service_errors(form, exc)
                else:
                    messages.success(request, f"Clearance recorded for {person.email}.")
                    return redirect("accounts:clearances")
        status = 400
    register = Clearance.objects.select_related("user", "sponsor").order_by("user__email", "-granted_on")
    return render(request, "accounts/clearances.html", {"form": form, "register": register, "today": timezone.now().date()}, status=status)


@requires("accounts:clearance:manage")
def clearance_revoke(request, pk: int):
    if request.method != "POST":
        return HttpResponseNotAllowed(["POST"])
    clearance = get_object_or_404(Clearance, pk=pk)
    services.revoke_clearance(Actor.of(request), clearance=clearance)
    messages.success(request, f"Clearance of {clearance.user.email} revoked.")
    return redirect("accounts:clearances")
