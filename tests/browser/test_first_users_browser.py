"""What the first invited people do, in a real browser against `safelect demo`, each page checked
with axe-core at desktop (1280 px) and phone (390 px) widths:

* an organization admin invites a colleague (no SMTP server but the demo's mail catcher): the
  invitation page answers, the email appears in the demo mailbox, the link creates the account;
* a password reset answers the same for a known and an unknown address, and only the known one
  gets an email;
* a chief State election official reads an engagement as released: no markup shown as text, no
  withheld words;
* national-office staff type a malformed withheld span (refused, with where), and import a row
  with the same mistake: the FOIA export never shows the words inside the span;
* error pages keep the site shell and a way back.
"""

import re
import time
from pathlib import Path

import pytest
from test_kernel_browser import keyboard_check, sign_in, sign_in_as  # the same folder is on sys.path (rootdir-relative)

from safelect.core.accounts.demo import demo_email

pytestmark = pytest.mark.browser

WIDTHS = (1280, 390)
WEEKLY_HEADERS = [
    "Region",
    "State",
    "Meeting Location",
    "Meeting Date",
    "DHS POC",
    "Key Attendees & Affiliation other than POC",
    "Key Discussion Points",
    "Issues or Concerns",
    "Follow-up Required",
    "For NFPD Leadership Awareness",
    "Leadership Action",
    "Next Scheduled Engagement",
    "Notes / Comments",
]


def check_widths(page, assert_accessible):
    """axe-core at both widths, and nothing wider than the phone screen."""
    for width in WIDTHS:
        page.set_viewport_size({"width": width, "height": 900})
        assert_accessible(page)
        if width == 390:
            overflow = page.evaluate("document.documentElement.scrollWidth - document.documentElement.clientWidth")
            if overflow > 1:
                culprits = page.evaluate(
                    """() => [...document.querySelectorAll('body *')].filter(e => e.scrollWidth > e.clientWidth + 1 && e.clientWidth > 0)
                          .slice(-5).map(e => e.tagName + '.' + e.className + ' ' + e.scrollWidth + '>' + e.clientWidth)"""
                )
                raise AssertionError(f"{page.url} is {overflow}px wider than a 390px phone: {culprits}")
    page.set_viewport_size({"width": 1280, "height": 900})


def mailbox_text(page, wanted: str, timeout: float = 30.0) -> str:
    """The demo mailbox page once it shows ``wanted`` (the demo's worker delivers in the background)."""
    deadline = time.monotonic() + timeout
    while True:
        page.goto("/demo/mailbox/")
        text = page.locator("main").inner_text()
        if wanted in text or time.monotonic() > deadline:
            return text
        time.sleep(1)


def test_an_admin_invites_a_colleague_who_joins_from_the_emailed_link(page, assert_accessible):
    sign_in(page, demo_email("autauga"))
    page.goto("/accounts/organizations/jurisdiction:0100100000/members/")
    check_widths(page, assert_accessible)
    page.get_by_label("Email address of the person to invite").fill("new.clerk@autauga.example")
    keyboard_check(page, "Local election official")
    page.get_by_role("button", name="Send the invitation").click()
    page.wait_for_load_state()
    assert "new.clerk@autauga.example" in page.locator("main").inner_text()
    text = mailbox_text(page, "new.clerk@autauga.example")
    check_widths(page, assert_accessible)
    assert page.locator("main article h2").count() >= 1  # each email its own box, not an alert in the header
    assert "{'id':" not in page.locator("body").inner_text()
    link = re.search(r"http://\S+/accounts/invitations/\S+/", text)
    assert link, text[:2000]
    page.context.clear_cookies()
    page.goto(link.group(0))
    check_widths(page, assert_accessible)
    page.get_by_label("Your full name").fill("Nia New Clerk")
    page.get_by_label("New password", exact=True).fill("a long enough passphrase 2026")
    page.get_by_label("New password again").fill("a long enough passphrase 2026")
    page.get_by_role("button", name="Create my account and join").click()
    page.wait_for_load_state()
    assert "Autauga" in page.locator("#acting-organization").inner_text()


def test_a_password_reset_answers_alike_for_known_and_unknown_addresses(page, assert_accessible):
    answers = []
    for address in (demo_email("baldwin"), "nobody-here@demo.safelect.invalid"):
        page.goto("/accounts/password-reset/")
        check_widths(page, assert_accessible)
        page.get_by_label("Email address").fill(address)
        page.get_by_role("button", name="Send the link").click()
        page.wait_for_load_state()
        assert page.get_by_role("heading", name="Check your email").is_visible()
        answers.append(page.locator("main").inner_text().replace(address, "ADDRESS"))
    assert answers[0] == answers[1]
    text = mailbox_text(page, "Reset your safelect password")
    assert demo_email("baldwin") in text and "nobody-here@demo.safelect.invalid" not in text
    assert re.search(r"/accounts/password-reset/\S+/\S+/", text)


def test_a_state_official_reads_the_released_engagement_text(page, assert_accessible):
    sign_in_as(page, "wi-staff")  # waits for the next code step if another test just used this one
    page.goto("/engagements/")
    check_widths(page, assert_accessible)
    page.locator("main a[href*='/engagements/']").filter(has_text=re.compile(r"Wisconsin|20\d\d")).first.click()
    page.wait_for_url(re.compile(r"/engagements/\d+/$"))
    main = page.locator("main").inner_text()
    assert "<p>" not in main and "&lt;" not in main and "[[" not in main
    check_widths(page, assert_accessible)


def test_error_pages_keep_the_shell_and_a_way_back(page, assert_accessible):
    response = page.goto("/no-such-page/")
    assert response.status == 404
    assert page.get_by_role("heading", name="Page not found").is_visible()
    assert page.get_by_role("link", name="Back to the home page").is_visible()
    check_widths(page, assert_accessible)
    sign_in(page, demo_email("autauga"))
    response = page.goto("/obligations/board/")
    assert response.status == 403 and page.get_by_role("heading", name="Not allowed").is_visible()
    check_widths(page, assert_accessible)


def test_a_malformed_withheld_span_is_refused_on_the_form_and_never_reaches_the_foia_export(page, assert_accessible):
    """The form says where the markup is broken and saves nothing; an imported row with the same
    mistake is stored withheld, so the FOIA export never shows the words inside the span."""
    sign_in_as(page, "program-staff")
    page.goto("/engagements/new/")
    page.get_by_label("State or territory").select_option(label="Wisconsin")
    page.get_by_label("Meeting date").fill("2026-11-20")
    page.locator("main form textarea").first.fill("Met [[(b)(6)|Zebulon Quartermaine about the audit pilot")
    page.get_by_role("button", name="Save").click()
    page.wait_for_load_state()
    assert "/engagements/new/" in page.url and page.locator(".usa-error-message").count()
    assert re.search(r"unclosed|not closed|\]\]", page.locator(".usa-error-message").first.inner_text(), re.I)
    check_widths(page, assert_accessible)

    row = [
        "5",
        "Wisconsin",
        "Madison clerk's office",
        "11/20/2026",
        "",
        "",
        "Met [[(b)(6)|Zebulon Quartermaine about the audit pilot",
        "None",
        "",
        "",
        "",
        "",
        "",
    ]
    summary = (
        "Weekly Summary for Meetings with Elections Infrastructure Officials\n\n" + "\t".join(WEEKLY_HEADERS) + "\n" + "\t".join(row) + "\n"
    )
    page.goto("/engagements/import/")
    page.locator("main input[type=file]").set_input_files({"name": "malformed.txt", "mimeType": "text/plain", "buffer": summary.encode()})
    page.get_by_role("button", name="Preview").click()
    page.wait_for_url(re.compile(r"/engagements/import/\d+/$"))
    page.get_by_role("button", name=re.compile("Commit this import")).wait_for(timeout=120_000)
    check_widths(page, assert_accessible)
    page.get_by_role("button", name=re.compile("Commit this import")).click()
    page.wait_for_load_state()

    page.goto("/engagements/export/")
    page.get_by_label("Format").select_option(label="CSV")
    keyboard_check(page, "FOIA release (replace each redacted span with its exemption code)")
    with page.expect_download() as download:
        page.get_by_role("button", name="Download").click()
    released = Path(download.value.path()).read_text(encoding="utf-8-sig")
    assert "Madison clerk" in released  # the imported meeting is in the release ...
    assert "Zebulon" not in released and "Quartermaine" not in released  # ... without the words inside the span
