"""Audit set-up in a real browser, each page checked with axe-core at 1280 and 390 px: Wisconsin's
chief election official creates an audit (first incompletely: refused, nothing saved); Autauga
County uploads its cast vote records to Alabama's demo audit and watches them processed by the
worker; Baldwin County cannot open Autauga's files; Wisconsin does not see Alabama's audit."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from test_first_users_browser import check_widths
from test_kernel_browser import sign_in_as

pytestmark = pytest.mark.browser
FIXTURES = Path(__file__).resolve().parents[1] / "rla" / "cvr"


def test_a_state_creates_an_audit(page, assert_accessible):
    sign_in_as(page, "wi-chief")
    page.goto("/")
    page.get_by_role("link", name="Audits", exact=True).first.click()
    page.wait_for_url("**/audits/")
    assert "Alabama 2026" not in page.inner_text("main")
    check_widths(page, assert_accessible)
    page.get_by_role("link", name="New audit").click()
    page.get_by_role("button", name="Create the audit").click()
    page.wait_for_load_state()
    assert "Nothing was saved" in page.inner_text("main")
    check_widths(page, assert_accessible)
    page.get_by_label("Name of the audit").fill("Wisconsin 2026 general election audit")
    page.get_by_label("Election audited").fill("November 3, 2026 general election")
    field = page.get_by_label("Ballot polling (BRAVO)")
    field.focus()
    page.keyboard.press("Space")
    page.get_by_label("Risk limit (percent)").fill("5")
    page.get_by_label("Participating jurisdictions").fill("Town Of Abrams\nNowhere Town")
    page.get_by_role("button", name="Create the audit").click()
    page.wait_for_load_state()
    assert "Not a local election agency of Wisconsin: Nowhere Town" in page.inner_text("main")
    page.get_by_label("Participating jurisdictions").fill("Town Of Abrams\nTown Of Ackley")
    page.get_by_role("button", name="Create the audit").click()
    page.wait_for_url(re.compile(r"/audits/\d+/$"))
    main = page.inner_text("main")
    assert "No ballot manifest yet." in main and "town of abrams" in main.lower() and "town of ackley" in main.lower()
    check_widths(page, assert_accessible)
    audit_url = page.url

    # the State uploads on each town's behalf, then targets a contest, launches with the seed and draws
    towns = {}
    for town, wards in (("abrams", (120, 80)), ("ackley", (60, 40))):
        page.goto(audit_url)
        page.locator("main").get_by_role("link", name=re.compile(f"town of {town}", re.IGNORECASE)).click()
        towns[town] = page.url
        manifest = "Tabulator,Batch Name,Number of Ballots\n" + "".join(f"T1,Ward {n + 1},{size}\n" for n, size in enumerate(wards))
        _upload(page, "manifest", f"{town}-manifest.csv", manifest)
        records = "Cast Vote Record,Precinct,Governor\n" + "".join(
            f"{n},W1,{'Ann Lee' if n % 5 else 'Bo Day'}\n" for n in range(1, sum(wards) + 1)
        )
        _upload(page, "cvr", f"{town}-cvr.csv", records)
    check_widths(page, assert_accessible)
    page.goto(audit_url)
    assert page.inner_text("main").count("Ready") == 2
    _press = page.get_by_label("Target Governor")
    _press.focus()
    page.keyboard.press("Space")
    page.get_by_role("button", name="Save the targeted contests").click()
    page.wait_for_load_state()
    page.get_by_label("Random seed (20 or more digits)").fill("1234")
    page.get_by_role("button", name="Fix the seed and launch").click()
    page.wait_for_load_state()
    assert "20 or more digits" in page.inner_text("main")
    page.get_by_label("Random seed (20 or more digits)").fill("58203948571029384756")
    page.get_by_role("button", name="Fix the seed and launch").click()
    page.wait_for_load_state()
    main = page.inner_text("main")
    assert "58203948571029384756" in main and "chance of finishing in one round" in main
    check_widths(page, assert_accessible)
    option = page.get_by_label(re.compile(r"ballots: 90 % chance of finishing in one round"))
    option.focus()
    page.keyboard.press("Space")
    page.get_by_role("button", name="Draw round 1").click()
    page.wait_for_load_state()
    main = page.inner_text("main")
    assert "Round 1 drawn" in main and "safelect rla draw --seed 58203948571029384756" in main
    assert "(Governor: 90 % chance of finishing in one round)" in main  # the option's words are kept with the round
    check_widths(page, assert_accessible)

    # each town: its retrieval list, one audit board whose code is shown once; the board signs in
    # with it and records every ballot
    codes = []
    for url in towns.values():
        page.goto(url)
        if "Retrieval list, round 1" not in page.inner_text("main"):
            continue
        check_widths(page, assert_accessible)
        with page.expect_download() as download:
            page.get_by_role("link", name="CSV").click()
        assert open(download.value.path()).readline().startswith("Container,Tabulator,Batch Name,Ballot Position")
        page.get_by_label("How many audit boards will retrieve and read the ballots?").fill("1")
        page.get_by_role("button", name="Create the boards and their codes").click()
        page.wait_for_load_state()
        assert "cannot show them again" in page.inner_text("main")
        check_widths(page, assert_accessible)
        row = page.locator("main tbody tr").first
        codes.append((row.locator("td").nth(0).inner_text(), row.locator("td").nth(1).inner_text()))
    assert codes
    for n, (number, code) in enumerate(codes):
        page.context.clear_cookies()
        page.goto("/audits/boards/")
        if n == 0:
            check_widths(page, assert_accessible)
            page.get_by_label("Board number").fill(number)
            page.get_by_label("Code").fill("WRONG")
            page.get_by_role("button", name="Sign in").click()
            page.wait_for_load_state()
            assert "do not match" in page.inner_text("main")
        page.get_by_label("Board number").fill(number)
        page.get_by_label("Code").fill(code)
        page.get_by_role("button", name="Sign in").click()
        page.wait_for_url(re.compile(r"/audits/boards/\d+/$"))
        page.locator("main tbody a").first.click()
        if n == 0:
            check_widths(page, assert_accessible)
            page.get_by_role("button", name="Record this ballot").click()  # nothing chosen: every contest named
            page.wait_for_load_state()
            assert "Nothing was recorded" in page.inner_text("main")
        while "/ballots/" in page.url:
            box = page.get_by_label("Ann Lee", exact=True)
            box.focus()
            page.keyboard.press("Space")
            page.get_by_role("button", name="Record this ballot").click()
            page.wait_for_load_state()
        if n == 0:
            check_widths(page, assert_accessible)
        page.get_by_label("Names of the board's members").fill("Pat Doe, Lee Roe")
        page.get_by_role("button", name="Sign off the board's records").click()
        page.wait_for_load_state()
        assert "Signed off by Pat Doe, Lee Roe" in page.inner_text("main")

    sign_in_as(page, "wi-chief")
    page.goto(audit_url)
    page.get_by_role("button", name="Measure the risk of round 1").click()
    page.wait_for_load_state()
    main = page.inner_text("main")
    assert "Risk after round 1" in main and "Met: the outcome is confirmed" in main
    check_widths(page, assert_accessible)
    with page.expect_download() as download:
        page.get_by_role("link", name="Audit report (PDF)").click()
    assert open(download.value.path(), "rb").read(4) == b"%PDF"


BUTTONS = {"manifest": "Upload the manifest", "cvr": "Upload the cast vote records", "tallies": "Upload the batch tallies"}


def _upload(page, kind: str, name: str, content: str) -> None:
    """Upload one file on the jurisdiction page and wait for the worker to process it (htmx polls)."""
    url = page.url
    page.locator(f"#id_{kind}-file").set_input_files({"name": name, "mimeType": "text/csv", "buffer": content.encode()})
    page.get_by_role("button", name=BUTTONS[kind]).click()
    page.wait_for_url(url)
    page.locator("main tr", has_text=name).get_by_text("Processed").wait_for(timeout=30_000)


def _enter_tallies(page, assert_accessible, votes: dict[str, str], *, check: bool) -> int:
    """On a town's page, enter every batch still to count with ``votes`` (label → number)."""
    entered = 0
    while True:
        links = page.locator("main").get_by_role("link", name=re.compile(r"^Enter batch "))
        if not links.count():
            return entered
        town = page.url
        links.first.click()
        if check and not entered:
            check_widths(page, assert_accessible)
            page.get_by_role("button", name="Enter the hand tally").click()
            page.wait_for_load_state()
            assert "Nothing was entered" in page.inner_text("main")
        for label, value in votes.items():
            page.get_by_label(label, exact=True).fill(value)
        page.get_by_role("button", name="Enter the hand tally").click()
        page.wait_for_url(town)
        entered += 1


def test_a_batch_comparison_that_does_not_confirm_escalates_to_a_full_hand_count(page, assert_accessible):
    sign_in_as(page, "wi-chief")
    page.goto("/audits/new/")
    page.get_by_label("Name of the audit").fill("Wisconsin 2026 batch audit")
    page.get_by_label("Election audited").fill("November 3, 2026 general election")
    field = page.get_by_label("Batch comparison (MACRO)")
    field.focus()
    page.keyboard.press("Space")
    page.get_by_label("Risk limit (percent)").fill("10")
    page.get_by_label("Participating jurisdictions").fill("Town Of Abrams\nTown Of Ackley")
    page.get_by_role("button", name="Create the audit").click()
    page.wait_for_url(re.compile(r"/audits/\d+/$"))
    audit_url = page.url
    for n, town in enumerate(("abrams", "ackley")):
        page.goto(audit_url)
        page.locator("main").get_by_role("link", name=re.compile(f"town of {town}", re.IGNORECASE)).click()
        _upload(page, "manifest", f"{town}-manifest.csv", "Batch Name,Number of Ballots\nWard 1,100\nWard 2,100\n")
        tallies = "Batch Name,Contest,Choice,Votes\n" + "".join(
            f"Ward {w},Sheriff,Ann Lee,{70 - n}\nWard {w},Sheriff,Bo Day,{25 + n}\n" for w in (1, 2)
        )
        _upload(page, "tallies", f"{town}-tallies.csv", tallies)
        if n == 0:
            check_widths(page, assert_accessible)
    page.goto(audit_url)
    box = page.get_by_label("Target Sheriff")
    box.focus()
    page.keyboard.press("Space")
    page.get_by_role("button", name="Save the targeted contests").click()
    page.wait_for_load_state()
    page.get_by_label("Random seed (20 or more digits)").fill("91827364550192837465")
    page.get_by_role("button", name="Fix the seed and launch").click()
    page.wait_for_load_state()
    assert "no error in any batch expected" in page.inner_text("main")
    check_widths(page, assert_accessible)
    page.get_by_label("This many batches").focus()
    page.keyboard.press("Space")
    page.get_by_label("Draws (batches)").fill("3")
    page.get_by_role("button", name="Draw round 1").click()
    page.wait_for_load_state()
    assert "safelect rla draw-batches --seed 91827364550192837465" in page.inner_text("main")
    # the hand tallies of the sampled batches show the reported winner far behind
    towns = [a.get_attribute("href") for a in page.locator("main tbody a[href*='/jurisdictions/']").all()]
    checked = False
    for town in towns:
        page.goto(town)
        if not checked:
            check_widths(page, assert_accessible)
        checked |= _enter_tallies(page, assert_accessible, {"Votes for Ann Lee": "20", "Votes for Bo Day": "75"}, check=not checked) > 0
    assert checked
    page.goto(audit_url)
    page.get_by_role("button", name="Measure the risk of round 1").click()
    page.wait_for_load_state()
    main = page.inner_text("main")
    assert "Risk after round 1" in main and "Not met" in main and "Escalate to a full hand count" in main
    check_widths(page, assert_accessible)
    page.get_by_role("button", name="Escalate to a full hand count").click()
    page.wait_for_load_state()
    assert "0 of 4 batches entered" in page.inner_text("main")
    for town in towns:
        page.goto(town)
        assert _enter_tallies(page, assert_accessible, {"Votes for Ann Lee": "30", "Votes for Bo Day": "65"}, check=False) == 2
    page.goto(audit_url)
    main = page.inner_text("main")
    assert "Complete" in main and "does NOT confirm the reported outcome" in main and "Bo Day: 260" in main
    check_widths(page, assert_accessible)
    with page.expect_download() as download:
        page.get_by_role("link", name="Audit report (PDF)").click()
    assert open(download.value.path(), "rb").read(4) == b"%PDF"


def test_a_county_uploads_and_watches_its_files_processed(page, assert_accessible):
    sign_in_as(page, "autauga")
    page.goto("/audits/")
    page.get_by_role("link", name="Alabama 2026 general election audit").click()
    check_widths(page, assert_accessible)
    main = page.inner_text("main")
    assert "Autauga County" in main and "Baldwin County" not in main  # a county sees only its own row
    page.locator("main").get_by_role("link", name=re.compile("Autauga County")).click()
    own = page.url
    check_widths(page, assert_accessible)
    page.locator("#id_cvr-file").set_input_files(str(FIXTURES / "dominion.csv"))  # USWDS names it "Drag file here or choose…"
    page.get_by_role("button", name="Upload the cast vote records").click()
    page.wait_for_url(own)
    assert "dominion.csv received" in page.inner_text("main")
    page.locator("main tr", has_text="dominion.csv").get_by_text("Processed").wait_for(timeout=30_000)  # htmx polls the worker's progress
    page.reload()
    assert "dominion.csv: 6 cards, 3 contests" in page.inner_text("main")
    check_widths(page, assert_accessible)

    # the runoff audit's round 1 is recorded: the county reads the risk and downloads the observer kit
    page.goto("/audits/")
    page.get_by_role("link", name="Alabama 2026 primary runoff audit").click()
    main = page.inner_text("main")
    assert "Risk after round 1" in main and "Lieutenant Governor" in main
    check_widths(page, assert_accessible)
    with page.expect_download() as download:
        page.get_by_role("link", name="Observer kit (zip)").click()
    assert open(download.value.path(), "rb").read(2) == b"PK"
    page.locator("main").get_by_role("link", name=re.compile("Autauga County")).click()
    assert "Signed off by Demo Board Members" in page.inner_text("main") or "signed off by Demo Board Members" in page.inner_text("main")
    check_widths(page, assert_accessible)

    page.context.clear_cookies()
    sign_in_as(page, "baldwin")
    assert page.goto(own).status == 404
