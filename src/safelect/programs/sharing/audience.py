"""Who a product goes to (S.2261 §4(c)(1)–(4); H.R. 5011 §202), resolved in the database.

:func:`resolve` answers ``{organization id: why}``; each organization is counted once, under the
first reason that applies in this order: named or affected (§4(c)(4)), chief State election
official (§202), State election agency (§4(c)(2)), federal entity (§4(c)(1)), subscriber (§4(c)(3)).

* §4(c)(1) "appropriate Federal entities" (SEC. 3(3)): the directory's federal entities and the EAC.
* §4(c)(2) "all State election agencies": the 56 chief State election officials' offices.
* §4(c)(3) the agencies whose subscription matches the product's topic and systems (an empty list
  in a subscription means "all").
* §4(c)(4) "may be affected", chosen by the analyst: named organizations, every election agency of
  a State (its office and its local agencies), and the agencies a named provider serves (with the
  provider), and the agencies that reported incidents involving the product's election systems
  (:func:`safelect.core.directory.systems.organizations_using`; a system inventory will add more).
* H.R. 5011 §202: a threat notice goes to the offices of the chief State election officials of the
  chosen States (delivered to the chief officials themselves).

TLP:RED allows only named organizations (:func:`audience_problems`).
"""

from __future__ import annotations

from collections import Counter

from django.db.models import Q

from safelect.core.directory.models import Organization, ServiceRelationship
from safelect.core.directory.systems import organizations_using

from .models import Product, Recipient, Subscription

AGENCIES = (Organization.Kind.STATE_ELECTION_OFFICE, Organization.Kind.LOCAL_ELECTION_AGENCY)
FEDERAL = (Organization.Kind.FEDERAL_ENTITY, Organization.Kind.EAC)


def audience_problems(product: Product) -> dict[str, str]:
    """What is wrong with the chosen audience, by field (empty when it may be sent)."""
    problems: dict[str, str] = {}
    named = product.pk and product.affected_organizations.exists()
    states = product.pk and product.affected_states.exists()
    if product.kind == Product.Kind.THREAT_NOTICE:
        if not states:
            problems["affected_states"] = "Choose the States whose chief election officials receive the threat notice (H.R. 5011 §202)."
        return problems
    if product.to_system_users and not product.systems:
        problems["systems"] = "Name the election systems whose users may be affected."
    if product.tlp == "red" and (
        product.to_federal
        or product.to_all_states
        or product.to_subscribers
        or product.to_system_users
        or states
        or product.affected_provider_id
    ):
        problems["tlp"] = "TLP:RED goes to named recipients only: name the organizations, without the wider audiences."
    if not (
        product.to_federal
        or product.to_all_states
        or product.to_subscribers
        or product.to_system_users
        or named
        or states
        or product.affected_provider_id
    ):
        problems["audience"] = "Choose at least one audience."
    return problems


def resolve(product: Product) -> dict[int, str]:
    found: dict[int, str] = {}

    def add(ids, why: str) -> None:
        for pk in ids:
            found.setdefault(pk, why)

    W = Recipient.Why
    if product.kind == Product.Kind.THREAT_NOTICE:
        add(
            Organization.objects.filter(kind=Organization.Kind.STATE_ELECTION_OFFICE, state__in=product.affected_states.all()).values_list(
                "pk", flat=True
            ),
            W.CHIEF,
        )
        return found
    add(product.affected_organizations.values_list("pk", flat=True), W.AFFECTED)
    states = list(product.affected_states.values_list("pk", flat=True))
    if states:
        add(Organization.objects.filter(kind__in=AGENCIES, state__in=states).values_list("pk", flat=True), W.AFFECTED)
    if product.affected_provider_id:
        add([product.affected_provider_id], W.AFFECTED)
        add(
            ServiceRelationship.objects.filter(provider_id=product.affected_provider_id, ended_at__isnull=True).values_list(
                "agency_id", flat=True
            ),
            W.AFFECTED,
        )
    if product.to_system_users and product.systems:
        users = organizations_using(product.systems)
        add(Organization.objects.filter(pk__in=users, kind__in=AGENCIES).values_list("pk", flat=True), W.AFFECTED)
    if product.to_all_states:
        add(Organization.objects.filter(kind=Organization.Kind.STATE_ELECTION_OFFICE).values_list("pk", flat=True), W.STATE)
    if product.to_federal:
        add(Organization.objects.filter(kind__in=FEDERAL).values_list("pk", flat=True), W.FEDERAL)
    if product.to_subscribers:
        matching = Subscription.objects.filter(Q(topics=[]) | Q(topics__contains=[product.topic]))
        if product.systems:
            matching = matching.filter(Q(systems=[]) | _any_system(product.systems))
        add(matching.values_list("organization_id", flat=True), W.SUBSCRIBER)
    return found


def _any_system(systems: list[str]) -> Q:
    q = Q(pk__in=[])
    for code in systems:
        q |= Q(systems__contains=[code])
    return q


def counts(resolved: dict[int, str]) -> dict[str, int]:
    """Organizations by reason, in words."""
    labels = dict(Recipient.Why.choices)
    return {labels[why]: n for why, n in Counter(resolved.values()).most_common()}
