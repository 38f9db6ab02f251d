"""Every role × every sharing write. Only the listed roles may succeed; everyone else gets
401/403/404/422 and nothing changes (S.2261 §4(c): the national office shares; the Secretary or a
delegate withholds in writing; §4(b): a federal entity records its own withholding)."""

from __future__ import annotations

import json

import pytest

from safelect.core.accounts.actor import Actor
from safelect.core.accounts.roles import ROLES
from safelect.core.accounts.testing import make_member
from safelect.core.personal.models import Finding
from safelect.programs.sharing import services
from safelect.programs.sharing.models import Decision, FederalWithholding, Item, Product, Subscription

pytestmark = pytest.mark.django_db
NATIONAL = frozenset({"national_program_staff", "national_leadership"})


def _system() -> Actor:
    return Actor.system(services.national_office())


def _item() -> Item:
    return services.receive_item(
        _system(), {"title": "Scanner", "topic": "threat", "tlp": "amber", "summary": "Scans", "source": "open_source"}
    )


def _draft(text: str = "Block it.") -> Product:
    return services.create_product(
        _system(), {"kind": "alert", "title": "Scanner", "topic": "threat", "tlp": "green", "text": text, "to_all_states": True}
    )


WRITES = [
    (
        "decide to share",
        _item,
        lambda c, i: c.post(f"/sharing/items/{i.pk}/", {"outcome": "share", "particular_information": "All"}),
        lambda i: Decision.objects.filter(item=i).exists(),
        NATIONAL,
    ),
    (
        "withhold in writing",
        _item,
        lambda c, i: c.post(
            f"/sharing/items/{i.pk}/",
            {"outcome": "withhold", "particular_information": "All", "good_cause": "x", "review_on": "2031-01-01"},
        ),
        lambda i: Decision.objects.filter(item=i).exists(),
        frozenset({"national_leadership"}),
    ),
    (
        "publish a draft",
        _draft,
        lambda c, p: c.post(f"/sharing/products/{p.pk}/"),
        lambda p: Product.objects.get(pk=p.pk).published_at is not None,
        NATIONAL,
    ),
    (
        "keep personal information in a draft",
        lambda: _draft("Voter Jane Q. Doe, DOB 03/14/1962, called."),
        lambda c, p: c.post(f"/sharing/products/{p.pk}/personal/", _keep_all(p)),
        lambda p: Finding.objects.filter(subject_type="sharing.product", subject_id=str(p.pk), decision="keep").exists(),
        NATIONAL,
    ),
    (
        "submit information (API)",
        lambda: Item.objects.count(),
        lambda c, before: c.post(
            "/api/sharing/items",
            json.dumps({"title": "x", "topic": "threat", "tlp": "amber", "summary": "x", "source": "open_source"}),
            content_type="application/json",
        ),
        lambda before: Item.objects.count() > before,
        frozenset({"national_program_staff", "national_leadership", "federal_partner_analyst", "isac_analyst"}),
    ),
    (
        "record a federal withholding",
        lambda: FederalWithholding.objects.count(),
        lambda c, before: c.post(
            "/sharing/withholdings/",
            {"decided_by_name": "x", "authority": "head", "particular_information": "x", "good_cause": "x", "decided_on": "2026-11-01"},
        ),
        lambda before: FederalWithholding.objects.count() > before,
        frozenset({"federal_partner_analyst"}),
    ),
    (
        "subscribe to ongoing updates (API)",
        lambda: Subscription.objects.count(),
        lambda c, before: c.put(
            "/api/sharing/subscription", json.dumps({"topics": ["threat"], "systems": []}), content_type="application/json"
        ),
        lambda before: Subscription.objects.count() > before,
        frozenset({"chief_state_election_official", "state_election_staff", "local_election_official"}),
    ),
]


def _keep_all(product: Product) -> dict:
    data = {}
    for f in Finding.objects.filter(subject_type="sharing.product", subject_id=str(product.pk)):
        data[f"decision-{f.pk}"] = "keep"
        data[f"reason-{f.pk}"] = "needed"
    return data


@pytest.mark.parametrize("write", WRITES, ids=[w[0] for w in WRITES])
def test_only_the_listed_roles_write(write):
    name, make, send, changed, allowed = write
    wrong = []
    for role in ROLES:
        Subscription.objects.all().delete()
        target = make()
        _, client = make_member(role)
        response = send(client, target)
        took_effect = changed(target)
        if role in allowed:
            if not (200 <= response.status_code < 400 and took_effect):
                wrong.append(f"{role}: expected the write to succeed, got {response.status_code} {response.content[:300]!r}")
        elif response.status_code not in (401, 403, 404, 422) or took_effect:
            wrong.append(f"{role}: expected refusal with nothing changed, got {response.status_code}, changed={took_effect}")
    assert not wrong, f"{name}:\n" + "\n".join(wrong)
