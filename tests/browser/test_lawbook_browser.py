"""The lawbook and the public front door in a real browser, axe-core at 1280 and 390 px, and without
JavaScript: ask from the home page, read the answer, follow its citation to the provision, follow a
defined term to its definition, and open a section of each bill."""

from __future__ import annotations

import re

import pytest
from test_first_users_browser import check_widths

pytestmark = pytest.mark.browser


def test_ask_from_the_front_door_and_follow_the_citation(page, assert_accessible):
    page.goto("/")
    check_widths(page, assert_accessible)
    page.get_by_label("Ask the bills a question").fill(
        "Who does the Department share information about election cybersecurity threats with?"
    )
    page.get_by_role("button", name="Ask").click()
    page.wait_for_url(re.compile(r"/lawbook/ask/\?q="))
    main = page.inner_text("main")
    assert "S.2261 §4(c)" in main and "all State election agencies" in main and "Nothing is generated" in main
    check_widths(page, assert_accessible)
    page.get_by_role("link", name=re.compile(r"^S\.2261 §4\(c\)")).first.click()
    page.wait_for_url(re.compile(r"/lawbook/s2261/4/#p-4-c"))
    assert "Presumption of Federal and State Information Sharing" in page.inner_text("main")
    check_widths(page, assert_accessible)
    page.locator("#p-4-j-1").get_by_role("link", name="incident").click()
    page.wait_for_url(re.compile(r"/lawbook/s2261/3/#p-3-15"))
    check_widths(page, assert_accessible)


def test_the_contents_and_a_house_section_without_javascript(browser, demo_server, page, assert_accessible):
    page.goto("/lawbook/")
    check_widths(page, assert_accessible)
    page.get_by_role("link", name=re.compile(r"§297C\. Eligibility of States")).click()
    page.wait_for_url("**/lawbook/hr5011/297C/")
    main = page.inner_text("main")
    assert "inserted by H.R. 5011 §101" in main and "risk-limiting audits" in main
    check_widths(page, assert_accessible)
    page.goto("/lawbook/ask/?q=What+is+the+salary+of+the+Secretary%3F")
    assert "The bills do not say." in page.inner_text("main")
    check_widths(page, assert_accessible)
    plain = browser.new_context(base_url=demo_server, java_script_enabled=False)
    try:
        offline = plain.new_page()
        offline.goto("/lawbook/ask/?q=How+long+does+a+vendor+have+to+tell+a+county+about+a+breach%3F")
        assert "3 calendar days" in offline.inner_text("main")
        offline.goto("/lawbook/hr5011/205/")
        assert "not later than 90 days" in offline.inner_text("main").lower()
    finally:
        plain.close()


def test_the_rla_calculator_and_published_audits(page, assert_accessible, tmp_path):
    page.goto("/")
    page.get_by_role("link", name="Open the calculator").click()
    page.wait_for_url("**/audits/calculator/")
    check_widths(page, assert_accessible)
    page.get_by_label("Ballots cast in the contest").fill("10000")
    page.get_by_label("Votes for the reported winner").fill("5500")
    page.get_by_label("Votes for the runner-up").fill("4400")
    page.get_by_role("button", name="Compute the sample sizes").click()
    page.wait_for_load_state()
    assert "Ballot polling (BRAVO), 90 % chance to finish in one round" in page.inner_text("main")
    check_widths(page, assert_accessible)
    manifest = tmp_path / "manifest.csv"
    manifest.write_text("Batch Name,Number of Ballots\nB1,50\nB2,70\n")
    page.get_by_label("Random seed").fill("12345678901234567890123")
    page.get_by_label("Ballots to draw").fill("3")
    page.locator("#id_draw-manifest").set_input_files(str(manifest))
    page.get_by_role("button", name="Draw", exact=True).click()
    page.wait_for_load_state()
    assert "3 draws from 120 ballots in 2 batches" in page.inner_text("main")
    check_widths(page, assert_accessible)
    page.get_by_role("link", name="Published audits, with their reports and observer kits").click()
    page.wait_for_url("**/audits/published/")
    check_widths(page, assert_accessible)
