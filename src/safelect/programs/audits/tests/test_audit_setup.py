"""Audit set-up through the services and pages: a State creates an audit for its jurisdictions;
each jurisdiction uploads its manifest and cast vote records, processed by the background job;
refused files keep nothing but their refusal; a new file replaces the old only once it is read;
contest names are standardised across jurisdictions; and nobody reaches another jurisdiction's
files."""

from __future__ import annotations

from pathlib import Path

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile

from safelect.core.accounts.actor import Actor
from safelect.core.accounts.models import Membership
from safelect.core.accounts.testing import make_member
from safelect.programs.audits import demo, measure, services
from safelect.programs.audits.access import visible_audits, visible_uploads
from safelect.programs.audits.models import Audit, Participant, Upload

pytestmark = pytest.mark.django_db
FIXTURES = Path(__file__).resolve().parents[5] / "tests" / "rla" / "cvr"


def _actor(role: str, key: str | None = None) -> tuple[Actor, object]:
    user, client = make_member(role, key)
    return Actor.member(Membership.objects.get(user=user)), client


def _audit(state: Actor) -> Audit:
    return services.create_audit(
        state,
        {
            "name": "Test audit",
            "election": "2026 general",
            "kind": "ballot_comparison",
            "risk_limit": "5",
            "jurisdictions": "Autauga County\nBaldwin County",
        },
    )


def _send(actor: Actor, participant: Participant, kind: str, name: str, content: bytes, fmt: str = "auto") -> Upload:
    upload = services.upload(actor, participant, kind, name, [content], cvr_format=fmt)
    return services.process_upload(upload.pk)


def test_a_state_creates_an_audit_and_jurisdictions_upload_their_files():
    state, _ = _actor("chief_state_election_official", "state:AL")
    with pytest.raises(ValidationError) as refused:
        services.create_audit(
            state,
            {"name": "x", "election": "y", "kind": "ballot_polling", "risk_limit": "25", "jurisdictions": "Autauga County\nNowhere County"},
        )
    assert "Nowhere County" in str(refused.value.message_dict["jurisdictions"]) and "risk_limit" in refused.value.message_dict
    audit = _audit(state)
    autauga = audit.participants.get(organization__key="jurisdiction:0100100000")
    county, _ = _actor("local_election_official", "jurisdiction:0100100000")
    manifest = _send(county, autauga, "manifest", "manifest.csv", b"Tabulator,Batch Name,Number of Ballots\nT1,B1,3\nT1,B2,3\n")
    assert manifest.status == "processed" and manifest.result["ballots"] == 6
    records = _send(county, autauga, "cvr", "cvr.csv", (FIXTURES / "dominion.csv").read_bytes())
    assert records.status == "processed" and records.result["cards"] == 6
    assert {c.name for c in audit.contests.all()} == {"Governor", "County Board", "Measure 1"}
    # 6 ballots and 6 cards, but a comparison audit finds each card by batch and position
    assert services.readiness(audit)[0]["problems"] == [
        "Batch B1 (tabulator T1): the manifest lists 3 ballots, the cast vote records 0 cards.",
        "Batch B2 (tabulator T1): the manifest lists 3 ballots, the cast vote records 0 cards.",
    ]
    manifest = _send(county, autauga, "manifest", "manifest.csv", b"Tabulator,Batch Name,Number of Ballots\n1,1,3\n1,2,1\n2,1,2\n")
    assert services.readiness(audit)[0]["problems"] == []
    again = _send(county, autauga, "manifest", "manifest-v2.csv", b"Batch Name,Number of Ballots\nB1,5\n")
    assert autauga.current("manifest").pk == again.pk and Upload.objects.get(pk=manifest.pk).status == "superseded"
    problems = services.readiness(audit)[0]["problems"]
    assert problems == ["The manifest lists 5 ballots but the cast vote records hold 6 cards."]


def test_refused_files_keep_only_their_refusal():
    state, _ = _actor("chief_state_election_official", "state:AL")
    audit = _audit(state)
    autauga = audit.participants.get(organization__key="jurisdiction:0100100000")
    good = _send(state, autauga, "manifest", "good.csv", b"Batch Name,Number of Ballots\nB1,5\n")
    bad = _send(state, autauga, "manifest", "bad.csv", b"Batch Name,Number of Ballots\nB1,5\n=HYPERLINK(1),3\n")
    assert bad.status == "failed" and "line 3" in bad.error and "formula" in bad.error and bad.result is None
    assert not (services.store_root() / bad.sha256).exists()
    assert autauga.current("manifest").pk == good.pk  # the refused file replaced nothing
    missing = _send(state, autauga, "manifest", "m.csv", b"Batch,Ballots\nB1,5\n")
    assert missing.status == "failed" and "Batch Name" in missing.error
    broken = _send(
        state, autauga, "cvr", "cvr.csv", (FIXTURES / "dominion.csv").read_bytes().replace(b'"2","1","1","2"', b'"2","1","1","1"')
    )
    assert broken.status == "failed" and "cvr.csv row 6: card 1-1-1" in broken.error and "appears twice" in broken.error
    assert audit.contests.count() == 0
    with pytest.raises(ValidationError, match="empty"):
        services.upload(state, autauga, "manifest", "empty.csv", [b""])


def test_contest_names_are_standardised_across_jurisdictions():
    state, _ = _actor("chief_state_election_official", "state:AL")
    audit = _audit(state)
    autauga = audit.participants.get(organization__key="jurisdiction:0100100000")
    baldwin = audit.participants.get(organization__key="jurisdiction:0100300000")
    _send(state, autauga, "cvr", "a.csv", (FIXTURES / "dominion.csv").read_bytes())
    _send(state, baldwin, "cvr", "b.csv", b"Cast Vote Record,Precinct,GOVERNOR\n1,P,Alice Adams\n2,P,Bob Brown\n")
    assert {c.name for c in audit.contests.all()} == {"Governor", "County Board", "Measure 1", "GOVERNOR"}
    services.standardise(state, baldwin, {"GOVERNOR": "Governor"})
    governor = audit.contests.get(name="Governor")
    assert governor.choices == {"Alice Adams": 4, "Bob Brown": 2} and governor.ballots == 7
    with pytest.raises(ValidationError, match="Mayor"):
        services.standardise(state, baldwin, {"Mayor": "Governor"})
    services.set_targets(state, audit, ["Governor"])
    assert list(audit.contests.filter(targeted=True).values_list("name", flat=True)) == ["Governor"]


def test_scope_every_write_and_read():
    state, _ = _actor("chief_state_election_official", "state:AL")
    audit = _audit(state)
    autauga = audit.participants.get(organization__key="jurisdiction:0100100000")
    upload = _send(state, autauga, "manifest", "m.csv", b"Batch Name,Number of Ballots\nB1,5\n")
    baldwin_official, baldwin_client = _actor("local_election_official", "jurisdiction:0100300000")
    with pytest.raises(PermissionDenied):
        services.upload(baldwin_official, autauga, "manifest", "m.csv", [b"Batch Name,Number of Ballots\nB1,1\n"])
    assert not visible_uploads(baldwin_official).filter(pk=upload.pk).exists()
    assert visible_audits(baldwin_official).filter(pk=audit.pk).exists()  # Baldwin takes part
    wisconsin, wisconsin_client = _actor("chief_state_election_official", "state:WI")
    assert not visible_audits(wisconsin).filter(pk=audit.pk).exists()
    for write in (lambda a: services.set_targets(a, audit, []), lambda a: services.standardise(a, autauga, {})):
        for who in (wisconsin, baldwin_official):
            with pytest.raises(PermissionDenied):
                write(who)
    assert wisconsin_client.get(f"/audits/{audit.pk}/").status_code == 404
    assert baldwin_client.get(f"/audits/{audit.pk}/jurisdictions/{autauga.pk}/").status_code == 404
    assert baldwin_client.get(f"/audits/uploads/{upload.pk}/status/").status_code == 404
    assert baldwin_client.post(f"/audits/{audit.pk}/", {"targeted": []}).status_code == 403
    _, outsider = _actor("election_service_provider_staff")
    assert outsider.get("/audits/").status_code == 403


def test_the_pages_as_a_state_and_a_county(settings):
    _, state_client = _actor("chief_state_election_official", "state:AL")
    page = state_client.get("/audits/new/")
    assert page.status_code == 200
    created = state_client.post(
        "/audits/new/",
        {"name": "Pages audit", "election": "2026 general", "kind": "ballot_polling", "risk_limit": "5", "jurisdictions": "Autauga County"},
    )
    audit = Audit.objects.get(name="Pages audit")
    assert created.status_code == 302
    participant = audit.participants.get()
    _, county = _actor("local_election_official", "jurisdiction:0100100000")
    url = f"/audits/{audit.pk}/jurisdictions/{participant.pk}/"
    sent = county.post(
        url, {"action": "cvr", "cvr-cvr_format": "auto", "cvr-file": SimpleUploadedFile("export.zip", (FIXTURES / "hart.zip").read_bytes())}
    )
    assert sent.status_code == 302
    upload = Upload.objects.get(participant=participant)
    assert upload.status == "queued"
    from procrastinate.contrib.django.models import ProcrastinateJob

    from safelect.programs.audits.tasks import process_upload_job

    job = ProcrastinateJob.objects.filter(task_name="audits.process_upload").latest("id")
    process_upload_job(**job.args)  # as the worker would
    status = county.get(f"/audits/uploads/{upload.pk}/status/").content.decode()
    assert "Processed" in status and "hx-get" not in status
    page = county.get(url).content.decode()
    assert "6 cards, 3 contests" in page and "Contest names" not in page  # the county does not rename
    overview = state_client.get(f"/audits/{audit.pk}/").content.decode()
    assert "No ballot manifest yet." in overview and "Target Governor" in overview


def test_demo_runs_through_the_services():
    demo.create_demo_data()
    audit = Audit.objects.get(name=demo.NAME)
    assert audit.participants.count() == 5
    governor = audit.contests.get(name="Governor")
    assert governor.targeted and governor.ballots == 1100
    runoff = Audit.objects.get(name=demo.RUNOFF)
    assert runoff.participants.count() == 5 and runoff.status in ("launched", "complete")
    result = runoff.rounds.get().results[0]
    assert result["contest"] == "Lieutenant Governor" and result["ballots"] == runoff.rounds.get().sample_size and 0 < result["risk"] <= 1
    batch = Audit.objects.get(name=demo.BATCHES)
    tallies = batch.batch_tallies.all()
    assert batch.status == "launched" and tallies.exists() and 0 < tallies.filter(recorded_at__isnull=False).count() < tallies.count()
    demo.create_demo_data()  # idempotent
    assert Audit.objects.filter(name__in=[demo.NAME, demo.RUNOFF, demo.BATCHES]).count() == 3


def _ess_for(manifest: dict, winner_share: int = 3) -> bytes:
    """ES&S CVRs with Tabulator and Batch columns, card for card as the manifest lists its ballots."""
    rows, n = ["Cast Vote Record,Tabulator,Batch,Precinct,Governor,Amendment 1"], 0
    for batch in manifest["batches"]:
        for _ in range(batch["ballots"]):
            n += 1
            amendment = "No" if n % 4 == 0 else "Yes"
            rows.append(
                f"{n},{batch['tabulator']},{batch['name']},P,{'Kay Ivey-Smith' if n % winner_share else 'Doug Jones-Lee'},{amendment}"
            )
    return ("\n".join(rows) + "\n").encode()


def test_launch_options_draw_and_an_observer_reproduces_it(tmp_path):
    import csv
    import io
    import subprocess
    import sys

    from safelect.programs.audits import rounds

    demo.create_demo_data()
    audit = Audit.objects.get(name=demo.NAME)
    state, state_client = _actor("chief_state_election_official", "state:AL")
    with pytest.raises(ValidationError) as blocked:
        rounds.launch(state, audit, "12345678901234567890")
    assert any("No ballot manifest yet." in m for m in blocked.value.messages)  # Bibb and Blount have none
    for county in ("Bibb County", "Blount County"):
        participant = audit.participants.get(organization__name__startswith=county)
        _send(state, participant, "manifest", "m.csv", b"Tabulator,Batch Name,Number of Ballots\nT1,B1,150\nT2,B2,150\n")
    for county in ("Barbour County", "Bibb County", "Blount County"):  # a comparison audit needs every jurisdiction's CVRs
        participant = audit.participants.get(organization__name__startswith=county)
        _send(state, participant, "cvr", "c.csv", _ess_for(participant.current("manifest").result))
    with pytest.raises(ValidationError, match="seed"):
        rounds.launch(state, audit, "1234")
    wisconsin, _ = _actor("chief_state_election_official", "state:WI")
    with pytest.raises(PermissionDenied):
        rounds.launch(wisconsin, audit, "12345678901234567890")
    audit = rounds.launch(state, audit, "38475610293847561029")
    with pytest.raises(ValidationError, match="launched"):
        _send(state, audit.participants.first(), "manifest", "late.csv", b"Batch Name,Number of Ballots\nB,1\n")
    choices = rounds.options(audit)
    sizes = [z["size"] for z in choices[0]["sizes"]]
    assert choices[0]["contest"] == "Governor" and all(sizes) and sizes[0] <= sizes[1]
    made = rounds.draw_round(state, audit, sizes[1], chosen="test")
    assert made.draws.count() == sizes[1] and not made.with_replacement
    with pytest.raises(ValidationError, match="Measure round 1 before drawing another"):
        rounds.draw_round(state, audit, 5)
    # an observer: the published manifests, the seed and the printed command give the same tickets
    manifest = tmp_path / f"{audit.reference}-manifests.csv"
    manifest.write_bytes(state_client.get(f"/audits/{audit.pk}/manifests.csv").content)
    command = rounds.observer_command(audit, made).split()
    command[command.index("--manifest") + 1] = str(manifest)
    done = subprocess.run([str(Path(sys.executable).with_name("safelect")), *command[1:]], capture_output=True, text=True)
    assert done.returncode == 0, done.stderr
    printed = list(csv.DictReader(io.StringIO(done.stdout)))
    assert [r["Ticket Number"] for r in printed] == list(made.draws.order_by("ticket").values_list("ticket", flat=True))
    autauga = audit.participants.get(organization__key="jurisdiction:0100100000")
    _, county = _actor("local_election_official", "jurisdiction:0100100000")
    listed = county.get(f"/audits/{audit.pk}/jurisdictions/{autauga.pk}/retrieval.csv").content.decode()
    assert listed.splitlines()[0] == "Container,Tabulator,Batch Name,Ballot Position,Ticket Numbers,Times Drawn"
    assert len(listed.splitlines()) - 1 == made.draws.filter(participant=autauga).count()
    assert county.get(f"/audits/{audit.pk}/jurisdictions/{autauga.pk}/retrieval.pdf").content.startswith(b"%PDF")
    baldwin = audit.participants.get(organization__key="jurisdiction:0100300000")
    assert county.get(f"/audits/{audit.pk}/jurisdictions/{baldwin.pk}/retrieval.csv").status_code == 404


def _polling_audit_with_a_round(size: int = 12):
    from safelect.programs.audits import rounds

    state, state_client = _actor("chief_state_election_official", "state:AL")
    audit = services.create_audit(
        state,
        {
            "name": "Polling",
            "election": "2026 general",
            "kind": "ballot_polling",
            "risk_limit": "10",
            "jurisdictions": "Autauga County\nBaldwin County",
        },
    )
    for participant in audit.participants.all():
        _send(state, participant, "manifest", "m.csv", b"Tabulator,Batch Name,Number of Ballots\nT1,B1,50\nT1,B2,50\n")
        rows = "".join(f"{n},P,{'Ann' if n % 5 else 'Bo'}\n" for n in range(1, 101))
        _send(state, participant, "cvr", "c.csv", f"Cast Vote Record,Precinct,Mayor\n{rows}".encode())
    services.set_targets(state, audit, ["Mayor"])
    audit = rounds.launch(state, audit, "12345678901234567890123")
    rounds.draw_round(state, audit, size)
    return state, state_client, audit


def test_boards_record_sign_off_and_the_round_is_measured():
    from safelect.programs.audits import boards
    from safelect.programs.audits.models import BallotRecord

    state, state_client, audit = _polling_audit_with_a_round()
    autauga = audit.participants.get(organization__key="jurisdiction:0100100000")
    baldwin = audit.participants.get(organization__key="jurisdiction:0100300000")
    county, county_client = _actor("local_election_official", "jurisdiction:0100100000")
    with pytest.raises(PermissionDenied):
        boards.create_boards(county, baldwin, 1)
    made = boards.create_boards(county, autauga, 2) + boards.create_boards(state, baldwin, 1)
    drawn = audit.rounds.get().draws.count()
    records = BallotRecord.objects.filter(round__audit=audit)
    assert sum(r.times_drawn for r in records) == drawn  # a ballot drawn twice is one record counted twice
    (first, code), (second, _code) = made[0], made[1]
    assert boards.sign_in(first.pk, code.lower()) == first and boards.sign_in(second.pk, code) is None
    other = records.exclude(board=first).first()
    with pytest.raises(PermissionDenied):
        boards.record_ballot(first, other.pk, marks={"Mayor": ["Ann"]})
    mine = records.filter(board=first).first()
    with pytest.raises(ValidationError, match="Not a choice"):
        boards.record_ballot(first, mine.pk, marks={"Mayor": ["Zed"]})
    with pytest.raises(ValidationError, match="allows 1"):
        boards.record_ballot(first, mine.pk, marks={"Mayor": ["Ann", "Bo"]})
    with pytest.raises(ValidationError, match="not recorded yet"):
        boards.sign_off(first, "A. Smith, B. Jones")
    with pytest.raises(ValidationError, match="sign off first"):
        measure.measure(state, audit)
    for board, _c in made:
        for record in records.filter(board=board):
            boards.record_ballot(board, record.pk, marks={"Mayor": ["Ann"]})
        boards.sign_off(board, "A. Smith, B. Jones")
    with pytest.raises(ValidationError, match="final"):
        boards.record_ballot(first, mine.pk, not_found=True)
    measured = measure.measure(state, audit)
    result = measured.results[0]
    # BRAVO by hand: reported Ann 160, Bo 40 (s = 0.8); every draw for Ann: T = 1.6^n
    assert result["contest"] == "Mayor" and result["ballots"] == drawn
    assert abs(result["risk"] - min(1.0, 1.6 ** (-drawn))) < 1e-12 and result["met"] is (1.6 ** (-drawn) <= 0.10)


def test_board_pages_need_the_board_code(client):
    from safelect.programs.audits import boards

    state, state_client, audit = _polling_audit_with_a_round()
    autauga = audit.participants.get(organization__key="jurisdiction:0100100000")
    page = state_client.post(f"/audits/{audit.pk}/jurisdictions/{autauga.pk}/boards/", {"count": "1"})
    assert page.status_code == 200 and "cannot show them again" in page.content.decode()
    board = autauga.boards.get()
    assert client.get(f"/audits/boards/{board.pk}/").status_code == 404  # no session for this board
    wrong = client.post("/audits/boards/", {"board": board.pk, "code": "WRONGCODE123"})
    assert wrong.status_code == 400 and "do not match" in wrong.content.decode()
    # the code is shown once on the page above; read it back from there
    import re

    code = re.search(r"<code>([A-Z0-9]{12})</code>", page.content.decode()).group(1)
    signed = client.post("/audits/boards/", {"board": board.pk, "code": code})
    assert signed.status_code == 302
    home = client.get(f"/audits/boards/{board.pk}/").content.decode()
    assert "Audit board 1" in home and "Sign off" in home
    ballot = board.ballots.first()
    answer = client.post(f"/audits/boards/{board.pk}/ballots/{ballot.pk}/", {"action": "record", "choice:Mayor": ["Ann"]})
    assert answer.status_code == 302
    ballot.refresh_from_db()
    assert ballot.votes == {"Mayor": {"choices": ["Ann"], "blank": False, "overvote": False}}
    baldwin_board = boards.create_boards(state, audit.participants.get(organization__key="jurisdiction:0100300000"), 1)[0][0]
    assert client.get(f"/audits/boards/{baldwin_board.pk}/").status_code == 404
    assert client.get(f"/audits/boards/{board.pk}/ballots/{baldwin_board.ballots.first().pk}/").status_code == 404


def test_the_report_the_observer_kit_reproduces_draw_and_risk_and_the_hand_counts(tmp_path):
    import csv
    import io
    import json
    import subprocess
    import sys
    import zipfile

    from safelect.programs.audits import boards
    from safelect.programs.audits.models import BallotRecord

    state, state_client, audit = _polling_audit_with_a_round(size=15)
    for participant in audit.participants.all():
        for board, _code in boards.create_boards(state, participant, 1):
            for n, record in enumerate(BallotRecord.objects.filter(board=board)):
                if n == 0 and participant.organization.key == "jurisdiction:0100300000":
                    boards.record_ballot(board, record.pk, not_found=True)
                else:
                    boards.record_ballot(board, record.pk, marks={"Mayor": ["Bo"] if n == 1 else ["Ann"]})
            boards.sign_off(board, "A. Smith, B. Jones")
    measured = measure.measure(state, audit)
    kit = zipfile.ZipFile(io.BytesIO(state_client.get(f"/audits/{audit.pk}/files/observer-kit.zip").content))
    kit.extractall(tmp_path)
    readme = (tmp_path / "README.txt").read_text()
    assert audit.seed in readme
    safelect = str(Path(sys.executable).with_name("safelect"))
    commands = [line.split() for line in readme.splitlines() if line.startswith("safelect rla")]
    drawn = subprocess.run([safelect, *commands[0][1:]], capture_output=True, text=True, cwd=tmp_path)
    assert drawn.returncode == 0, drawn.stderr
    tickets = [r["Ticket Number"] for r in csv.DictReader(io.StringIO(drawn.stdout))]
    assert tickets == list(measured.draws.order_by("ticket").values_list("ticket", flat=True))
    risk = subprocess.run([safelect, *commands[1][1:], "--json"], capture_output=True, text=True, cwd=tmp_path)
    assert risk.returncode == 0, risk.stderr
    assert json.loads(risk.stdout)["risk"] == measured.results[0]["risk"]  # exactly the measured risk
    report = state_client.get(f"/audits/{audit.pk}/files/report.csv").content.decode()
    assert audit.seed in report and "Mayor" in report and "yes" in report
    assert state_client.get(f"/audits/{audit.pk}/files/report.pdf").content.startswith(b"%PDF")
    counts = list(csv.reader(io.StringIO(state_client.get(f"/audits/{audit.pk}/files/hand-counts.csv").content.decode())))
    assert counts[0] == ["state_abbr", "applicant", "ballots_inspected", "claimed_expenses"]
    found = BallotRecord.objects.filter(round__audit=audit, not_found=False).count()
    assert sum(int(r[2]) for r in counts[1:]) == found and all(r[0] == "AL" for r in counts[1:])
    _, wisconsin = _actor("chief_state_election_official", "state:WI")
    assert wisconsin.get(f"/audits/{audit.pk}/files/report.csv").status_code == 404


def test_wrong_codes_lock_a_board_until_its_jurisdiction_issues_a_new_one(client):
    from safelect.programs.audits import boards

    state, state_client, audit = _polling_audit_with_a_round()
    autauga = audit.participants.get(organization__key="jurisdiction:0100100000")
    ((board, code),) = boards.create_boards(state, autauga, 1)
    assert client.post("/audits/boards/", {"board": board.pk, "code": code}).status_code == 302
    assert client.get(f"/audits/boards/{board.pk}/").status_code == 200
    for _ in range(boards.MAX_FAILED_SIGN_INS):
        assert boards.sign_in(board.pk, "WRONGWRONG12") is None
    assert boards.sign_in(board.pk, code) is None  # locked: even the right code
    _, baldwin_client = _actor("local_election_official", "jurisdiction:0100300000")
    baldwin, _ = _actor("local_election_official", "jurisdiction:0100300000")
    with pytest.raises(PermissionDenied):
        boards.new_code(baldwin, board)
    page = state_client.post(f"/audits/{audit.pk}/jurisdictions/{autauga.pk}/boards/{board.pk}/new-code/")
    import re

    fresh = re.search(r"<code>([A-Z0-9]{12})</code>", page.content.decode()).group(1)
    assert client.get(f"/audits/boards/{board.pk}/").status_code == 404  # the old code's session ended
    assert boards.sign_in(board.pk, code) is None and boards.sign_in(board.pk, fresh) is not None
