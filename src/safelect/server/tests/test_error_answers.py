"""Error answers: JSON in one shape under /api/ (detail always a string), pages in the site shell."""

import json

import pytest
from django.test import Client, override_settings
from django.urls import path

from safelect.core.web.permissions import PUBLIC, requires
from safelect.server import urls as site_urls


@requires(PUBLIC)
def _explode(request):
    raise RuntimeError("boom")


urlpatterns = [*site_urls.urlpatterns, path("explode/", _explode)]
handler404 = site_urls.handler404
handler500 = site_urls.handler500
handler403 = site_urls.handler403
handler400 = site_urls.handler400


@pytest.mark.django_db
def test_unknown_api_paths_answer_json_404():
    response = Client().get("/api/no/such/operation")
    assert response.status_code == 404 and response["Content-Type"].startswith("application/json")
    assert response.json() == {"detail": "no such API operation"}


@pytest.mark.django_db
def test_api_errors_have_one_shape_with_detail_always_a_string(make_member):
    _, staff = make_member("national_program_staff")
    wrong_type = staff.post("/api/engagements/records", json.dumps({"state": ["WI"], "texts": "nope"}), content_type="application/json")
    assert wrong_type.status_code == 422
    body = wrong_type.json()
    assert isinstance(body["detail"], str) and body["errors"] and all("loc" in e and "msg" in e for e in body["errors"])
    not_json = staff.post("/api/engagements/records", "{not json", content_type="application/json")
    assert not_json.status_code in (400, 422) and isinstance(not_json.json()["detail"], str)
    assert isinstance(Client().get("/api/obligations/obligations").json()["detail"], str)  # 401
    _, county = make_member("local_election_official")
    assert isinstance(county.post("/api/engagements/records", "{}", content_type="application/json").json()["detail"], str)  # 403
    explain = Client().get("/api/obligations/explain", {"code": "S2261-4i", "trigger": "soon"})
    assert explain.status_code == 422 and isinstance(explain.json()["detail"], str)


@pytest.mark.django_db
@override_settings(ROOT_URLCONF=__name__, DEBUG=False)
def test_a_server_error_is_logged_and_answered_in_the_shell_without_a_traceback(caplog):
    client = Client(raise_request_exception=False)
    response = client.get("/explode/")
    assert response.status_code == 500
    page = response.content.decode()
    assert "Something went wrong" in page and "Back to the home page" in page and "boom" not in page and "Traceback" not in page
    assert 'id="main-content"' in page  # the site shell, with its landmarks
    assert any(r.levelname == "ERROR" and r.exc_info for r in caplog.records)


@pytest.mark.django_db
def test_not_found_and_forbidden_pages_use_the_shell_with_a_way_back(make_member):
    page = Client().get("/no-such-page/")
    assert page.status_code == 404 and "Page not found" in page.content.decode() and 'href="/"' in page.content.decode()
    _, county = make_member("local_election_official")
    refused = county.get("/obligations/board/")
    assert refused.status_code == 403 and "Not allowed" in refused.content.decode()
    assert 'id="main-content"' in refused.content.decode()


@pytest.mark.django_db
def test_nul_characters_are_refused_not_a_server_error(make_member):
    api = Client().get("/api/directory/jurisdictions", {"state": "W\x00I"})
    assert api.status_code == 422 and "NUL" in api.json()["detail"]
    page = Client().get("/directory/search/", {"q": "Madi\x00son"})
    assert page.status_code == 400 and "Bad request" in page.content.decode()
    _, staff = make_member("national_program_staff")
    body = staff.post(
        "/api/engagements/records",
        json.dumps({"state": "WI", "status": "pending", "texts": {"notes": "a\u0000b"}}),
        content_type="application/json",
    )
    assert body.status_code == 422 and "NUL" in body.json()["detail"]
