"""The public catalog of cybersecurity services Federal agencies provide to election agencies, each
with a point of contact (S.2261 §4(m)(1)), kept by national program staff.

The classified annex (§4(m)(2)) is not stored: a service's ``annex_note`` says where and how
personnel with a clearance obtain its annex entry, and only people whose clearance record in the
kernel is active see it (``clearances.holds_clearance``)."""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.db import transaction
from django.db.models import Q
from django.utils.text import slugify

from safelect.core.accounts.actor import Actor
from safelect.core.journal.services import record

from .models import CatalogService
from .permissions import CATALOG_MANAGE

TEXT_FIELDS = {
    "title": 200,
    "agency": 200,
    "summary": 4000,
    "eligibility": 2000,
    "how_to_request": 2000,
    "cost": 200,
    "contact_name": 200,
    "contact_phone": 40,
    "annex_note": 2000,
}
REQUIRED = ("title", "agency", "summary", "eligibility", "how_to_request", "contact_name", "contact_email")


def published(q: str = "", category: str = "", agency: str = ""):
    """The public catalog, searched (words in title, summary, eligibility or agency) and filtered."""
    found = CatalogService.objects.filter(published=True)
    for word in (q or "").split()[:8]:
        found = found.filter(
            Q(title__icontains=word) | Q(summary__icontains=word) | Q(eligibility__icontains=word) | Q(agency__icontains=word)
        )
    if category in CatalogService.Category.values:
        found = found.filter(category=category)
    if agency:
        found = found.filter(agency=agency)
    return found


def agencies() -> list[str]:
    return list(CatalogService.objects.filter(published=True).order_by("agency").values_list("agency", flat=True).distinct())


@transaction.atomic
def save_service(actor: Actor, values: dict, service: CatalogService | None = None) -> CatalogService:
    """Create or change a catalog entry; every field is checked here."""
    actor.require(CATALOG_MANAGE)
    errors, clean = {}, {}
    for field, limit in TEXT_FIELDS.items():
        text = (values.get(field) or "").strip()
        if len(text) > limit:
            errors[field] = f"At most {limit:,} characters."
        clean[field] = text
    email = (values.get("contact_email") or "").strip()
    try:
        validate_email(email)
    except ValidationError:
        errors["contact_email"] = "A point of contact's email address."
    clean["contact_email"] = email
    for field in REQUIRED:
        if not clean.get(field):
            errors.setdefault(field, "Required.")
    if values.get("category") not in CatalogService.Category.values:
        errors["category"] = "Choose a category."
    if (values.get("request_in_safelect") or "") not in CatalogService.Request.values:
        errors["request_in_safelect"] = "Choose how it is requested."
    if errors:
        raise ValidationError(errors)
    clean.update(
        category=values["category"], request_in_safelect=values.get("request_in_safelect") or "", published=bool(values.get("published"))
    )
    if not clean["cost"]:
        clean["cost"] = "No cost to election agencies"
    if service is None:
        base = slugify(clean["title"])[:70] or "service"
        slug, n = base, 1
        while CatalogService.objects.filter(slug=slug).exists():
            n += 1
            slug = f"{base}-{n}"
        service = CatalogService.objects.create(slug=slug, **clean)
        action = "preparedness:catalog:create"
    else:
        service = CatalogService.objects.select_for_update().get(pk=service.pk)
        for field, value in clean.items():
            setattr(service, field, value)
        service.save()
        action = "preparedness:catalog:update"
    record(
        actor=actor.user,
        organization=actor.organization,
        action=action,
        obj=service,
        summary={"title": service.title, "published": service.published},
    )
    return service


def as_json(service: CatalogService, base_url: str, request_url: str) -> dict:
    return {
        "id": service.slug,
        "title": service.title,
        "agency": service.agency,
        "category": service.category,
        "category_label": service.get_category_display(),
        "summary": service.summary,
        "eligibility": service.eligibility,
        "how_to_request": service.how_to_request,
        "cost": service.cost,
        "request_url": request_url,
        "point_of_contact": {"name": service.contact_name, "email": service.contact_email, "phone": service.contact_phone},
        "classified_annex": bool(service.annex_note),
        "updated": service.updated_at.isoformat(),
        "url": f"{base_url}#service-{service.slug}",
    }
