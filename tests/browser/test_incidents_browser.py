"""Incidents in a real browser, as the people of S.2261 §4(h)–(k) use them, each page checked with
axe-core at 1280 and 390 px:

* a county election official saves a report as a draft, comes back to it and records it, assesses it
  as an incident, notifies
  the national office with the §4(k) content and sends an update — keyboard for the USWDS
  checkboxes and radios;
* regional field staff see their region's incidents (Wisconsin's) but no way to file for them;
* national-office staff see every open incident with its clock; leadership reads the definition of
  a significant incident, records one as significant, reviews the recipients in Congress, sends the
  notification and downloads the PDF letter.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import re
from zoneinfo import ZoneInfo

import pytest
from test_first_users_browser import check_widths
from test_kernel_browser import sign_in_as

pytestmark = pytest.mark.browser

CENTRAL = ZoneInfo("America/Chicago")  # Autauga County, Alabama


def _local(moment: dt.datetime) -> str:
    return moment.astimezone(CENTRAL).strftime("%Y-%m-%dT%H:%M")


def _tick(page, label: str) -> None:
    """USWDS draws its own boxes over hidden inputs: a person uses the keyboard (Space)."""
    field = page.get_by_label(label, exact=True)
    field.focus()
    page.keyboard.press("Space")
    assert field.is_checked(), label


def test_a_county_reports_assesses_notifies_and_updates(page, assert_accessible):
    now = dt.datetime.now(tz=CENTRAL)
    sign_in_as(page, "autauga")
    page.goto("/")
    page.get_by_role("link", name="Incidents", exact=True).first.click()
    page.wait_for_url("**/incidents/")
    check_widths(page, assert_accessible)
    page.get_by_role("link", name="Report a possible incident").click()
    check_widths(page, assert_accessible)
    page.get_by_label("Short title").fill("Ransomware note on the clerk's laptop")
    page.get_by_label("How did you learn of it?").fill("The deputy clerk saw a ransom note on screen")
    page.get_by_role("button", name="Save as draft").click()  # interrupted: the phone rings
    page.wait_for_load_state()
    assert "Continuing your draft" in page.inner_text("main")
    assert page.get_by_label("Short title").input_value() == "Ransomware note on the clerk's laptop"
    check_widths(page, assert_accessible)
    page.get_by_label("When did your agency become aware of it?").fill(_local(now - dt.timedelta(minutes=40)))
    _tick(page, "Network")
    page.get_by_role("button", name="Record the possible incident").click()
    page.wait_for_url(re.compile(r"/incidents/\d+/$"))
    assert "possible incident: assessing" in page.inner_text("main").lower()
    assert "S.2261 §4(h)(1)" in page.inner_text("main")
    check_widths(page, assert_accessible)

    page.get_by_role("link", name="Record the assessment").click()
    _tick(page, "Incident occurred (reason to believe)")
    page.get_by_label("When was the incident discovered? (if it occurred)").fill(_local(now - dt.timedelta(minutes=30)))
    page.get_by_role("button", name="Record the assessment").click()
    page.wait_for_url(re.compile(r"/incidents/\d+/$"))
    main = page.inner_text("main")
    assert "incident: notice to the national office due" in main.lower() and "S.2261 §4(i)" in main
    check_widths(page, assert_accessible)

    page.get_by_role("link", name="Notify the national office").click()
    page.get_by_role("button", name="Send the notice").click()  # empty: every missing item is named
    page.wait_for_load_state()
    assert "Nothing was saved" in page.inner_text("main") and page.locator(".usa-error-message").count() >= 4
    check_widths(page, assert_accessible)
    page.get_by_label("When did the incident start? (§4(k)(1)(A))").fill(_local(now - dt.timedelta(hours=2)))
    _tick(page, "Network")
    page.get_by_label("Circumstances (§4(k)(1)(B))").fill("A ransom note appeared on one laptop of the clerk's office.")
    page.get_by_label("Information acquired (§4(k)(1)(B))").fill("Unknown; the laptop holds no voter records.")
    page.get_by_label("Technical measures planned (§4(k)(1)(C))").fill("Reimage the laptop; review the network logs.")
    page.get_by_label("Technical measures implemented (§4(k)(1)(C))").fill("Disconnected the laptop from the network.")
    page.get_by_role("button", name="Send the notice").click()
    page.wait_for_url(re.compile(r"/incidents/\d+/$"))
    main = page.inner_text("main")
    assert (
        "incident: national office notified" in main.lower()
        and "notified (late)" not in main.lower()
        and "fulfilled on time" in main.lower()
    )
    check_widths(page, assert_accessible)

    page.get_by_role("link", name="Send an update").click()
    page.get_by_label("What is new in this update?").fill("The logs show no other device was reached.")
    page.get_by_role("button", name="Send the update").click()
    page.wait_for_url(re.compile(r"/incidents/\d+/$"))
    assert "Update 2" in page.inner_text("main")
    check_widths(page, assert_accessible)

    log = b"2026-11-03T07:01:02Z laptop-7 ransom note shown\n" * 10
    page.locator("#evidence-file").set_input_files({"name": "laptop.log", "mimeType": "application/x-msdownload", "buffer": log})
    page.get_by_label(re.compile("What it is")).fill("Event log of the laptop")
    page.get_by_role("button", name="Attach the file").click()
    page.wait_for_load_state()
    assert hashlib.sha256(log).hexdigest() in page.inner_text("main")  # typed from the content, not the browser's label
    check_widths(page, assert_accessible)
    with page.expect_download() as download:
        page.get_by_role("link", name="laptop.log").click()
    assert open(download.value.path(), "rb").read() == log


def test_regional_staff_read_their_region_s_incidents_and_national_staff_see_the_board(page, assert_accessible):
    sign_in_as(page, "region5")  # Region 5 includes Wisconsin, not Alabama
    page.goto("/incidents/?show=all")
    listed = page.inner_text("main")
    assert "Wisconsin" in listed and "Autauga" not in listed and "Report a possible incident" not in listed
    page.get_by_role("link", name=re.compile(r"INC-\d{4}-\d{5}")).first.click()
    main = page.inner_text("main")
    assert "Wisconsin" in main and "Next step" not in main and "late" in main.lower()
    check_widths(page, assert_accessible)
    assert page.goto("/incidents/new/").status == 403  # the national office reads; agencies file

    page.context.clear_cookies()
    sign_in_as(page, "program-staff")
    page.goto("/incidents/")
    text = page.inner_text("main")
    assert "Autauga County" in text and "Report a possible incident" not in text
    check_widths(page, assert_accessible)


def test_the_national_office_records_a_significant_incident_and_notifies_congress(page, assert_accessible):
    eastern = ZoneInfo("America/New_York")
    sign_in_as(page, "director")
    page.goto("/incidents/")
    page.get_by_role("link", name=re.compile("definition of a significant incident")).click()
    assert "Version 1" in page.inner_text("main")
    check_widths(page, assert_accessible)

    page.goto("/incidents/?show=all")
    row = page.locator("main tr", has_text="Phishing email to poll workers")
    row.get_by_role("link", name=re.compile(r"INC-\d{4}-\d{5}")).click()
    page.get_by_role("link", name="Record it as a significant incident").click()
    check_widths(page, assert_accessible)
    _tick(page, "Votes or vote counts could have been altered")
    moment = dt.datetime.now(tz=eastern) - dt.timedelta(minutes=20)
    page.get_by_label("When was there a reasonable basis to conclude that it is significant?").fill(moment.strftime("%Y-%m-%dT%H:%M"))
    page.get_by_label("Why", exact=True).fill("E-pollbook passwords were taken the week of the election.")
    page.get_by_role("button", name="Record as significant").click()
    page.wait_for_url(re.compile(r"/incidents/\d+/$"))
    assert "S.2261 §4(p)(1)(A)" in page.inner_text("main")
    check_widths(page, assert_accessible)

    page.get_by_role("link", name="Notify Congress", exact=True).click()
    recipients = page.inner_text("main")
    assert "Senator" in recipients and "(AL" in recipients and "Speaker of the House" in recipients
    check_widths(page, assert_accessible)
    page.get_by_role("button", name="Send the notification").click()
    page.wait_for_url(re.compile(r"/incidents/\d+/congress/1/$"))
    assert "NOTIFICATION OF A SIGNIFICANT ELECTION CYBERSECURITY INCIDENT" in page.inner_text("main")
    check_widths(page, assert_accessible)
    with page.expect_download() as download:
        page.get_by_role("link", name="Download the letter (PDF)").click()
    assert open(download.value.path(), "rb").read(4) == b"%PDF"


def test_a_provider_keeps_its_customers_and_notifies_them_of_a_possible_incident(page, assert_accessible):
    sign_in_as(page, "vendor")
    page.goto("/accounts/organizations/demo:vendor:ballotworks/")
    assert "Autauga County" in page.inner_text("main")  # the demo records that BallotWorks hosts its results site
    page.get_by_label("State or territory of the agency").select_option(label="Alabama")
    page.get_by_label("Agency name").fill("Baldwin County")
    page.get_by_label("What the provider does for the agency").fill("Supports the electronic pollbooks")
    page.get_by_role("button", name="Add", exact=True).click()
    page.wait_for_load_state()
    assert "Baldwin County" in page.locator("main table").inner_text()
    check_widths(page, assert_accessible)

    page.goto("/incidents/new/")
    page.get_by_label("Short title").fill("Pollbook sync service unreachable")
    page.get_by_label("When did your agency become aware of it?").fill(_local(dt.datetime.now(tz=CENTRAL) - dt.timedelta(minutes=50)))
    page.get_by_label("How did you learn of it?").fill("Monitoring alert")
    _tick(page, "Electronic pollbook")
    page.get_by_role("button", name="Record the possible incident").click()
    page.wait_for_url(re.compile(r"/incidents/\d+/$"))
    assert "notice to the agencies served due" in page.inner_text("main").lower() and "S.2261 §4(j)(1)" in page.inner_text("main")
    page.get_by_role("link", name="Notify the agencies you serve").click()
    check_widths(page, assert_accessible)
    _tick(page, page.locator("main .usa-checkbox__label", has_text="Baldwin County").first.inner_text())
    page.get_by_label("When did the incident start? (§4(k)(1)(A))").fill(_local(dt.datetime.now(tz=CENTRAL) - dt.timedelta(hours=1)))
    _tick(page, "Electronic pollbook")
    page.get_by_label("Circumstances (§4(k)(1)(B))").fill("The sync service refused connections for 40 minutes.")
    page.get_by_label("Information acquired (§4(k)(1)(B))").fill("None known.")
    page.get_by_label("Technical measures planned (§4(k)(1)(C))").fill("Root-cause review.")
    page.get_by_label("Technical measures implemented (§4(k)(1)(C))").fill("Restarted the service behind a new firewall rule.")
    page.get_by_role("button", name="Send the notice").click()
    page.wait_for_url(re.compile(r"/incidents/\d+/$"))
    main = page.inner_text("main")
    assert "agencies served notified" in main.lower() and "Baldwin County" in main
    check_widths(page, assert_accessible)


def _choose(page, fieldset, label: str) -> None:
    field = fieldset.get_by_label(label)
    field.focus()
    page.keyboard.press("Space")
    assert field.is_checked(), label


def test_a_state_reviews_personal_information_exports_stix_and_closes_its_incident(page, assert_accessible):
    """S.2261 §4(g): Wisconsin's update names a voter and its evidence is a voter-file sample."""
    sign_in_as(page, "region5")  # sees Wisconsin's incident, does not review its personal information
    page.goto("/incidents/?show=all")
    page.locator("main tr", has_text="Registration system service account").get_by_role("link", name=re.compile(r"INC-")).click()
    assert "Personal information (S.2261 §4(g))" not in page.inner_text("main")
    incident_url = page.url
    assert page.goto(incident_url + "personal/").status == 403

    page.context.clear_cookies()
    sign_in_as(page, "wi-chief")
    page.goto(incident_url)
    main = page.inner_text("main")
    assert "Personal information (S.2261 §4(g))" in main and "not yet reviewed" in main
    page.get_by_role("link", name="Review the personal information").click()
    check_widths(page, assert_accessible)
    phone = page.locator("fieldset", has_text="Phone number in Update 2")
    assert phone.locator("mark").inner_text() == "(608) 266-8005"
    assert "cells of the column" in page.inner_text("main")  # the sample of the records viewed, by column
    _choose(page, phone, "Keep (not a voter's personal information, or needed)")
    page.get_by_role("button", name="Record the decisions").click()  # no reason: refused, nothing saved
    page.wait_for_load_state()
    assert "Say why this personal information may be kept" in page.inner_text("main")
    check_widths(page, assert_accessible)
    phone = page.locator("fieldset", has_text="Phone number in Update 2")
    phone.get_by_label("Reason to keep it").fill("The State help desk's public number")
    page.get_by_role("button", name="Record the decisions").click()
    page.wait_for_load_state()
    assert "1 decision recorded" in page.inner_text("main")
    page.get_by_role("button", name=re.compile(r"Redact all \d+ not yet reviewed")).click()
    page.wait_for_load_state()
    assert "0 not yet reviewed" in page.inner_text("main")
    check_widths(page, assert_accessible)

    page.goto(incident_url)
    with page.expect_download() as download:
        page.get_by_role("link", name="Download as STIX 2.1").click()
    exported = open(download.value.path(), encoding="utf-8").read()
    assert '"type": "incident"' in exported and "(608) 266-8005" in exported and "0041234567" not in exported
    assert "[ipv4-addr:value = '198.51.100.23']" in exported

    page.get_by_role("link", name="Close the incident (resolved)").click()
    check_widths(page, assert_accessible)
    page.get_by_role("button", name="Close the incident").click()  # no note: refused
    page.wait_for_load_state()
    assert "Nothing was saved" in page.inner_text("main")
    page.get_by_label("How was the incident resolved?").fill("Credentials rotated; forensic review closed.")
    page.get_by_role("button", name="Close the incident").click()
    page.wait_for_url(incident_url)
    main = page.inner_text("main")
    assert "Closed" in main and page.get_by_role("link", name="Send an update").count() == 0 and "Next step" not in main
    assert "Purge the personal information of a closed incident" in main  # the retention clock
    check_widths(page, assert_accessible)
