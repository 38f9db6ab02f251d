"""Vulnerability reports: submission, triage, notification and coordinated disclosure (S.2261 §8(d)).

* **Submit**: a qualified researcher reports against a scope of an open round — the system and
  version, description, steps, proof-of-concept files (the kernel's attachment store: scripts are
  accepted as text, programs refused, nothing ever rendered or run), a CWE from MITRE's catalog and a
  CVSS 4.0 vector scored by the ``cvss`` library (:mod:`.scoring`).
* **Triage** by the office: valid, duplicate (of an earlier report, proposed by
  :func:`similar_reports`), out of scope or informative; for a valid report the office decides and
  records whether it was previously unidentified (§8(d)(3)) and why. A valid report opens the
  ``S2261-8d5`` clock ("promptly") and is handed to the sharing program at once
  (:mod:`safelect.core.vulnerabilities`) as an advisory, TLP:AMBER by default, to the organization that
  designated the system and every organization whose inventory lists the product; each gets a
  :class:`Remediation` record. Publication fulfils the clock and opens ``HACK-DISCLOSE`` (90 days
  unless the vendor agrees another date).
* **Disclosure**: the office publishes a CVE-style advisory page, not before the coordinated date.
"""

from __future__ import annotations

import datetime as dt
import re
from zoneinfo import ZoneInfo

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone

from safelect.core import attachments, vulnerabilities
from safelect.core.accounts.actor import Actor
from safelect.core.days import end_of_day
from safelect.core.directory.queries import national_office, organizations_using_product
from safelect.core.journal.services import record
from safelect.core.obligations import services as obligations
from safelect.core.outbox.services import send
from safelect.core.personal.scanner import scan as personal_scan
from safelect.core.references import create_numbered
from safelect.core.stix import TLP_IDS

from . import awards, scoring
from .access import finding_or_404, researcher_of
from .clocks import DISCLOSE, NOTIFY, due
from .models import Designation, Finding, ProofFile, Remediation, Researcher
from .permissions import REMEDIATE, SUBMIT, TRIAGE
from .rounds import open_rounds

PROOFS = attachments.Policy(area="hack-proofs", max_bytes=20 * 1024 * 1024, noun="proof-of-concept files", scripts=True)
MAX_PROOFS = 5
MAX_TEXT = 50_000
TLPS = tuple(TLP_IDS)  # the TLP 2.0 labels the kernel marks STIX objects with
WORD = re.compile(r"[a-z0-9]{3,}")
STOP = frozenset(
    [
        "the",
        "and",
        "for",
        "with",
        "that",
        "this",
        "from",
        "are",
        "was",
        "were",
        "has",
        "have",
        "not",
        "but",
        "can",
        "its",
        "into",
        "when",
        "which",
        "their",
        "there",
        "then",
        "than",
    ]
)


def _text(values, name, errors, minimum, words):
    text = (values.get(name) or "").strip()
    if len(text) < minimum:
        errors[name] = words
    elif len(text) > MAX_TEXT:
        errors[name] = f"At most {MAX_TEXT:,} characters."
    return text


def _discard_unreferenced(shas: list[str]) -> None:
    for sha in shas:
        if not ProofFile.objects.filter(sha256=sha).exists():
            PROOFS.path_of(sha).unlink(missing_ok=True)


def submit(actor: Actor, values: dict, files=()) -> Finding:
    """A qualified researcher's report. All or nothing: a refused file stores nothing."""
    stored: list[str] = []
    try:
        with transaction.atomic():
            return _submit(actor, values, list(files), stored)
    except BaseException:
        _discard_unreferenced(stored)
        raise


def _submit(actor: Actor, values: dict, files: list, stored: list[str]) -> Finding:
    actor.require(SUBMIT)
    researcher = researcher_of(actor)
    if researcher is None or researcher.status != Researcher.Status.QUALIFIED:
        raise PermissionDenied("only qualified researchers submit reports (S.2261 §8(d)(2))")
    errors: dict[str, str] = {}
    now = timezone.now()
    designation = values.get("designation")
    if isinstance(designation, int | str):
        designation = Designation.objects.filter(pk=designation).first()
    found_round = None
    if designation is not None:
        found_round = open_rounds(now).filter(scopes=designation).first()
    if designation is None or found_round is None or designation.withdrawn_at is not None:
        errors["designation"] = "Choose a scope offered in a round that is open now."
    elif not designation.starts_on <= timezone.localdate() <= designation.ends_on:
        errors["designation"] = f"This system may be assessed from {designation.starts_on:%B %-d} to {designation.ends_on:%B %-d, %Y} only."
    title = (values.get("title") or "").strip()
    if not 5 <= len(title) <= 200:
        errors["title"] = "Give the report a short title (5 to 200 characters)."
    version = (values.get("affected_version") or "").strip()
    if not version or len(version) > 60:
        errors["affected_version"] = "Give the version you tested (as the product shows it)."
    description = _text(values, "description", errors, 30, "Describe the vulnerability and its impact on the election.")
    steps = _text(values, "steps", errors, 20, "Write the steps to reproduce it.")
    try:
        cwe_id, cwe_name = scoring.weakness(values.get("cwe") or "")
    except scoring.Refused as refused:
        errors["cwe"] = str(refused)
    try:
        severity = scoring.score(values.get("cvss_vector") or "")
    except scoring.Refused as refused:
        errors["cvss_vector"] = str(refused)
    if len(files) > MAX_PROOFS:
        errors["files"] = f"Attach at most {MAX_PROOFS} files (put more in one ZIP archive)."
    if errors:
        raise ValidationError(errors)
    proofs = []
    for upload in files:
        try:
            sha, media_type, words, size = PROOFS.store(upload.chunks(), upload.size or 0)
        except attachments.Refused as refused:
            raise ValidationError({"files": f"{attachments.safe_name(upload.name, 'proof')}: {refused}"}) from None
        stored.append(sha)
        proofs.append((attachments.safe_name(upload.name, "proof"), sha, media_type, words, size))
    finding = create_numbered(
        Finding,
        "HTE",
        now.year,
        round=found_round,
        designation=designation,
        researcher=researcher,
        title=title,
        affected_version=version,
        description=description,
        steps=steps,
        cwe_id=cwe_id,
        cwe_name=cwe_name,
        cvss_vector=severity.vector,
        cvss_score=severity.score,
        severity=severity.severity,
        submitted_at=now,
    )
    ProofFile.objects.bulk_create(
        [ProofFile(finding=finding, name=n, sha256=s, media_type=m, kind_words=w, size=z, uploaded_at=now) for n, s, m, w, z in proofs]
    )
    record(
        actor=actor.user,
        organization=actor.organization,
        action="hack:finding:submit",
        obj=finding,
        summary={"cvss": severity.vector, "score": severity.score, "cwe": cwe_id, "files": [p[1] for p in proofs]},
    )
    send(
        "hack.finding_submitted",
        context={"reference": finding.reference, "title": title, "severity": severity.severity, "path": f"/hack/findings/{finding.pk}/"},
        actor=actor.vouched(),
        organization=actor.organization,
        subject_object=finding,
        dedupe_key=f"hack.finding_submitted:{finding.pk}",
    )
    return finding


def _words(text: str) -> set[str]:
    return {w for w in WORD.findall(text.lower()) if w not in STOP}


def similar_reports(finding: Finding, limit: int = 5) -> list[dict]:
    """Earlier reports that may describe the same vulnerability: similar words in the title and
    description (Jaccard overlap), the same product and the same CWE, each with its share of the score."""
    words = _words(f"{finding.title} {finding.description}")
    system = finding.designation.system
    earlier = (
        Finding.objects.filter(submitted_at__lt=finding.submitted_at)
        .exclude(pk=finding.pk)
        .select_related("designation__system")
        .order_by("-submitted_at")[:2000]
    )
    proposals = []
    for other in earlier:
        other_words = _words(f"{other.title} {other.description}")
        text = len(words & other_words) / len(words | other_words) if words and other_words else 0.0
        same_product = (other.designation.system.manufacturer.lower(), other.designation.system.product.lower()) == (
            system.manufacturer.lower(),
            system.product.lower(),
        )
        same_cwe = other.cwe_id == finding.cwe_id
        score = 0.5 * text + 0.3 * same_product + 0.2 * same_cwe
        if score >= 0.35:
            proposals.append({"finding": other, "score": round(score, 2), "text": round(text, 2), "product": same_product, "cwe": same_cwe})
    proposals.sort(key=lambda p: (-p["score"], p["finding"].submitted_at))
    return proposals[:limit]


@transaction.atomic
def triage(actor: Actor, finding: Finding, values: dict) -> Finding:
    actor.require(TRIAGE)
    current = Finding.objects.select_for_update().get(pk=finding_or_404(actor, finding.pk).pk)
    if current.status != Finding.Status.SUBMITTED:
        raise ValidationError({"status": f"{current.reference} was already triaged: {current.get_status_display().lower()}."})
    errors: dict[str, str] = {}
    status = values.get("status") or ""
    if status not in Finding.Status.values or status == Finding.Status.SUBMITTED:
        errors["status"] = "Choose valid, duplicate, out of scope or informative."
    note = (values.get("triage_note") or "").strip()
    if len(note) < 10:
        errors["triage_note"] = "Say what the triage found (the researcher reads it)."
    duplicate_of = None
    if status == Finding.Status.DUPLICATE:
        duplicate_of = Finding.objects.filter(reference=(values.get("duplicate_of") or "").strip().upper()).first()
        if duplicate_of is None or duplicate_of.pk == current.pk or duplicate_of.submitted_at >= current.submitted_at:
            errors["duplicate_of"] = "Give the reference of the earlier report this one repeats."
    novel, novelty_reason = None, (values.get("novelty_reason") or "").strip()
    tlp = (values.get("tlp") or "amber").lower()
    if status == Finding.Status.VALID:
        if values.get("novel") not in ("yes", "no", True, False):
            errors["novel"] = "Decide whether the vulnerability was previously unidentified (§8(d)(3))."
        else:
            novel = values.get("novel") in ("yes", True)
        if len(novelty_reason) < 10:
            errors["novelty_reason"] = "Record why (the sources checked: earlier reports, advisories, the vendor's knowledge)."
        if tlp not in TLPS:
            errors["tlp"] = "Choose a TLP 2.0 label."
        if not vulnerabilities.can_hand_over():
            errors["status"] = "The sharing program is not installed here: a valid vulnerability cannot be notified."
    if errors:
        raise ValidationError(errors)
    now = timezone.now()
    current.status, current.triage_note, current.duplicate_of = status, note, duplicate_of
    current.novel, current.novelty_reason = novel, novelty_reason if status == Finding.Status.VALID else ""
    current.triaged_by, current.triaged_at = actor.user, now
    current.save()
    record(
        actor=actor.user,
        organization=actor.organization,
        action="hack:finding:triage",
        obj=current,
        summary={"status": status, "novel": novel, "duplicate_of": duplicate_of.reference if duplicate_of else None},
    )
    send(
        "hack.finding_triaged",
        context={
            "reference": current.reference,
            "status": current.get_status_display(),
            "organization_ids": [current.researcher.organization_id],
            "path": f"/hack/findings/{current.pk}/",
        },
        actor=actor.vouched(),
        organization=actor.organization,
        subject_object=current,
        dedupe_key=f"hack.finding_triaged:{current.pk}",
    )
    if status == Finding.Status.VALID:
        obligations.open(NOTIFY, current, now, national_office(), actor=actor.vouched())
        if novel:
            awards.propose(actor.vouched(), current)
        notify(actor, current, tlp=tlp)
    return current


def _advisory_text(finding: Finding) -> str:
    system = finding.designation.system
    return (
        f"A vulnerability was reported through Hack the Election (S.2261 §8) in {system.manufacturer} {system.product}, "
        f"version {finding.affected_version}: {finding.title}.\n\n{finding.description}\n\n"
        f"Weakness: {finding.cwe_label}. Severity: CVSS 4.0 {finding.cvss_score} ({finding.get_severity_display()}), "
        f"{finding.cvss_vector}.\n\nAgencies that use this product: record your remediation in safelect "
        f"({finding.reference}) and ask for technical assistance there if you need it."
    )


@transaction.atomic
def notify(actor: Actor, finding: Finding, *, tlp: str = "amber") -> vulnerabilities.Handed:
    """§8(d)(5): hand the vulnerability to the sharing program for the organizations concerned."""
    actor.require(TRIAGE)
    current = Finding.objects.select_for_update().get(pk=finding.pk)
    if current.status != Finding.Status.VALID:
        raise ValidationError({"status": "Only a valid vulnerability is notified."})
    if current.sharing_reference:
        raise ValidationError({"status": f"Already handed to the sharing program as {current.sharing_reference}."})
    system = current.designation.system
    office = national_office()
    whom = {current.designation.organization_id: Remediation.Why.DESIGNATED}
    for pk in sorted(organizations_using_product(system.manufacturer, system.product)):
        whom.setdefault(pk, Remediation.Why.USES)
    whom.pop(office.pk, None)
    handed = vulnerabilities.hand_to_sharing(
        actor,
        vulnerabilities.VulnerabilityNotice(
            title=f"{system.manufacturer} {system.product}: {current.title}",
            summary=_advisory_text(current),
            tlp=tlp,
            organization_ids=tuple(whom),
            systems=(system.category,),
            source_reference=current.reference,
            services="Technical assistance in remedying the vulnerability (S.2261 §8(d)(5)): ask in safelect on the report's page.",
        ),
    )
    now = timezone.now()
    Remediation.objects.bulk_create(
        [Remediation(finding=current, organization_id=pk, why=why, updated_at=now) for pk, why in whom.items()], ignore_conflicts=True
    )
    current.sharing_reference, current.sharing_path = handed.reference, handed.path
    fields = ["sharing_reference", "sharing_path"]
    if handed.published:
        current.notified_at = now
        current.disclosure_on = current.disclosure_on or policy_disclosure_date(now, office.time_zone)
        fields += ["notified_at", "disclosure_on"]
        obligations.fulfil_open(actor.vouched(), NOTIFY, current, now, f"shared as {handed.reference}")
        obligations.open(DISCLOSE, current, now, office, actor=actor.vouched())
    current.save(update_fields=fields)
    record(
        actor=actor.user,
        organization=actor.organization,
        action="hack:finding:notify",
        obj=current,
        summary={"sharing": handed.reference, "published": handed.published, "organizations": len(whom), "tlp": tlp},
    )
    return handed


def policy_disclosure_date(moment: dt.datetime, zone: str) -> dt.date:
    """The registry's coordinated-disclosure day for a notification at ``moment``."""
    return due(DISCLOSE, moment).astimezone(ZoneInfo(zone)).date()


@transaction.atomic
def agree_disclosure_date(actor: Actor, finding: Finding, on: dt.date, agreed: str) -> Finding:
    """The vendor agreed another coordinated-disclosure date: the clock moves to it."""
    actor.require(TRIAGE)
    current = Finding.objects.select_for_update().get(pk=finding_or_404(actor, finding.pk).pk)
    agreed = (agreed or "").strip()
    errors = {}
    if current.notified_at is None or current.disclosed_at is not None:
        errors["disclosure_on"] = "Only a notified, undisclosed vulnerability has a coordinated date to move."
    elif not isinstance(on, dt.date) or on <= timezone.localdate():
        errors["disclosure_on"] = "Give a date in the future."
    if len(agreed) < 5:
        errors["agreed"] = "Say who agreed the date (the vendor's contact) and when."
    if errors:
        raise ValidationError(errors)
    office = national_office()
    obligations.waive_open(actor.vouched(), DISCLOSE, current, "coordinated disclosure date changed by agreement with the vendor")
    obligations.open(DISCLOSE, current, timezone.now(), office, actor=actor.vouched(), due_at=end_of_day(on, office.time_zone))
    before = current.disclosure_on
    current.disclosure_on, current.disclosure_agreed = on, agreed[:300]
    current.save(update_fields=["disclosure_on", "disclosure_agreed"])
    record(
        actor=actor.user,
        organization=actor.organization,
        action="hack:finding:disclosure_date",
        obj=current,
        summary={"from": before.isoformat() if before else None, "to": on.isoformat(), "agreed": agreed},
    )
    return current


@transaction.atomic
def disclose(actor: Actor, finding: Finding, advisory_text: str) -> Finding:
    """Publish the CVE-style advisory (public), not before the coordinated date."""
    actor.require(TRIAGE)
    current = Finding.objects.select_for_update().get(pk=finding_or_404(actor, finding.pk).pk)
    text = (advisory_text or "").strip()
    errors = {}
    if current.notified_at is None:
        errors["advisory_text"] = "The affected agencies and providers must be notified first (§8(d)(5))."
    elif current.disclosed_at is not None:
        errors["advisory_text"] = f"Already disclosed as {current.advisory_id}."
    elif current.disclosure_on and timezone.localdate() < current.disclosure_on:
        errors["advisory_text"] = (
            f"The coordinated disclosure date is {current.disclosure_on:%B %-d, %Y}; agree an earlier one with the vendor first."
        )
    if len(text) < 50:
        errors.setdefault("advisory_text", "Write the public advisory (what is affected, the impact, the fix).")
    found_personal = personal_scan(text[:MAX_TEXT]) if not errors else []
    if found_personal:
        kinds = ", ".join(sorted({f.label.lower() for f in found_personal}))
        errors["advisory_text"] = f"The advisory is public and seems to contain personal information ({kinds}): take it out first."
    if errors:
        raise ValidationError(errors)
    now = timezone.now()
    current.advisory_id = f"SAFELECT-{now.year}-{current.pk:04d}"
    current.advisory_text, current.disclosed_at = text[:MAX_TEXT], now
    current.save(update_fields=["advisory_id", "advisory_text", "disclosed_at"])
    obligations.fulfil_open(actor.vouched(), DISCLOSE, current, now, f"advisory {current.advisory_id} published")
    record(
        actor=actor.user,
        organization=actor.organization,
        action="hack:finding:disclose",
        obj=current,
        summary={"advisory": current.advisory_id},
    )
    return current


@transaction.atomic
def update_remediation(actor: Actor, remediation: Remediation, values: dict) -> Remediation:
    """The notified organization records its progress, or asks for technical assistance (§8(d)(5))."""
    actor.require(REMEDIATE)
    if not actor.acts_for(remediation.organization):
        raise PermissionDenied("an organization records its own remediation")
    current = Remediation.objects.select_for_update().get(pk=remediation.pk)
    errors = {}
    status = values.get("status") or current.status
    if status not in Remediation.Status.values:
        errors["status"] = "Choose a status."
    note = (values.get("note") or "").strip()
    request_help = (values.get("assistance_request") or "").strip()
    if len(note) > 5000 or len(request_help) > 5000:
        errors["note"] = "At most 5,000 characters."
    if errors:
        raise ValidationError(errors)
    now = timezone.now()
    current.status, current.note, current.updated_at = status, note or current.note, now
    fields = ["status", "note", "updated_at"]
    if request_help:
        current.assistance_request, current.assistance_requested_at = request_help, now
        fields += ["assistance_request", "assistance_requested_at"]
    current.save(update_fields=fields)
    record(
        actor=actor.user,
        organization=actor.organization,
        action="hack:remediation:update",
        obj=current.finding,
        summary={"status": status, "assistance": bool(request_help)},
    )
    if request_help:
        send(
            "hack.assistance_requested",
            context={
                "reference": current.finding.reference,
                "organization": current.organization.name,
                "request": request_help,
                "path": f"/hack/findings/{current.finding_id}/",
            },
            actor=actor.vouched(),
            organization=actor.organization,
            subject_object=current.finding,
            dedupe_key=f"hack.assistance:{current.pk}:{now.timestamp()}",
        )
    return current
