"""Committing a weekly-summary import: preview first, then all or nothing.

``preview_file`` reads a file against what is stored and writes nothing.  ``commit_import``
runs the same preview again inside one transaction (so it sees what is stored *now*) and
writes every engagement, source version and review flag, or nothing: any error rolls the whole
file back.  Re-importing a file changes nothing: its rows are known by fingerprint (or, for an
export of stored records, by their row hash), the report says ``already_imported`` and —
decided — no batch is recorded for a command-line re-import (an uploaded preview keeps its
batch, marked "already imported", as the record of the upload).

The web and API flow stores the upload as a *previewed* :class:`ImportBatch` (bytes and
SHA-256); ``commit_batch`` commits exactly those bytes, once.
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import connection, transaction
from django.utils import timezone

from safelect.core.directory.models import Organization, Region, State
from safelect.core.journal.services import record

from ..access import IMPORT, Actor
from ..importing import MAX_FILE_BYTES, ImportPreview, ImportRefused, Meeting, check_size, preview_import
from ..models import Engagement, ImportBatch, ImportProgress, ReviewFlag, SourceVersion
from ..rows import apply_meeting, refresh_search

_LOCK_KEY = 0x5AFE0005  # serialises imports: two commits never race on the same fingerprints


@dataclass
class ImportResult:
    """What an import did (or, for a dry run, would do)."""

    preview: ImportPreview
    batch: ImportBatch | None = None
    committed: bool = False
    engagements: list[Engagement] = field(default_factory=list)

    @property
    def already_imported(self) -> bool:
        return self.preview.changes_nothing

    def report(self) -> dict[str, Any]:
        data = self.preview.to_json(include_meetings=False)
        data["already_imported"] = self.already_imported
        data["committed"] = self.committed
        data["batch"] = self.batch.pk if self.batch else None
        return data


def preview_file(data: bytes, filename: str, max_bytes: int = MAX_FILE_BYTES) -> ImportPreview:
    """The preview of ``data`` against the stored records; writes nothing (``ImportRefused``).

    ``max_bytes``: the size limit of every upload path; only an operator's command may raise it."""
    check_size(len(data), filename, max_bytes)  # before two queries over every stored record
    known_versions = set(SourceVersion.objects.values_list("fingerprint", flat=True))
    known_rows = set(Engagement.objects.values_list("content_hash", flat=True))
    return preview_import(data, filename, known_versions, known_rows, max_bytes=max_bytes)


def upload_for_preview(data: bytes, filename: str, actor: Actor) -> tuple[ImportBatch, ImportPreview]:
    """Store an upload as a previewed batch and return its preview (web/API step one)."""
    actor.require(IMPORT)
    preview = preview_file(data, filename)  # a refused file is not stored
    with transaction.atomic():
        batch = ImportBatch.objects.create(
            filename=filename[:255],
            sha256=hashlib.sha256(data).hexdigest(),
            content=data,
            uploaded_by=actor.user,
            organization=actor.organization,
            report=_preview_report(preview),
        )
    return batch, preview


def discard_preview(batch_id: int, actor: Actor) -> str:
    """Throw a previewed upload away (its stored bytes with it); returns its file name. A batch
    committed, or being committed, is the record of what was imported and stays."""
    actor.require(IMPORT)
    with transaction.atomic():
        batch = ImportBatch.objects.select_for_update().filter(pk=batch_id).first()
        if batch is None:
            raise ValidationError(f"there is no import {batch_id}")
        if batch.state != ImportBatch.State.PREVIEWED:
            raise ValidationError(
                f"import {batch.pk} ({batch.filename}) is {batch.get_state_display().lower()}: only a preview can be discarded"
            )
        record(
            actor=actor.user,
            organization=actor.organization,
            action="engagements:import:discard",
            obj=batch,
            summary={"filename": batch.filename, "sha256": batch.sha256},
        )
        name = batch.filename
        batch.delete()
    return name


def commit_batch(batch_id: int, actor: Actor, progress: Callable[[int, int], None] | None = None, *, queued: bool = False) -> ImportResult:
    """Commit a previewed upload (web/API step two); refuses one already committed."""
    actor.require(IMPORT)
    with transaction.atomic():
        batch = ImportBatch.objects.select_for_update().get(pk=batch_id)
        expected = ImportBatch.State.QUEUED if queued else ImportBatch.State.PREVIEWED
        if batch.state != expected:
            raise ValidationError(
                f"import {batch.pk} ({batch.filename}) was already committed"
                if batch.state != ImportBatch.State.QUEUED
                else f"import {batch.pk} ({batch.filename}) is being committed in the background"
            )
        data = bytes(batch.content)
        if hashlib.sha256(data).hexdigest() != batch.sha256:
            raise ValidationError(f"import {batch.pk}: the stored file changed since its preview")
        return _commit(data, batch.filename, actor, batch, progress)


def rows_to_write(batch: ImportBatch) -> int:
    report = batch.report or {}
    return int(report.get("engagements_created", 0)) + int(report.get("duplicates_merged", 0))


def background_threshold() -> int:
    """Commits writing more meetings than this run as a background job (a web request stays short)."""
    from django.conf import settings

    return int(getattr(settings, "ENGAGEMENTS_BACKGROUND_ROWS", 300))


def commit_or_queue(batch_id: int, actor: Actor) -> tuple[ImportBatch, ImportResult | None]:
    """Commit a small upload now; queue a large one as a job (``None`` result) with its progress."""
    actor.require(IMPORT)
    batch = ImportBatch.objects.defer("content").get(pk=batch_id)
    if batch.state != ImportBatch.State.PREVIEWED or rows_to_write(batch) <= background_threshold():
        result = commit_batch(batch_id, actor)
        return result.batch or batch, result
    return queue_commit(batch_id, actor), None


def queue_commit(batch_id: int, actor: Actor) -> ImportBatch:
    """Mark the batch queued, create its progress row and defer the commit job — one transaction."""
    from ..tasks import commit_import_job

    actor.require(IMPORT)
    with transaction.atomic():
        batch = ImportBatch.objects.select_for_update().defer("content").get(pk=batch_id)
        if batch.state != ImportBatch.State.PREVIEWED:
            raise ValidationError(f"import {batch.pk} ({batch.filename}) was already committed")
        batch.state = ImportBatch.State.QUEUED
        batch.save(update_fields=["state"])
        # The job corrects the total at its first report (meetings that only gain a version count too).
        total = int((batch.report or {}).get("engagements_created", 0))
        ImportProgress.objects.update_or_create(batch=batch, defaults={"done": 0, "total": total, "error": ""})
        membership = actor.membership
        commit_import_job.defer(batch_id=batch.pk, membership_id=membership.pk if membership is not None else None)
        record(
            actor=actor.user,
            organization=actor.organization,
            action="engagements:import:queue",
            obj=batch,
            summary={"file": batch.filename, "meetings": rows_to_write(batch)},
        )
    return batch


def run_queued_commit(batch_id: int, actor: Actor) -> ImportResult | None:
    """The job: commit a queued batch with progress; on refusal, mark it failed with the reason."""
    writer = _ProgressWriter(batch_id)
    try:
        return commit_batch(batch_id, actor, writer, queued=True)
    except (ImportRefused, ValidationError, PermissionDenied) as exc:
        fail_queued(batch_id, " ".join(exc.messages) if isinstance(exc, ValidationError) else str(exc))
        return None
    finally:
        writer.close()


def fail_queued(batch_id: int, message: str) -> None:
    """A queued commit that was refused: nothing was written; say why on the batch's page."""
    with transaction.atomic():
        ImportBatch.objects.filter(pk=batch_id, state=ImportBatch.State.QUEUED).update(state=ImportBatch.State.FAILED)
        ImportProgress.objects.filter(batch_id=batch_id).update(error=message[:2000])


class _ProgressWriter:
    """Writes progress through a second, autocommit connection at most every half second, so pages
    see it while the commit's own transaction is open. Inside an outer transaction (tests) it
    writes through the same connection instead."""

    def __init__(self, batch_id: int) -> None:
        self.batch_id = batch_id
        self.inline = connection.in_atomic_block
        self.side = None
        self.last = 0.0

    def __call__(self, done: int, total: int) -> None:
        import time

        now = time.monotonic()
        if done < total and now - self.last < 0.5:
            return
        self.last = now
        sql = "update engagements_importprogress set done = %s, total = %s, updated_at = now() where batch_id = %s"
        if self.inline:
            with connection.cursor() as cursor:
                cursor.execute(sql, [done, total, self.batch_id])
            return
        if self.side is None:
            self.side = connection.get_new_connection(connection.get_connection_params())
            self.side.autocommit = True
        self.side.execute(sql, [done, total, self.batch_id])

    def close(self) -> None:
        if self.side is not None:
            self.side.close()


def commit_import(
    data: bytes, filename: str, actor: Actor, progress: Callable[[int, int], None] | None = None, max_bytes: int = MAX_FILE_BYTES
) -> ImportResult:
    """Preview and commit a file in one transaction (the CLI); see the module docstring."""
    actor.require(IMPORT)
    with transaction.atomic():
        return _commit(data, filename, actor, None, progress, max_bytes)


def _preview_report(preview: ImportPreview) -> dict[str, Any]:
    data = preview.to_json(include_meetings=False)
    data["already_imported"] = preview.changes_nothing
    return data


def _commit(
    data: bytes,
    filename: str,
    actor: Actor,
    batch: ImportBatch | None,
    progress: Callable[[int, int], None] | None = None,
    max_bytes: int = MAX_FILE_BYTES,
) -> ImportResult:
    with connection.cursor() as cursor:
        cursor.execute("select pg_advisory_xact_lock(%s)", [_LOCK_KEY])
    preview = preview_file(data, filename, max_bytes)
    result = ImportResult(preview, batch)
    if preview.changes_nothing:
        if batch is not None:
            batch.state = ImportBatch.State.UNCHANGED
            batch.report = _preview_report(preview)
            batch.save(update_fields=["state", "report"])
        return result
    now = timezone.now()
    if batch is None:
        batch = ImportBatch(
            filename=filename[:255],
            sha256=hashlib.sha256(data).hexdigest(),
            content=data,
            uploaded_by=actor.user,
            organization=actor.organization,
        )
    batch.state, batch.committed_at = ImportBatch.State.COMMITTED, now
    batch.report = _preview_report(preview)
    batch.save()
    result.batch, result.committed = batch, True
    lookups = _Lookups()
    todo = [m for m in preview.meetings if preview.new_versions(m)]
    for done, meeting in enumerate(todo, start=1):
        result.engagements.append(_write_meeting(preview, meeting, batch, actor, lookups))
        if progress:
            progress(done, len(todo))
    record(
        actor=actor.user,
        organization=actor.organization,
        action="engagements:import:commit",
        obj=batch,
        summary={
            "file": filename,
            "sha256": batch.sha256,
            "engagements_created": preview.engagements_created,
            "duplicates_merged": preview.duplicates_merged,
            "flags": len(preview.flags),
            "rejected": len(preview.rejected),
        },
    )
    return result


class _Lookups:
    def __init__(self) -> None:
        self.regions = {r.number: r for r in Region.objects.all()}
        self.states = {s.usps: s for s in State.objects.all()}
        self.offices = {o.state_id: o for o in Organization.objects.filter(key__startswith="state:")}


def _write_meeting(preview: ImportPreview, meeting: Meeting, batch: ImportBatch, actor: Actor, lookups: _Lookups) -> Engagement:
    new_versions = preview.new_versions(meeting)
    if preview.is_new(meeting):
        engagement = Engagement(created_by=actor.user)
        apply_meeting(engagement, meeting, lookups.regions, lookups.states)
        engagement.organization = lookups.offices.get(engagement.state_id)
        engagement.save()
        action, verb = "engagements:engagement:import", "created from"
    else:
        # Another version of a stored meeting: the stored values stay as they are (a person
        # may have edited or reviewed them); the new version is kept and conflicts are flagged.
        known = [v.fingerprint for v in meeting.versions if v.fingerprint in preview.known_versions]
        engagement = SourceVersion.objects.select_related("engagement").get(fingerprint=known[0]).engagement
        action, verb = "engagements:engagement:merge", "new version(s) from"
    stored = {}
    for version in new_versions:
        stored[version.position] = SourceVersion.objects.create(
            engagement=engagement,
            batch=batch,
            position=version.position.to_json(),
            cells=list(version.cells),
            texts={name: value.marked() for name, value in version.texts.items() if value},
            fingerprint=version.fingerprint,
            content_hash=version.content_hash,
        )
    ReviewFlag.objects.bulk_create(
        [
            ReviewFlag(
                engagement=engagement,
                source_version=stored.get(flag.row),
                batch=batch,
                kind=flag.kind.value,
                field=flag.field or "",
                message=flag.message,
            )
            for flag in meeting.flags
            if flag.needs_review and (flag.row is None or flag.row in stored)
        ]
    )
    refresh_search(engagement)
    record(
        actor=actor.user,
        organization=actor.organization,
        action=action,
        obj=engagement,
        summary={"description": f"{verb} {batch.filename}", "rows": [v.position.label() for v in new_versions]},
    )
    return engagement
