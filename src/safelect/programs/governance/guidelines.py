"""The election cybersecurity guidelines from draft to publication (S.2261 §5(b)–(l)).

    draft ──open_comment──▶ comment (45 days, §5(f)) ──close_comment──▶ revision
      ──submit_to_secretary (§5(h) or §5(l))──▶ at_secretary ──send_to_congress (≤ 14 days, §5(i))──▶ at_congress
      ──distribute_and_publish (§5(j), (k))──▶ published

Each step checks its permission and state, writes in one transaction, journals, and moves the
registry's clocks. What the statute requires is checked where it binds:

* the 45-day period is the registry's ``S2261-5f`` clock: the comment period closes at its due moment,
  and a version may not go to the Secretary before then (§5(f)(1): "before they are submitted");
* the panel considers the public comments (§5(f)(2)): every published comment has a disposition and
  none waits in moderation before submission;
* the guidelines include the §5(d) paper-ballot and audit provisions and the §5(b) content: each
  required provision must be covered by a section before submission;
* the Secretary may modify the guidelines only with a written justification sent to the panel and
  the committees (§5(i)(1)–(2)).

The §5(e) factors and the §5(g) consultations are recorded and shown as a checklist; missing ones are
named on the version's page, not blocking (the panel may consult outside safelect; decision recorded).
"""

from __future__ import annotations

import datetime as dt
import difflib

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Max
from django.urls import reverse
from django.utils import timezone

from safelect.core.accounts.actor import Actor
from safelect.core.comments import services as comments
from safelect.core.comments.models import Comment
from safelect.core.directory.models import Organization
from safelect.core.journal.services import record
from safelect.core.obligations import services as obligations
from safelect.core.outbox.services import send
from safelect.core.references import create_numbered

from . import clocks
from .models import Consultation, GuidelineVersion
from .permissions import MANAGE, SECRETARY
from .recipients import resolve

Status = GuidelineVersion.Status

REQUIRED = {
    "S.2261 §5(b)(1)": "Standards for procuring, maintaining, testing, auditing, operating and updating election systems",
    "S.2261 §5(b)(2)(A)": "The top risks to election systems",
    "S.2261 §5(b)(2)(B)": "How technology choices increase or decrease those risks",
    "S.2261 §5(b)(2)(C)": "Recommended policies, best practices and security strategies",
    "S.2261 §5(d)(1)": "Every vote on a paper ballot the voter can inspect and confirm",
    "S.2261 §5(d)(2)": "Results from tabulating paper ballots; a random sample inspected by hand before certification",
}
FACTORS = {
    "S.2261 §5(e)(1)(A)": "Established cybersecurity best practices",
    "S.2261 §5(e)(1)(B)": "Verifying that systems tabulate and report accurately, even when they fail",
    "S.2261 §5(e)(1)(C)": "Types of election audits, their procedures and shortcomings",
    "S.2261 §5(e)(1)(D)": "Time needed for audits before certification",
    "S.2261 §5(e)(1)(E)": "Guidance for agencies without grant funds",
    "S.2261 §5(e)(1)(F)": "Help to other components of State and local government",
    "S.2261 §5(e)(2)(A)": "The Commission's Voluntary Voting Guidelines",
    "S.2261 §5(e)(2)(B)": "NIST cybersecurity standards and frameworks",
}
CONSULTEES = {
    "5g1": "The appropriate Federal entities",
    "5g2": "The Commission's Standards Board, Board of Advisors and Technical Guidelines Development Committee",
    "5g3": "The Federal Communications Commission",
    "5g4": "The Federal Trade Commission",
    "5g5": "The National Governors Association",
    "5g6": "The National Association of Secretaries of State",
    "5g7": "The National Association of State Election Directors",
    "5g8": "The National Association of Election Officials",
    "5g9": "The National Association of Counties",
    "5g10": "The National League of Cities",
    "5g11": "The International Association of Government Officials",
    "5g12": "The Multi-State Information Sharing and Analysis Center",
    "5g13": "The National Science Foundation",
    "5g14": "Another interested entity the panel chose",
}
MAX_SECTIONS = 60
MAX_SECTION_TEXT = 40_000
ELECTION_AGENCIES = ("state_election_office", "local_election_agency")


def _clean_sections(sections: list[dict]) -> list[dict]:
    if not isinstance(sections, list) or not sections:
        raise ValidationError({"sections": "The guidelines need at least one section."})
    if len(sections) > MAX_SECTIONS:
        raise ValidationError({"sections": f"At most {MAX_SECTIONS} sections."})
    out = []
    for n, s in enumerate(sections, start=1):
        heading, text = str(s.get("heading", "")).strip(), str(s.get("text", "")).strip()
        covers = [c for c in s.get("covers", []) if c]
        if not heading or not text:
            raise ValidationError({"sections": f"Section {n} needs a heading and text."})
        if len(heading) > 300 or len(text) > MAX_SECTION_TEXT:
            raise ValidationError({"sections": f"Section {n}: heading at most 300 characters, text at most {MAX_SECTION_TEXT:,}."})
        unknown = [c for c in covers if c not in REQUIRED]
        if unknown:
            raise ValidationError({"sections": f"Section {n} names provisions that are not required content: {', '.join(unknown)}."})
        out.append({"heading": heading, "text": text, "covers": covers})
    return out


def _clean_factors(factors: dict) -> dict:
    unknown = [k for k in factors if k not in FACTORS]
    if unknown:
        raise ValidationError({"factors": f"Not a §5(e) factor: {', '.join(unknown)}."})
    return {k: str(v).strip()[:4000] for k, v in factors.items() if str(v).strip()}


def coverage(version: GuidelineVersion) -> list[dict]:
    """Each required provision with the sections that cover it."""
    return [
        {"citation": cite, "words": words, "sections": [s["heading"] for s in version.sections if cite in s.get("covers", [])]}
        for cite, words in REQUIRED.items()
    ]


def missing_content(version: GuidelineVersion) -> list[str]:
    return [row["citation"] for row in coverage(version) if not row["sections"]]


def consultation_checklist(version: GuidelineVersion) -> list[dict]:
    held = {}
    for c in version.consultations.all():
        held.setdefault(c.entity, []).append(c)
    return [{"code": code, "words": words, "held": held.get(code, [])} for code, words in CONSULTEES.items()]


@transaction.atomic
def draft(actor: Actor, *, title: str, summary: str, sections: list[dict], factors: dict, cycle: str) -> GuidelineVersion:
    """A new version drafted for the panel (the next number)."""
    actor.require(MANAGE)
    title, summary = (title or "").strip(), (summary or "").strip()
    if not title or len(title) > 300 or not summary:
        raise ValidationError({"title": "A version needs a title (at most 300 characters) and a summary."})
    if cycle not in GuidelineVersion.Cycle.values:
        raise ValidationError({"cycle": "Choose the first guidelines or a periodic review."})
    if GuidelineVersion.objects.exclude(status=Status.PUBLISHED).exists():
        raise ValidationError("Another version is in progress: finish or publish it first.")
    number = (GuidelineVersion.objects.select_for_update().aggregate(n=Max("number"))["n"] or 0) + 1
    version = create_numbered(
        GuidelineVersion,
        "GDL",
        timezone.now().year,
        number=number,
        cycle=cycle,
        title=title,
        summary=summary,
        sections=_clean_sections(sections),
        factors=_clean_factors(factors),
        created_at=timezone.now(),
        created_by=actor.user,
    )
    record(actor=actor.user, organization=actor.organization, action="governance:guidelines:draft", obj=version, summary={"number": number})
    return version


def _locked(version: GuidelineVersion) -> GuidelineVersion:
    return GuidelineVersion.objects.select_for_update().get(pk=version.pk)


@transaction.atomic
def revise(actor: Actor, version: GuidelineVersion, *, summary: str, sections: list[dict], factors: dict) -> GuidelineVersion:
    """Change the text while drafting or considering comments (never during the comment period: the
    public comments on the text it reads)."""
    actor.require(MANAGE)
    version = _locked(version)
    if version.status not in (Status.DRAFT, Status.REVISION):
        raise ValidationError(f"The text cannot change while the version is {version.get_status_display().lower()}.")
    version.summary = (summary or "").strip() or version.summary
    version.sections, version.factors = _clean_sections(sections), _clean_factors(factors)
    version.save(update_fields=["summary", "sections", "factors"])
    record(
        actor=actor.user,
        organization=actor.organization,
        action="governance:guidelines:revise",
        obj=version,
        summary={"sections": len(version.sections)},
    )
    return version


@transaction.atomic
def open_comment(actor: Actor, version: GuidelineVersion, *, federal_register: str = "") -> GuidelineVersion:
    """Publish the draft for 45 days of public comment (§5(f)(1)); the period's end is the registry's clock."""
    actor.require(MANAGE)
    version = _locked(version)
    if version.status != Status.DRAFT:
        raise ValidationError("Only a draft opens for public comment.")
    now = timezone.now()
    obligation = clocks.open_clock(clocks.COMMENT, version, now, actor)
    version.solicitation = comments.open_solicitation(
        actor,
        title=f"Draft election cybersecurity guidelines, version {version.number}: {version.title}"[:300],
        body=version.summary,
        audience_kinds=[],
        closes_at=obligation.due_at,
        origin="governance",
        subject=version,
        public=True,
    )
    version.status = Status.COMMENT
    version.federal_register_citation = (federal_register or "").strip()[:80]
    version.save(update_fields=["solicitation", "status", "federal_register_citation"])
    record(
        actor=actor.user,
        organization=actor.organization,
        action="governance:guidelines:open-comment",
        obj=version,
        summary={"closes_at": obligation.due_at.isoformat(), "federal_register": version.federal_register_citation},
    )
    return version


@transaction.atomic
def close_comment(actor: Actor, version: GuidelineVersion) -> GuidelineVersion:
    """After the 45 days: the panel considers the comments."""
    actor.require(MANAGE)
    version = _locked(version)
    if version.status != Status.COMMENT:
        raise ValidationError("The version is not in its comment period.")
    if version.solicitation.is_open:
        raise ValidationError(f"The 45-day comment period runs until {timezone.localtime(version.solicitation.closes_at):%B %-d, %Y}.")
    version.status = Status.REVISION
    version.save(update_fields=["status"])
    obligations.fulfil_open(
        actor.vouched(), clocks.COMMENT, version, version.solicitation.closes_at, f"governance.comment-closed:{version.pk}"
    )
    record(actor=actor.user, organization=actor.organization, action="governance:guidelines:close-comment", obj=version, summary={})
    return version


def comments_to_consider(version: GuidelineVersion) -> dict:
    s = version.solicitation
    if s is None:
        return {"waiting": 0, "undisposed": 0, "published": 0}
    public = s.comments.filter(organization=None)
    return {
        "waiting": public.filter(status__in=[Comment.Status.AWAITING, Comment.Status.HELD]).count(),
        "undisposed": public.filter(status=Comment.Status.PUBLISHED, disposition="").count(),
        "published": public.filter(status=Comment.Status.PUBLISHED).count(),
    }


@transaction.atomic
def submit_to_secretary(actor: Actor, version: GuidelineVersion, at: dt.datetime | None = None) -> GuidelineVersion:
    """The panel's submission (§5(h) for the first guidelines, §5(l) for a review); starts the
    Secretary's 14 days (§5(i))."""
    actor.require(MANAGE)
    version = _locked(version)
    if version.status != Status.REVISION:
        raise ValidationError("Only a version whose comment period closed and whose comments were considered goes to the Secretary.")
    waiting = comments_to_consider(version)
    if waiting["waiting"] or waiting["undisposed"]:
        raise ValidationError(
            f"Consider every public comment first (S.2261 §5(f)(2)): {waiting['waiting']} awaiting moderation, "
            f"{waiting['undisposed']} published without a disposition."
        )
    missing = missing_content(version)
    if missing:
        raise ValidationError(f"The guidelines must include what {', '.join(missing)} require: name the section that covers it.")
    at = at or timezone.now()
    version.status, version.submitted_to_secretary_at = Status.AT_SECRETARY, at
    version.save(update_fields=["status", "submitted_to_secretary_at"])
    clocks.fulfil_earliest(actor, clocks.TO_SECRETARY[version.cycle], at, f"governance.guidelines-submitted:{version.pk}")
    clocks.open_clock(clocks.TO_CONGRESS, version, at, actor)
    record(
        actor=actor.user,
        organization=actor.organization,
        action="governance:guidelines:submit-secretary",
        obj=version,
        summary={"cycle": version.cycle},
    )
    return version


@transaction.atomic
def send_to_congress(actor: Actor, version: GuidelineVersion, *, modified: bool, justification: str = "") -> GuidelineVersion:
    """The Secretary's submission to the appropriate congressional committees (§5(i)); a modification
    needs its written justification, which goes to the panel and the committees."""
    actor.require(SECRETARY)
    version = _locked(version)
    if version.status != Status.AT_SECRETARY:
        raise ValidationError("Only guidelines the Secretary received go to Congress.")
    justification = (justification or "").strip()
    if modified and len(justification) < 40:
        raise ValidationError(
            {"justification": "A modification needs the written justification of S.2261 §5(i)(2) (at least a few sentences)."}
        )
    if not modified:
        justification = ""
    recipients = resolve(["sec3_2"])
    missing = [r["code"] for r in recipients if r.get("missing")]
    if missing:
        raise ValidationError(
            f"The congress data lacks {', '.join(missing)}: load current committee data first (safelect directory load-congress)."
        )
    if modified:
        recipients.append(
            {"kind": "body", "code": "panel", "name": "The Advisory Panel (the written justification)", "basis": "S.2261 §5(i)(2)"}
        )
    now = timezone.now()
    version.status, version.sent_to_congress_at, version.recipients = Status.AT_CONGRESS, now, recipients
    version.modified_by_secretary, version.justification = modified, justification
    version.save(update_fields=["status", "sent_to_congress_at", "recipients", "modified_by_secretary", "justification"])
    obligations.fulfil_open(actor.vouched(), clocks.TO_CONGRESS, version, now, f"governance.guidelines-to-congress:{version.pk}")
    record(
        actor=actor.user,
        organization=actor.organization,
        action="governance:guidelines:send-congress",
        obj=version,
        summary={"recipients": len(recipients), "modified": modified},
    )
    return version


@transaction.atomic
def distribute_and_publish(actor: Actor, version: GuidelineVersion) -> GuidelineVersion:
    """Send the guidelines to every election agency known (§5(j)) and publish them (§5(k))."""
    actor.require(SECRETARY)
    version = _locked(version)
    if version.status != Status.AT_CONGRESS:
        raise ValidationError("Guidelines are distributed and published after their submission to Congress.")
    agencies = list(Organization.objects.filter(kind__in=ELECTION_AGENCIES).values_list("pk", flat=True))
    now = timezone.now()
    send(
        "governance.guidelines_published",
        context={
            "title": version.title,
            "number": version.number,
            "organization_ids": agencies,
            "path": reverse("governance:guideline", args=[version.number]),
        },
        actor=actor.user,
        organization=actor.organization,
        subject_object=version,
        dedupe_key=f"governance.guidelines_published:{version.pk}",
    )
    version.status, version.distributed_at, version.distributed_to, version.published_at = Status.PUBLISHED, now, len(agencies), now
    version.save(update_fields=["status", "distributed_at", "distributed_to", "published_at"])
    record(
        actor=actor.user,
        organization=actor.organization,
        action="governance:guidelines:publish",
        obj=version,
        summary={"agencies": len(agencies)},
    )
    return version


@transaction.atomic
def consult(actor: Actor, version: GuidelineVersion, *, entity: str, held_on: dt.date, summary: str) -> Consultation:
    """Record a §5(g) consultation."""
    actor.require(MANAGE)
    version = _locked(version)
    if version.status in (Status.AT_CONGRESS, Status.PUBLISHED):
        raise ValidationError("Consultations are recorded while the guidelines are developed.")
    if entity not in CONSULTEES:
        raise ValidationError({"entity": "Choose who was consulted (S.2261 §5(g))."})
    summary = (summary or "").strip()
    if len(summary) < 10:
        raise ValidationError({"summary": "Summarise the consultation (a sentence at least)."})
    if held_on > timezone.localdate():
        raise ValidationError({"held_on": "A consultation is recorded after it is held."})
    found = Consultation.objects.create(version=version, entity=entity, held_on=held_on, summary=summary[:8000], recorded_by=actor.user)
    record(
        actor=actor.user, organization=actor.organization, action="governance:guidelines:consult", obj=version, summary={"entity": entity}
    )
    return found


def current() -> GuidelineVersion | None:
    """The guidelines in force: the latest published version."""
    return GuidelineVersion.objects.filter(status=Status.PUBLISHED).order_by("-number").first()


def is_public(version: GuidelineVersion) -> bool:
    """Drafts are public from their comment period on; a draft not yet opened is the panel's."""
    return version.status != Status.DRAFT


def diff(old: GuidelineVersion, new: GuidelineVersion) -> list[tuple[str, str]]:
    """Line differences between two versions' texts: ``[(" "|"+"|"-", line)]`` (unchanged lines kept
    only near changes)."""
    lines = list(difflib.unified_diff(old.text.splitlines(), new.text.splitlines(), lineterm="", n=2))[2:]
    out = []
    for line in lines:
        if line.startswith("@@"):
            out.append(("@", "…"))
        else:
            out.append((line[:1] or " ", line[1:]))
    return out
