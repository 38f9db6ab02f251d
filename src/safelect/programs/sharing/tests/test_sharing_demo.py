"""The demo sharing data: every stage, through the services, idempotent."""

import pytest

from safelect.core.web.demo import create_all
from safelect.programs.sharing.models import Item, Product, Recipient


@pytest.mark.django_db
def test_the_demo_shows_sharing_at_every_stage_and_a_second_run_adds_nothing():
    create_all()
    counts = (Item.objects.count(), Product.objects.count(), Recipient.objects.count())
    create_all()
    assert (Item.objects.count(), Product.objects.count(), Recipient.objects.count()) == counts
    assert set(Item.objects.values_list("status", flat=True)) == {"awaiting", "shared", "withheld"}
    # the sharing demo's own products (Hack the Election's advisories, from research, are TLP:AMBER)
    assert set(Product.objects.exclude(item__source="research").values_list("tlp", flat=True)) == {"green", "red", "amber+strict"}
    assert set(Product.objects.filter(item__source="research").values_list("tlp", flat=True)) <= {"amber"}
    red = Product.objects.get(tlp="red")
    assert list(red.recipients.values_list("organization__key", flat=True)) == ["jurisdiction:0100100000"]
    threat = Product.objects.get(kind="threat_notice")
    assert list(threat.recipients.values_list("organization__key", "why")) == [("state:WI", "chief")]
