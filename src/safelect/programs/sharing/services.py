"""Sharing writes (S.2261 §4(b)–(g); H.R. 5011 §202). Each is one transaction with its journal
entry, its obligations and its notices; each checks the actor's permission and scope itself.

Clocks (from the obligations registry):

* ``S2261-4c`` "share promptly" opens when an item is received (policy target) and is fulfilled
  by the first product published from it, or by a written determination to withhold it.
* ``HR5011-202`` "timely threat information" opens when a threat item is received and is
  fulfilled by the first product published from it.
"""

from __future__ import annotations

import datetime as dt

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.http import Http404
from django.utils import timezone

from safelect.core import stix as kit
from safelect.core.accounts.actor import Actor
from safelect.core.directory.models import Organization
from safelect.core.directory.queries import national_office
from safelect.core.journal.services import record
from safelect.core.obligations import services as obligations
from safelect.core.obligations.services import FUTURE_TOLERANCE
from safelect.core.outbox import services as outbox
from safelect.core.personal import services as personal
from safelect.core.references import create_numbered

from . import audience
from .access import handles_information, visible_items
from .models import TLP_CHOICES, TOPICS, Decision, FederalWithholding, Item, Product, Receipt, Recipient, Share, Subscription
from .permissions import DECIDE, PUBLISH, SUBMIT, SUBSCRIBE, WITHHOLD

SHARE_DUTY = "S2261-4c"
THREAT_DUTY = "HR5011-202"
TLPS = dict(TLP_CHOICES)
TOPIC_CODES = dict(TOPICS)
SUBMITTER_SOURCES = {
    Organization.Kind.FEDERAL_ENTITY: Item.Source.FEDERAL,
    Organization.Kind.EAC: Item.Source.FEDERAL,
    Organization.Kind.ISAC: Item.Source.ISAC,
}
SYSTEM_CODES = [
    "voter_registration_database",
    "e_pollbook",
    "ballot_marking_device",
    "tabulator",
    "central_count",
    "election_night_reporting",
    "website",
    "email",
    "network",
    "other",
]


def _common(values: dict, errors: dict) -> dict:
    title = (values.get("title") or "").strip()
    if not title:
        errors["title"] = "Give it a short title."
    elif len(title) > 200:
        errors["title"] = "Keep the title under 200 characters."
    topic = values.get("topic") or ""
    if topic not in TOPIC_CODES:
        errors["topic"] = "Choose incident, threat or vulnerability."
    tlp = (values.get("tlp") or "").lower().removeprefix("tlp:")
    if tlp not in TLPS:
        errors["tlp"] = "Choose a TLP 2.0 label: CLEAR, GREEN, AMBER, AMBER+STRICT or RED."
    systems = list(dict.fromkeys(values.get("systems") or []))
    unknown = [s for s in systems if s not in SYSTEM_CODES]
    if unknown:
        errors["systems"] = f"Unknown election system: {', '.join(unknown)}."
    return {"title": title, "topic": topic, "tlp": tlp, "systems": systems}


def _bundle(value, errors: dict, field: str = "stix"):
    if value in (None, "", {}):
        return None
    problems = kit.validation_errors(value)
    if problems:
        errors[field] = "The STIX 2.1 bundle is not valid: " + "; ".join(problems[:10]) + (" …" if len(problems) > 10 else "")
        return None
    return value


@transaction.atomic
def receive_item(actor: Actor, values: dict) -> Item:
    """Information received (§4(b), (c)). A federal entity or the sharing center submits its own;
    the national office records what it learned from any source. Opens the §4(c) clock."""
    actor.require(SUBMIT)
    org = actor.organization
    if actor.is_system:
        source_org = values.get("source_organization")
        source = values.get("source") or Item.Source.OPEN
    elif handles_information(actor):
        source_org = values.get("source_organization")
        source = values.get("source") or ""
    elif org is not None and org.kind in SUBMITTER_SOURCES:
        source_org, source = org, SUBMITTER_SOURCES[org.kind]  # a partner submits as itself, nothing else
    else:
        raise PermissionDenied("only federal entities, the sharing center and the national office submit information (S.2261 §4(b), (f))")
    errors: dict[str, str] = {}
    common = _common(values, errors)
    if source not in Item.Source.values:
        errors["source"] = "Say where the information came from."
    summary = (values.get("summary") or "").strip()
    if not summary:
        errors["summary"] = "Summarise the information."
    received_at = values.get("received_at") or timezone.now()
    if not isinstance(received_at, dt.datetime) or timezone.is_naive(received_at):
        errors["received_at"] = "Give the moment with its time zone."
    elif received_at > timezone.now() + FUTURE_TOLERANCE:
        errors["received_at"] = "This moment is in the future."
    if values.get("classified"):
        errors["classified"] = "Nothing classified is stored in safelect (S.2261 §4(e)): record only that it was received, as metadata."
    bundle = _bundle(values.get("stix"), errors)
    if errors:
        raise ValidationError(errors)
    office = national_office()
    item = create_numbered(
        Item,
        "INF",
        received_at.year,
        source=source,
        source_organization=source_org,
        received_at=received_at,
        received_by=actor.user,
        summary=summary,
        stix=bundle,
        **common,
    )
    record(
        actor=actor.user,
        organization=org or office,
        action="sharing:item:receive",
        obj=item,
        summary={"source": item.get_source_display(), "tlp": TLPS[item.tlp], "topic": item.topic},
    )
    obligations.open(SHARE_DUTY, item, received_at, office, actor=actor.vouched())
    if item.topic == "threat":
        obligations.open(THREAT_DUTY, item, received_at, office, actor=actor.vouched())
    personal.scan_sources(actor.vouched(), item, [personal.Source("item:summary", "Summary", summary)], organization=office)
    outbox.send(
        "sharing.item_received",
        context={
            "reference": item.reference,
            "title": item.title,
            "source": item.get_source_display(),
            "tlp": TLPS[item.tlp],
            "path": f"/sharing/items/{item.pk}/",
        },
        actor=actor.vouched(),
        organization=office,
        subject_object=item,
        dedupe_key=f"sharing.item_received:{item.pk}",
    )
    return item


def _fulfil(actor: Actor, item: Item, duty: str, at: dt.datetime, event: str) -> None:
    obligations.fulfil_open(actor.vouched(), duty, item, at, event)


@transaction.atomic
def decide(
    actor: Actor,
    item: Item,
    *,
    outcome: str,
    particular_information: str,
    good_cause: str = "",
    review_on: dt.date | None = None,
    title: str = "",
) -> Decision:
    """§4(c): share (the default), or withhold by the Secretary's written determination of good
    cause for the particular information, with a date to review it."""
    actor.require(DECIDE)
    if not visible_items(actor).filter(pk=item.pk).exists():
        raise Http404("No item found")
    current = Item.objects.select_for_update().get(pk=item.pk)
    errors: dict[str, str] = {}
    particular = (particular_information or "").strip()
    if outcome not in Decision.Outcome.values:
        raise ValidationError({"outcome": "Choose share or withhold."})
    if not particular:
        errors["particular_information"] = "Say which information this decision covers (the particular information, §4(c))."
    if outcome == Decision.Outcome.WITHHOLD:
        if not actor.may(WITHHOLD):
            raise PermissionDenied(
                "only the Secretary or a delegate (national-office leadership) withholds information, in writing (S.2261 §4(c))"
            )
        if not (good_cause or "").strip():
            errors["good_cause"] = "State the good cause for withholding this particular information."
        if review_on is None:
            errors["review_on"] = "Give the date on which the withholding is reviewed."
        elif review_on <= timezone.localdate():
            errors["review_on"] = "The review date must be in the future."
    if errors:
        raise ValidationError(errors)
    now = timezone.now()
    decision = Decision.objects.create(
        item=current,
        outcome=outcome,
        particular_information=particular,
        good_cause=(good_cause or "").strip() if outcome == Decision.Outcome.WITHHOLD else "",
        review_on=review_on if outcome == Decision.Outcome.WITHHOLD else None,
        decided_by=actor.user,
        decided_by_title=(title or "").strip()[:200],
        decided_at=now,
    )
    outcomes = set(current.decisions.values_list("outcome", flat=True))
    before = current.status
    if outcomes == {Decision.Outcome.SHARE}:
        current.status = Item.Status.SHARED
    elif outcomes == {Decision.Outcome.WITHHOLD}:
        current.status = Item.Status.WITHHELD
    else:
        current.status = Item.Status.PARTLY
    current.save(update_fields=["status"])
    record(
        actor=actor.user,
        organization=actor.organization,
        action=f"sharing:item:{outcome}",
        obj=current,
        summary={
            "status": [before, current.status],
            "particular_information": particular,
            "review_on": review_on.isoformat() if review_on else None,
        },
    )
    if outcome == Decision.Outcome.WITHHOLD and current.status == Item.Status.WITHHELD:
        _fulfil(actor, current, SHARE_DUTY, now, "written determination to withhold")
    return decision


@transaction.atomic
def record_federal_withholding(actor: Actor, values: dict) -> FederalWithholding:
    """§4(b): a federal entity records its own written good-cause determination to withhold."""
    actor.require(SUBMIT)
    org = actor.organization
    if org is None or org.kind not in (Organization.Kind.FEDERAL_ENTITY, Organization.Kind.EAC):
        raise PermissionDenied("only a federal entity records its own withholding (S.2261 §4(b))")
    errors: dict[str, str] = {}
    fields = {k: (values.get(k) or "").strip() for k in ("decided_by_name", "particular_information", "good_cause")}
    for key, message in (
        ("decided_by_name", "Name the official who decided."),
        ("particular_information", "Say which particular information is withheld."),
        ("good_cause", "State the good cause."),
    ):
        if not fields[key]:
            errors[key] = message
    authority = values.get("authority") or ""
    if authority not in FederalWithholding.Authority.values:
        errors["authority"] = "Only the head of the entity or a designated Senate-confirmed official decides (§4(b))."
    decided_on = values.get("decided_on")
    if not isinstance(decided_on, dt.date) or decided_on > timezone.localdate():
        errors["decided_on"] = "Give the date of the determination (not in the future)."
    if errors:
        raise ValidationError(errors)
    found = FederalWithholding.objects.create(
        organization=org, authority=authority, decided_on=decided_on, recorded_by=actor.user, recorded_at=timezone.now(), **fields
    )
    record(
        actor=actor.user,
        organization=org,
        action="sharing:withholding:record",
        obj=found,
        summary={"authority": found.get_authority_display(), "decided_on": decided_on.isoformat()},
    )
    return found


# --- Products ------------------------------------------------------------------------------------


def _product_values(values: dict, errors: dict) -> dict:
    common = _common(values, errors)
    kind = values.get("kind") or ""
    if kind not in Product.Kind.values:
        errors["kind"] = "Choose alert, advisory, bulletin or threat notice."
    text = (values.get("text") or "").strip()
    if not text:
        errors["text"] = "Write what the recipients need to know and do."
    objects = values.get("stix_objects") or []
    if objects:
        bundle = {"type": "bundle", "id": kit.stable_id("bundle", "check", len(objects)), "objects": objects}
        if _bundle(bundle, errors, "stix_objects") is None:
            objects = []
    return {
        **common,
        "kind": kind,
        "text": text,
        "further_sharing": (values.get("further_sharing") or "").strip(),
        "services": (values.get("services") or "").strip(),
        "stix_objects": objects,
        "to_federal": bool(values.get("to_federal")),
        "to_all_states": bool(values.get("to_all_states")),
        "to_subscribers": bool(values.get("to_subscribers")),
        "to_system_users": bool(values.get("to_system_users")),
        "affected_provider": values.get("affected_provider"),
    }


@transaction.atomic
def create_product(actor: Actor, values: dict, *, item: Item | None = None) -> Product:
    """A draft product (§4(d)); nothing is sent until :func:`publish`."""
    actor.require(PUBLISH)
    errors: dict[str, str] = {}
    fields = _product_values(values, errors)
    provider = fields["affected_provider"]
    if provider is not None and provider.kind != Organization.Kind.ELECTION_SERVICE_PROVIDER:
        errors["affected_provider"] = "Choose an election service provider."
    if errors:
        raise ValidationError(errors)
    now = timezone.now()
    product = create_numbered(
        Product,
        "SHR",
        now.year,
        item=item,
        created_by=actor.user,
        created_at=now,
        owner=national_office(),
        **fields,
    )
    product.affected_states.set(values.get("affected_states") or [])
    product.affected_organizations.set(values.get("affected_organizations") or [])
    record(
        actor=actor.user,
        organization=actor.organization,
        action="sharing:product:create",
        obj=product,
        summary={"tlp": product.tlp_label, "kind": product.get_kind_display()},
    )
    personal.scan_sources(actor.vouched(), product, product_sources(product), organization=product.owner)
    return product


def product_sources(product: Product) -> list[personal.Source]:
    sources = [personal.Source("product:title", "Title", product.title), personal.Source("product:text", "Text", product.text)]
    for obj in product.stix_objects:
        for key in ("name", "description"):
            if isinstance(obj.get(key), str) and obj[key]:
                sources.append(personal.Source(f"stix:{obj.get('id')}:{key}", f"STIX {obj.get('type')} {key}", obj[key]))
    return sources


@transaction.atomic
def publish(actor: Actor, product: Product) -> Share:
    """Resolve the audience now, record every recipient, send through the outbox (§4(c)).

    Refused while personal information found in the product is not reviewed (§4(g)), when the
    audience breaks the TLP rule, or when the product was already published."""
    actor.require(PUBLISH)
    current = Product.objects.select_for_update().get(pk=product.pk)
    if current.published_at is not None:
        raise ValidationError({"product": f"{current.reference} was already published."})
    problems = audience.audience_problems(current)
    pending = personal.findings_of(current).filter(decision="pending").count()
    if pending:
        problems["personal"] = (
            f"{pending} finding(s) of personal information are not reviewed: redact them or keep them with a reason first (S.2261 §4(g))."
        )
    if problems:
        raise ValidationError(problems)
    now = timezone.now()
    resolved = audience.resolve(current)
    counts = audience.counts(resolved)
    share = Share.objects.create(product=current, sent_at=now, sent_by=actor.user, counts=counts)
    Recipient.objects.bulk_create(
        [Recipient(product=current, share=share, organization_id=pk, why=why) for pk, why in resolved.items()], batch_size=2000
    )
    current.published_at = now
    current.save(update_fields=["published_at"])
    record(
        actor=actor.user,
        organization=actor.organization,
        action="sharing:product:publish",
        obj=current,
        summary={"recipients": counts, "tlp": current.tlp_label},
    )
    outbox.send(
        "sharing.threat_notice" if current.kind == Product.Kind.THREAT_NOTICE else "sharing.product",
        context={
            "share_id": share.pk,
            "reference": current.reference,
            "title": current.title,
            "product_kind": current.get_kind_display(),
            "tlp": current.tlp_label,
            "tlp_words": current.tlp_words,
            "path": f"/sharing/products/{current.pk}/",
        },
        actor=actor.vouched(),
        organization=current.owner,
        subject_object=current,
        dedupe_key=f"sharing.product:{current.pk}",
    )
    from .taxii import store_product

    store_product(current)  # partners' tools read it over TAXII 2.1, within the same audience and TLP
    if current.item_id:
        _fulfil(actor, current.item, SHARE_DUTY, now, f"shared as {current.reference}")
        if current.item.topic == "threat":
            _fulfil(actor, current.item, THREAT_DUTY, now, f"shared as {current.reference}")
    return share


@transaction.atomic
def subscribe(actor: Actor, *, topics: list[str], systems: list[str]) -> Subscription | None:
    """§4(c)(3): an election agency asks for (or, with nothing chosen, stops) ongoing updates."""
    actor.require(SUBSCRIBE)
    org = actor.organization
    if org is None or org.kind not in audience.AGENCIES:
        raise PermissionDenied("only an election agency subscribes to ongoing updates (S.2261 §4(c)(3))")
    errors = {}
    if any(t not in TOPIC_CODES for t in topics):
        errors["topics"] = "Unknown topic."
    if any(s not in SYSTEM_CODES for s in systems):
        errors["systems"] = "Unknown election system."
    if errors:
        raise ValidationError(errors)
    existing = Subscription.objects.filter(organization=org).first()
    found, _ = Subscription.objects.update_or_create(
        organization=org,
        defaults={"topics": sorted(set(topics)), "systems": sorted(set(systems)), "updated_by": actor.user, "updated_at": timezone.now()},
    )
    record(
        actor=actor.user,
        organization=org,
        action="sharing:subscription:update",
        obj=found,
        summary={"topics": found.topics or ["all"], "systems": found.systems or ["all"], "new": existing is None},
    )
    return found


@transaction.atomic
def unsubscribe(actor: Actor) -> None:
    actor.require(SUBSCRIBE)
    org = actor.organization
    found = Subscription.objects.filter(organization=org).first() if org is not None else None
    if found is None:
        return
    record(actor=actor.user, organization=org, action="sharing:subscription:end", obj=found, summary={"ended": True})
    found.delete()


def mark_read(actor: Actor, product: Product) -> None:
    """A person of a recipient organization opened the product (read receipt, H.R. 5011 §202)."""
    org = actor.organization
    if actor.user is None or org is None:
        return
    if not Recipient.objects.filter(product_id=product.pk, organization=org, product__published_at__isnull=False).exists():
        return
    Receipt.objects.get_or_create(product_id=product.pk, user=actor.user, defaults={"organization": org, "read_at": timezone.now()})


@transaction.atomic
def review_personal(actor: Actor, product: Product, decisions: dict[int, tuple[str, str]]) -> int:
    """§4(g): the national office redacts, or keeps with a reason, what the scan found in a draft."""
    actor.require(PUBLISH)
    current = Product.objects.select_for_update().get(pk=product.pk)
    if current.published_at is not None:
        raise ValidationError({"decisions": f"{current.reference} is published; its text no longer changes."})
    return personal.decide(actor.vouched(), current, decisions, organization=actor.organization)


def minimised_text(product: Product) -> dict[str, str]:
    """Each text of the product with what the review did not keep removed (§4(g))."""
    return {s.key: personal.minimised(product, s) for s in product_sources(product)}
