"""The lawbook's pages and API, as the public uses them: contents, a section with its duties and
what safelect does, a citation's redirect (the registry's form included), a question and its answer,
and bad input answered plainly."""

from __future__ import annotations

import pytest
from django.test import Client

pytestmark = pytest.mark.django_db


def test_contents_sections_and_citations():
    public = Client()
    page = public.get("/lawbook/").content.decode()
    assert "S.2261, the Secure Elections Act" in page and "H.R. 5011, the Election Security Act" in page
    assert (
        "/lawbook/hr5011/297C/" in page
        and '(inserted by <a class="usa-link" href="/lawbook/cite/?c=H.R.%205011%20%C2%A7101">H.R. 5011 §101</a>)' in page
    )
    section = public.get("/lawbook/s2261/4/").content.decode()
    assert 'id="p-4-j-1"' in section and "in no event longer than 3 calendar days" in section
    assert "Duty of the election service provider" in section  # the registry's duty on §4(j)(1), with its clock
    assert "/incidents/" in section  # what safelect does for it, linked
    assert 'href="/lawbook/s2261/3/#p-3-11"' in section  # "election service provider" linked to its definition
    assert "Nothing to build" in public.get("/lawbook/s2261/2/").content.decode()  # a sense of Congress
    found = public.get("/lawbook/cite/", {"c": "H.R. 5011 §101 (HAVA §297C(2))"})
    assert found.status_code == 302 and found["Location"] == "/lawbook/hr5011/297C/#p-297C-2"
    assert public.get("/lawbook/cite/", {"c": "S.2261 §9"}).status_code == 404
    assert public.get("/lawbook/s2261/99/").status_code == 404 and public.get("/lawbook/nope/4/").status_code == 404


def test_asking_on_the_page_and_through_the_api():
    public = Client()
    page = public.get("/lawbook/ask/", {"q": "How long does a vendor have to tell a county about a breach?"}).content.decode()
    assert "S.2261 §4(j)" in page and "in no event longer than 3 calendar days" in page and "Nothing is generated" in page
    assert "The bills do not say." in public.get("/lawbook/ask/", {"q": "What is the salary of the Secretary?"}).content.decode()
    assert "Type a question." in public.get("/lawbook/ask/", {"q": "  "}).content.decode()
    assert "at most 500 characters" in public.get("/lawbook/ask/", {"q": "x" * 501}).content.decode()
    answer = public.get("/api/lawbook/ask", {"q": "What is a risk-limiting audit?", "zone": "America/Chicago"}).json()
    assert answer["found"] and answer["citations"][0]["citation"] == "H.R. 5011 §298(b)"
    assert {s["kind"] for s in answer["answer"]} <= {"quote", "clock", "template"}
    bad = public.get("/api/lawbook/ask", {"q": "When?", "zone": "Mars/Olympus"})
    assert bad.status_code == 422 and "zone" in bad.content.decode()


def test_citations_on_program_pages_link_to_their_provision():
    page = Client().get("/hack/").content.decode()
    assert '<a class="usa-link" href="/lawbook/cite/?c=S.2261%20%C2%A78">S.2261 §8</a>' in page
    assert Client().get("/lawbook/cite/?c=S.2261%20%C2%A78").status_code == 302
