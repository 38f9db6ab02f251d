"""Demo audits for ``safelect demo``, recorded through the real services:

* Alabama's ballot-comparison audit of the 2026 general election across five counties, being set up:
  manifests from three counties and cast vote records (Dominion and ES&S layouts) from two, with one
  contest name standardised;
* Alabama's ballot-polling audit of the 2026 primary runoff across five counties, with round 1
  recorded: seed, draw, one audit board per county recording every ballot and signing off, and the
  measured risk;
* Alabama's batch-comparison audit of the 2026 primary across three counties, with round 1 drawn
  (PPEB) and the first county's sampled batches counted by hand; the others are still to enter.

Idempotent."""

from __future__ import annotations

from safelect.core.accounts.actor import Actor
from safelect.core.directory.models import Organization

from . import services
from .models import Audit, Participant

NAME = "Alabama 2026 general election audit"
RUNOFF = "Alabama 2026 primary runoff audit"
BATCHES = "Alabama 2026 primary batch audit"
COUNTIES = ["Autauga County", "Baldwin County", "Barbour County", "Bibb County", "Blount County"]


def _layout(batches: int, per_batch: int) -> list[tuple[str, str, int]]:
    """(tabulator, batch, ballots) of a county's batches: two tabulators, numbered batches."""
    return [(str(1 + n % 2), str(1 + n // 2), per_batch) for n in range(batches)]


def _manifest(batches: int, per_batch: int) -> bytes:
    lines = ["Container,Tabulator,Batch Name,Number of Ballots"]
    lines += [f"Box {1 + n // 4},{tab},{batch},{ballots}" for n, (tab, batch, ballots) in enumerate(_layout(batches, per_batch))]
    return ("\n".join(lines) + "\n").encode()


def _dominion(batches: int, per_batch: int) -> bytes:
    rows = [
        '"Alabama General Election 2026","5.17.17.1","","","","","","",""',
        '"","","","","","Governor (Vote For=1)","Governor (Vote For=1)","Amendment 1 (Vote For=1)","Amendment 1 (Vote For=1)"',
        '"","","","","","Kay Ivey-Smith","Doug Jones-Lee","Yes","No"',
        '"CvrNumber","TabulatorNum","BatchId","RecordId","ImprintedId","REP","DEM","",""',
    ]
    n = 0
    for tab, batch, ballots in _layout(batches, per_batch):
        for record in range(1, ballots + 1):
            gov = "1,0" if n % 5 < 3 else "0,1"
            amend = "1,0" if n % 3 else "0,1"
            n += 1
            rows.append(f"{n},{tab},{batch},{record},{tab}-{batch}-{record},{gov},{amend}")
    return ("\n".join(rows) + "\n").encode()


def _ess(batches: int, per_batch: int) -> bytes:
    """ES&S with the Tabulator and Batch columns (what a ballot comparison audit needs)."""
    rows = ["Cast Vote Record,Tabulator,Batch,Precinct,Ballot Style,GOVERNOR,Amendment No. 1"]
    n = 0
    for tab, batch, ballots in _layout(batches, per_batch):
        for _ in range(ballots):
            n += 1
            rows.append(
                f"{n},{tab},{batch},P{1 + n % 4},BS1,{'Kay Ivey-Smith' if n % 7 < 4 else 'Doug Jones-Lee'},{'Yes' if n % 4 else 'No'}"
            )
    return ("\n".join(rows) + "\n").encode()


def _runoff(system: Actor) -> None:
    from . import boards, measure, rounds
    from .models import BallotRecord

    audit = services.create_audit(
        system,
        {
            "name": RUNOFF,
            "election": "June 16, 2026 primary runoff",
            "kind": "ballot_polling",
            "risk_limit": "10",
            "jurisdictions": "\n".join(COUNTIES),
        },
    )
    for n, participant in enumerate(audit.participants.select_related("organization")):
        slug = participant.organization.name.split(" ")[0].lower()
        upload = services.upload(system, participant, "manifest", f"{slug}-manifest.csv", [_manifest(4 + n, 50)])
        services.process_upload(upload.pk)
        cards = (4 + n) * 50
        rows = "".join(f"{c},P{1 + c % 3},{'Rosa Parks-Hill' if c % 10 < 6 else 'Tom Bell'}\n" for c in range(1, cards + 1))
        upload = services.upload(
            system, participant, "cvr", f"{slug}-cvr.csv", [f"Cast Vote Record,Precinct,Lieutenant Governor\n{rows}".encode()]
        )
        services.process_upload(upload.pk)
    services.set_targets(system, audit, ["Lieutenant Governor"])
    audit = rounds.launch(system, audit, "60419275301884762219")
    size = next(z["size"] for z in rounds.options(audit)[0]["sizes"] if z["size"])
    rounds.draw_round(system, audit, size, chosen="Lieutenant Governor: 70 % chance of finishing in one round")
    for participant in audit.participants.all():
        if not audit.rounds.get().draws.filter(participant=participant).exists():
            continue
        for board, _code in boards.create_boards(system, participant, 1):
            for n, ballot in enumerate(BallotRecord.objects.filter(board=board)):
                boards.record_ballot(board, ballot.pk, marks={"Lieutenant Governor": ["Tom Bell" if n % 4 == 3 else "Rosa Parks-Hill"]})
            boards.sign_off(board, "Demo Board Members")
    measure.measure(system, audit)


def _batch_audit(system: Actor) -> None:
    from . import batches, rounds
    from .models import BatchTally

    audit = services.create_audit(
        system,
        {
            "name": BATCHES,
            "election": "May 19, 2026 primary election",
            "kind": "batch_comparison",
            "risk_limit": "10",
            "jurisdictions": "\n".join(COUNTIES[2:]),
        },
    )
    reported = {}
    for n, participant in enumerate(audit.participants.select_related("organization")):
        slug = participant.organization.name.split(" ")[0].lower()
        upload = services.upload(system, participant, "manifest", f"{slug}-manifest.csv", [_manifest(6, 80)])
        services.process_upload(upload.pk)
        rows = ["Tabulator,Batch Name,Contest,Choice,Votes"]
        for k, (tab, batch, _ballots) in enumerate(_layout(6, 80)):
            wes, john = 44 + (k + n) % 5, 30 - (k + n) % 4
            reported[(participant.pk, tab, batch)] = (wes, john)
            rows += [f"{tab},{batch},Secretary of State,Wes Allen,{wes}", f"{tab},{batch},Secretary of State,John Merrill,{john}"]
        upload = services.upload(system, participant, "batch_tallies", f"{slug}-batch-tallies.csv", [("\n".join(rows) + "\n").encode()])
        services.process_upload(upload.pk)
    services.set_targets(system, audit, ["Secretary of State"])
    audit = rounds.launch(system, audit, "20260519736104958271")
    size = rounds.options(audit)[0]["sizes"][0]["size"]
    rounds.draw_round(system, audit, size, chosen="Secretary of State: no error in any batch expected")
    first = audit.participants.order_by("organization__name").first()
    for tally in BatchTally.objects.filter(audit=audit, participant=first):
        wes, john = reported[(first.pk, tally.tabulator, tally.batch)]
        batches.record_tally(system, tally, {"Secretary of State": {"Wes Allen": wes, "John Merrill": john}})


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
        ("Autauga County", "cvr", "autauga-cvr-export.csv", _dominion(8, 100)),
        ("Baldwin County", "manifest", "baldwin-manifest.csv", _manifest(6, 50)),
        ("Baldwin County", "cvr", "baldwin-cvr.csv", _ess(6, 50)),
        ("Barbour County", "manifest", "barbour-manifest.csv", _manifest(4, 60)),
    ]
    for county, kind, name, content in files:
        upload = services.upload(system, participants[county], kind, name, [content])
        services.process_upload(upload.pk)  # the demo's worker would; done here so the demo starts complete
    services.standardise(system, participants["Baldwin County"], {"GOVERNOR": "Governor", "Amendment No. 1": "Amendment 1"})
    services.set_targets(system, audit, ["Governor"])
    _runoff(system)
    _batch_audit(system)
    return []
