"""Object scope: which rows the acting membership may see.

Every query of records that belong to an organization goes through :func:`visible`::

    incidents = visible(IncidentReport.objects.all(), request, shared_field="shared_with")
    incident = get_visible_or_404(IncidentReport.objects.all(), request, pk=pk)

The widest scope among the membership's roles (``roles.Role.scope``) decides:

* ``national`` — every row;
* ``region`` — rows whose State (or organization's region) is in the membership organization's region;
* ``state`` — rows of the organization's State, including its local election agencies;
* ``jurisdiction`` / ``organization`` — rows of the organization itself and of its child
  organizations, plus rows shared with it through ``shared_field`` (a relation to Organization).

Field paths default to a model with an ``organization`` foreign key; the directory's
``Organization`` and ``Jurisdiction`` models have their own defaults. Rows outside scope get a
404 from :func:`get_visible_or_404`, never a 403, so their existence does not leak.
Superusers see everything; a request acting for no organization sees nothing.
"""

from __future__ import annotations

from django.db.models import Q, QuerySet
from django.http import Http404

from .permissions import mfa_satisfied
from .roles import ROLES

SCOPE_ORDER = {"national": 4, "region": 3, "state": 2, "jurisdiction": 1, "organization": 1}


def _defaults(model) -> dict[str, str | None]:
    label = model._meta.label_lower
    if label == "directory.organization":
        return {"organization_field": "", "state_field": "state", "region_field": "region"}
    if label == "directory.jurisdiction":
        return {"organization_field": "organization", "state_field": "state", "region_field": "state__region"}
    return {"organization_field": "organization", "state_field": None, "region_field": None}


def membership_scope(membership, *, mfa: bool = True) -> str | None:
    """The widest scope of the membership's roles that count (``None``: no role counts)."""
    if membership is None or not membership.is_active:
        return None
    scopes = [ROLES[c].scope for c in membership.roles if c in ROLES and (mfa or not ROLES[c].requires_mfa)]
    return max(scopes, key=SCOPE_ORDER.__getitem__) if scopes else None


def _who(request_or_membership):
    """(membership, mfa passed, is superuser) from a request or a membership."""
    if hasattr(request_or_membership, "roles") and hasattr(request_or_membership, "organization_id"):
        return request_or_membership, True, False
    request = request_or_membership
    user = getattr(request, "user", None)
    superuser = bool(user is not None and user.is_authenticated and user.is_superuser)
    return getattr(request, "acting_membership", None), mfa_satisfied(request), superuser


def _path(prefix: str, field: str) -> str:
    return f"{prefix}__{field}" if prefix else field


def scope_filter(
    model,
    membership,
    scope: str,
    *,
    organization_field: str | None = None,
    state_field: str | None = None,
    region_field: str | None = None,
    shared_field: str | None = None,
) -> Q | None:
    """The Q object for ``scope`` (``None`` means every row)."""
    d = _defaults(model)
    org_f = d["organization_field"] if organization_field is None else organization_field
    state_f = state_field or d["state_field"] or _path(org_f, "state")
    region_f = region_field or d["region_field"] or _path(org_f, "region")
    org = membership.organization
    own = Q(**{_path(org_f, "pk"): org.pk}) | Q(**{_path(org_f, "parent"): org.pk})
    shared = Q(**{shared_field: org.pk}) if shared_field else Q(pk__in=[])
    if scope == "national":
        return None
    if scope == "region":
        region_id = org.region_id or (org.state.region_id if org.state_id else None)
        if region_id is None:
            return own | shared
        return Q(**{f"{state_f}__region": region_id}) | Q(**{region_f: region_id}) | own | shared
    if scope == "state":
        if org.state_id is None:
            return own | shared
        return Q(**{state_f: org.state_id}) | own | shared
    return own | shared


def visible(
    queryset: QuerySet,
    request_or_membership,
    *,
    organization_field: str | None = None,
    state_field: str | None = None,
    region_field: str | None = None,
    shared_field: str | None = None,
) -> QuerySet:
    """``queryset`` narrowed to what the acting membership may see (see the module docstring)."""
    membership, mfa, superuser = _who(request_or_membership)
    if superuser:
        return queryset
    scope = membership_scope(membership, mfa=mfa)
    if scope is None:
        return queryset.none()
    condition = scope_filter(
        queryset.model,
        membership,
        scope,
        organization_field=organization_field,
        state_field=state_field,
        region_field=region_field,
        shared_field=shared_field,
    )
    if condition is None:
        return queryset
    narrowed = queryset.filter(condition)
    return narrowed.distinct() if shared_field else narrowed


def get_visible_or_404(queryset: QuerySet, request_or_membership, *, scope: dict | None = None, **lookup):
    """The one object matching ``lookup`` inside scope; 404 for missing and out-of-scope alike."""
    try:
        return visible(queryset, request_or_membership, **(scope or {})).get(**lookup)
    except (queryset.model.DoesNotExist, queryset.model.MultipleObjectsReturned):
        raise Http404(f"No {queryset.model._meta.verbose_name} found") from None
