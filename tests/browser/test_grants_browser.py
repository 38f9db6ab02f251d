"""Grants in a real browser, as the people of S.2261 §7 and H.R. 5011 §297–298 use them, each page
checked with axe-core at 1280 and 390 px:

* the grants officer creates a formula program, sees its allocation table and chart, publishes it,
  reviews Wisconsin's application (a finding with its reason), sees an award refused while a
  condition is not met, then awards it and records a payment; keeps the provider lists;
* Wisconsin's chief election official sees the State's allocations and applies to the H.R. 5011
  program, with the statute's questions, first incompletely (refused, nothing saved);
* Minnesota cannot open Wisconsin's application; the researcher reads the research call.
"""

from __future__ import annotations

import re

import pytest
from test_first_users_browser import check_widths
from test_kernel_browser import sign_in_as

pytestmark = pytest.mark.browser


def _press(page, field) -> None:
    field.focus()
    page.keyboard.press("Space")
    assert field.is_checked()


def test_the_officer_creates_publishes_reviews_and_awards(page, assert_accessible):
    sign_in_as(page, "grants")
    page.goto("/")
    page.get_by_role("link", name="Grants", exact=True).first.click()
    page.wait_for_url("**/grants/")
    check_widths(page, assert_accessible)
    page.get_by_role("link", name="New program").click()
    check_widths(page, assert_accessible)
    page.get_by_role("button", name="Create the draft").click()  # empty: every field named
    page.wait_for_load_state()
    assert "Nothing was saved" in page.inner_text("main")
    page.get_by_label("Title").fill("Cybersecurity and modernization grants, FY2028")
    _press(page, page.get_by_label("S.2261 §7(a)–(e): election system cybersecurity and modernization grants"))
    page.get_by_label("Fiscal year").fill("2028")
    page.get_by_label("Appropriation (whole dollars)").fill("250000000")
    page.get_by_label("Applications open").fill("2026-11-01")
    page.get_by_label("Applications close").fill("2027-03-31")
    page.get_by_role("button", name="Create the draft").click()
    page.wait_for_url(re.compile(r"/grants/programs/\d+/$"))
    main = page.inner_text("main")
    assert "preview, not frozen" in main and "$250,000,000 allocated" in main and "Raised to its floor of $1,250,000" in main
    check_widths(page, assert_accessible)
    page.get_by_role("link", name="name", exact=True).click()
    assert page.inner_text("main").index("Alabama (AL)") < page.inner_text("main").index("Wyoming (WY)")
    page.get_by_role("button", name="Publish and freeze the allocation").click()
    page.wait_for_load_state()
    assert "the allocation is frozen" in page.inner_text("main")

    page.goto("/grants/review/")
    check_widths(page, assert_accessible)
    page.locator("main tr", has_text="Wisconsin").get_by_role("link").click()
    main = page.inner_text("main")
    assert "S.2261 §7(b)(2)(A)(iii)" in main and "(computed)" in main and "Not yet awardable" in main
    check_widths(page, assert_accessible)
    page.get_by_role("button", name="Award the grant").click()
    page.wait_for_load_state()
    assert "cannot be awarded" in page.inner_text("main") and "not yet reviewed" in page.inner_text("main")
    _press(page, page.locator("#met-7b2Ai"))
    page.get_by_label("Reason").fill("Each county's controls and budget are named.")
    page.get_by_role("button", name="Record the finding").click()
    page.wait_for_load_state()
    assert "Each county's controls and budget are named." in page.inner_text("main")
    page.get_by_label("Number of payments").fill("2")
    page.get_by_role("button", name="Award the grant").click()
    page.wait_for_load_state()
    main = page.inner_text("main")
    assert "Awarded" in main and "Payment schedule" in main
    check_widths(page, assert_accessible)
    page.get_by_role("button", name="Record payment 1").click()
    page.wait_for_load_state()
    assert "Record payment 1" not in page.inner_text("main")

    page.goto("/grants/providers/")
    check_widths(page, assert_accessible)
    page.get_by_role("link", name="Add a provider to this list").last.click()
    check_widths(page, assert_accessible)
    page.get_by_label("Name").fill("Precinct Systems")
    _press(page, page.get_by_label(re.compile(r"Owned and controlled by a citizen")))
    page.get_by_role("button", name="Save and publish").click()
    page.wait_for_load_state()
    assert "Say what shows the criterion is met" in page.inner_text("main")
    check_widths(page, assert_accessible)


def test_a_state_applies_with_the_statutes_questions(page, assert_accessible):
    sign_in_as(page, "wi-chief")
    page.goto("/grants/")
    main = page.inner_text("main")
    assert "Wisconsin's allocations" in main
    check_widths(page, assert_accessible)
    page.get_by_role("link", name=re.compile("Paper ballot voting systems")).first.click()
    check_widths(page, assert_accessible)
    page.get_by_role("link", name="Apply").click()
    check_widths(page, assert_accessible)
    page.get_by_label("How the State will use the grant").fill("Replace the remaining direct-recording machines in 12 counties.")
    page.get_by_role("button", name="Submit for review").click()
    page.wait_for_load_state()
    assert "Required to submit" in page.inner_text("main")
    check_widths(page, assert_accessible)
    _press(page, page.locator("input[name=rla_certification][value=yes]"))
    _press(page, page.locator("input[name=paper_ballot_systems][value=yes]"))
    page.get_by_role("button", name="Submit for review").click()
    page.wait_for_url(re.compile(r"/grants/applications/\d+/$"))
    main = page.inner_text("main")
    assert "submitted for review" in main and "HAVA §297C(2)" in main and "met (computed)" in main.lower()
    own = page.url
    check_widths(page, assert_accessible)

    page.context.clear_cookies()
    sign_in_as(page, "researcher")
    assert page.goto(own).status == 404
    page.goto("/grants/")
    page.get_by_role("link", name=re.compile("innovation research")).first.click()
    assert "Continue your application" in page.inner_text("main") or "Your application" in page.inner_text("main")
    check_widths(page, assert_accessible)
