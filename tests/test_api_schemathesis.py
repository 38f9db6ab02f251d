"""schemathesis against the OpenAPI schema: no server error, every answer documented and in shape.

Each operation is called with a bounded number of generated requests, twice: anonymously (public
operations answer, the rest 401) and with a national-office staff token (the widest read scope).
Checks: no 5xx; the status code is one the schema lists for the operation; the body matches the
schema of that status (errors included: ``{"detail": "..."}``). Registering a webhook is left out:
its URL is resolved in DNS, which this machine cannot reach (its checks have their own tests).
"""

from __future__ import annotations

import pytest
import schemathesis
from hypothesis import HealthCheck, settings
from schemathesis.checks import not_a_server_error
from schemathesis.specs.openapi.checks import content_type_conformance, response_schema_conformance, status_code_conformance

from safelect.server.wsgi import application

schema = schemathesis.openapi.from_wsgi("/api/openapi.json", application).exclude(path_regex=r"^/api/outbox/webhooks$", method="POST")

CHECKS = [not_a_server_error, status_code_conformance, content_type_conformance, response_schema_conformance]


@pytest.fixture(autouse=True)
def keep_the_test_connection():
    """Requests go straight to the WSGI app; like Django's test client, keep the request cycle
    from closing the connection that holds the test's transaction."""
    from django.core import signals
    from django.db import close_old_connections

    signals.request_started.disconnect(close_old_connections)
    signals.request_finished.disconnect(close_old_connections)
    yield
    signals.request_started.connect(close_old_connections)
    signals.request_finished.connect(close_old_connections)


@pytest.fixture
def staff_token(db):
    """A national-office staff member's API token, inside the test's transaction (rolled back)."""
    from safelect.core.accounts import services
    from safelect.core.accounts.actor import Actor
    from safelect.core.accounts.models import Membership, User
    from safelect.core.accounts.permissions import membership_permissions
    from safelect.core.directory.models import Organization

    user = User.objects.create(username="fuzz@test.safelect.invalid", email="fuzz@test.safelect.invalid")
    membership = Membership.objects.create(
        user=user, organization=Organization.objects.get(key="national-office"), roles=["national_program_staff"]
    )
    available = membership_permissions(membership, mfa=True)
    _, raw = services.create_token(Actor.member(membership), name="schemathesis", permissions=sorted(available))
    return raw


@pytest.mark.django_db
@schema.parametrize()
@settings(max_examples=8, deadline=None, suppress_health_check=list(HealthCheck))
def test_api_anonymous(case):
    case.call_and_validate(checks=CHECKS)


@pytest.mark.django_db
@schema.parametrize()
@settings(max_examples=8, deadline=None, suppress_health_check=list(HealthCheck))
def test_api_with_a_staff_token(case, staff_token):
    case.call_and_validate(headers={"Authorization": f"Bearer {staff_token}"}, checks=CHECKS)
