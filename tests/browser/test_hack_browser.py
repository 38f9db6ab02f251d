"""Hack the Election in a real browser, each page checked with axe-core at 1280 and 390 px: the public
program page, safe harbour and advisory (also without JavaScript); a person applies, is refused for
bad input, applies, and sees the application pending; the office qualifies an applicant and triages
the demo's later report as a duplicate of the earlier one the finder proposes; the demo researcher
submits a report with a proof-of-concept file (a bad vector refused first); the vendor adds a system
to its inventory and volunteers it; the county records its remediation and asks for help; leadership
approves an award; staff schedule a round, publish a safe-harbour version and solicit input; the
applicant confirms their address from the emailed link; the researcher withdraws and gives back
consent to be named."""

from __future__ import annotations

import re

import pytest
from test_first_users_browser import check_widths, mailbox_text
from test_kernel_browser import sign_in, sign_in_as

pytestmark = pytest.mark.browser


def _tick(page, label, exact: bool = False) -> None:
    """USWDS draws its own boxes over hidden inputs: a person uses the keyboard (Space)."""
    field = page.get_by_label(label, exact=exact)
    field.focus()
    page.keyboard.press("Space")
    assert field.is_checked(), label


GOOD_VECTOR = "CVSS:4.0/AV:L/AC:L/AT:N/PR:L/UI:N/VC:H/VI:H/VA:N/SC:N/SI:N/SA:N"


def test_the_public_pages_without_signing_in_and_without_javascript(page, browser, demo_server, assert_accessible):
    page.goto("/")
    page.get_by_role("link", name="Hack the Election", exact=True).first.click()
    page.wait_for_url("**/hack/")
    main = page.inner_text("main")
    assert "2027 spring round" in main and "$15,000" in main and "Riley R." in main
    check_widths(page, assert_accessible)
    page.get_by_role("link", name=re.compile(r"^SAFELECT-")).first.click()
    page.wait_for_url(re.compile(r"/hack/advisories/SAFELECT-"))
    text = page.inner_text("main")
    assert "CWE-79" in text and "Autauga County Results site" in text and "/results?precinct" not in text  # no steps published
    check_widths(page, assert_accessible)
    page.goto("/hack/safe-harbor/")
    assert "Version 1" in page.inner_text("main")
    check_widths(page, assert_accessible)
    plain = browser.new_context(base_url=demo_server, java_script_enabled=False)
    try:
        offline = plain.new_page()
        offline.goto("/hack/")
        assert "Hall of fame" in offline.inner_text("main")
    finally:
        plain.close()


def test_a_person_applies_to_qualify(page, assert_accessible):
    page.goto("/hack/apply/")
    check_widths(page, assert_accessible)
    page.get_by_role("button", name="Apply").click()
    page.wait_for_load_state()
    main = page.inner_text("main")
    assert "Give an email address" in main and "Attest that the identity" in main
    check_widths(page, assert_accessible)
    page.get_by_label("Full legal name").fill("Morgan Browser")
    page.get_by_label("Email address").fill("morgan@test.safelect.invalid")
    page.get_by_label("Password").fill("a long enough pass phrase 2026")
    page.get_by_label("Country of residence").fill("United States")
    _tick(page, "The identity I give is mine")
    _tick(page, "I am 18 or older")
    _tick(page, "No law, sanction or employer rule")
    _tick(page, "I agree to the program's rules")
    page.get_by_role("button", name="Apply").click()
    page.wait_for_url("**/accounts/sign-in/**")
    sign_in(page, "morgan@test.safelect.invalid", "a long enough pass phrase 2026")
    page.goto("/hack/researcher/")
    main = page.inner_text("main")
    assert "Awaiting the office" in main and "Confirm your email address" in main
    check_widths(page, assert_accessible)
    mailbox_text(page, "Confirm your address for Hack the Election")  # the person opens their mail
    mail = page.locator("main article", has_text="morgan@test.safelect.invalid").filter(has_text="Confirm your address")
    link = mail.get_by_role("link", name=re.compile(r"hack.confirm")).get_attribute("href")
    mail.get_by_role("link", name=re.compile(r"hack.confirm")).click()
    page.wait_for_url("**/hack/confirm/**")
    assert "Your address is confirmed" in page.inner_text("main")
    check_widths(page, assert_accessible)
    page.goto(link.replace("/confirm/", "/confirm/x"))
    assert "This confirmation link is not valid" in page.inner_text("main")
    page.goto("/hack/researcher/")
    assert "Confirm your email address" not in page.inner_text("main")


def test_the_office_qualifies_and_triages_a_duplicate(page, assert_accessible):
    sign_in_as(page, "program-staff")
    page.goto("/hack/")
    page.get_by_role("link", name="Triage board").click()
    page.wait_for_url("**/hack/board/")
    check_widths(page, assert_accessible)
    page.get_by_role("link", name=re.compile(r"^HTQ-")).first.click()
    check_widths(page, assert_accessible)
    page.get_by_role("button", name="Record the decision").click()
    page.wait_for_load_state()
    assert page.locator(".usa-error-message").count() >= 1
    _tick(page, "Qualify", exact=True)
    page.get_by_role("button", name="Record the decision").click()
    page.wait_for_url("**/hack/board/")
    page.get_by_role("link", name=re.compile(r"^HTE-")).first.click()
    main = page.inner_text("main")
    assert "Earlier reports that may be the same" in main
    earlier = page.locator("table a[href^='/hack/findings/']").first.inner_text()
    check_widths(page, assert_accessible)
    _tick(page, "Duplicate", exact=True)
    page.get_by_label("Note to the researcher").fill("The same weakness was reported first by another report.")
    page.get_by_label("Duplicate of (reference)").fill(earlier)
    page.get_by_role("button", name="Record the triage").click()
    page.wait_for_load_state()
    assert f"Duplicate of {earlier}" in page.inner_text("main")


def test_the_researcher_reports_with_a_proof_of_concept(page, assert_accessible, tmp_path):
    sign_in_as(page, "researcher")
    page.goto("/hack/")
    page.get_by_role("link", name="Your researcher portal").click()
    page.wait_for_url("**/hack/researcher/")
    assert "Qualified" in page.inner_text("main") and "Tally 5" in page.inner_text("main")
    check_widths(page, assert_accessible)
    page.get_by_role("link", name="Report a vulnerability").click()
    check_widths(page, assert_accessible)
    page.get_by_label("Scope").select_option(index=1)
    page.get_by_label("Title").fill("Maintenance menu reachable without the supervisor PIN")
    page.get_by_label("Version tested").fill("5.4.1")
    page.get_by_label("Description and impact").fill("Holding two buttons at boot opens the maintenance menu with no PIN asked.")
    page.get_by_label("Steps to reproduce").fill("Hold the two side buttons while powering on; choose Maintenance.")
    page.get_by_label("Weakness (CWE)").fill("CWE-306")
    page.get_by_label("CVSS 4.0 vector").fill("CVSS:4.0/AV:L/AC:Z")
    proof = tmp_path / "poc.sh"
    proof.write_text("#!/bin/sh\necho 'boot with both buttons held'\n")
    page.locator("#id_files").set_input_files(str(proof))
    page.get_by_role("button", name="Submit the report").click()
    page.wait_for_load_state()
    assert "The CVSS 4.0 vector is not valid" in page.inner_text("main")
    check_widths(page, assert_accessible)
    page.get_by_label("CVSS 4.0 vector").fill(GOOD_VECTOR)
    page.locator("#id_files").set_input_files(str(proof))
    page.get_by_role("button", name="Submit the report").click()
    page.wait_for_url(re.compile(r"/hack/findings/\d+/$"))
    main = page.inner_text("main")
    assert "CWE-306" in main and "poc.sh" in main and "Submitted, awaiting triage" in main
    check_widths(page, assert_accessible)
    with page.expect_download() as download:
        page.get_by_role("link", name="poc.sh").click()
    assert download.value.suggested_filename == "poc.sh"


def test_the_vendor_volunteers_a_system_and_the_county_remediates(page, browser, demo_server, assert_accessible):
    sign_in_as(page, "vendor")
    page.goto("/hack/")
    page.get_by_role("link", name="Your systems, designations and findings").click()
    page.wait_for_url("**/hack/systems/")
    check_widths(page, assert_accessible)
    page.get_by_label("Kind of system").select_option(label="Electronic pollbook")
    page.get_by_label("Manufacturer").fill("BallotWorks")
    page.get_by_label("Product").fill("CheckIn Pro")
    page.get_by_label("Version").fill("2.1")
    page.get_by_role("button", name="Add to the inventory").click()
    page.wait_for_load_state()
    page.get_by_label("System from your inventory").select_option(label="BallotWorks CheckIn Pro 2.1")
    page.get_by_label("Circumstances").select_option(label="During a mock election")
    page.get_by_label("First day it may be assessed").fill("2027-03-01")
    page.get_by_label("Last day").fill("2027-12-31")
    page.get_by_label("Rules of engagement").fill("Test the pollbooks at the mock election site only.")
    page.get_by_label("Out of scope").fill("The voter file itself; staff.")
    page.get_by_role("button", name="Volunteer the system").click()
    page.wait_for_load_state()
    assert "Agree to the safe-harbour statement" in page.inner_text("main")
    _tick(page, "We agree to the safe-harbour statement")
    page.get_by_role("button", name="Volunteer the system").click()
    page.wait_for_load_state()
    assert "CheckIn Pro 2.1 volunteered" in page.inner_text("main")
    check_widths(page, assert_accessible)
    county = browser.new_context(base_url=demo_server)
    try:
        other = county.new_page()
        sign_in_as(other, "autauga")
        other.goto("/hack/systems/")
        other.locator("tr", has_text="Unsigned firmware").get_by_role("link").click()
        text = other.inner_text("main")
        assert "Unsigned firmware" in text and "Steps to reproduce" not in text  # notified as a user of the product
        check_widths(other, assert_accessible)
        other.get_by_label("Remediation status").select_option(label="Remediation in progress")
        other.get_by_label("Ask for technical assistance").fill("Please help us verify the vendor's patch on our units.")
        other.get_by_role("button", name="Record", exact=True).click()
        other.wait_for_load_state()
        assert "technical assistance asked on" in other.inner_text("main")
    finally:
        county.close()


def test_leadership_approves_an_award_and_staff_keep_the_program(page, browser, demo_server, assert_accessible):
    sign_in_as(page, "director")
    page.goto("/hack/board/")
    page.locator("h2:has-text('Awards to approve') + ul a").first.click()
    page.get_by_role("button", name=re.compile(r"^Approve the award")).click()
    page.wait_for_load_state()
    assert "Award approved" in page.inner_text("main")
    check_widths(page, assert_accessible)
    staff = browser.new_context(base_url=demo_server)
    try:
        other = staff.new_page()
        sign_in_as(other, "program-staff")
        other.goto("/hack/manage/")
        check_widths(other, assert_accessible)
        other.get_by_role("button", name="Schedule the round").click()
        other.wait_for_load_state()
        assert other.locator(".usa-error-message").count() >= 1
        other.get_by_label("Name of the round").fill("2027 autumn round")
        other.get_by_label("Opens").fill("2027-09-01T09:00")
        other.get_by_label("Closes").fill("2027-10-15T17:00")
        other.get_by_label("Rules of the round").fill("The rules of the spring round apply unchanged.")
        _tick(other, re.compile(r"^HTD-.*CheckIn Pro"))
        other.get_by_label("Award for a critical finding").fill("20000")
        other.get_by_label("High (US dollars)").fill("8000")
        other.get_by_role("button", name="Schedule the round").click()
        other.wait_for_load_state()
        assert "2027 autumn round" in other.inner_text("main")
        other.get_by_label("What the agencies are asked").fill("How should rounds be scheduled around your election calendar?")
        other.get_by_label("Comments close at the end of").fill("2027-06-30")
        other.get_by_role("button", name="Ask every State and local election office").click()
        other.wait_for_load_state()
        assert "Input solicited" in other.inner_text("main")
        check_widths(other, assert_accessible)
    finally:
        staff.close()


def test_the_researcher_withdraws_and_gives_back_consent_to_be_named(page, browser, demo_server, assert_accessible):
    """After the award above, the demo researcher is in the hall of fame; they withdraw, then come back
    under another name (a blank name refused first)."""
    public = browser.new_context(base_url=demo_server)
    try:
        reader = public.new_page()
        reader.goto("/hack/")
        assert "Riley R." in reader.inner_text("main")
        sign_in_as(page, "researcher")
        page.goto("/hack/researcher/")
        field = page.get_by_label("List me in the public hall of fame", exact=False)
        assert field.is_checked()
        field.focus()
        page.keyboard.press("Space")
        page.get_by_role("button", name="Save how I am named").click()
        page.wait_for_load_state()
        assert "You are not named in public" in page.inner_text("main")
        check_widths(page, assert_accessible)
        reader.reload()
        assert "Riley R." not in reader.inner_text("main")
        _tick(page, re.compile("List me in the public hall of fame"))
        page.get_by_label("Name to show").fill("")
        page.get_by_role("button", name="Save how I am named").click()
        page.wait_for_load_state()
        assert "Give the name to show" in page.inner_text("main")
        check_widths(page, assert_accessible)
        page.get_by_label("Name to show").fill("R. Rivera")
        page.get_by_role("button", name="Save how I am named").click()
        page.wait_for_load_state()
        assert "You are listed as R. Rivera" in page.inner_text("main")
        reader.reload()
        assert "R. Rivera" in reader.inner_text("main")
    finally:
        public.close()
