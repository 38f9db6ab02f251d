"""Governance in a real browser, each page checked with axe-core at 1280 and 390 px.

The demo's version 2 of the guidelines goes from its open comment period to publication: a member of
the public comments without an account (a blank comment refused first) and puts a voter's Social
Security number in it; the comment is held, and published only with the number removed; the 45 days
pass (the one step done outside the browser: the demo database's dates are moved); staff close the
period, record the dispositions and submit to the Secretary; leadership sends the guidelines to
Congress and publishes them; the public reads the published version and what changed. Then the
bodies' and reports' pages: the public sees the Commission's missing seat, staff appoint the tenth
member, staff draft a report that leadership approves and submits, and the public reads it."""

from __future__ import annotations

import re

import pytest
from test_first_users_browser import check_widths
from test_kernel_browser import sign_in_as

pytestmark = pytest.mark.browser
SSN = "219-09-9999"

PASS_45_DAYS = """
import datetime as dt
from django.utils import timezone
from safelect.core.comments.models import Solicitation
from safelect.core.obligations.models import Obligation
from safelect.programs.governance.models import GuidelineVersion
v = GuidelineVersion.objects.get(number=2)
past = timezone.now() - dt.timedelta(minutes=5)
Solicitation.objects.filter(pk=v.solicitation_id).update(opens_at=past - dt.timedelta(days=45), closes_at=past)
Obligation.objects.filter(duty_code="S2261-5f", subject_type="governance.guidelineversion", subject_id=str(v.pk)).update(
    trigger_at=past - dt.timedelta(days=45), due_at=past, due_soon_at=past - dt.timedelta(days=3))
print("moved")
"""


def _new_page(browser, demo_server):
    context = browser.new_context(base_url=demo_server)
    page = context.new_page()
    page.set_default_timeout(20_000)
    return page


def test_a_guideline_version_from_comment_to_publication(page, browser, demo_server, demo_shell, assert_accessible):
    page.goto("/")
    page.get_by_role("link", name="Read the draft and comment").click()
    page.wait_for_url("**/governance/guidelines/")
    check_widths(page, assert_accessible)
    page.get_by_role("link", name="Version 2").click()
    page.wait_for_url("**/governance/guidelines/2/")
    assert "Comment on this draft" in page.inner_text("main")
    check_widths(page, assert_accessible)
    page.get_by_role("button", name="Send the comment").click()
    page.wait_for_load_state()
    assert "at least a sentence" in page.inner_text("main")
    check_widths(page, assert_accessible)
    page.get_by_label("Your comment").fill(f"My neighbour's SSN is {SSN}. Audits of the results sites should be public too.")
    page.get_by_label("Your name (optional; published with the comment)").fill("Taylor Voter")
    page.get_by_role("button", name="Send the comment").click()
    page.wait_for_load_state()
    received = re.search(r"comment number (\d+) was received", page.inner_text("main"))
    assert received, page.inner_text("main")
    number = received.group(1)
    assert "Taylor Voter" not in page.inner_text("main")  # nothing is published before moderation

    sign_in_as(page, "program-staff")
    page.goto("/governance/guidelines/2/")
    check_widths(page, assert_accessible)
    page.get_by_role("link", name="Moderate the comments").click()
    page.wait_for_url("**/moderation/")
    ours = page.get_by_role("region", name=re.compile(f"Comment {number} "))
    assert "Social Security number" in ours.inner_text() and SSN not in ours.inner_text()
    check_widths(page, assert_accessible)
    while page.get_by_role("button", name=re.compile(r"^Publish comment")).count():
        page.get_by_role("button", name=re.compile(r"^Publish comment")).first.click()
        page.wait_for_load_state()

    assert demo_shell(PASS_45_DAYS).strip().endswith("moved")
    page.goto("/governance/guidelines/2/")
    page.get_by_role("button", name="Close the comment period").click()
    page.wait_for_load_state()
    assert "consider the comments" in page.inner_text("main")
    page.get_by_role("button", name="Submit to the Secretary").click()  # refused: no dispositions yet
    page.wait_for_load_state()
    assert "Consider every public comment first" in page.inner_text("main")
    page.get_by_role("link", name="Record the dispositions").click()
    page.wait_for_url("**/moderation/")
    while page.get_by_role("button", name=re.compile(r"^Record the disposition of comment")).count():
        button = page.get_by_role("button", name=re.compile(r"^Record the disposition of comment")).first
        which = re.search(r"comment (\d+)", button.inner_text()).group(1)
        page.get_by_label(f"Disposition of comment {which}").select_option("adopted")
        page.get_by_label(f"Why (comment {which})").fill("Section 2 now covers results sites.")
        button.click()
        page.wait_for_load_state()
    check_widths(page, assert_accessible)
    page.goto("/governance/guidelines/2/")
    page.get_by_role("button", name="Submit to the Secretary").click()
    page.wait_for_load_state()
    assert "14 days of S.2261 §5(i) run" in page.inner_text("main")

    secretary = _new_page(browser, demo_server)
    try:
        sign_in_as(secretary, "director")
        secretary.goto("/governance/guidelines/2/")
        assert "The Secretary submits the guidelines to the appropriate congressional committees by" in secretary.inner_text("main")
        check_widths(secretary, assert_accessible)
        secretary.get_by_role("button", name="Submit to the appropriate congressional committees").click()
        secretary.wait_for_load_state()
        assert "Sent to the appropriate congressional committees" in secretary.inner_text("main")
        secretary.get_by_role("button", name="Distribute to every election agency and publish").click()
        secretary.wait_for_load_state()
        assert "Distributed to every election agency and published" in secretary.inner_text("main")
    finally:
        secretary.context.close()

    public = _new_page(browser, demo_server)
    try:
        public.goto("/governance/guidelines/2/")
        text = public.inner_text("main")
        assert "Distributed and published" in text and "Taylor Voter" in text
        assert "[Social Security number removed]" in text and SSN not in public.content()
        check_widths(public, assert_accessible)
        public.get_by_role("link", name="What changed since version 1").click()
        public.wait_for_url("**/changes/")
        changes = public.inner_text("main")
        assert "Election-night reporting" in changes and "Added" in changes
        check_widths(public, assert_accessible)
    finally:
        public.context.close()


def test_bodies_and_reports(page, browser, demo_server, assert_accessible):
    page.goto("/governance/")
    check_widths(page, assert_accessible)
    page.get_by_role("link", name="National Commission to Protect United States Democratic Institutions").click()
    page.wait_for_url("**/bodies/commission/")
    assert "§302(c)(1)(F)" in page.inner_text("main")
    check_widths(page, assert_accessible)
    page.goto("/governance/reports/")
    assert "Senate Committee on Rules and Administration" in page.inner_text("main")
    check_widths(page, assert_accessible)
    page.get_by_role("link", name=re.compile("National strategy to protect")).click()
    assert "H.R. 5011 §301(b)(7)" in page.inner_text("main")
    check_widths(page, assert_accessible)

    sign_in_as(page, "program-staff")
    page.goto("/governance/bodies/commission/")
    page.get_by_label("Name", exact=True).fill("Sasha Browser")
    page.get_by_label("Appointed by", exact=True).select_option("house_minority")
    page.get_by_label("Expertise", exact=True).fill("cybersecurity")
    page.get_by_label("Appointed on", exact=True).fill("2026-11-20")
    page.get_by_role("button", name="Record the appointment").click()
    page.wait_for_load_state()
    assert "The composition meets the statute" in page.inner_text("main")
    check_widths(page, assert_accessible)
    page.goto("/governance/reports/")
    page.get_by_label("Report").select_option("resources")
    page.get_by_role("button", name="Start the report").click()
    page.wait_for_load_state()
    assert "Report on the adequacy of funding" in page.inner_text("h1")
    check_widths(page, assert_accessible)
    page.get_by_role("button", name="Send for review").click()  # refused: empty sections
    page.wait_for_load_state()
    assert "Write every section first" in page.inner_text("main")
    page.get_by_label("Authors").fill("Office of Election Security")
    for label in ("1. Adequacy of funding", "2. Adequacy of resources", "3. Adequacy of personnel"):
        page.get_by_label(re.compile(re.escape(label))).fill("Adequate for the first year; see the table.")
    page.get_by_role("button", name="Save the draft").click()
    page.wait_for_load_state()
    page.get_by_role("button", name="Send for review").click()
    page.wait_for_load_state()
    assert "Sent for review" in page.inner_text("main")
    url = page.url
    page.goto("/governance/reports/")
    plan_link = page.get_by_role("link", name=re.compile(r"Implementation plan"))
    plan_link.first.click()
    assert "Progress of each strategic objective" in page.content()
    check_widths(page, assert_accessible)

    leader = _new_page(browser, demo_server)
    try:
        sign_in_as(leader, "director")
        leader.goto(url)
        check_widths(leader, assert_accessible)
        leader.get_by_role("button", name="Approve").click()
        leader.wait_for_load_state()
        box = leader.get_by_label("Publish a public version on safelect")
        box.focus()
        leader.keyboard.press("Space")
        leader.get_by_role("button", name="Record the submission to the recipients").click()
        leader.wait_for_load_state()
        assert "Submission recorded" in leader.inner_text("main")
    finally:
        leader.context.close()
    public = _new_page(browser, demo_server)
    try:
        public.goto(url)
        text = public.inner_text("main")
        assert "Adequate for the first year" in text and "House Committee on Homeland Security" in text
        check_widths(public, assert_accessible)
    finally:
        public.context.close()
