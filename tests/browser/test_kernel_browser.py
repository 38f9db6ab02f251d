"""The kernel in a real browser: sign-in with TOTP, switching organization, reading a notice in the inbox, object
scope by URL and by API token, lock-out — each page checked with axe-core."""

import re
import time

import pyotp
import pytest

from safelect.core.accounts.demo import demo_email
from safelect.core.accounts.signin import demo_secret
from safelect.core.outbox.demo import DEMO_ANNOUNCEMENT_TITLE
from safelect.core.web.demo import DEMO_PASSWORD

pytestmark = pytest.mark.browser

AUTAUGA, BALDWIN = "jurisdiction:0100100000", "jurisdiction:0100300000"


def keyboard_check(page, label) -> None:
    """USWDS draws its own radios and checkboxes over hidden inputs: choose them with the keyboard."""
    field = page.get_by_label(label)
    field.focus()
    page.keyboard.press("Space")
    assert field.is_checked()


def sign_in(page, email, password=DEMO_PASSWORD):
    page.goto("/accounts/sign-in/")
    page.get_by_label("Email address").fill(email)
    page.get_by_label("Password", exact=True).fill(password)
    page.get_by_role("button", name="Sign in").click()


def sign_in_as(page, local: str) -> None:
    """Sign in as demo user ``local``, with the two-factor code where the role needs one.

    A code is accepted once per 30-second step (replay protection): if this person's code was
    just used (by another test), wait for the next step and type the new code."""
    email = demo_email(local)
    sign_in(page, email)
    page.wait_for_load_state()
    for _attempt in range(2):
        if "/accounts/two-factor/" not in page.url:
            return
        page.get_by_label("Authentication code").fill(pyotp.TOTP(demo_secret(email)).now())
        page.get_by_role("button", name="Verify").click()
        page.wait_for_load_state()
        if "/accounts/two-factor/" in page.url:
            time.sleep(30.5 - time.time() % 30)
    assert "/accounts/two-factor/" not in page.url, f"{email}: the two-factor code was refused"


def test_state_official_signs_in_with_totp_switches_and_reads_the_inbox(page, assert_accessible):
    email = demo_email("wi-chief")
    page.goto("/accounts/sign-in/")
    assert_accessible(page)
    sign_in(page, email)
    page.wait_for_url(re.compile(r"/accounts/two-factor/"))
    assert_accessible(page)
    page.get_by_label("Authentication code").fill(pyotp.TOTP(demo_secret(email)).now())
    page.get_by_role("button", name="Verify").click()
    page.wait_for_load_state()
    if "/accounts/two-factor" in page.url:  # this step's code was just used by another test (replay protection)
        time.sleep(30.5 - time.time() % 30)
        page.get_by_label("Authentication code").fill(pyotp.TOTP(demo_secret(email)).now())
        page.get_by_role("button", name="Verify").click()
    page.wait_for_url(lambda url: "/accounts/two-factor" not in url)
    header = page.locator("#acting-organization")
    assert "Wisconsin" in header.inner_text()
    assert_accessible(page)

    header.click()
    page.wait_for_url(re.compile(r"/accounts/organizations/$"))
    assert_accessible(page)
    keyboard_check(page, re.compile("Minnesota"))
    page.get_by_role("button", name="Switch").press("Enter")
    page.wait_for_load_state()
    assert "Minnesota" in page.locator("#acting-organization").inner_text()
    assert_accessible(page)

    page.goto("/accounts/")
    assert page.get_by_role("heading", name="Your account").is_visible()
    assert_accessible(page)

    # The inbox: the demo's announcement from the national office arrives through the outbox (the
    # demo's in-process worker delivers it), shows in the header's unread count, and reading it
    # lowers the count.
    unread = unread_in_header(page, wait=True)
    assert unread >= 1
    page.get_by_test_id("inbox-link").click()
    page.wait_for_url(re.compile(r"/outbox/inbox/$"))
    assert page.get_by_role("heading", name="Inbox", exact=True).is_visible()
    assert_accessible(page)
    page.get_by_role("link", name=DEMO_ANNOUNCEMENT_TITLE).click()
    page.wait_for_url(re.compile(r"/outbox/inbox/\d+/$"))
    assert page.get_by_role("heading", name=DEMO_ANNOUNCEMENT_TITLE).is_visible()
    assert "the statutory clock starts at discovery" in page.locator("main").inner_text()
    assert unread_in_header(page) == unread - 1
    assert_accessible(page)
    page.get_by_role("link", name="← Inbox").click()
    page.wait_for_url(re.compile(r"/outbox/inbox/$"))
    item = page.get_by_role("listitem").filter(has=page.get_by_role("link", name=DEMO_ANNOUNCEMENT_TITLE))
    assert item.get_by_text("Unread", exact=True).count() == 0
    assert_accessible(page)


def unread_in_header(page, wait: bool = False, timeout: float = 60.0) -> int:
    """The unread count on the header's Inbox link (0 when it shows none); with ``wait``, reload
    until there is one (the demo's worker may still be delivering)."""
    deadline = time.monotonic() + timeout
    while True:
        tag = page.get_by_test_id("inbox-link").locator(".usa-tag")
        if tag.count():
            return int(tag.inner_text())
        if not wait or time.monotonic() > deadline:
            return 0
        time.sleep(0.5)
        page.reload()


def test_county_official_cannot_reach_the_neighbouring_county_by_url_or_api(page, assert_accessible, playwright_request):
    sign_in(page, demo_email("autauga"))
    page.wait_for_url(lambda url: "/accounts/sign-in/" not in url)
    assert "Autauga" in page.locator("#acting-organization").inner_text()

    own = page.goto(f"/accounts/organizations/{AUTAUGA}/")
    assert own.status == 200
    assert_accessible(page)
    members = page.goto(f"/accounts/organizations/{AUTAUGA}/members/")
    assert members.status == 200
    assert_accessible(page)
    assert page.goto(f"/accounts/organizations/{BALDWIN}/").status in (403, 404)
    assert page.goto(f"/accounts/organizations/{BALDWIN}/members/").status in (403, 404)

    # An API token made on the account page.
    page.goto("/accounts/")
    assert_accessible(page)
    page.get_by_label("Token name").fill("browser test")
    keyboard_check(page, "Accounts — see organization")
    page.get_by_role("button", name="Create the token").click()
    token = page.locator("#new-token").inner_text().strip()
    assert token.startswith("sfl_")
    assert_accessible(page)

    api = playwright_request(token)
    assert api.get(f"/api/accounts/organizations/{AUTAUGA}").status == 200
    denied = api.get(f"/api/accounts/organizations/{BALDWIN}")
    assert denied.status in (403, 404)

    # Revoking it makes the API answer 401 with the reason.
    page.goto("/accounts/")
    page.get_by_role("button", name=re.compile("Revoke")).first.click()
    page.wait_for_load_state()
    refused = api.get(f"/api/accounts/organizations/{AUTAUGA}")
    assert refused.status == 401 and refused.json() == {"detail": "API token revoked"}


def test_five_wrong_passwords_pause_the_address_and_say_so(page, assert_accessible):
    email = demo_email("researcher")
    for _ in range(5):
        sign_in(page, email, "not the password")
    message = page.locator("#sign-in-error").inner_text()
    assert re.search(
        r"Sign-in to this address is paused after 5 failed attempts; try again after \d\d:\d\d UTC "
        r"or reset your password",
        message,
    )
    assert_accessible(page)
    # An address without an account gets the same answers.
    for _ in range(5):
        sign_in(page, "no-such-person@demo.safelect.invalid", "not the password")
    other = page.locator("#sign-in-error").inner_text()
    assert re.sub(r"\d\d:\d\d", "", other) == re.sub(r"\d\d:\d\d", "", message)
