"""Information sharing in a real browser, as the people of S.2261 §4(b)–(g) and H.R. 5011 §202 use
it, each page checked with axe-core at 1280 and 390 px:

* national-office staff open the board of information awaiting a decision, decide to share, write
  an alert from it, read exactly who will receive it (by audience, then the list) and publish it;
* leadership withholds an item by written determination, which the item page then shows;
* a county reads what was shared with it (TLP:RED included, with its PDF copy) and changes its
  subscription; its neighbour cannot open the RED advisory;
* Wisconsin's chief election official opens the threat notice (a read receipt is recorded);
* a federal partner submits information and records a written withholding (§4(b)).
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


def test_staff_decide_write_preview_and_publish(page, assert_accessible):
    sign_in_as(page, "program-staff")
    page.goto("/")
    page.get_by_role("link", name="Sharing", exact=True).first.click()
    page.wait_for_url("**/sharing/")
    check_widths(page, assert_accessible)
    page.get_by_role("link", name="Information awaiting a decision").click()
    check_widths(page, assert_accessible)
    page.get_by_role("link", name=re.compile(r"INF-\d{4}-\d{5}")).first.click()
    assert "No decision yet" in page.inner_text("main")
    check_widths(page, assert_accessible)
    page.get_by_label("Which information this decision covers").fill("The kit's sender addresses and the lure text")
    page.get_by_role("button", name="Record the decision").click()
    page.wait_for_load_state()
    assert "Decision recorded" in page.inner_text("main")
    page.get_by_role("link", name="Write a product from it").click()
    check_widths(page, assert_accessible)
    page.get_by_label("Kind of product").select_option("alert")
    _press(page, page.get_by_label("All State election agencies (§4(c)(2))"))
    page.get_by_label("Local election agencies of these counties (five-digit FIPS codes, separated by commas)").fill("01001, 01003")
    page.get_by_role("button", name="Save the draft").click()
    page.wait_for_url(re.compile(r"/sharing/products/\d+/$"))
    main = page.inner_text("main")
    assert "Who will receive it" in main and "58 organizations" in main and "State election agency (§4(c)(2))" in main
    check_widths(page, assert_accessible)
    page.get_by_role("button", name="Publish to these 58 organizations").click()
    page.wait_for_load_state()
    assert "published to 58 organizations" in page.inner_text("main")
    check_widths(page, assert_accessible)


def test_leadership_withholds_in_writing(page, assert_accessible):
    sign_in_as(page, "director")
    page.goto("/sharing/items/new/")
    check_widths(page, assert_accessible)
    page.get_by_role("button", name="Record the information").click()  # empty: every field named
    page.wait_for_load_state()
    assert "Nothing was saved" in page.inner_text("main")
    check_widths(page, assert_accessible)
    page.get_by_label("Short title").fill("Insider reporting on a vendor")
    _press(page, page.get_by_label("Threats"))
    page.get_by_label("Where it came from").select_option("federal_entity")
    page.get_by_label("TLP 2.0 marking it came with").select_option("red")
    page.get_by_label("Summary").fill("Reporting from a confidential source about a vendor's employee.")
    page.get_by_role("button", name="Record the information").click()
    page.wait_for_url(re.compile(r"/sharing/items/\d+/$"))
    _press(page, page.get_by_label("Withhold (written determination of good cause)"))
    page.get_by_label("Which information this decision covers").fill("All of it")
    page.get_by_label("Good cause (withholding only)").fill("It would identify the source during an investigation.")
    page.get_by_label("Review the withholding on").fill("2031-01-15")
    page.get_by_label("Your title (the Secretary or the delegate deciding)").fill("Deputy Secretary")
    page.get_by_role("button", name="Record the decision").click()
    page.wait_for_load_state()
    main = page.inner_text("main")
    assert "withheld by written determination" in main.lower() and "It would identify the source" in main and "2031-01-15" in main
    check_widths(page, assert_accessible)


def test_a_county_reads_within_tlp_and_manages_its_subscription(page, assert_accessible):
    sign_in_as(page, "autauga")
    page.goto("/sharing/")
    main = page.inner_text("main")
    assert "Credential reuse at the county clerk's office" in main and "TLP:RED" in main
    page.locator("main tr", has_text="Credential reuse").get_by_role("link").click()
    red_url = page.url
    assert "For the named recipients only." in page.inner_text("main")
    check_widths(page, assert_accessible)
    with page.expect_download() as download:
        page.get_by_role("link", name=re.compile("Download as PDF")).click()
    assert open(download.value.path(), "rb").read(4) == b"%PDF"
    page.goto("/sharing/subscription/")
    check_widths(page, assert_accessible)
    _press(page, page.get_by_label("Election night reporting"))
    page.get_by_role("button", name="Save the changes").click()
    page.wait_for_load_state()
    assert "Your agency receives ongoing updates" in page.inner_text("main")

    page.context.clear_cookies()
    sign_in_as(page, "baldwin")
    assert page.goto(red_url).status == 404
    page.goto("/sharing/")
    assert "Credential reuse" not in page.inner_text("main")


def test_the_chief_state_official_reads_the_threat_notice_and_a_partner_submits(page, assert_accessible):
    sign_in_as(page, "wi-chief")
    page.goto("/sharing/")
    page.locator("main tr", has_text="Threats against Wisconsin").get_by_role(
        "link", name=re.compile(r"^SHR-")
    ).click()  # the product, not the citation beside it
    assert "TLP:AMBER+STRICT" in page.inner_text("main")
    check_widths(page, assert_accessible)

    page.context.clear_cookies()
    sign_in_as(page, "dhs")
    page.goto("/sharing/")
    page.get_by_role("link", name="Submit information (S.2261 §4(b))").click()
    check_widths(page, assert_accessible)
    page.get_by_label("Short title").fill("Credential phishing against county clerks")
    _press(page, page.get_by_label("Threats"))
    page.get_by_label("TLP 2.0 marking it came with").select_option("amber")
    page.get_by_label("Summary").fill("Lures impersonate the State's election office.")
    page.get_by_label("STIX 2.1 bundle (optional)").fill('{"type": "bundle", "id": "bundle--1", "objects": []}')
    page.get_by_role("button", name="Record the information").click()
    page.wait_for_load_state()
    assert "does not match the id format" in page.inner_text("main")  # the validator's own words
    check_widths(page, assert_accessible)
    page.get_by_label("STIX 2.1 bundle (optional)").fill("")
    page.get_by_role("button", name="Record the information").click()
    page.wait_for_url(re.compile(r"/sharing/items/\d+/$"))
    page.goto("/sharing/withholdings/")
    check_widths(page, assert_accessible)
    page.get_by_label("Official who decided").fill("The Director")
    _press(page, page.get_by_label("Head of the entity"))
    page.get_by_label("The particular information withheld").fill("Names of the targeted clerks")
    page.get_by_label("Good cause").fill("Victim notification is under way")
    page.get_by_label("Date of the written determination").fill("2026-11-20")
    page.get_by_role("button", name="Record the determination").click()
    page.wait_for_load_state()
    assert "Victim notification is under way" in page.inner_text("main")


def test_classified_information_is_recorded_as_metadata_and_reviewed(page, assert_accessible):
    sign_in_as(page, "program-staff")
    page.goto("/sharing/items/")
    page.get_by_role("link", name="Classified information received (§4(e))").click()
    check_widths(page, assert_accessible)
    page.get_by_label("Unclassified description").fill("(S) reporting about a county")
    _press(page, page.get_by_label("Threats"))
    page.get_by_label("Classification level").select_option("secret")
    page.get_by_label("Originating federal entity").select_option(
        label="Department of Homeland Security, including its critical infrastructure protection and cybersecurity component"
    )
    page.get_by_role("button", name="Record it").click()
    page.wait_for_load_state()
    assert "portion marking" in page.inner_text("main")  # nothing classified goes in
    check_widths(page, assert_accessible)
    page.get_by_label("Unclassified description").fill("Reporting about the targeting of a county network")
    page.get_by_role("button", name="Record it").click()
    page.wait_for_url(re.compile(r"/sharing/classified/\d+/$"))
    detail_url = page.url
    assert "S.2261 §4(e)(1)" in page.inner_text("main")
    check_widths(page, assert_accessible)
    page.get_by_label("Federal entity with authority to conduct the review").select_option(
        label="Department of Homeland Security, including its critical infrastructure protection and cybersecurity component"
    )
    page.get_by_role("button", name="Record the request").click()
    page.wait_for_load_state()
    assert "S.2261 §4(e)(2)" in page.inner_text("main")

    page.context.clear_cookies()
    sign_in_as(page, "dhs")
    page.goto(detail_url)
    check_widths(page, assert_accessible)
    _press(page, page.get_by_label("Partly declassified"))
    page.get_by_label("The declassified version (unclassified text)").fill("A county network was scanned from abroad in October.")
    page.get_by_role("button", name="Record the outcome").click()
    page.wait_for_load_state()
    assert "Partly declassified" in page.inner_text("main")
    check_widths(page, assert_accessible)
