"""The journal over the API: an object's history (same rules as the page)."""

from datetime import datetime

from django.http import Http404
from ninja import Router, Schema

from safelect.core.web.permissions import requires

from .history import entries_of, visible_object

router = Router(tags=["journal"])


class EntryOut(Schema):
    id: int
    partition: int
    sequence: int
    recorded_at: datetime
    actor_label: str
    organization_id: int | None
    action: str
    object_type: str
    object_id: str
    object_label: str
    summary: dict
    entry_hash: str
    previous_hash: str


@router.get("/history/{object_type}/{object_id}", response=list[EntryOut], summary="An object's journal entries, newest first")
@requires("journal:history:view")
def object_history(request, object_type: str, object_id: str):
    obj = visible_object(request, object_type, object_id)
    if obj is None:
        raise Http404("no such object, or you may not see it")
    return list(entries_of(obj)[:500])
