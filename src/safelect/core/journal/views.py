"""An object's history: its journal entries, for those allowed to see the object."""

from django.http import Http404
from django.shortcuts import render

from safelect.core.web.permissions import requires

from .history import describe, entries_of, visible_object


@requires("journal:history:view")
def history(request, object_type: str, object_id: str):
    obj = visible_object(request, object_type, object_id)
    if obj is None:
        raise Http404("no such object, or you may not see it")
    entries = [(entry, describe(entry.summary, type(obj))) for entry in entries_of(obj)[:500]]
    return render(request, "journal/history.html", {"object": obj, "object_type": object_type, "entries": entries})
