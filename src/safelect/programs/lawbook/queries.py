"""Reading the lawbook: the table of contents, a section's provisions, a citation's provision, and
the registry's duties that cite a provision (the links both ways)."""

from __future__ import annotations

from functools import cache

from django.urls import reverse

from safelect.core.obligations import registry

from .citations import Index
from .models import Provision

BILLS = {"s2261": "S.2261", "hr5011": "H.R. 5011"}
BILL_NAMES = {"S.2261": "S.2261, the Secure Elections Act", "H.R. 5011": "H.R. 5011, the Election Security Act"}


def contents() -> list[dict]:
    out = []
    for slug, bill in BILLS.items():
        sections = Provision.objects.filter(bill=bill, path=[]).order_by("position")
        out.append({"slug": slug, "bill": bill, "name": BILL_NAMES[bill], "sections": sections})
    return out


def section(slug: str, number: str):
    bill = BILLS.get(slug)
    if bill is None:
        return []
    return list(Provision.objects.filter(bill=bill, section=number).order_by("position"))


def url_of(p: Provision) -> str:
    return reverse("lawbook:section", args=[p.slug, p.section]) + f"#{p.anchor}"


def index() -> Index:
    return Index(
        {"citation": c, "bill": b, "section": s, "path": path, "amends": a}
        for c, b, s, path, a in Provision.objects.values_list("citation", "bill", "section", "path", "amends")
    )


def find(citation: str) -> Provision | None:
    found = index().resolve(citation)
    return Provision.objects.filter(citation=found["citation"]).first() if found else None


@cache
def _duty_citations() -> tuple[tuple[str, str], ...]:
    return tuple((d.code, d.citation) for d in registry.all_duties() if d.citation.startswith(("S.2261", "H.R. 5011")))


_DUTIES: dict[str, dict[str, list]] = {}


def duties_by_citation() -> dict[str, list]:
    """Provision citation → the registry's duties that cite it (computed once per lawbook edition)."""
    from .models import Edition

    edition = Edition.objects.values_list("sha256", flat=True).first() or ""
    if edition in _DUTIES:
        return _DUTIES[edition]
    idx = index()
    out: dict[str, list] = {}
    for code, citation in _duty_citations():
        found = idx.resolve(citation)
        if found:
            out.setdefault(found["citation"], []).append(registry.get(code))
    _DUTIES.clear()
    _DUTIES[edition] = out
    return out
