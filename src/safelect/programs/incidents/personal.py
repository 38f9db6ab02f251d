"""Personal information in an incident (S.2261 §4(g)): scan, review, minimise, close and purge.

Before anything in an incident is shared beyond the reporter, its State and the national office,
its texts (the report, the assessment, every notice version) and its text-like evidence files are
scanned by the kernel's one scanner (:mod:`safelect.core.personal.scanner`); the findings are
reviewed on the incident's "Personal information" page by the reporting organization or the
national-office staff who handle incidents: *redact*, or *keep* with a reason. The minimised text
(:func:`minimised_sources`) replaces every finding not explicitly kept; it is what the STIX export
carries and what a sharing decision would release.

Texts are scanned when they are written (each is small); an evidence file up to
:data:`INLINE_SCAN_BYTES` is scanned as it is attached, a larger one by the background job
``incidents.scan_evidence`` (the page says "scan pending" until it ran).

**Retention.** Closing an incident opens the internal policy duty :data:`PURGE_DUTY` (by default
365 days; ``SAFELECT_OBLIGATION_POLICY_TARGETS["INC-PURGE"]`` changes it). When it falls due, the
daily job ``incidents.purge_personal_data`` (or ``safelect incidents purge-personal-data``)
replaces every finding in the incident's texts, its notices, the notices the outbox sent about it
and its text evidence files with ``[<kind> purged]`` (an evidence file is replaced by its purged
copy; the original's SHA-256 is kept), and the journal says what was purged, by kind and count.
The journal itself is append-only: titles and update notes it recorded are not rewritten, which
is why the forms ask not to put voters' personal information in them.
"""

from __future__ import annotations

import datetime as dt
from collections import Counter
from datetime import timedelta

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone

from safelect.core.accounts.actor import Actor
from safelect.core.obligations import services as obligations
from safelect.core.obligations.models import CLOSED_STATUSES, Obligation
from safelect.core.outbox import services as outbox
from safelect.core.personal import services as personal
from safelect.core.personal.models import Finding

from . import evidence as evidence_store
from .models import EvidenceFile, Incident
from .permissions import DECIDE, REPORT
from .services_base import is_national_office, locked

PURGE_DUTY = "INC-PURGE"
RETENTION_DAYS = 365
INLINE_SCAN_BYTES = 1024 * 1024
TEXT_TYPES = ("text/plain", "application/json")
NOTICE_TEXTS = [
    ("circumstances", "circumstances"),
    ("information_acquired", "information acquired"),
    ("measures_planned", "measures planned"),
    ("measures_implemented", "measures implemented"),
    ("note", "what is new"),
]
INCIDENT_TEXTS = [("how_learned", "how it was learned"), ("assessment_reason", "assessment reason"), ("late_reason", "reason for lateness")]


def register_purge_duty() -> None:
    from safelect.core.obligations.registry import register_policy_duty

    register_policy_duty(
        PURGE_DUTY,
        "Purge the personal information of a closed incident",
        RETENTION_DAYS,
        "national_office",
        lead_times=(timedelta(days=7),),
        origin="incidents",
        citation="S.2261 §4(g) (retention period: internal policy)",
        text="Program policy: personal information of voters in a closed incident is kept for the retention period "
        f"(by default {RETENTION_DAYS} days after closing) and then purged; the journal records what was purged.",
        event="incident_closed",
        event_words="the closing of the incident",
    )


# --- Who reviews -------------------------------------------------------------------------------


def may_review(actor: Actor, incident: Incident) -> bool:
    """The reporting organization, and national-office staff who handle incidents."""
    if actor.may(REPORT) and actor.acts_for(incident.organization):
        return True
    return actor.may(DECIDE) and is_national_office(actor)


def _require_reviewer(actor: Actor, incident: Incident) -> Incident:
    current = locked(actor, incident)
    if not may_review(actor, current):
        raise PermissionDenied(f"only {current.organization} and the national office review personal information in {current.reference}")
    return current


# --- Sources -----------------------------------------------------------------------------------


def text_sources(incident: Incident) -> list[personal.Source]:
    """The incident's own texts and every notice version's."""
    sources = [personal.Source(f"incident:{field}", f"Report — {words}", getattr(incident, field) or "") for field, words in INCIDENT_TEXTS]
    for notice in incident.notices.all():
        name = f"Update {notice.number}" if notice.is_update else "Notice"
        for field, words in NOTICE_TEXTS:
            sources.append(personal.Source(f"notice:{notice.number}:{field}", f"{name} — {words}", getattr(notice, field) or ""))
    return [s for s in sources if s.text]


def evidence_source(file: EvidenceFile) -> personal.Source | None:
    """A text evidence file as a source (None for images, archives, captures: not scanned)."""
    if file.media_type not in TEXT_TYPES:
        return None
    path = evidence_store.path_of(file.sha256)
    if not path.is_file():
        return None
    text = path.read_bytes().decode("utf-8", errors="replace")
    return personal.Source(f"evidence:{file.pk}", f"Evidence file {file.name}", text)


def source_text(incident: Incident, key: str) -> str:
    """The current text of one source (for showing a finding in its context)."""
    if key.startswith("evidence:"):
        file = incident.evidence.filter(pk=int(key.split(":")[1])).first()
        found = evidence_source(file) if file else None
        return found.text if found else ""
    return next((s.text for s in text_sources(incident) if s.key == key), "")


def scan_texts(actor: Actor, incident: Incident) -> None:
    """Scan the incident's texts (a consequence of the write the caller authorised)."""
    personal.scan_sources(actor.vouched(), incident, text_sources(incident), organization=incident.organization)


def scan_new_evidence(actor: Actor, file: EvidenceFile) -> None:
    """Scan a text evidence file now if small, else in the background (deferred with the write)."""
    if file.media_type not in TEXT_TYPES:
        return
    if file.size <= INLINE_SCAN_BYTES:
        source = evidence_source(file)
        if source is not None:
            personal.scan_sources(actor.vouched(), file.incident, [source], organization=file.incident.organization)
        return
    from .tasks import scan_evidence_job

    scan_evidence_job.defer(evidence_id=file.pk)


def scan_evidence_now(evidence_id: int) -> None:
    """What the background job runs (safe to run twice: an unchanged file is not scanned again)."""
    file = EvidenceFile.objects.select_related("incident__organization").filter(pk=evidence_id).first()
    source = evidence_source(file) if file else None
    if source is not None:
        personal.scan_sources(Actor.system(), file.incident, [source], organization=file.incident.organization)


def review_status(incident: Incident) -> dict:
    """Counts for the incident page: findings by decision, text evidence files not yet scanned."""
    findings = personal.findings_of(incident).filter(purged_at__isnull=True)
    by = Counter(findings.values_list("decision", flat=True))
    scanned = personal.scanned_sources(incident)
    pending_files = [f for f in incident.evidence.all() if f.media_type in TEXT_TYPES and f"evidence:{f.pk}" not in scanned]
    return {
        "pending": by.get(Finding.Decision.PENDING, 0),
        "redact": by.get(Finding.Decision.REDACT, 0),
        "keep": by.get(Finding.Decision.KEEP, 0),
        "total": sum(by.values()),
        "files_pending": pending_files,
        "purged_at": incident.personal_data_purged_at,
    }


# --- Review ------------------------------------------------------------------------------------


@transaction.atomic
def decide(actor: Actor, incident: Incident, decisions: dict[int, tuple[str, str]]) -> int:
    """Record the reviewer's decisions (redact, or keep with a reason) on the incident's findings."""
    current = _require_reviewer(actor, incident)
    if current.personal_data_purged_at is not None:
        raise ValidationError({"decisions": "The personal information of this incident was purged; there is nothing left to review."})
    return personal.decide(actor.vouched(), current, decisions, organization=actor.organization or current.organization)


def minimised_sources(incident: Incident) -> dict[str, str]:
    """Every text source of the incident, minimised (findings not explicitly kept are removed)."""
    return {s.key: personal.minimised(incident, s) for s in text_sources(incident)}


# --- Closing and purging -----------------------------------------------------------------------


@transaction.atomic
def close(actor: Actor, incident: Incident, *, note: str) -> Incident:
    """The incident is resolved: the reporting organization or the national office closes it, with a
    note. Closing opens the retention clock (:data:`PURGE_DUTY`)."""
    from safelect.core.journal.services import record

    current = _require_reviewer(actor, incident)
    note = (note or "").strip()
    errors = {}
    if current.closed_at is not None:
        errors["note"] = "This incident is already closed."
    elif not note:
        errors["note"] = "Say how the incident was resolved."
    elif not current.is_provider and current.assessment == Incident.Assessment.OCCURRED and current.notified_at is None:
        errors["note"] = "Notify the national office first (S.2261 §4(i)); an incident is closed after its notice."
    elif current.assessment == Incident.Assessment.ASSESSING and not current.is_provider:
        errors["note"] = "Record the assessment first (S.2261 §4(h))."
    if errors:
        raise ValidationError(errors)
    current.closing_note = note
    current.save(update_fields=["closing_note"])
    record(
        actor=actor.user,
        organization=actor.organization or current.organization,
        action="incidents:incident:close",
        obj=current,
        summary={"closed": True},
    )
    open_retention(actor, current, timezone.now())
    return current


def open_retention(actor: Actor, incident: Incident, at: dt.datetime) -> None:
    """The incident is closed at ``at``: the retention clock (:data:`PURGE_DUTY`) starts."""
    from .significance import national_office

    incident.closed_at = at
    incident.save(update_fields=["closed_at"])
    obligations.open(PURGE_DUTY, incident, at, national_office(), actor=actor.vouched())


def reopen(actor: Actor, incident: Incident) -> None:
    """A closed "no incident" is assessed again: open, and its retention clock waived."""
    incident.closed_at = None
    incident.save(update_fields=["closed_at"])
    clock = (
        Obligation.objects.filter(duty_code=PURGE_DUTY, subject_type="incidents.incident", subject_id=str(incident.pk))
        .exclude(status__in=CLOSED_STATUSES)
        .first()
    )
    if clock is not None:
        obligations.waive(actor.vouched(), clock, "the incident was assessed again and is open")


def _purge_file(file: EvidenceFile, counts: Counter) -> bool:
    source = evidence_source(file)
    if source is None:
        return False
    purged, found = personal.purge_text(source.text)
    if not found:
        return False
    counts.update(found)
    data = purged.encode("utf-8")
    sha, media_type, words, size = evidence_store.store([data], len(data))
    old = file.sha256
    file.original_sha256 = file.original_sha256 or old
    file.sha256, file.size, file.purged_at = sha, size, timezone.now()
    file.save(update_fields=["original_sha256", "sha256", "size", "purged_at"])
    if not EvidenceFile.objects.filter(sha256=old).exists():
        evidence_store.path_of(old).unlink(missing_ok=True)
    return True


@transaction.atomic
def purge(actor: Actor, incident: Incident, *, at: dt.datetime | None = None) -> Counter:
    """Replace the personal information in a closed incident's texts, notices, outbox notices and
    text evidence with ``[<kind> purged]``; journal what was purged. Only the system (the daily
    job, the operator's command) purges, and only once the retention period ended."""
    if not actor.is_system:
        raise PermissionDenied("personal information is purged by the retention job, not by a person")
    current = Incident.objects.select_for_update().select_related("organization").get(pk=incident.pk)
    if current.closed_at is None or current.personal_data_purged_at is not None:
        return Counter()
    counts, what = Counter(), []
    for field, words in INCIDENT_TEXTS:
        text, found = personal.purge_text(getattr(current, field) or "")
        if found:
            setattr(current, field, text)
            counts.update(found)
            what.append(f"report: {words}")
    for notice in current.notices.all():
        changed = []
        for field, _words in NOTICE_TEXTS:
            text, found = personal.purge_text(getattr(notice, field) or "")
            if found:
                setattr(notice, field, text)
                counts.update(found)
                changed.append(field)
        if changed:
            notice.save(update_fields=changed)
            what.append(f"{notice}: {len(changed)} texts")
    for file in current.evidence.all():
        if _purge_file(file, counts):
            what.append(f"evidence file {file.name}")
    sent = outbox.purge_texts("incidents.incident", current.pk, lambda text: personal.purge_text(text)[0])
    if sent:
        what.append(f"{sent} notices sent about it")
    current.personal_data_purged_at = at or timezone.now()
    current.save(update_fields=[f for f, _ in INCIDENT_TEXTS] + ["personal_data_purged_at"])
    personal.mark_purged(actor, current, counts, organization=current.organization, what=what or ["nothing was found"])
    obligations.fulfil_open(actor, PURGE_DUTY, current, current.personal_data_purged_at, "personal information purged")
    return counts


def purge_due(now: dt.datetime | None = None) -> list[tuple[str, Counter]]:
    """Purge every closed incident whose retention period ends within a day (the job runs daily, so
    each is purged on its last day, on time); (reference, counts) of each."""
    return [(incident.reference, purge(Actor.system(), incident)) for incident in due_for_purge(now)]


def due_for_purge(now: dt.datetime | None = None) -> list[Incident]:
    """The closed incidents whose retention clock ends within a day of ``now``."""
    now = now or timezone.now()
    clocks = Obligation.objects.filter(duty_code=PURGE_DUTY, subject_type="incidents.incident", due_at__lte=now + timedelta(days=1))
    open_clocks = clocks.exclude(status__in=CLOSED_STATUSES)
    return list(Incident.objects.filter(pk__in=[int(c.subject_id) for c in open_clocks]).order_by("pk"))
