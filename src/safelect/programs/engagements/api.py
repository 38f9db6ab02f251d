"""The engagements JSON API: records, follow-ups, import (upload → preview →
commit), the review queue and exports.  Thin: every write calls :mod:`.services`."""

import datetime as dt

from django.core.exceptions import ValidationError
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404
from ninja import File, Router, Status
from ninja.errors import HttpError
from ninja.files import UploadedFile

from safelect.core.directory.models import Jurisdiction, State
from safelect.core.web.permissions import requires

from . import exports, queries, services
from .access import EDIT, EXPORT, EXPORT_INTERNAL, FOLLOW_UP, IMPORT, REVIEW, VIEW, VIEW_INTERNAL, Actor, get_in_scope
from .forms import national_staff
from .importing import ImportRefused, check_size
from .models import INTERNAL_FIELDS, TEXT_FIELDS, Engagement, FollowUp, ImportBatch, ImportProgress
from .schemas import (
    CloseIn,
    EngagementIn,
    EngagementOut,
    EngagementPatch,
    ErrorOut,
    FlagOut,
    FollowUpIn,
    FollowUpOut,
    PreviewOut,
    ResolveIn,
)

router = Router(tags=["engagements"])


def _out(engagement: Engagement, actor: Actor) -> EngagementOut:
    internal = actor.may(VIEW_INTERNAL)
    texts = {
        n: (engagement.text(n).marked() if internal else engagement.text(n).foia())
        for n in TEXT_FIELDS
        if internal or n not in INTERNAL_FIELDS
    }
    return EngagementOut(
        id=engagement.pk,
        region=engagement.region.number if engagement.region_id else None,
        state=engagement.state.usps if engagement.state_id else None,
        state_text=engagement.state_text,
        jurisdiction=engagement.jurisdiction.eavs_code if engagement.jurisdiction_id else None,
        status=engagement.status,
        meeting_date=engagement.meeting_date,
        year_inferred=engagement.year_inferred,
        texts=texts,
        points_of_contact=[u.email for u in engagement.points_of_contact.all()] if internal else [],
        open_follow_ups=engagement.follow_ups.filter(status="open").count() if internal else 0,
    )


def _invalid(error: ValidationError):
    """A service's refusal: the API's handler answers 422 with one entry per field."""
    raise error


def _state(usps: str) -> State:
    state = State.objects.filter(usps=usps.upper()).select_related("region").first()
    if state is None:
        raise HttpError(422, f"state: no State or territory with the USPS code {usps!r}")
    return state


def _values(data, partial: bool) -> dict:
    unknown = set(data.texts) - set(TEXT_FIELDS)
    if unknown:
        raise HttpError(422, f"texts: unknown field(s) {', '.join(sorted(unknown))}")
    values: dict = dict(data.texts)
    if data.state or not partial:
        state = _state(data.state)
        values.update(state=state, region=state.region)
    if getattr(data, "jurisdiction", None):
        values["jurisdiction"] = Jurisdiction.objects.filter(eavs_code=data.jurisdiction).first()
        if values["jurisdiction"] is None:
            raise HttpError(422, f"jurisdiction: no jurisdiction with the EAVS code {data.jurisdiction!r}")
    for name in ("status", "meeting_date"):
        if not partial or getattr(data, name) is not None:
            values[name] = getattr(data, name)
    return values


def _users(emails: list[str]):
    """National-office staff by address. One answer for an unknown address and for someone who is
    not national-office staff, so the API does not tell which addresses have accounts."""
    found = list(national_staff().filter(email__in=emails))
    missing = sorted(set(emails) - {u.email for u in found})
    if missing:
        raise HttpError(422, f"points_of_contact: {', '.join(missing)} is not a national-office staff member's address")
    return found


@router.get("/records", response=list[EngagementOut], summary="Engagements in your scope (q: full-text search)")
@requires(VIEW)
def list_engagements(request, q: str = "", region: int | None = None, state: str | None = None):
    actor = Actor.of(request)
    found = queries.search(actor, q) if q else queries.engagements(actor)
    if region:
        found = found.filter(region__number=region)
    if state:
        found = found.filter(state__usps=state.upper())
    return [_out(e, actor) for e in found.prefetch_related("points_of_contact")[:500]]


@router.get("/records/{pk}", response=EngagementOut, summary="One engagement")
@requires(VIEW)
def get_engagement(request, pk: int):
    actor = Actor.of(request)
    return _out(get_in_scope(actor, Engagement.objects.all(), pk=pk), actor)


@router.post("/records", response={201: EngagementOut, 422: ErrorOut}, summary="Record an engagement")
@requires(EDIT)
def create_engagement(request, data: EngagementIn):
    actor = Actor.of(request)
    try:
        engagement = services.create_engagement(actor, _values(data, False), _users(data.points_of_contact))
    except ValidationError as error:
        _invalid(error)
    return Status(201, _out(engagement, actor))


@router.patch("/records/{pk}", response={200: EngagementOut, 422: ErrorOut}, summary="Change an engagement")
@requires(EDIT)
def update_engagement(request, pk: int, data: EngagementPatch):
    actor = Actor.of(request)
    engagement = get_in_scope(actor, Engagement.objects.all(), pk=pk)
    try:
        engagement = services.update_engagement(actor, engagement, _values(data, True))
    except ValidationError as error:
        _invalid(error)
    return Status(200, _out(engagement, actor))


def _follow_up_out(f: FollowUp) -> FollowUpOut:
    return FollowUpOut(
        id=f.pk,
        engagement=f.engagement_id,
        description=f.description,
        owner=f.owner_label,
        due_date=f.due_date,
        status=f.status,
        obligation=f.obligation_ref,
    )


@router.post("/records/{pk}/follow-ups", response={201: FollowUpOut, 422: ErrorOut}, summary="Open a follow-up (GETBACK)")
@requires(FOLLOW_UP)
def open_follow_up(request, pk: int, data: FollowUpIn):
    actor = Actor.of(request)
    engagement = get_in_scope(actor, Engagement.objects.all(), pk=pk)
    owner = _users([data.owner])[0] if data.owner else None
    try:
        follow_up = services.open_follow_up(actor, engagement, data.description, data.due_date, owner, data.owner_text)
    except ValidationError as error:
        _invalid(error)
    return Status(201, _follow_up_out(follow_up))


@router.post("/follow-ups/{pk}/close", response={200: FollowUpOut, 422: ErrorOut}, summary="Mark a follow-up done or cancelled")
@requires(FOLLOW_UP)
def close_follow_up(request, pk: int, data: CloseIn):
    actor = Actor.of(request)
    follow_up = get_object_or_404(actor.restrict(FollowUp.objects.all()), pk=pk)
    try:
        return Status(200, _follow_up_out(services.close_follow_up(actor, follow_up, data.outcome, data.note)))
    except ValidationError as error:
        _invalid(error)


@router.get("/flags", response=list[FlagOut], summary="The open review queue")
@requires(REVIEW)
def list_flags(request):
    return [
        FlagOut(
            id=f.pk,
            engagement=f.engagement_id,
            kind=f.kind,
            field=f.field,
            message=f.message,
            row=f.source_version.position.get("label") if f.source_version else None,
            status=f.status,
        )
        for f in queries.open_flags(Actor.of(request))[:1000]
    ]


@router.post("/flags/{pk}/resolve", response={200: dict, 422: ErrorOut}, summary="Resolve or dismiss a review flag")
@requires(REVIEW)
def resolve_flag(request, pk: int, data: ResolveIn):
    actor = Actor.of(request)
    flag = get_object_or_404(queries.open_flags(actor), pk=pk)
    try:
        flag = services.resolve_flag(actor, flag, data.outcome, data.note, _state(data.state) if data.state else None)
    except ValidationError as error:
        _invalid(error)
    return Status(200, {"id": flag.pk, "status": flag.status})


@router.post("/imports", response={201: PreviewOut, 422: ErrorOut}, summary="Upload a weekly summary: returns its preview")
@requires(IMPORT)
def upload_import(request, file: UploadedFile = File(...)):
    try:
        check_size(file.size, file.name or "upload")  # refused before the upload is read into memory
        batch, _ = services.upload_for_preview(file.read(), file.name or "upload", Actor.of(request))
    except ImportRefused as error:
        raise HttpError(422, f"{error}; nothing was written") from None
    return Status(201, PreviewOut(preview_id=batch.pk, state=batch.state, report=batch.report))


@router.get("/imports/{pk}", response=PreviewOut, summary="A stored preview (or committed import) and its report")
@requires(IMPORT)
def get_import(request, pk: int):
    batch = get_object_or_404(ImportBatch.objects.defer("content"), pk=pk)
    return _preview_out(batch)


def _preview_out(batch: ImportBatch) -> PreviewOut:
    progress = ImportProgress.objects.filter(batch=batch).first()
    return PreviewOut(
        preview_id=batch.pk,
        state=batch.state,
        report=batch.report,
        progress={"done": progress.done, "total": progress.total, "error": progress.error} if progress else None,
    )


@router.post(
    "/imports/{pk}/commit",
    response={200: dict, 202: PreviewOut, 404: ErrorOut, 422: ErrorOut},
    summary="Commit a previewed import, all or nothing (a large one answers 202 and commits in the background)",
)
@requires(IMPORT)
def commit_import(request, pk: int):
    if not ImportBatch.objects.filter(pk=pk).exists():
        raise Http404("no such import preview")
    try:
        batch, result = services.commit_or_queue(pk, Actor.of(request))
    except ValidationError as error:
        _invalid(error)
    if result is None:
        return Status(202, _preview_out(batch))
    return Status(200, result.report())


@router.post(
    "/imports/{pk}/discard",
    response={200: dict, 404: ErrorOut, 422: ErrorOut},
    summary="Discard a preview: its uploaded bytes are deleted and nothing is imported",
)
@requires(IMPORT)
def discard_import(request, pk: int):
    if not ImportBatch.objects.filter(pk=pk).exists():
        raise Http404("no such import preview")
    try:
        name = services.discard_preview(pk, Actor.of(request))
    except ValidationError as error:
        _invalid(error)
    return Status(200, {"discarded": pk, "filename": name})


@router.get("/export", summary="The weekly summary as XLSX, PDF or CSV (foia=true for the release)")
@requires(EXPORT)
def export(
    request,
    format: str = "xlsx",
    region: int | None = None,
    date_from: dt.date | None = None,
    date_to: dt.date | None = None,
    foia: bool = False,
):
    if format not in exports.FORMATS:
        raise HttpError(422, f"format: choose one of {', '.join(exports.FORMATS)}")
    actor = Actor.of(request)
    release = foia or not actor.may(EXPORT_INTERNAL)
    summary = exports.build_summary(queries.engagements(actor), release=release, region=region, date_from=date_from, date_to=date_to)
    response = HttpResponse(exports.write(summary, format), content_type=exports.CONTENT_TYPES[format])
    name = exports.file_name(format, release=release, region=region, date_from=date_from, date_to=date_to)
    response["Content-Disposition"] = f'attachment; filename="{name}"'
    return response
