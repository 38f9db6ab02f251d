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
    page.get_by_label("Participating jurisdictions").fill("Town Of Abrams")
    page.get_by_role("button", name="Create the audit").click()
    page.wait_for_url(re.compile(r"/audits/\d+/$"))
    main = page.inner_text("main")
    assert "No ballot manifest yet." in main and "town of abrams" in main.lower()
    check_widths(page, assert_accessible)


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

    page.context.clear_cookies()
    sign_in_as(page, "baldwin")
    assert page.goto(own).status == 404
