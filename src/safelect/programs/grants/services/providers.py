"""The list of qualified providers (H.R. 5011 HAVA §297B; S.2261 §7(d)): each criterion met, then
published."""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from safelect.core.accounts.actor import Actor
from safelect.core.journal.services import record

from ..models import Provider
from ..permissions import MANAGE
from ._shared import MAX_TEXT, _require

CRITERIA = {
    "hr5011-297b": [
        ("A", "HAVA §297B(b)(2)(A)", "Owned and controlled by a citizen or permanent resident of the United States"),
        ("B", "HAVA §297B(b)(2)(B)", "Discloses any sourcing outside the United States for parts of the election infrastructure"),
        (
            "C",
            "HAVA §297B(b)(2)(C)",
            "Develops and maintains the election infrastructure consistently with the cybersecurity best practices",
        ),
        ("D", "HAVA §297B(b)(2)(D)", "Maintains its own information technology consistently with those best practices"),
        (
            "E",
            "HAVA §297B(b)(2)(E)",
            "Reports known or suspected security incidents to the chief State election official, the Chairman and the Secretary",
        ),
    ],
    "s2261-7d": [
        (
            "qualified",
            "S.2261 §7(d)(1)",
            "Qualified by GSA, through a competitive process, to help States identify, protect, detect, respond and recover",
        ),
        ("vehicle", "S.2261 §7(d)(2)–(3)", "Reachable through a contract vehicle that lets a State add its own funds"),
    ],
}


@transaction.atomic
def save_provider(actor: Actor, values: dict, provider: Provider | None = None) -> Provider:
    """A provider on one of the two lists, with each criterion met or not and its evidence."""
    _require(actor, MANAGE, "keep the provider lists")
    listing = values.get("listing") or (provider.listing if provider else "")
    if listing not in CRITERIA:
        raise ValidationError({"listing": "Choose the list."})
    name = (values.get("name") or "").strip()
    if not name or len(name) > 200:
        raise ValidationError({"name": "Give the provider's name (at most 200 characters)."})
    criteria = {}
    for code, _citation, _text in CRITERIA[listing]:
        met = values.get(f"met_{code}") in (True, "on", "yes", "true")
        evidence = (values.get(f"evidence_{code}") or "").strip()[:2000]
        if met and not evidence:
            raise ValidationError({f"evidence_{code}": "Say what shows the criterion is met."})
        criteria[code] = {"met": met, "evidence": evidence}
    provider = provider or Provider(listing=listing)
    provider.name, provider.services, provider.contract_vehicle, provider.criteria = (
        name,
        (values.get("services") or "").strip()[:MAX_TEXT],
        (values.get("contract_vehicle") or "").strip()[:200],
        criteria,
    )
    provider.save()
    record(
        actor=actor.user,
        organization=actor.organization,
        action="grants:provider:save",
        obj=provider,
        summary={"listing": listing, "met": sum(c["met"] for c in criteria.values())},
    )
    return provider


@transaction.atomic
def publish_provider(actor: Actor, provider: Provider) -> Provider:
    """Publish to State election officials (S.2261 §7(d)(4)); a vendor only with every criterion met."""
    _require(actor, MANAGE, "publish the provider lists")
    unmet = [code for code, c in provider.criteria.items() if not c.get("met")]
    if unmet:
        raise ValidationError(f"Not every criterion is met ({', '.join(unmet)}); the provider cannot be listed.")
    provider.published_at = timezone.now()
    provider.save(update_fields=["published_at"])
    record(
        actor=actor.user,
        organization=actor.organization,
        action="grants:provider:publish",
        obj=provider,
        summary={"listing": provider.listing},
    )
    return provider
