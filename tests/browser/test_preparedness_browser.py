"""The preparedness services in a real browser, each page checked with axe-core at 1280 and 390 px:
the public catalog (also without JavaScript); Wisconsin requests an assessment from the catalog, the
assessment team schedules, starts and reports it, Wisconsin reads the TLP:AMBER+STRICT report and
closes a remediation item; a clearance request and the clearance officer's status; a State's
threat assessment delivered; the annual report generated, downloaded and submitted."""

from __future__ import annotations

import datetime as dt
import re

import pytest
from test_first_users_browser import check_widths
from test_kernel_browser import sign_in_as

pytestmark = pytest.mark.browser


def test_the_public_catalog_without_signing_in_and_without_javascript(page, browser, demo_server, assert_accessible):
    page.goto("/")
    page.get_by_role("link", name="Services", exact=True).first.click()
    page.wait_for_url("**/services/")
    main = page.inner_text("main")
    assert "Cybersecurity services for election agencies" in main and "Risk and vulnerability assessment" in main
    assert "Personnel with a security clearance sign in" in main and "fusion center" not in main  # the annex note is for the cleared
    check_widths(page, assert_accessible)
    page.get_by_label("Search the services").fill("phishing")
    page.get_by_role("button", name="Show services").click()
    page.wait_for_load_state()
    assert "Phishing campaign assessment" in page.inner_text("main") and "Tabletop" not in page.inner_text("main")
    check_widths(page, assert_accessible)
    page.get_by_role("link", name="Print view").click()
    assert "S.2261 §4(m)" in page.inner_text("main")
    check_widths(page, assert_accessible)
    plain = browser.new_context(base_url=demo_server, java_script_enabled=False)
    try:
        offline = plain.new_page()
        offline.goto("/services/?category=monitoring")
        text = offline.inner_text("main")
        assert "intrusion detection sensors" in text and "Tabletop" not in text
        assert offline.goto("/services/catalog.json").ok
    finally:
        plain.close()


def test_staff_keep_the_catalog(page, assert_accessible):
    sign_in_as(page, "program-staff")
    page.goto("/services/")
    page.get_by_role("link", name="Add a service to the catalog").click()
    check_widths(page, assert_accessible)
    page.get_by_role("button", name="Save the service").click()
    page.wait_for_load_state()
    assert "Nothing was saved" in page.inner_text("main")
    page.get_by_label("Title", exact=True).fill("Election website hardening review")
    page.get_by_label("Federal agency providing it").fill("Cybersecurity and Infrastructure Security Agency")
    page.get_by_label("Category").select_option(label="Assessments and testing")
    page.get_by_label("What it is").fill("A review of an election office's public website configuration.")
    page.get_by_label("Who may receive it").fill("State and local election offices.")
    page.get_by_label("How to request it").fill("Write to the point of contact.")
    page.get_by_label("Point of contact", exact=True).fill("Web desk")
    page.get_by_label("Point of contact's email").fill("web-desk@demo.safelect.invalid")
    page.get_by_role("button", name="Save the service").click()
    page.wait_for_url(re.compile(r"/services/#service-"))
    assert "Election website hardening review" in page.inner_text("main")
    page.get_by_role("link", name="Edit Election website hardening review").click()
    check_widths(page, assert_accessible)
    page.get_by_label("Cost").fill("No cost")
    page.get_by_role("button", name="Save the service").click()
    page.wait_for_url(re.compile(r"/services/#service-"))


def test_an_assessment_from_request_to_closed_remediation(page, assert_accessible):
    sign_in_as(page, "wi-chief")
    page.goto("/services/")
    assert "fusion center" in page.inner_text("main")  # Wisconsin's chief holds a final clearance in the demo
    page.get_by_role("link", name=re.compile(r"^Request a risk and vulnerability assessment")).click()
    page.wait_for_url("**/services/assessments/new/")
    check_widths(page, assert_accessible)
    page.get_by_role("button", name="Request the assessment").click()
    page.wait_for_load_state()
    assert "Nothing was saved" in page.inner_text("main")
    page.get_by_label("Systems to assess").fill("Badger Books electronic poll books\nCounty canvass reporting system")
    page.get_by_role("button", name="Request the assessment").click()
    page.wait_for_url(re.compile(r"/services/assessments/\d+/$"))
    main = page.inner_text("main")
    assert "Commence by (H.R. 5011 §205(b)(1))" in main and "Badger Books" in main
    check_widths(page, assert_accessible)
    url = page.url

    page.context.clear_cookies()
    sign_in_as(page, "program-staff")
    page.goto(url)
    check_widths(page, assert_accessible)
    page.get_by_label("Assessment team").select_option(label="Assessment team West")
    start = dt.date.today() + dt.timedelta(days=40)
    page.get_by_label("First day").fill(start.isoformat())
    page.get_by_label("Last day").fill((start + dt.timedelta(days=2)).isoformat())
    page.get_by_role("button", name="Schedule the assessment").click()
    page.wait_for_load_state()
    assert "Scheduled from" in page.inner_text("main")
    page.get_by_role("button", name="The assessment has begun").click()
    page.wait_for_load_state()
    check_widths(page, assert_accessible)
    page.get_by_label("Findings").fill("The poll book synchronisation service accepts unauthenticated requests on the county network.")
    page.get_by_label("Item 1: what to remediate").fill("Require authentication on the synchronisation service")
    page.get_by_label("Item 1: owner").fill("Wisconsin Elections Commission IT")
    page.get_by_label("Item 1: due").fill((dt.date.today() + dt.timedelta(days=30)).isoformat())
    page.get_by_role("button", name="Deliver the report").click()
    page.wait_for_load_state()
    assert "Report delivered" in page.inner_text("main")
    page.goto("/services/assessments/calendar/")
    check_widths(page, assert_accessible)

    page.context.clear_cookies()
    sign_in_as(page, "wi-chief")
    page.goto(url)
    main = page.inner_text("main")
    assert "TLP:AMBER+STRICT" in main and "unauthenticated requests" in main
    check_widths(page, assert_accessible)
    page.get_by_label("How “Require authentication on the synchronisation service” was remediated").fill("Authentication enabled; tested.")
    page.get_by_role("button", name="Close the item").click()
    page.wait_for_load_state()
    assert "Closed" in page.inner_text("main")
    assert page.inner_text("main").count("Closed") >= 1

    page.context.clear_cookies()
    sign_in_as(page, "baldwin")
    assert page.goto(url).status == 404  # another State's county never sees the report


def test_clearances_threat_assessments_and_the_annual_report(page, assert_accessible):
    sign_in_as(page, "wi-chief")
    page.goto("/services/clearances/")
    check_widths(page, assert_accessible)
    page.get_by_label("The person's email address").fill("wi-staff@demo.safelect.invalid")
    choice = page.get_by_label("Designated technical staff of a State election agency")
    choice.focus()
    page.keyboard.press("Space")
    page.get_by_role("button", name="Request the clearance").click()
    page.wait_for_load_state()
    assert "already has a clearance request in progress" in page.inner_text("main")  # the demo's temporary one
    check_widths(page, assert_accessible)

    page.context.clear_cookies()
    sign_in_as(page, "clearance")
    page.goto("/services/clearances/")
    page.locator("main tbody tr", has_text="Autauga").get_by_role("link").first.click()
    check_widths(page, assert_accessible)
    page.get_by_label("New status").select_option(label="Forms submitted")
    page.get_by_label("On", exact=True).fill(dt.date.today().isoformat())
    page.get_by_role("button", name="Record the status").click()
    page.wait_for_load_state()
    assert "Forms submitted" in page.inner_text("main")
    page.get_by_label("Issued on").fill(dt.date.today().isoformat())
    page.get_by_label("Expires on", exact=True).fill((dt.date.today() + dt.timedelta(days=90)).isoformat())
    page.get_by_role("button", name="Record the temporary clearance").click()
    page.wait_for_load_state()
    assert "Temporary clearance recorded" in page.inner_text("main")
    check_widths(page, assert_accessible)

    page.context.clear_cookies()
    sign_in_as(page, "program-staff")
    page.goto("/services/threats/?year=2026")
    main = page.inner_text("main")
    assert "by May 7, 2026" in main and "Wisconsin" in main
    check_widths(page, assert_accessible)
    page.locator("main").get_by_role("link", name="Wisconsin", exact=True).click()
    check_widths(page, assert_accessible)
    page.get_by_label("Step").select_option(label="Delivered")
    page.get_by_label("Unclassified note").fill("Briefed at the Wisconsin fusion center.")
    page.get_by_role("button", name="Record the step").click()
    page.wait_for_url(re.compile(r"/services/threats/\?year=2026"))
    assert "Wisconsin: recorded." in page.inner_text("main")

    page.context.clear_cookies()
    sign_in_as(page, "director")
    page.goto(f"/services/report/?year={dt.date.today().year}")
    check_widths(page, assert_accessible)
    page.get_by_role("button", name=re.compile("Generate the draft")).click()
    page.wait_for_load_state()
    main = page.inner_text("main")
    assert "Section 203" in main and "Wisconsin" in main and "Alabama" in main
    check_widths(page, assert_accessible)
    with page.expect_download() as download:
        page.get_by_role("link", name="XLSX").click()
    assert open(download.value.path(), "rb").read(2) == b"PK"


def test_the_interstate_sharing_assessment_hears_the_states(page, assert_accessible):
    sign_in_as(page, "wi-chief")
    page.goto("/")
    page.get_by_role("link", name="Comments", exact=True).first.click()
    page.wait_for_url("**/comments/")
    check_widths(page, assert_accessible)
    page.get_by_role("link", name=re.compile(r"information, 2026$")).click()
    assert "Revise the comment" in page.inner_text("main")
    check_widths(page, assert_accessible)
    page.get_by_label("Revise the comment").fill(
        "We would like the regional calls to include the counties' IT staff, monthly in election years."
    )
    page.get_by_role("button", name="Save the revision").click()
    page.wait_for_load_state()
    assert "you may revise it until the close" in page.inner_text("main")

    page.context.clear_cookies()
    sign_in_as(page, "program-staff")
    page.goto("/services/interstate/")
    check_widths(page, assert_accessible)
    page.get_by_role("button", name="Draft the assessment").click()  # nothing filled: both fields named
    page.wait_for_load_state()
    assert "Name the assessment" in page.inner_text("main")
    check_widths(page, assert_accessible)
    page.get_by_label("Title").fill("Sharing with the territories, 2026")
    page.get_by_label("What it covers and asks the States").fill("How the territories receive and share election threat information.")
    page.get_by_role("button", name="Draft the assessment").click()
    page.wait_for_url(re.compile(r"/services/interstate/\d+/$"))
    page.get_by_role("button", name="Solicit comments from every State election office").click()
    page.wait_for_load_state()
    assert "0 of 56 responded" in page.inner_text("main")
    # the 2025 edition: comments closed; Minnesota's comment still needs its disposition, then it is issued
    page.goto("/services/interstate/")
    page.get_by_role("link", name=re.compile(r"2025$")).click()
    edition = page.url
    page.get_by_role("button", name=re.compile("Issue it")).click()
    page.wait_for_load_state()
    assert "no disposition yet" in page.inner_text("main")
    page.get_by_role("link", name="Responses, reminders and dispositions").click()
    check_widths(page, assert_accessible)
    page.get_by_label(re.compile(r"^Disposition of Minnesota")).select_option(label="Considered, not adopted")
    page.get_by_label(re.compile(r"^Why \(Minnesota")).fill("A directory of contacts already exists in safelect's directory.")
    page.get_by_role("button", name="Record the disposition").click()
    page.wait_for_load_state()
    assert "Disposition of Minnesota" in page.inner_text("main")
    page.goto(edition)
    page.get_by_label("The assessment as issued").fill(
        "The MS-ISAC's election services reach every State and its alerts are timely; States also rely on regional calls. "
        "Recommendation: a regional call in every federal region before each general election."
    )
    page.get_by_role("button", name=re.compile("Issue it")).click()
    page.wait_for_load_state()
    main = page.inner_text("main")
    assert "Distribution (§4(o)(3))" in main and "Local election agency" in main
    check_widths(page, assert_accessible)
    page.goto("/services/interstate/")

    page.get_by_role("link", name=re.compile(r"information, 2026$")).click()
    assert "1 of 56 responded" in page.inner_text("main")
    check_widths(page, assert_accessible)
    page.get_by_role("link", name="Responses, reminders and dispositions").click()
    assert "Responses: 1 of 56" in page.inner_text("main")
    check_widths(page, assert_accessible)
    page.get_by_role("button", name="Remind those who have not commented").click()
    page.wait_for_load_state()
    text = page.inner_text("main")
    assert "Reminder sent to 55 organizations" in text or "already sent today" in text
