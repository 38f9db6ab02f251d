"""The directory: reference data, idempotent loading, pages, API and CLI."""

import json

import pytest
from django.core.management import call_command

from safelect.core.directory.loading import load_reference_data
from safelect.core.directory.models import Jurisdiction, Organization, State

pytestmark = pytest.mark.django_db

# Published FIPS codes and the regions of the national office's field structure.
EXPECTED = {
    "PR": ("72", 2),
    "GU": ("66", 9),
    "WI": ("55", 5),
    "AS": ("60", 9),
    "MP": ("69", 9),
    "VI": ("78", 2),
    "DC": ("11", 3),
    "AK": ("02", 10),
    "TX": ("48", 6),
    "MA": ("25", 1),
}


def test_the_56_states_of_s2261_section_3_18():
    assert State.objects.count() == 56
    assert State.objects.filter(kind="state").count() == 50
    assert set(State.objects.filter(kind="territory").values_list("usps", flat=True)) == {"PR", "GU", "AS", "MP", "VI"}
    for usps, (fips, region) in EXPECTED.items():
        state = State.objects.get(usps=usps)
        assert (state.fips, state.region.number) == (fips, region), usps


def test_every_state_has_a_chief_election_office_and_its_jurisdictions():
    assert Organization.objects.filter(kind="state_election_office").count() == 56
    assert Jurisdiction.objects.count() == 6461
    wi = State.objects.get(usps="WI")
    # Wisconsin's elections are run by its 1,851 cities, towns and villages, not its counties.
    assert wi.jurisdictions.count() == wi.jurisdictions.filter(kind="municipality").count() == 1851
    autauga = Jurisdiction.objects.get(eavs_code="0100100000")
    assert autauga.county.fips5 == "01001"
    assert autauga.organization.parent.key == "state:AL"
    assert autauga.organization.time_zone == "America/Chicago"
    assert Jurisdiction.objects.get(name="CHICAGO CITY").county is None  # a city code, not a county


def test_federal_entities_eac_and_isac_are_in_the_directory():
    kinds = dict(
        Organization.objects.filter(key__in=["federal:dhs", "federal:eac", "isac:ms-isac", "national-office"]).values_list("key", "kind")
    )
    assert kinds == {"federal:dhs": "federal_entity", "federal:eac": "eac", "isac:ms-isac": "isac", "national-office": "national_office"}


def test_loading_twice_changes_nothing():
    report = load_reference_data()
    assert report.changed == 0
    assert report.tables["jurisdictions"].unchanged == 6461


def test_load_repairs_a_changed_row():
    State.objects.filter(usps="GU").update(fips="99")
    report = load_reference_data()
    assert report.tables["states"].updated == 1
    assert State.objects.get(usps="GU").fips == "66"


def test_only_the_system_loads_reference_data_and_the_journal_says_what_changed(make_member):
    from django.core.exceptions import PermissionDenied

    from safelect.core.accounts.actor import Actor
    from safelect.core.accounts.models import Membership
    from safelect.core.directory import services
    from safelect.core.journal.models import Entry

    State.objects.filter(usps="GU").update(fips="99")
    for role, key in (("national_leadership", "national-office"), ("chief_state_election_official", "state:GU")):
        user, _ = make_member(role, key)
        with pytest.raises(PermissionDenied):
            services.load_reference_data(Actor.member(Membership.objects.get(user=user)))
    assert State.objects.get(usps="GU").fips == "99"  # refused: nothing changed
    for system in (Actor.system(), services.SYSTEM):  # the kernel's system actor and the directory's stand-in agree
        assert system.may(services.LOAD) and system.user is None and system.organization is None
    report = services.load_reference_data(Actor.system())
    assert report.tables["states"].updated == 1
    entry = Entry.objects.filter(action="directory:reference:load").latest("id")
    assert entry.actor_label == "system" and entry.summary["states"]["updated"] == 1
    assert services.load_reference_data(Actor.system()).changed == 0
    assert Entry.objects.filter(action="directory:reference:load").count() == 1  # nothing changed, nothing journalled


def test_show_json_nests_jurisdictions_under_states(capsys):
    call_command("directory", "show", "--json")
    data = json.loads(capsys.readouterr().out)
    assert data["state_count"] == 56
    assert data["jurisdiction_count"] >= 6000
    by = {s["usps"]: s for s in data["states"]}
    assert (by["PR"]["fips"], by["PR"]["region"]) == ("72", 2)
    assert by["WI"]["jurisdiction_count"] == len(by["WI"]["jurisdictions"]) > 1800


def test_show_unknown_state_is_a_clear_error():
    from django.core.management.base import CommandError

    with pytest.raises(CommandError, match="no State or territory with the USPS code 'ZZ'"):
        call_command("directory", "show", "ZZ")


def test_pages_regions_states_jurisdictions_and_search(client):
    index = client.get("/directory/")
    assert index.status_code == 200
    assert b"Region 5" in index.content and b"Wisconsin" in index.content
    page = client.get("/directory/states/wi/?q=madison")
    assert page.status_code == 200
    assert b"City of Madison" in page.content
    assert client.get("/directory/states/ZZ/").status_code == 404
    found = client.get("/directory/search/?q=autauga")
    assert b"Autauga County" in found.content


def test_api_lists_states_and_jurisdictions(client):
    states = client.get("/api/directory/states").json()
    assert len(states) == 56
    pr = client.get("/api/directory/states/pr").json()
    assert (pr["fips"], pr["region"]) == ("72", 2)
    page = client.get("/api/directory/jurisdictions", {"state": "VT", "limit": 5}).json()
    assert page["count"] == 247 and len(page["items"]) == 5
    assert client.get("/api/directory/jurisdictions", {"state": "ZZ"}).status_code == 404
    assert client.get("/api/docs").status_code == 200
    assert "/api/directory/states" in client.get("/api/openapi.json").json()["paths"]


def test_healthz(client):
    assert client.get("/healthz").json() == {"status": "ok", "database": "ok"}


@pytest.mark.django_db
def test_the_public_lists_election_agencies_and_public_bodies_only(make_member):
    from django.test import Client

    from safelect.core.directory.queries import PUBLIC_KINDS

    anonymous = Client().get("/api/directory/organizations", {"limit": 1000, "kind": "national_office"}).json()
    assert anonymous["count"] == 0
    seen = Client().get("/api/directory/organizations", {"limit": 1000, "q": "office"}).json()["items"]
    assert seen and all(o["kind"] in PUBLIC_KINDS for o in seen)
    _, member = make_member("local_election_official")
    assert member.get("/api/directory/organizations", {"kind": "national_office"}).json()["count"] >= 1


def test_wisconsin_municipalities_get_the_county_their_name_carries(client):
    from safelect.core.directory.models import Jurisdiction

    wi = Jurisdiction.objects.filter(state__usps="WI", kind="municipality")
    assert wi.count() == 1851
    assert wi.filter(county__isnull=False).count() == 1793  # "TOWN OF ABRAMS - OCONTO COUNTY"
    abrams = wi.get(name="TOWN OF ABRAMS - OCONTO COUNTY")
    assert abrams.county.name == "Oconto County" and abrams.display_name == "Town of Abrams - Oconto County"
    several = wi.filter(name__endswith="MULTIPLE COUNTIES")
    assert several.count() == 58 and not several.filter(county__isnull=False).exists()
    page = client.get(f"/directory/jurisdictions/{abrams.eavs_code}/").content.decode()
    assert "Oconto County" in page and "Wisconsin" in page
    listing = client.get("/directory/states/WI/", {"q": "Abrams"}).content.decode()
    assert f'href="/directory/jurisdictions/{abrams.eavs_code}/"' in listing  # jurisdictions are links


def test_the_northern_mariana_islands_are_named_one_way(client):
    from safelect.core.directory.models import Jurisdiction

    cnmi = Jurisdiction.objects.get(state__usps="MP")
    assert cnmi.display_name == "Northern Mariana Islands" == cnmi.state.name
    assert cnmi.organization.name == "Northern Mariana Islands, MP election office"
    assert "Commonwealth Of The" not in client.get("/directory/states/MP/").content.decode()
    assert client.get("/directory/jurisdictions/9999999999/").status_code == 404


def test_an_offices_contacts_are_shown_to_those_who_may_see_the_office(make_member):
    from django.test import Client

    member, _ = make_member("local_election_official", "jurisdiction:0100100000")
    member.full_name = "Alex Autauga"
    member.save()
    _, state = make_member("state_election_staff", "state:AL")
    page = state.get("/accounts/organizations/jurisdiction:0100100000/").content.decode()
    assert "Contacts" in page and "Alex Autauga" in page and f"mailto:{member.email}" in page
    _, elsewhere = make_member("state_election_staff", "state:WI")
    assert elsewhere.get("/accounts/organizations/jurisdiction:0100100000/").status_code == 404
    assert Client().get("/accounts/organizations/jurisdiction:0100100000/").status_code == 302  # sign in first
