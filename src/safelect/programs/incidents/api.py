"""The incidents JSON API: report a possible incident, assess it, notify, update. Thin: every write
calls :mod:`.services`, which checks permission and scope.

``POST /reports`` honours an ``Idempotency-Key`` header: a retried request with the same key
(from the same agency) answers 200 with the incident recorded first, never a second incident.
"""

import json

from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpResponse
from ninja import File, Form, Router, Status
from ninja.files import UploadedFile

from safelect.core.accounts.actor import Actor
from safelect.core.obligations.registry import get as get_duty
from safelect.core.web.permissions import requires

from . import services, stix
from .models import ELECTION_SYSTEMS, Incident
from .permissions import REPORT, VIEW
from .schemas import AssessmentIn, ErrorOut, EvidenceOut, FirstNoticeIn, IncidentOut, NoticeOut, PossibleIn, SystemOut, UpdateIn
from .services_base import clocks_of
from .views import evidence_response

router = Router(tags=["incidents"])
NOTICE_FIELDS = ("started_at", "ended_at", "systems", "circumstances", "information_acquired", "measures_planned", "measures_implemented")


def _out(incident: Incident) -> IncidentOut:
    clocks = []
    for o in clocks_of(incident):
        try:
            citation = get_duty(o.duty_code).citation
        except KeyError:
            citation = o.duty_code
        clocks.append({"duty": o.duty_code, "citation": citation, "status": o.status, "due_at": o.due_at, "fulfilled_at": o.fulfilled_at})
    return IncidentOut(
        id=incident.pk,
        reference=incident.reference,
        agency=incident.organization.name,
        state=incident.state.usps if incident.state_id else None,
        title=incident.title,
        stage=incident.stage,
        aware_at=incident.aware_at,
        how_learned=incident.how_learned,
        systems=incident.systems,
        assessment=incident.assessment,
        assessment_reason=incident.assessment_reason,
        next_review_on=incident.next_review_on,
        discovered_at=incident.discovered_at,
        notified_at=incident.notified_at,
        notified_late=incident.notified_late,
        late_reason=incident.late_reason,
        notices=[
            NoticeOut(**{f: getattr(n, f) for f in NOTICE_FIELDS}, number=n.number, submitted_at=n.submitted_at, note=n.note)
            for n in incident.notices.all()
        ],
        clocks=clocks,
        evidence=[
            EvidenceOut(
                id=f.pk,
                name=f.name,
                description=f.description,
                size=f.size,
                sha256=f.sha256,
                media_type=f.media_type,
                uploaded_at=f.uploaded_at,
            )
            for f in incident.evidence.all()
        ],
    )


def _get(request, pk: int) -> tuple[Actor, Incident]:
    actor = Actor.of(request)
    return actor, actor.get_or_404(Incident.objects.select_related("organization", "state"), VIEW, pk=pk)


@router.get("/systems", response=list[SystemOut], summary="The election systems an incident may involve")
@requires(VIEW)
def list_systems(request):
    return [SystemOut(code=code, label=label) for code, label in ELECTION_SYSTEMS]


@router.get("/reports", response=list[IncidentOut], summary="Incidents you may see (newest first, at most 200)")
@requires(VIEW)
def list_incidents(request):
    actor = Actor.of(request)
    found = actor.restrict(Incident.objects.select_related("organization", "state"), VIEW)[:200]
    return [_out(i) for i in found]


@router.get("/reports/{pk}", response=IncidentOut, summary="One incident with its notices and clocks")
@requires(VIEW)
def get_incident(request, pk: int):
    return _out(_get(request, pk)[1])


@router.post(
    "/reports",
    response={200: IncidentOut, 201: IncidentOut, 403: ErrorOut, 422: ErrorOut},
    summary="Report a possible incident (S.2261 §4(h))",
)
@requires(REPORT)
def report_possible(request, data: PossibleIn):
    actor = Actor.of(request)
    key = request.headers.get("Idempotency-Key", "")
    before = Incident.objects.filter(organization=actor.organization, idempotency_key=key).first() if key else None
    incident = services.report_possible(
        actor, title=data.title, aware_at=data.aware_at, how_learned=data.how_learned, systems=data.systems, idempotency_key=key
    )
    return Status(200 if before is not None else 201, _out(incident))


@router.post(
    "/reports/{pk}/assessment", response={200: IncidentOut, 403: ErrorOut, 422: ErrorOut}, summary="Record the assessment (S.2261 §4(h)(1))"
)
@requires(REPORT)
def assess(request, pk: int, data: AssessmentIn):
    actor, incident = _get(request, pk)
    services.assess(
        actor, incident, outcome=data.outcome, reason=data.reason, discovered_at=data.discovered_at, next_review_on=data.next_review_on
    )
    incident.refresh_from_db()
    return Status(200, _out(incident))


@router.post(
    "/reports/{pk}/notice",
    response={201: IncidentOut, 403: ErrorOut, 422: ErrorOut},
    summary="Notify the national office (S.2261 §4(i), (k)(1))",
)
@requires(REPORT)
def notify(request, pk: int, data: FirstNoticeIn):
    actor, incident = _get(request, pk)
    services.notify(actor, incident, data.dict(include=set(NOTICE_FIELDS)), late_reason=data.late_reason)
    incident.refresh_from_db()
    return Status(201, _out(incident))


@router.post(
    "/reports/{pk}/updates", response={201: IncidentOut, 403: ErrorOut, 422: ErrorOut}, summary="Update the notice (S.2261 §4(k)(2))"
)
@requires(REPORT)
def update(request, pk: int, data: UpdateIn):
    actor, incident = _get(request, pk)
    services.update(actor, incident, data.dict(include=set(NOTICE_FIELDS)), note=data.note)
    incident.refresh_from_db()
    return Status(201, _out(incident))


@router.post(
    "/reports/{pk}/evidence",
    response={201: EvidenceOut, 403: ErrorOut, 422: ErrorOut},
    summary="Attach an evidence file (multipart, field 'file')",
)
@requires(VIEW)
def attach_evidence(request, pk: int, file: UploadedFile = File(...), description: str = Form("")):
    actor, incident = _get(request, pk)
    if not services.may_attach(actor, incident):
        raise PermissionDenied("you may not attach evidence to this incident")
    f = services.attach_evidence(actor, incident, file, description=description)
    return Status(
        201,
        EvidenceOut(
            id=f.pk,
            name=f.name,
            description=f.description,
            size=f.size,
            sha256=f.sha256,
            media_type=f.media_type,
            uploaded_at=f.uploaded_at,
        ),
    )


@router.get("/reports/{pk}/evidence/{file_id}", summary="Download an evidence file (always as an attachment)")
@requires(VIEW)
def download_evidence(request, pk: int, file_id: int):
    _actor, incident = _get(request, pk)
    found = incident.evidence.filter(pk=file_id).first()
    if found is None:
        raise Http404("No such evidence file")
    return evidence_response(found)


@router.get(
    "/reports/{pk}/stix",
    summary="The incident as a STIX 2.1 bundle with its indicators (minimised: personal information not explicitly kept is removed)",
)
@requires(VIEW)
def stix_bundle(request, pk: int):
    _actor, incident = _get(request, pk)
    return HttpResponse(json.dumps(stix.bundle_of(incident)), content_type="application/stix+json;version=2.1")
