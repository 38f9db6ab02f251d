"""An engagement as one row of the weekly summary, and a meeting of the import as an engagement.

The import engine prints a :class:`~.importing.Meeting` with ``canonical_cells``; this module
prints a stored :class:`~.models.Engagement` the same way (:func:`engagement_cells`), so the
exports and the import agree cell for cell and ``content_hash`` recognises a re-imported export.
"""

from __future__ import annotations

from django.contrib.postgres.search import SearchVector
from django.db.models import TextField, Value

from .importing import COLUMNS, Meeting, cells_hash
from .models import INTERNAL_FIELDS, TEXT_FIELDS, Engagement


def poc_text(engagement: Engagement) -> str:
    """Points of contact: the printed names, else the safelect users named as contacts."""
    if engagement.poc:
        return engagement.poc.marked()
    if engagement.pk:
        return ", ".join(str(user) for user in engagement.points_of_contact.all())
    return ""


def engagement_cells(engagement: Engagement, *, release: bool = False) -> dict[str, str]:
    """Header → cell text, in :data:`COLUMNS` order.

    ``release=False`` writes free text losslessly (``[[(b)(6)|content]]``: an internal
    document); ``release=True`` is the FOIA release (each span replaced by its exemption code).
    """
    cells = {
        "region": str(engagement.region.number) if engagement.region_id else "",
        "state": engagement.state_text or (engagement.state.name if engagement.state_id else ""),
        "date": engagement.when.to_cell(),
    }
    for name in TEXT_FIELDS:
        text = engagement.text(name)
        cells[name] = text.foia() if release else text.marked()
    if not engagement.poc:
        cells["poc"] = poc_text(engagement)
    return {column.header: cells.get(column.field, "") for column in COLUMNS}


def content_hash(engagement: Engagement) -> str:
    return cells_hash(engagement_cells(engagement))


def apply_meeting(engagement: Engagement, meeting: Meeting, regions: dict, states: dict) -> None:
    """Copy a meeting's resolved values onto an engagement (not saved)."""
    engagement.region = regions.get(meeting.region) if meeting.region else None
    engagement.state = states.get(meeting.state.abbr) if meeting.state else None
    engagement.state_text = meeting.state_text
    when = meeting.when
    engagement.status = when.status.value
    engagement.meeting_date = when.date
    engagement.year_inferred = when.year_inferred
    engagement.date_text = when.raw.strip() if when.problem is not None else ""
    for name in TEXT_FIELDS:
        setattr(engagement, name, meeting.text(name))
    engagement.jurisdiction_text = meeting.text("jurisdiction")
    engagement.fingerprint = meeting.fingerprint


def refresh_search(engagement: Engagement) -> None:
    """Recompute the two full-text vectors (internal and released) and the content hash.

    The released vector indexes only what State officials may read (``foia()`` text of the
    non-internal columns), so a search cannot reveal withheld words to them.
    """
    state = engagement.state.name if engagement.state_id else engagement.state_text
    internal = " ".join(engagement.text(n).internal() for n in TEXT_FIELDS)
    released = " ".join(engagement.text(n).foia() for n in TEXT_FIELDS if n not in INTERNAL_FIELDS)

    def vector(text: str):
        return SearchVector(Value(state, output_field=TextField()), weight="A", config="english") + SearchVector(
            Value(text, output_field=TextField()), weight="B", config="english"
        )

    Engagement.objects.filter(pk=engagement.pk).update(
        search_vector=vector(internal + " " + poc_text(engagement)), release_vector=vector(released), content_hash=content_hash(engagement)
    )
