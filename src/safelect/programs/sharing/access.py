"""Who sees which product: TLP 2.0 enforced (S.2261 §4(d)(3)), not decorative.

* The national office's people who handle information (``sharing:item:view``) see every item and
  every product, drafts included.
* Everyone else sees only published products, through the kernel's scope idiom
  (``Actor.restrict`` with the product's ``SCOPE_FIELDS``: the organizations it was shared with),
  widened by the label: **TLP:CLEAR** products are visible to anyone who may read products,
  **TLP:GREEN** to the community (election agencies, providers, federal partners and the sharing
  center); **TLP:AMBER**, **AMBER+STRICT** and **RED** only to the recipient organizations — so an
  AMBER+STRICT product shared with one county is not visible to its State's office, and a RED
  product (whose audience may only be named organizations) to nobody else.
"""

from __future__ import annotations

from django.db.models import Q, QuerySet

from safelect.core.accounts.actor import Actor
from safelect.core.directory.models import Organization

from .models import Item, Product
from .permissions import VIEW, VIEW_ITEMS

COMMUNITY = {
    Organization.Kind.STATE_ELECTION_OFFICE,
    Organization.Kind.LOCAL_ELECTION_AGENCY,
    Organization.Kind.ELECTION_SERVICE_PROVIDER,
    Organization.Kind.FEDERAL_ENTITY,
    Organization.Kind.EAC,
    Organization.Kind.ISAC,
    Organization.Kind.NATIONAL_OFFICE,
}


def _actor(who) -> Actor:
    return who if isinstance(who, Actor) else Actor.of(who)


def handles_information(actor: Actor) -> bool:
    return actor.is_system or actor.may(VIEW_ITEMS)


def visible_products(who) -> QuerySet:
    actor = _actor(who)
    if handles_information(actor):
        return Product.objects.all()
    if not actor.may(VIEW) or actor.organization is None:
        return Product.objects.none()
    published = Product.objects.filter(published_at__isnull=False)
    shared = actor.restrict(published, VIEW).values("pk")
    wide = Q(tlp="clear")
    if actor.organization.kind in COMMUNITY:
        wide |= Q(tlp="green")
    return published.filter(Q(pk__in=shared) | wide)


def visible_items(who) -> QuerySet:
    """Items received: the national office's people who handle them; a submitter sees its own."""
    actor = _actor(who)
    if handles_information(actor):
        return Item.objects.all()
    if actor.organization is None:
        return Item.objects.none()
    return Item.objects.filter(source_organization=actor.organization)
