"""Object scope with the directory's own models: a county sees itself, never its neighbour."""

import pytest
from django.http import Http404

from safelect.core.accounts.models import Membership
from safelect.core.accounts.permissions import has_permission
from safelect.core.accounts.scope import get_visible_or_404, visible
from safelect.core.accounts.testing import acting_request as _request
from safelect.core.accounts.testing import make_member
from safelect.core.directory.models import Jurisdiction, Organization

AUTAUGA, BALDWIN = "jurisdiction:0100100000", "jurisdiction:0100300000"


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
    baldwin_user, _ = make_member("local_election_official", BALDWIN)
    baldwin_membership = Membership.objects.get(user=baldwin_user)
    # Scoped by organization: Autauga sees Autauga's memberships only.
    assert list(visible(Membership.objects.all(), membership).values_list("pk", flat=True)) == [membership.pk]
    # A relation to Organization widens the view to rows shared with Autauga: here, memberships of
    # people who also belong to Autauga.
    shared = "user__memberships__organization"
    assert baldwin_membership not in visible(Membership.objects.all(), membership, shared_field=shared)
    Membership.objects.create(user=baldwin_user, organization=membership.organization, roles=["audit_board_member"])
    assert baldwin_membership in visible(Membership.objects.all(), membership, shared_field=shared)


@pytest.mark.django_db
def test_acting_for_nothing_sees_nothing_and_superuser_sees_all():
    from safelect.core.accounts.models import User

    nobody = User.objects.create_user(username="n@test.safelect.invalid", email="n@test.safelect.invalid")
    assert not visible(Organization.objects.all(), _request(nobody)).exists()
    root = User.objects.create_superuser(username="r@test.safelect.invalid", email="r@test.safelect.invalid", password=None)
    assert visible(Organization.objects.all(), _request(root)).count() == Organization.objects.count()
