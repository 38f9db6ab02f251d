"""Scan, review, minimise and purge personal information (S.2261 §4(g)).

The program that owns a subject (an incident, a shared product) decides who may review it and
calls these services with ``actor.vouched()`` after its own permission and scope checks, as it does
for obligations; called with an unvouched person, they refuse. Each write is journalled with
counts and kinds, never the values.

* :func:`scan_sources` scans the subject's texts it has not scanned in their current version.
* :func:`decide` records *redact* or *keep* (keep needs a reason) for findings of the subject.
* :func:`minimised` is a source's text with every finding not explicitly kept replaced by
  ``[<kind> removed]`` (a finding not yet reviewed is redacted: the safe default).
* :func:`purge` replaces every finding in the given texts, kept or not, with ``[<kind> purged]``
  and marks the subject's findings purged (the retention period's end).
"""

from __future__ import annotations

import hashlib
import hmac
import re
from collections import Counter
from dataclasses import dataclass

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone

from safelect.core.accounts.actor import Actor
from safelect.core.journal.services import record

from . import scanner
from .models import Finding, ScannedSource


@dataclass(frozen=True)
class Source:
    """One text of a subject: ``key`` is stable (``notice:3:circumstances``), ``label`` is for people."""

    key: str
    label: str
    text: str


def _vouched(actor: Actor) -> None:
    if not actor.is_system:  # the system, or a person vouched for by the owning program
        raise PermissionDenied("The program that owns the subject checks who may review its personal information.")


def subject_key(subject) -> tuple[str, str]:
    return subject._meta.label_lower, str(subject.pk)


def sha256_text(text: str) -> str:
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


def _normalised(value: str) -> str:
    letters = re.sub(r"[^0-9a-z@.]", "", value.lower())
    return letters or value


def fingerprint(finding: scanner.Finding, text: str) -> str:
    """HMAC of what groups a finding: its column (a voter-file extract) or its value."""
    group = finding.how if finding.how.startswith("voter-file column") else _normalised(text[finding.start : finding.end])
    return hmac.new(settings.SECRET_KEY.encode(), f"{finding.kind}\x00{group}".encode(), hashlib.sha256).hexdigest()


def scan_sources(actor: Actor, subject, sources: list[Source], *, organization=None) -> int:
    """Scan each source not yet scanned in its current version; the number of new finding groups."""
    _vouched(actor)
    subject_type, subject_id = subject_key(subject)
    done = {
        s.source: s.sha256
        for s in ScannedSource.objects.filter(subject_type=subject_type, subject_id=subject_id, source__in=[x.key for x in sources])
    }
    now, new_groups, kinds = timezone.now(), 0, Counter()
    with transaction.atomic():
        for source in sources:
            digest = sha256_text(source.text)
            if done.get(source.key) == digest:
                continue
            found = scanner.scan(source.text)
            groups: dict[tuple[str, str, str], list[scanner.Finding]] = {}
            for f in found:
                groups.setdefault((f.kind, f.how, fingerprint(f, source.text)), []).append(f)
            for (kind, how, print_), matches in groups.items():
                first = matches[0]
                _, created = Finding.objects.update_or_create(
                    subject_type=subject_type,
                    subject_id=subject_id,
                    source=source.key,
                    kind=kind,
                    how=how,
                    fingerprint=print_,
                    defaults=dict(
                        source_label=source.label[:200],
                        source_sha256=digest,
                        count=len(matches),
                        start=first.start,
                        end=first.end,
                        score=max(m.score for m in matches),
                        found_at=now,
                    ),
                )
                new_groups += created
                kinds[scanner.KINDS[kind]] += len(matches)
            ScannedSource.objects.update_or_create(
                subject_type=subject_type,
                subject_id=subject_id,
                source=source.key,
                defaults=dict(sha256=digest, scanned_at=now, matches=len(found)),
            )
        if kinds:
            record(
                actor=actor.user,
                organization=organization,
                action="personal:finding:scan",
                obj=subject,
                summary={"found": dict(sorted(kinds.items())), "sources": len(sources)},
            )
    return new_groups


def findings_of(subject):
    subject_type, subject_id = subject_key(subject)
    return Finding.objects.filter(subject_type=subject_type, subject_id=subject_id)


def findings_by_subject(subjects) -> dict[str, list[Finding]]:
    """Findings of many subjects of one model in one query: ``{str(pk): [findings in text order]}``."""
    subjects = list(subjects)
    if not subjects:
        return {}
    found: dict[str, list[Finding]] = {}
    rows = Finding.objects.filter(subject_type=subjects[0]._meta.label_lower, subject_id__in=[str(s.pk) for s in subjects])
    for finding in rows.order_by("subject_id", "start"):
        found.setdefault(finding.subject_id, []).append(finding)
    return found


def scanned_sources(subject) -> dict[str, ScannedSource]:
    subject_type, subject_id = subject_key(subject)
    return {s.source: s for s in ScannedSource.objects.filter(subject_type=subject_type, subject_id=subject_id)}


def decide(actor: Actor, subject, decisions: dict[int, tuple[str, str]], *, organization=None) -> int:
    """Record decisions ``{finding id: (redact|keep, reason)}`` for findings of ``subject``.

    Keeping needs a reason; an id of another subject's finding is refused (nothing is written)."""
    _vouched(actor)
    with transaction.atomic():
        return _decide(actor, subject, decisions, organization)


def _decide(actor: Actor, subject, decisions: dict[int, tuple[str, str]], organization) -> int:
    errors: dict[str, str] = {}
    findings = {f.pk: f for f in findings_of(subject).select_for_update().filter(pk__in=list(decisions))}
    for pk, (decision, reason) in decisions.items():
        if pk not in findings:
            errors[f"finding-{pk}"] = "This finding does not belong to this record."
        elif decision not in (Finding.Decision.REDACT, Finding.Decision.KEEP):
            errors[f"finding-{pk}"] = "Choose redact or keep."
        elif decision == Finding.Decision.KEEP and not (reason or "").strip():
            errors[f"finding-{pk}"] = "Say why this personal information may be kept (S.2261 §4(g))."
        elif findings[pk].purged_at is not None:
            errors[f"finding-{pk}"] = "This personal information was already purged."
    if errors:
        raise ValidationError(errors)
    now, changed, words = timezone.now(), 0, Counter()
    with transaction.atomic():
        for pk, (decision, reason) in decisions.items():
            f = findings[pk]
            reason = (reason or "").strip()
            if (f.decision, f.reason) == (decision, reason):
                continue
            f.decision, f.reason, f.decided_by, f.decided_at = decision, reason, actor.user, now
            f.save(update_fields=["decision", "reason", "decided_by", "decided_at"])
            changed += 1
            words[f"{f.get_kind_display()}: {f.get_decision_display().lower()}"] += 1
        if changed:
            record(
                actor=actor.user,
                organization=organization,
                action="personal:finding:decide",
                obj=subject,
                summary={"decisions": dict(sorted(words.items()))},
            )
    return changed


def minimised(subject, source: Source, *, findings: list[Finding] | None = None) -> str:
    """The source's text with every finding not explicitly kept replaced by ``[<kind> removed]``
    (``findings``: the subject's findings when the caller already has them, saving a query)."""
    if findings is None:
        kept = set(findings_of(subject).filter(source=source.key, decision=Finding.Decision.KEEP).values_list("kind", "how", "fingerprint"))
    else:
        kept = {(f.kind, f.how, f.fingerprint) for f in findings if f.source == source.key and f.decision == Finding.Decision.KEEP}
    spans = [(f.start, f.end, f.kind) for f in scanner.scan(source.text) if (f.kind, f.how, fingerprint(f, source.text)) not in kept]
    return scanner.redact(source.text, spans)


def purge_text(text: str) -> tuple[str, Counter]:
    """Every finding in ``text`` replaced by ``[<kind> purged]``; the counts by kind label."""
    found = scanner.scan(text)
    return scanner.redact(text, [(f.start, f.end, f.kind) for f in found], word="purged"), Counter(f.label for f in found)


def mark_purged(actor: Actor, subject, counts: Counter, *, organization=None, what: list[str]) -> None:
    """Journal the purge (what was purged, by kind and count) and mark the subject's findings purged."""
    _vouched(actor)
    now = timezone.now()
    findings_of(subject).filter(purged_at__isnull=True).update(purged_at=now)
    subject_type, subject_id = subject_key(subject)
    ScannedSource.objects.filter(subject_type=subject_type, subject_id=subject_id).delete()  # the texts changed: scan anew
    record(
        actor=actor.user,
        organization=organization,
        action="personal:data:purge",
        obj=subject,
        summary={"purged": dict(sorted(counts.items())), "from": what},
    )


def excerpt(text: str, start: int, end: int, *, around: int = 40) -> tuple[str, str, str]:
    """(before, the finding, after) for showing a finding in its context."""
    return (
        ("…" if start > around else "") + text[max(0, start - around) : start],
        text[start:end],
        text[end : end + around] + ("…" if end + around < len(text) else ""),
    )
