"""Voluntary participation (S.2261 §8(b), (c), (d)(4), (f)).

* **Safe harbour** (§8(f)): national staff publish numbered versions of the statement that the
  consultations with the Attorney General and the Department of Defense produce; a new version
  applies to designations and applications made after it; earlier agreements keep their version.
* **Input** (§8(c)): the office solicits election agencies' input on the program through the
  kernel's comment mechanism (:mod:`safelect.core.comments`): every State and local election office
  is asked, reminded, and each comment gets a disposition.
* **Designation** (§8(d)(4)): an agency or provider volunteers one system of its own inventory (the
  directory's), for a period and in stated circumstances, with rules of engagement, what is out of
  scope, and its agreement to the current safe-harbour version. It may withdraw a designation; a
  withdrawn designation is no longer offered, and reports already made against it stay.
"""

from __future__ import annotations

import datetime as dt

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.http import Http404
from django.utils import timezone

from safelect.core.accounts.actor import Actor
from safelect.core.comments import services as comments
from safelect.core.directory.models import ElectionSystem, Organization
from safelect.core.journal.services import record
from safelect.core.references import create_numbered

from .models import Designation, SafeHarbor
from .permissions import DESIGNATE, MANAGE

VOLUNTEER_KINDS = (
    Organization.Kind.STATE_ELECTION_OFFICE,
    Organization.Kind.LOCAL_ELECTION_AGENCY,
    Organization.Kind.ELECTION_SERVICE_PROVIDER,
)
INPUT_KINDS = [Organization.Kind.STATE_ELECTION_OFFICE, Organization.Kind.LOCAL_ELECTION_AGENCY]
MAX_TEXT = 20_000


def current_safe_harbor() -> SafeHarbor | None:
    return SafeHarbor.objects.filter(effective_at__lte=timezone.now()).order_by("-version").first()


@transaction.atomic
def publish_safe_harbor(actor: Actor, *, text: str, consultation: str) -> SafeHarbor:
    actor.require(MANAGE)
    text, consultation = (text or "").strip(), (consultation or "").strip()
    errors = {}
    if len(text) < 50:
        errors["text"] = "Write the safe-harbour statement participants agree to."
    if len(consultation) < 10:
        errors["consultation"] = "Say which §8(f) consultations this version reflects (the Attorney General; the Department of Defense)."
    if len(text) > MAX_TEXT:
        errors["text"] = f"At most {MAX_TEXT:,} characters."
    if errors:
        raise ValidationError(errors)
    last = SafeHarbor.objects.select_for_update().order_by("-version").first()
    version = SafeHarbor.objects.create(
        version=(last.version + 1) if last else 1, text=text, consultation=consultation, effective_at=timezone.now(), created_by=actor.user
    )
    record(
        actor=actor.user,
        organization=actor.organization,
        action="hack:safe_harbor:publish",
        obj=version,
        summary={"version": version.version},
    )
    return version


@transaction.atomic
def solicit_input(actor: Actor, *, title: str, body: str, closes_at: dt.datetime):
    """§8(c): ask every State and local election office for input on the program."""
    actor.require(MANAGE)
    return comments.open_solicitation(
        actor.vouched(), title=title, body=body, audience_kinds=INPUT_KINDS, closes_at=closes_at, origin="hack"
    )


def input_solicitations():
    from safelect.core.comments.models import Solicitation

    return Solicitation.objects.filter(origin="hack")


def _text(values: dict, name: str, errors: dict, words: str) -> str:
    text = (values.get(name) or "").strip()
    if len(text) < 10:
        errors[name] = words
    elif len(text) > MAX_TEXT:
        errors[name] = f"At most {MAX_TEXT:,} characters."
    return text


@transaction.atomic
def designate(actor: Actor, values: dict) -> Designation:
    """§8(d)(4): the acting agency or provider volunteers one of its systems."""
    actor.require(DESIGNATE)
    organization = actor.organization
    if organization is None or organization.kind not in VOLUNTEER_KINDS:
        raise PermissionDenied("election agencies and election service providers volunteer their own systems (S.2261 §8(b))")
    errors: dict[str, str] = {}
    system = values.get("system")
    if isinstance(system, int | str):
        system = ElectionSystem.objects.filter(pk=system).first()
    if system is None or system.organization_id != organization.pk or system.retired_at is not None:
        errors["system"] = "Choose a system from your organization's inventory."
    circumstances = values.get("circumstances") or ""
    if circumstances not in Designation.Circumstances.values:
        errors["circumstances"] = "Say in which circumstances the system may be assessed."
    starts_on, ends_on = values.get("starts_on"), values.get("ends_on")
    if not isinstance(starts_on, dt.date):
        errors["starts_on"] = "Give the first day of the period."
    if not isinstance(ends_on, dt.date):
        errors["ends_on"] = "Give the last day of the period."
    elif isinstance(starts_on, dt.date) and ends_on < starts_on:
        errors["ends_on"] = "The period ends after it starts."
    elif ends_on < timezone.localdate():
        errors["ends_on"] = "The period is already over."
    rules = _text(values, "rules_of_engagement", errors, "Write the rules of engagement (what testers may and may not do).")
    out_of_scope = _text(values, "out_of_scope", errors, "Say what is out of scope (for example live voter data, other systems).")
    harbor = current_safe_harbor()
    if harbor is None:
        errors["agree"] = "The national office has not published the safe-harbour statement yet."
    elif str(values.get("safe_harbor_version") or "") != str(harbor.version) or not values.get("agree"):
        errors["agree"] = f"Agree to the safe-harbour statement, version {harbor.version}."
    if errors:
        raise ValidationError(errors)
    now = timezone.now()
    found = create_numbered(
        Designation,
        "HTD",
        now.year,
        organization=organization,
        system=system,
        circumstances=circumstances,
        starts_on=starts_on,
        ends_on=ends_on,
        rules_of_engagement=rules,
        out_of_scope=out_of_scope,
        safe_harbor=harbor,
        agreed_by=actor.user,
        agreed_at=now,
    )
    record(
        actor=actor.user,
        organization=organization,
        action="hack:designation:create",
        obj=found,
        summary={"system": str(system), "circumstances": found.get_circumstances_display(), "safe_harbor": harbor.version},
    )
    return found


@transaction.atomic
def withdraw(actor: Actor, designation: Designation) -> Designation:
    actor.require(DESIGNATE)
    if not actor.restrict(Designation.objects.filter(pk=designation.pk)).exists() or not actor.acts_for(designation.organization):
        raise Http404("No such designation")
    current = Designation.objects.select_for_update().get(pk=designation.pk)
    if current.withdrawn_at is None:
        current.withdrawn_at = timezone.now()
        current.save(update_fields=["withdrawn_at"])
        record(actor=actor.user, organization=actor.organization, action="hack:designation:withdraw", obj=current, summary={})
    return current
