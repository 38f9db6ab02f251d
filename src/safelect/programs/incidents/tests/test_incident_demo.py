"""The demo incidents: five stages, recorded through the services, idempotent."""

import pytest

from safelect.core.obligations.models import Obligation
from safelect.core.personal.services import findings_of
from safelect.core.web.demo import create_all
from safelect.programs.incidents import personal
from safelect.programs.incidents.models import Incident, IncidentNotice


@pytest.mark.django_db
def test_the_demo_shows_incidents_at_five_stages_and_a_second_run_adds_nothing():
    create_all()
    counts = (
        Incident.objects.count(),
        IncidentNotice.objects.count(),
        Obligation.objects.filter(subject_type="incidents.incident").count(),
    )
    create_all()
    assert (
        Incident.objects.count(),
        IncidentNotice.objects.count(),
        Obligation.objects.filter(subject_type="incidents.incident").count(),
    ) == counts
    stages = sorted(i.stage for i in Incident.objects.all())
    assert stages == [
        "Agencies served notified",
        "Closed: no incident",
        "Incident: national office notified (late)",
        "Incident: notice to the national office due",
        "Possible incident: assessing",
    ]
    assert counts[1] == 3 and Obligation.objects.filter(duty_code="S2261-4i", status="open", subject_type="incidents.incident").count() == 1
    # §4(g): the Wisconsin update names a voter and its evidence is a voter-file sample, awaiting review;
    # the closed "no incident" runs its retention clock
    wisconsin = Incident.objects.get(organization__key="state:WI")
    status = personal.review_status(wisconsin)
    assert status["pending"] >= 8 and status["files_pending"] == []
    kinds = set(findings_of(wisconsin).values_list("kind", flat=True))
    assert {"person_name", "date_of_birth", "voter_id", "address", "phone"} <= kinds
    assert Obligation.objects.filter(duty_code=personal.PURGE_DUTY, status="open").count() == 1
