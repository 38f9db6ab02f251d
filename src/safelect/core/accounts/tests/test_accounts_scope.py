"""Object scope with the directory's own models: a county sees itself, never its neighbour."""

import pytest
from django.http import Http404
from django.test import RequestFactory

from safelect.core.accounts.middleware import ActingOrganizationMiddleware
from safelect.core.accounts.models import Membership
from safelect.core.accounts.permissions import has_permission
from safelect.core.accounts.scope import get_visible_or_404, visible
from safelect.core.accounts.testing import make_member
from safelect.core.directory.models import Jurisdiction, Organization

AUTAUGA, BALDWIN = "jurisdiction:0100100000", "jurisdiction:0100300000"


def _request(user, mfa=True):
    request = RequestFactory().get("/")
    request.user = user
    request.session = {"mfa_verified": mfa}
    ActingOrganizationMiddleware(lambda r: None)(request)
    return request


@pytest.mark.django_db
def test_county_sees_itself_not_its_neighbour():
    user, _ = make_member("local_election_official", AUTAUGA)
    request = _request(user)
    orgs = visible(Organization.objects.all(), request)
    assert list(orgs.values_list("key", flat=True)) == [AUTAUGA]
    assert visible(Jurisdiction.objects.all(), request).get().eavs_code == "0100100000"
    with pytest.raises(Http404):
        get_visible_or_404(Organization.objects.all(), request, key=BALDWIN)
    assert get_visible_or_404(Organization.objects.all(), request, key=AUTAUGA).key == AUTAUGA


@pytest.mark.django_db
def test_state_region_and_national_scopes():
    state_user, _ = make_member("chief_state_election_official", "state:WI")
    wi = visible(Jurisdiction.objects.all(), _request(state_user))
    assert wi.count() == Jurisdiction.objects.filter(state__usps="WI").count() > 1000
    region_user, _ = make_member("regional_staff")
    region = visible(Jurisdiction.objects.all(), _request(region_user))
    assert set(region.values_list("state__region__number", flat=True).distinct()) == {5}
    assert region.filter(state__usps="WI").exists() and not region.filter(state__usps="AL").exists()
    national, _ = make_member("national_program_staff")
    assert visible(Jurisdiction.objects.all(), _request(national)).count() == Jurisdiction.objects.count()


@pytest.mark.django_db
def test_mfa_role_counts_only_after_second_factor():
    national, _ = make_member("national_program_staff")
    assert visible(Organization.objects.all(), _request(national, mfa=False)).count() == 0
    assert not has_permission(_request(national, mfa=False), "accounts:organization:view")
    assert has_permission(_request(national, mfa=True), "accounts:organization:view")


@pytest.mark.django_db
def test_shared_rows_and_membership_argument():
    user, _ = make_member("local_election_official", AUTAUGA)
    membership = Membership.objects.get(user=user)
    # Memberships are scoped by their organization: Autauga's admin sees Autauga's members only.
    baldwin_user, _ = make_member("local_election_official", BALDWIN)
    assert list(visible(Membership.objects.all(), membership).values_list("user", flat=True)) == [user.pk]
    # A shared relation widens the view: memberships of users whose organization "shares" (here: same user) are kept.
    shared = visible(Membership.objects.all(), membership, shared_field="user__memberships__organization")
    assert baldwin_user.pk not in shared.values_list("user", flat=True)
