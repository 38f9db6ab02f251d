"""Every page a person reaches from the header, as each kind of user, at desktop and phone widths.

For the public, national-office staff, a chief State election official's staff member and a county
official: sign in as a person would (with the two-factor code where the role needs it), follow
every link of the header's navigation and the pages those lead to, and check each at 1280 and
390 px: the page answers, axe-core finds no serious violation, and nothing is wider than the
screen (a table may scroll inside its own box, the page may not).
"""

from __future__ import annotations

import re

import pytest
from test_kernel_browser import sign_in_as

pytestmark = pytest.mark.browser

WIDTHS = (1280, 390)
# Pages not in the header that people reach from it (a record, a month, a directory entry).
EXTRA = {
    "public": [
        "/",
        "/services/print/",
        "/directory/",
        "/directory/states/WI/",
        "/directory/jurisdictions/0100100000/",
        "/api/docs",
        "/accounts/sign-in/",
        "/accounts/password-reset/",
        "/hack/safe-harbor/",
        "/hack/apply/",
        "/lawbook/s2261/4/",
        "/lawbook/hr5011/297/",
        "/lawbook/ask/?q=What+is+an+election+agency%3F",
        "/audits/published/",
        "/audits/calculator/?size-risk_limit=5&size-ballots=10000&size-winner=5500&size-runner_up=4400",
        "/governance/guidelines/1/",
        "/governance/guidelines/2/changes/",
        "/governance/bodies/panel/",
        "/governance/bodies/commission/",
        "/governance/reports/",
    ],
    "staff": [
        "/",
        "/governance/guidelines/",
        "/governance/guidelines/2/",
        "/governance/bodies/commission/",
        "/governance/reports/",
        "/engagements/coverage/",
        "/obligations/calendar/",
        "/obligations/board/",
        "/outbox/notices/",
        "/outbox/inbox/",
        "/accounts/",
        "/sharing/items/",
        "/sharing/withholdings/",
        "/sharing/classified/",
        "/services/clearances/",
        "/services/threats/",
        "/services/report/",
        "/services/interstate/",
        "/hack/board/",
    ],
    "state": [
        "/",
        "/engagements/",
        "/engagements/coverage/",
        "/obligations/",
        "/obligations/calendar/",
        "/outbox/inbox/",
        "/accounts/",
        "/audits/",
    ],
    "county": [
        "/",
        "/obligations/",
        "/obligations/calendar/",
        "/outbox/inbox/",
        "/outbox/preferences/",
        "/accounts/",
        "/sharing/subscription/",
        "/audits/",
        "/services/assessments/",
        "/services/clearances/",
        "/hack/systems/",
    ],
    "vendor": ["/", "/outbox/inbox/", "/accounts/", "/hack/systems/"],
    "researcher": ["/", "/accounts/", "/grants/", "/hack/researcher/", "/hack/report/"],
    "federal": ["/", "/outbox/inbox/", "/accounts/", "/sharing/withholdings/", "/sharing/items/new/", "/sharing/classified/"],
    "isac": ["/", "/outbox/inbox/", "/accounts/"],
    "audit_board": ["/", "/accounts/"],
    "grants": [
        "/",
        "/accounts/",
        "/grants/",
        "/grants/?state=WI",
        "/grants/review/",
        "/grants/providers/",
        "/grants/programs/new/",
        "/grants/providers/new/",
        "/grants/congress/?fy=2026",
    ],
}
WHO = {
    "public": None,
    "staff": "director",
    "state": "region5",
    "county": "autauga",
    "vendor": "vendor",
    "researcher": "researcher",
    "federal": "dhs",
    "isac": "isac",
    "audit_board": "audit-board",
    "grants": "grants",
}

# What people should never read: the machine's names for things (each has words on the page).
INTERNAL_CODES = {
    "an ISO timestamp": r"\b\d{4}-\d{2}-\d{2}T\d{2}:\d{2}",
    "a reminder threshold code": r"\blead-\d+\b",
    "a permission or action code": r"\b[a-z_]+:[a-z_]+:[a-z_]+\b",
    "an organization key": r"\b(?:state|jurisdiction|federal|isac|demo|national-office):[\w:.-]+",
    "an event, role or status code": r"\b[a-z]+_[a-z]+(?:_[a-z]+)*\b",
    "a Python list": r"\[\s*'",
}


def internal_codes(text: str) -> list[tuple[str, str]]:
    """(what, first match) for each kind of internal code found in ``text``."""
    found = []
    for what, pattern in INTERNAL_CODES.items():
        match = re.search(pattern, text)
        if match:
            found.append((what, text[max(0, match.start() - 30) : match.end() + 30]))
    return found


OVERFLOW = """() => {
  const doc = document.scrollingElement || document.documentElement;
  return doc.scrollWidth - window.innerWidth;
}"""


# One record of each kind found on the pages above is opened too (its page and its history).
RECORDS = [
    r"^/engagements/\d+/$",
    r"^/obligations/\d+/$",
    r"^/outbox/notices/\d+/$",
    r"^/outbox/inbox/\d+/$",
    r"^/journal/[\w.]+/\d+/$",
    r"^/directory/states/\w\w/$",
    r"^/incidents/\d+/$",
    r"^/grants/programs/\d+/$",
    r"^/grants/applications/\d+/$",
    r"^/audits/\d+/$",
    r"^/audits/\d+/jurisdictions/\d+/$",
    r"^/services/assessments/\d+/$",
    r"^/services/clearances/\d+/$",
    r"^/services/interstate/\d+/$",
    r"^/comments/\d+/$",
    r"^/hack/findings/\d+/$",
    r"^/hack/advisories/[\w-]+/$",
]


def _record_links(page) -> list[str]:
    hrefs = page.eval_on_selector_all("main a[href^='/']", "links => links.map(a => a.getAttribute('href'))")
    return [h for h in hrefs if any(re.match(p, h) for p in RECORDS)]


def _header_links(page) -> list[str]:
    hrefs = page.eval_on_selector_all("header a[href^='/']", "links => links.map(a => a.getAttribute('href'))")
    return [h for h in hrefs if not h.startswith(("/accounts/sign-out", "/static/"))]


@pytest.mark.parametrize("who", list(WHO))
def test_every_header_page_at_desktop_and_phone_width(page, who, serious_violations):
    if WHO[who]:
        sign_in_as(page, WHO[who])
    page.goto("/")
    pages = list(dict.fromkeys(EXTRA[who] + _header_links(page)))
    for path in list(pages):  # open one record of each kind the pages list
        page.goto(path)
        for href in _record_links(page):
            pattern = next(p for p in RECORDS if re.match(p, href))
            if not any(re.match(pattern, seen) for seen in pages):
                pages.append(href)
    problems = []
    for width in WIDTHS:
        page.set_viewport_size({"width": width, "height": 900})
        for path in pages:
            response = page.goto(path)
            status = response.status if response else 0
            if status >= 400:
                problems.append(f"{width}px {path}: HTTP {status}")
                continue
            if path.startswith("/api/docs"):  # Swagger UI read the whole document (no "Errors" box)
                page.wait_for_selector(".opblock")
                if page.locator(".errors-wrapper").count():
                    problems.append(f"{width}px {path}: Swagger UI shows {page.locator('.errors-wrapper').inner_text()!r}")
            found = serious_violations(page)
            if found:
                problems.append(f"{width}px {path}: axe {[(v['id'], v['nodes'][:2]) for v in found]}")
            wider = page.evaluate(OVERFLOW)
            if wider > 1:
                problems.append(f"{width}px {path}: the page is {wider}px wider than the screen")
            if width == WIDTHS[0] and not path.startswith("/api/docs"):
                text = page.inner_text("main") if page.locator("main").count() else ""
                problems += [f"{path}: {what} shown: {found!r}" for what, found in internal_codes(text)]
    assert len(pages) >= 3, pages
    assert problems == [], "\n".join(problems)
