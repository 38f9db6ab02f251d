"""The page shell: skip link, header, navigation with exactly one current entry."""

import pytest

pytestmark = pytest.mark.django_db


def test_shell_has_skip_link_landmarks_and_no_gov_banner(client):
    html = client.get("/directory/").content.decode()
    assert '<a class="usa-skipnav" href="#main-content">Skip to main content</a>' in html
    assert 'id="main-content"' in html and "<footer" in html and 'aria-label="Primary navigation"' in html
    assert "An official website of the United States government" not in html
    assert "/static/uswds/css/uswds.min.css" in html


def test_only_the_longest_matching_link_is_current(make_member):
    """/engagements/coverage/ sits under /engagements/: only Coverage is marked current."""
    import re

    _, client = make_member("national_program_staff")
    html = client.get("/engagements/coverage/").content.decode()
    current = re.findall(r'usa-nav-link usa-current" aria-current="page"><span>([^<]+)</span>', html)
    assert current == ["Coverage"]
    assert "Engagements" in html
