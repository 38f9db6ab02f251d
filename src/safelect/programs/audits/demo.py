"""Demo audit for ``safelect demo``: Alabama's audit of the 2026 general election across five
counties, recorded through the real services — manifests from three counties and cast vote records
(Dominion and ES&S layouts) from two, with one contest name standardised. Idempotent."""

from __future__ import annotations

from safelect.core.accounts.actor import Actor
from safelect.core.directory.models import Organization

from . import services
from .models import Audit, Participant

NAME = "Alabama 2026 general election audit"
COUNTIES = ["Autauga County", "Baldwin County", "Barbour County", "Bibb County", "Blount County"]


def _manifest(batches: int, per_batch: int) -> bytes:
    lines = ["Container,Tabulator,Batch Name,Number of Ballots"]
    lines += [f"Box {1 + n // 4},TAB-{1 + n % 2},Batch {n + 1:03d},{per_batch}" for n in range(batches)]
    return ("\n".join(lines) + "\n").encode()


def _dominion(cards: int) -> bytes:
    rows = [
        '"Alabama General Election 2026","5.17.17.1","","","","","","",""',
        '"","","","","","Governor (Vote For=1)","Governor (Vote For=1)","Amendment 1 (Vote For=1)","Amendment 1 (Vote For=1)"',
        '"","","","","","Kay Ivey-Smith","Doug Jones-Lee","Yes","No"',
        '"CvrNumber","TabulatorNum","BatchId","RecordId","ImprintedId","REP","DEM","",""',
    ]
    for n in range(cards):
        tab, batch, record = 1 + n % 2, 1 + n // 100, 1 + n % 100
        gov = "1,0" if n % 5 < 3 else "0,1"
        amend = "1,0" if n % 3 else "0,1"
        rows.append(f"{n + 1},{tab},{batch},{record},{tab}-{batch}-{record},{gov},{amend}")
    return ("\n".join(rows) + "\n").encode()


def _ess(cards: int) -> bytes:
    rows = ["Cast Vote Record,Precinct,Ballot Style,GOVERNOR,Amendment No. 1"]
    for n in range(cards):
        rows.append(f"{n + 1},P{1 + n % 4},BS1,{'Kay Ivey-Smith' if n % 7 < 4 else 'Doug Jones-Lee'},{'Yes' if n % 4 else 'No'}")
    return ("\n".join(rows) + "\n").encode()


def create_demo_data():
    if Audit.objects.filter(name=NAME).exists():
        return []
    office = Organization.objects.filter(key="state:AL").first()
    if office is None:
        return []
    system = Actor.system(office)
    audit = services.create_audit(
        system,
        {
            "name": NAME,
            "election": "November 3, 2026 general election",
            "kind": "ballot_comparison",
            "risk_limit": "5",
            "jurisdictions": "\n".join(COUNTIES),
        },
    )
    participants = {p.organization.name.split(",")[0]: p for p in Participant.objects.filter(audit=audit).select_related("organization")}
    files = [
        ("Autauga County", "manifest", "autauga-manifest.csv", _manifest(8, 100)),
        ("Autauga County", "cvr", "autauga-cvr-export.csv", _dominion(800)),
        ("Baldwin County", "manifest", "baldwin-manifest.csv", _manifest(6, 50)),
        ("Baldwin County", "cvr", "baldwin-cvr.csv", _ess(300)),
        ("Barbour County", "manifest", "barbour-manifest.csv", _manifest(4, 60)),
    ]
    for county, kind, name, content in files:
        upload = services.upload(system, participants[county], kind, name, [content])
        services.process_upload(upload.pk)  # the demo's worker would; done here so the demo starts complete
    services.standardise(system, participants["Baldwin County"], {"GOVERNOR": "Governor", "Amendment No. 1": "Amendment 1"})
    services.set_targets(system, audit, ["Governor"])
    return []
