"""Qualification of independent technical experts (S.2261 §8(d)(2)): an expeditious process.

Anyone may apply from the public page: the application creates their sign-in (the email address is
the sign-in name) and a one-person research organization in the directory, marked independent,
because safelect's accounts act through an organization and an independent expert has none; the
researcher role then lets them see their application and, once qualified, the scopes and their own
reports — never another researcher's. The applicant attests identity, age and eligibility, declares
affiliations with election agencies or providers, and agrees to the current safe-harbour version.

The email address is confirmed by a signed link (the kernel's :mod:`safelect.core.confirmations`)
before the office may qualify the applicant: a qualified researcher receives embargoed details, so the
address they gave must be one they read. The office may refuse an unconfirmed application.

The office decides every application (qualify or not, with the reason); the clock is the policy
duty ``HACK-QUALIFY`` (5 calendar days), and :func:`decision_speed` publishes how fast decisions
actually are.
"""

from __future__ import annotations

import datetime as dt
import statistics

from django.contrib.auth import get_user_model
from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.validators import validate_email
from django.db import transaction
from django.http import Http404
from django.utils import timezone
from django.utils.text import slugify

from safelect.core import confirmations
from safelect.core.accounts import services as accounts
from safelect.core.accounts.actor import Actor
from safelect.core.directory.models import Organization
from safelect.core.directory.queries import national_office
from safelect.core.journal.services import record
from safelect.core.obligations import services as obligations
from safelect.core.obligations.models import Obligation, Status
from safelect.core.outbox.services import send
from safelect.core.references import create_numbered

from .access import researcher_of
from .clocks import QUALIFY, QUALIFY_DAYS
from .models import Researcher
from .participation import current_safe_harbor
from .permissions import MANAGE, SUBMIT

CONFIRM_PURPOSE = "hack-researcher"
RESEND_AFTER = dt.timedelta(minutes=10)


@transaction.atomic
def apply(values: dict) -> Researcher:
    """A person applies to take part (public; no one is signed in)."""
    User = get_user_model()
    errors: dict[str, list[str] | str] = {}
    email = (values.get("email") or "").strip().lower()
    try:
        validate_email(email)
    except ValidationError:
        errors["email"] = "Give an email address you read: it is your sign-in name."
    else:
        if User.objects.filter(email__iexact=email).exists():
            errors["email"] = "An account with this address exists: sign in and apply from your account, or reset the password."
    legal_name = (values.get("legal_name") or "").strip()
    if not 3 <= len(legal_name) <= 200:
        errors["legal_name"] = "Give your full legal name, as on an identity document."
    country = (values.get("country") or "").strip()
    if not 2 <= len(country) <= 80:
        errors["country"] = "Give your country of residence."
    password = values.get("password") or ""
    try:
        validate_password(password)
    except ValidationError as exc:
        errors["password"] = list(exc.messages)
    for name, words in (
        ("attested_identity", "Attest that the identity you give is yours."),
        ("attested_adult", "Participants must be 18 or older."),
        ("attested_not_barred", "Attest that no law or sanction bars you from taking part."),
    ):
        if not values.get(name):
            errors[name] = words
    harbor = current_safe_harbor()
    if harbor is None:
        errors["agree"] = "The program is not open to applications yet: the safe-harbour statement is not published."
    elif str(values.get("safe_harbor_version") or "") != str(harbor.version) or not values.get("agree"):
        errors["agree"] = f"Agree to the rules and the safe-harbour statement, version {harbor.version}."
    public_name = (values.get("public_name") or "").strip()[:80]
    if values.get("hall_of_fame") and not public_name:
        errors["public_name"] = "Give the name to show in the hall of fame, or leave the hall of fame unticked."
    if errors:
        raise ValidationError(errors)
    now = timezone.now()
    user = User.objects.create_user(username=email, email=email, password=password, full_name=legal_name)
    base = slugify(legal_name)[:40] or "researcher"
    organization = Organization.objects.create(
        key=f"research:independent:{base}-{user.pk}",
        name=f"{legal_name} (independent researcher)",
        kind=Organization.Kind.RESEARCH_ORG,
        description="A one-person organization for an independent researcher of Hack the Election (S.2261 §8(d)(2)).",
    )
    accounts.add_membership(Actor.system(organization), organization=organization, user=user, roles=["researcher"])
    found = create_numbered(
        Researcher,
        "HTQ",
        now.year,
        user=user,
        organization=organization,
        legal_name=legal_name,
        country=country,
        affiliations=(values.get("affiliations") or "").strip()[:2000],
        attested_identity=True,
        attested_adult=True,
        attested_not_barred=True,
        agreed_safe_harbor=harbor,
        public_name=public_name,
        hall_of_fame=bool(values.get("hall_of_fame")),
        applied_at=now,
    )
    office = national_office()
    obligations.open(QUALIFY, found, now, office)
    from .tasks import send_researcher_confirmation

    send_researcher_confirmation.defer(researcher_id=found.pk)
    record(actor=user, organization=organization, action="hack:researcher:apply", obj=found, summary={"safe_harbor": harbor.version})
    send(
        "hack.application",
        context={"reference": found.reference, "name": legal_name, "path": f"/hack/applications/{found.pk}/"},
        organization=office,
        subject_object=found,
        dedupe_key=f"hack.application:{found.pk}",
    )
    return found


@transaction.atomic
def decide(actor: Actor, researcher: Researcher, *, qualified: bool, reason: str) -> Researcher:
    actor.require(MANAGE)
    current = Researcher.objects.select_for_update().filter(pk=researcher.pk).first()
    if current is None:
        raise Http404("No such application")
    if current.status != Researcher.Status.PENDING:
        raise ValidationError({"decision": f"{current.reference} was already decided: {current.get_status_display().lower()}."})
    if qualified and current.email_confirmed_at is None:
        raise ValidationError(
            {"decision": f"{current.reference}'s email address is not confirmed yet: qualify once they follow the link (or refuse)."}
        )
    reason = (reason or "").strip()
    if not qualified and len(reason) < 10:
        raise ValidationError({"reason": "Say why the applicant does not qualify; they are told."})
    now = timezone.now()
    current.status = Researcher.Status.QUALIFIED if qualified else Researcher.Status.REFUSED
    current.decided_at, current.decided_by, current.decision_reason = now, actor.user, reason[:2000]
    current.save(update_fields=["status", "decided_at", "decided_by", "decision_reason"])
    obligations.fulfil_open(actor.vouched(), QUALIFY, current, now, f"application {current.get_status_display().lower()}")
    record(
        actor=actor.user, organization=actor.organization, action="hack:researcher:decide", obj=current, summary={"status": current.status}
    )
    send(
        "hack.qualification",
        context={
            "reference": current.reference,
            "qualified": qualified,
            "reason": current.decision_reason,
            "organization_id": current.organization_id,
            "path": "/hack/researcher/",
        },
        actor=actor.vouched(),
        organization=actor.organization,
        subject_object=current,
        dedupe_key=f"hack.qualification:{current.pk}",
    )
    return current


@transaction.atomic
def confirm_email(token: str) -> Researcher:
    """Follow the link sent to an applicant (public); a clear ValidationError for a wrong or expired one."""
    pk, email = confirmations.read(CONFIRM_PURPOSE, token)
    found = Researcher.objects.select_for_update(of=("self",)).select_related("user").filter(pk=pk).order_by().first()
    if found is None or found.user.email.strip().lower() != email:
        raise ValidationError("This confirmation link is not valid.")
    if found.email_confirmed_at is None:
        found.email_confirmed_at = timezone.now()
        found.save(update_fields=["email_confirmed_at"])
        record(actor=found.user, organization=found.organization, action="hack:researcher:confirm", obj=found, summary={})
    return found


@transaction.atomic
def resend_confirmation(actor: Actor) -> Researcher:
    """The applicant asks for the link again (at most every ten minutes)."""
    actor.require(SUBMIT)
    found = researcher_of(actor)
    if found is None:
        raise PermissionDenied("only an applicant asks for their confirmation link")
    current = Researcher.objects.select_for_update().get(pk=found.pk)
    if current.email_confirmed_at is not None:
        raise ValidationError("Your address is already confirmed.")
    now = timezone.now()
    if current.confirmation_sent_at and now - current.confirmation_sent_at < RESEND_AFTER:
        raise ValidationError("A link was sent less than ten minutes ago: look for it (and in the spam folder) before asking again.")
    current.confirmation_sent_at = None
    current.save(update_fields=["confirmation_sent_at"])
    from .tasks import send_researcher_confirmation

    send_researcher_confirmation.defer(researcher_id=current.pk)
    return current


@transaction.atomic
def set_listing(actor: Actor, values: dict) -> Researcher:
    """The researcher gives or withdraws consent to be named in the hall of fame and on advisories'
    credit line, and chooses the name shown; the change is public at once (withdrawal included)."""
    actor.require(SUBMIT)
    found = researcher_of(actor)
    if found is None:
        raise PermissionDenied("only a researcher who applied chooses how they are listed")
    current = Researcher.objects.select_for_update().get(pk=found.pk)
    listed = bool(values.get("hall_of_fame"))
    public_name = (values.get("public_name") or "").strip()
    if len(public_name) > 80:
        raise ValidationError({"public_name": "Keep the name to 80 characters."})
    if listed and not public_name:
        raise ValidationError({"public_name": "Give the name to show in the hall of fame, or untick the hall of fame."})
    before = {"hall_of_fame": current.hall_of_fame, "public_name": current.public_name}
    current.hall_of_fame, current.public_name = listed, public_name
    current.save(update_fields=["hall_of_fame", "public_name"])
    record(
        actor=actor.user,
        organization=actor.organization,
        action="hack:researcher:listing",
        obj=current,
        summary={"before": before, "after": {"hall_of_fame": listed, "public_name": public_name}},
    )
    return current


def decision_speed() -> dict:
    """How fast applications are decided, in days (public, §8(d)(2) "expeditious")."""
    rows = Researcher.objects.exclude(decided_at=None).values_list("applied_at", "decided_at")
    days = sorted((decided - applied).total_seconds() / 86400 for applied, decided in rows)
    pending = Researcher.objects.filter(status=Researcher.Status.PENDING).count()
    if not days:
        return {"decided": 0, "pending": pending}
    return {
        "decided": len(days),
        "pending": pending,
        "median": statistics.median(days),
        "slowest": days[-1],
        "target_days": QUALIFY_DAYS,
        "within_target": Obligation.objects.filter(duty_code=QUALIFY, status=Status.FULFILLED_ON_TIME).count(),
        "late": Obligation.objects.filter(duty_code=QUALIFY, status=Status.FULFILLED_LATE).count(),
    }
