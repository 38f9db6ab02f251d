"""Every form, submitted as a person would, by each kind of user that has it.

Two passes against `safelect demo` in Chromium:

* **Empty.** As each role, on each page that role reaches, every form with fields is sent with its
  text fields emptied (what a hurried person does), past the browser's own check of required
  fields. The answer is never an error page: either the page says what is missing next to the
  field, or the form did what it says (a filter with no criteria, preferences saved). Every resulting page is axe-clean and shows no
  internal codes.
* **Filled.** National-office staff record an engagement, add and close a follow-up, export the
  record and preview then discard an import; the clearance officer records and revokes a
  clearance; a county official changes email preferences, creates, replaces and revokes a calendar
  feed address and records the fulfilment of a duty. Each result page is checked at 1280 and 390 px.
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from playwright.sync_api import Error as PlaywrightError
from test_first_users_browser import check_widths
from test_kernel_browser import sign_in_as
from test_page_walk_browser import internal_codes

from safelect.core.accounts.demo import demo_email

pytestmark = pytest.mark.browser

ROOT = Path(__file__).resolve().parents[2]
WEEKLY_SUMMARY = ROOT / "src/safelect/programs/engagements/tests/fixtures/000_61a82f5df613671c.txt"

# The pages with forms, per person: national-office staff, the clearance officer, regional field
# staff, a chief State election official, a county official and a vendor. (A two-factor code is
# single-use: sign_in_as waits for the next one when another test just used it.)
FORM_PAGES = {
    "program-staff": [
        "/engagements/",
        "/engagements/new/",
        "/engagements/import/",
        "/engagements/export/",
        "/engagements/coverage/",
        "/obligations/",
        "/obligations/board/",
        "/outbox/preferences/",
        "/accounts/",
        "/accounts/organizations/national-office/members/",
    ],
    "clearance": ["/accounts/clearances/", "/accounts/"],
    "region5": ["/engagements/", "/engagements/new/", "/engagements/coverage/", "/obligations/board/"],
    "wi-chief": ["/engagements/", "/engagements/coverage/", "/obligations/", "/accounts/organizations/state:WI/members/"],
    "vendor": ["/outbox/preferences/", "/accounts/"],
    "baldwin": [
        "/incidents/new/",
        "/obligations/",
        "/outbox/preferences/",
        "/accounts/",
        "/accounts/organizations/jurisdiction:0100300000/members/",
        "/directory/states/AL/",
    ],
}
TEXT_FIELDS = (
    "input:not([type]), input[type=text], input[type=email], input[type=date], input[type=datetime-local], "
    "input[type=number], input[type=password], input[type=search], input[type=url], textarea"
)
FIELDS = "input:not([type=hidden]):not([type=submit]):not([type=button]), textarea, select"
SAYS_WHAT = ".usa-error-message, .usa-alert--error, .usa-alert--warning, .usa-alert--success, .usa-alert--info, [role=alert]"


def _forms_with_fields(page) -> list[int]:
    """Indexes (among ``main form``) of the forms that have a field and a submit button."""
    return page.eval_on_selector_all(
        "main form",
        f"""forms => forms.map((f, i) => [i, f.querySelectorAll({FIELDS!r}).length > 0,
                                    f.querySelector('button:not([type=button]), input[type=submit]') !== null])
                          .filter(([i, fields, button]) => fields && button).map(([i]) => i)""",
    )


def _send_empty(page, path: str, index: int) -> str | None:
    """Send form ``index`` of ``path`` with its text fields emptied; a problem in words, or None."""
    page.goto(path)
    form = page.locator("main form").nth(index)
    for field in form.locator(TEXT_FIELDS).all():
        if field.is_visible() and field.is_editable():
            field.fill("")
    button = form.locator("button:not([type=button]):visible, input[type=submit]:visible").filter(has_text=re.compile(r"\w")).last
    method = (form.get_attribute("method") or "get").lower()
    label = (button.inner_text() or button.get_attribute("value") or "").strip()
    # The browser's own check stops a form with an empty required field; the server must say
    # what is missing too (an old browser, a script), so send it past the browser's check.
    form.evaluate("f => { f.noValidate = true; }")
    downloads = []
    page.once("download", lambda download: downloads.append(download))
    try:
        with page.expect_navigation() as navigation:
            button.click()
    except PlaywrightError:
        for _ in range(30):  # the download event may follow the aborted navigation
            if downloads:
                break
            page.wait_for_timeout(100)
        if downloads:
            return None  # the form answered with a file (an export with its defaults)
        raise
    page.wait_for_load_state()
    response_status = navigation.value.status if navigation.value else 0
    where = f"{path} form {index} ({label!r})"
    if response_status >= 500 or response_status in (403, 404):
        return f"{where}: HTTP {response_status}"
    text = page.inner_text("main")
    if response_status >= 400 and not page.locator(SAYS_WHAT).count():
        return f"{where}: HTTP {response_status} and no message says what is wrong"
    if method == "post" and not page.locator(SAYS_WHAT).count():
        return f"{where}: sent, and the page that answered says neither what went wrong nor what was done"
    codes = internal_codes(text)
    if codes:
        return f"{where}: {codes}"
    return None


@pytest.mark.parametrize("who", list(FORM_PAGES))
def test_every_form_sent_empty_answers_in_words(page, who, serious_violations):
    sign_in_as(page, who)
    problems, sent = [], 0
    for path in FORM_PAGES[who]:
        page.goto(path)
        indexes = _forms_with_fields(page)
        for index in indexes:
            sent += 1
            problem = _send_empty(page, path, index)
            if problem:
                problems.append(problem)
                continue
            for width in (1280, 390):  # the answer, read on a desktop and on a phone
                page.set_viewport_size({"width": width, "height": 900})
                found = serious_violations(page)
                if found:
                    problems.append(f"{width}px {path} form {index}: axe {[(v['id'], v['nodes'][:2]) for v in found]}")
            page.set_viewport_size({"width": 1280, "height": 900})
    assert sent >= len(FORM_PAGES[who]) // 2, f"only {sent} forms found on {FORM_PAGES[who]}"
    assert problems == [], "\n".join(problems)


def test_national_staff_record_an_engagement_follow_it_up_export_and_import(page, assert_accessible):
    sign_in_as(page, "program-staff")
    page.goto("/engagements/new/")
    page.get_by_label("State or territory").select_option(label="Wisconsin")
    page.get_by_label("Meeting date").fill("2026-11-20")
    first_text = page.locator("main form textarea").first
    first_text.fill("Walked through the incident notice clocks with the elections director.")
    page.get_by_role("button", name="Save").click()
    page.wait_for_url(re.compile(r"/engagements/\d+/$"))
    assert "Walked through the incident notice clocks" in page.inner_text("main")
    check_widths(page, assert_accessible)

    page.get_by_role("link", name="Add a follow-up").click()
    assert page.get_by_label("Owner (a safelect user)").input_value(), "the person opening the follow-up owns it by default"
    page.get_by_label("What has to be done").fill("Send the State the incident notice template")
    page.get_by_label("Due date").fill("2026-12-15")
    page.get_by_role("button", name="Open follow-up").click()
    page.wait_for_url(re.compile(r"/engagements/\d+/$"))
    assert "Send the State the incident notice template" in page.inner_text("main")
    check_widths(page, assert_accessible)
    row = page.locator("main tr", has_text="Send the State the incident notice template")
    row.get_by_role("combobox").select_option(label="Done")
    row.get_by_role("button", name="Close").click()
    page.wait_for_load_state()
    assert "Done" in page.locator("main tr", has_text="Send the State the incident notice template").inner_text()

    page.goto("/engagements/export/")
    page.get_by_label("Format").select_option(label="CSV")
    with page.expect_download() as download:
        page.get_by_role("button", name="Download").click()
    exported = Path(download.value.path()).read_text(encoding="utf-8-sig")
    assert "Walked through the incident notice clocks" in exported

    page.goto("/engagements/import/")
    page.locator("main input[type=file]").set_input_files(str(WEEKLY_SUMMARY))  # USWDS names it "Drag file here or choose…"
    page.get_by_role("button", name="Preview").click()
    page.wait_for_url(re.compile(r"/engagements/import/\d+/$"))
    page.get_by_role("button", name="Discard this preview").wait_for(timeout=120_000)
    check_widths(page, assert_accessible)
    page.get_by_role("button", name="Discard this preview").click()
    page.wait_for_load_state()
    assert page.locator(SAYS_WHAT).count(), page.inner_text("main")[:500]
    assert_accessible(page)


def test_the_clearance_officer_records_and_revokes_a_clearance(page, assert_accessible):
    sign_in_as(page, "clearance")
    page.goto("/accounts/clearances/")
    person = demo_email("baldwin")
    page.get_by_label("Email address of the cleared person").fill(person)
    page.get_by_label("Level").select_option(label="Secret")
    page.get_by_label("Kind").select_option(label="Final")
    page.get_by_label("Sponsoring organization").select_option(index=0)
    page.get_by_label("Granted on").fill("2026-11-02")
    page.get_by_role("button", name="Record").click()
    page.wait_for_load_state()
    row = page.locator("main tr", has_text=person)
    assert "Active" in row.inner_text(), page.inner_text("main")[:800]
    check_widths(page, assert_accessible)
    row.get_by_role("button", name=re.compile("Revoke")).click()
    page.wait_for_load_state()
    assert "Revoked" in page.locator("main tr", has_text=person).first.inner_text()
    assert_accessible(page)


def test_a_county_official_sets_preferences_a_calendar_feed_and_fulfils_a_duty(page, assert_accessible):
    sign_in_as(page, "baldwin")
    page.goto("/outbox/preferences/")
    first = page.locator("main .usa-checkbox__label").first
    label = first.evaluate("l => l.childNodes[0].textContent.trim()")
    was = page.locator("main .usa-checkbox__input").first.is_checked()
    page.locator("main .usa-checkbox__input").first.focus()  # USWDS draws its own box: use the keyboard
    page.keyboard.press("Space")
    page.get_by_role("button", name="Save").click()
    page.wait_for_load_state()
    assert page.locator("main .usa-checkbox__input").first.is_checked() is (not was), label
    check_widths(page, assert_accessible)

    page.goto("/obligations/feed/")
    page.get_by_role("button", name="Create a feed address").click()
    page.wait_for_load_state()
    first_address = page.locator("#feed-url").inner_text()
    assert first_address.endswith(".ics")
    check_widths(page, assert_accessible)
    page.get_by_role("button", name="Replace with a new address").click()
    page.wait_for_load_state()
    second_address = page.locator("#feed-url").inner_text()
    assert second_address != first_address
    assert page.request.get(first_address).status == 404 and page.request.get(second_address).status == 200
    page.get_by_role("button", name="Revoke").click()
    page.wait_for_load_state()
    assert "no active feed address" in page.inner_text("main")
    assert page.request.get(second_address).status == 404

    page.goto("/obligations/")
    duty_links = [
        h
        for h in page.eval_on_selector_all("main a[href]", "as => as.map(a => a.getAttribute('href'))")
        if re.match(r"^/obligations/\d+/$", h)
    ]
    assert duty_links, "the county has an open duty in the demo"
    for href in duty_links:
        page.goto(href)
        if page.get_by_role("button", name="Record fulfilment").count():
            break
    else:
        pytest.fail(f"no duty of the county offers 'Record fulfilment': {duty_links}")
    page.get_by_label("What fulfilled it (reference)").fill("Letter to the State, ref. BAL-2026-14")
    page.get_by_role("button", name="Record fulfilment").click()
    page.wait_for_load_state()
    assert re.search(r"Fulfilled (on time|late)", page.inner_text("main")), page.inner_text("main")[:600]
    check_widths(page, assert_accessible)
