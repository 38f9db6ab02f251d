"""What the national office learns and what it shares (S.2261 §4(a)–(g); H.R. 5011 §202).

* :class:`Item` — information received about an election cybersecurity incident, threat or
  vulnerability: its source, when, its TLP 2.0 marking and its STIX 2.1 content. Receiving one
  opens the §4(c) "share promptly" clock (``S2261-4c``, a policy target).
* :class:`Decision` — *share* (the default) or *withhold*. Withholding is the Secretary's (or a
  delegate's) written determination of good cause for *the particular information*, with a review
  date. Partial sharing is two decisions: share a minimised version, withhold the rest.
* :class:`FederalWithholding` — a federal entity's own written determination not to share
  particular information with the national office (§4(b)).
* :class:`Product` — what is shared: an alert, advisory, bulletin or threat notice, with its text,
  STIX 2.1 objects (§4(d)(1)), helpful services (§4(d)(2)) and further-sharing guidance: a TLP 2.0
  label plus free text (§4(d)(3)). Its audience is chosen (§4(c)(1)–(4)); :class:`Share` and
  :class:`Recipient` record exactly who it went to, resolved at send time.
* :class:`Subscription` — an agency's request for ongoing updates (§4(c)(3)), by topic and system.
* :class:`Receipt` — a chief State election official opened a threat notice (H.R. 5011 §202).
"""

from __future__ import annotations

from django.conf import settings
from django.db import models

TLP_CHOICES = [
    ("clear", "TLP:CLEAR"),
    ("green", "TLP:GREEN"),
    ("amber", "TLP:AMBER"),
    ("amber+strict", "TLP:AMBER+STRICT"),
    ("red", "TLP:RED"),
]
TLP_WORDS = {
    "clear": "Disclosure is not limited.",
    "green": "Limited disclosure: the community (election agencies, their providers and federal partners), not published.",
    "amber": "Limited disclosure: the recipient organizations and those they serve who need to know.",
    "amber+strict": "Limited disclosure: the recipient organizations only.",
    "red": "For the named recipients only.",
}
TOPICS = [
    ("incident", "Incidents"),
    ("threat", "Threats"),
    ("vulnerability", "Vulnerabilities"),
]


class Item(models.Model):
    """Information received (§4(b), (c)): nothing classified is stored here (see the README)."""

    class Source(models.TextChoices):
        FEDERAL = "federal_entity", "A federal entity"
        ISAC = "sharing_center", "The information sharing and analysis center"
        AGENCY = "agency_incident", "An election agency's incident report"
        PROVIDER = "provider", "An election service provider"
        RESEARCH = "research", "Research"
        OPEN = "open_source", "Open sources"

    class Status(models.TextChoices):
        AWAITING = "awaiting", "Awaiting a sharing decision"
        SHARED = "shared", "Shared"
        WITHHELD = "withheld", "Withheld by written determination"
        PARTLY = "partly", "Partly shared, partly withheld"

    reference = models.CharField(max_length=20, unique=True)
    title = models.CharField(max_length=200)
    topic = models.CharField(max_length=20, choices=TOPICS)
    source = models.CharField(max_length=30, choices=Source.choices)
    source_organization = models.ForeignKey("directory.Organization", null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    received_at = models.DateTimeField()
    received_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    tlp = models.CharField(max_length=15, choices=TLP_CHOICES)
    summary = models.TextField()
    systems = models.JSONField(default=list, help_text="Election system codes it concerns")
    stix = models.JSONField(null=True, blank=True, help_text="A STIX 2.1 bundle, validated")
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.AWAITING)

    class Meta:
        ordering = ["-received_at", "-pk"]

    def __str__(self) -> str:
        return f"{self.reference} — {self.title}"


class Decision(models.Model):
    """One sharing decision on an item (§4(c)). A withholding is a written determination."""

    class Outcome(models.TextChoices):
        SHARE = "share", "Share"
        WITHHOLD = "withhold", "Withhold (written determination of good cause)"

    item = models.ForeignKey(Item, on_delete=models.PROTECT, related_name="decisions")
    outcome = models.CharField(max_length=10, choices=Outcome.choices)
    particular_information = models.TextField(help_text="Which information the decision covers")
    good_cause = models.TextField(blank=True, help_text="The written determination's reason (withholding)")
    review_on = models.DateField(null=True, blank=True)
    decided_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    decided_by_title = models.CharField(max_length=200, blank=True)
    decided_at = models.DateTimeField()

    class Meta:
        ordering = ["item", "decided_at", "pk"]

    def __str__(self) -> str:
        return f"{self.item.reference}: {self.get_outcome_display().lower()}"


class FederalWithholding(models.Model):
    """§4(b): a federal entity's written good-cause determination to withhold particular information."""

    class Authority(models.TextChoices):
        HEAD = "head", "Head of the entity"
        DESIGNEE = "designee", "Designated Senate-confirmed official"

    organization = models.ForeignKey("directory.Organization", on_delete=models.PROTECT, related_name="+")
    decided_by_name = models.CharField(max_length=200)
    authority = models.CharField(max_length=10, choices=Authority.choices)
    particular_information = models.TextField()
    good_cause = models.TextField()
    decided_on = models.DateField()
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    recorded_at = models.DateTimeField()

    class Meta:
        ordering = ["-decided_on", "-pk"]

    def __str__(self) -> str:
        return f"{self.organization.name}: withholding of {self.decided_on:%Y-%m-%d}"


class Product(models.Model):
    """What the national office shares (§4(c), (d))."""

    class Kind(models.TextChoices):
        ALERT = "alert", "Alert"
        ADVISORY = "advisory", "Advisory"
        BULLETIN = "bulletin", "Bulletin"
        THREAT_NOTICE = "threat_notice", "Threat notice to chief State election officials (H.R. 5011 §202)"

    reference = models.CharField(max_length=20, unique=True)
    kind = models.CharField(max_length=20, choices=Kind.choices)
    title = models.CharField(max_length=200)
    text = models.TextField()
    topic = models.CharField(max_length=20, choices=TOPICS)
    systems = models.JSONField(default=list)
    tlp = models.CharField(max_length=15, choices=TLP_CHOICES)
    further_sharing = models.TextField(blank=True, help_text="Guidance beyond the TLP label (§4(d)(3))")
    services = models.TextField(blank=True, help_text="Services that help (§4(d)(2)), one per line")
    stix_objects = models.JSONField(default=list, help_text="STIX 2.1 objects (indicators, vulnerabilities, courses of action…)")
    item = models.ForeignKey(Item, null=True, blank=True, on_delete=models.PROTECT, related_name="products")
    # The audience (§4(c)(1)–(4)); resolved to organizations when published
    to_federal = models.BooleanField(default=False)
    to_all_states = models.BooleanField(default=False)
    to_subscribers = models.BooleanField(default=False)
    to_system_users = models.BooleanField(default=False, help_text="Agencies that reported incidents involving the product's systems")
    affected_states = models.ManyToManyField("directory.State", blank=True, related_name="+")
    affected_organizations = models.ManyToManyField("directory.Organization", blank=True, related_name="+")
    affected_provider = models.ForeignKey("directory.Organization", null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    created_at = models.DateTimeField()
    published_at = models.DateTimeField(null=True, blank=True)
    recipient_organizations = models.ManyToManyField("directory.Organization", through="Recipient", related_name="+")
    owner = models.ForeignKey("directory.Organization", on_delete=models.PROTECT, related_name="+", help_text="The national office")

    # Object scope (the kernel's idiom): the owner's people, and the recipient organizations
    SCOPE_FIELDS = {"organization_field": "owner", "shared_field": "recipient_organizations"}

    class Meta:
        ordering = ["-published_at", "-created_at", "-pk"]

    def __str__(self) -> str:
        return f"{self.reference} — {self.title}"

    @property
    def tlp_label(self) -> str:
        return dict(TLP_CHOICES)[self.tlp]

    @property
    def tlp_words(self) -> str:
        return TLP_WORDS[self.tlp]


class Share(models.Model):
    """One sending of a product: when, by whom, and (through :class:`Recipient`) exactly to whom."""

    product = models.ForeignKey(Product, on_delete=models.PROTECT, related_name="shares")
    sent_at = models.DateTimeField()
    sent_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    counts = models.JSONField(default=dict, help_text="Organizations by audience")

    class Meta:
        ordering = ["product", "sent_at"]


class Recipient(models.Model):
    """An organization a product was shared with, and why (§4(c)(1)–(4), H.R. §202)."""

    class Why(models.TextChoices):
        FEDERAL = "federal", "Appropriate federal entity (§4(c)(1))"
        STATE = "state", "State election agency (§4(c)(2))"
        SUBSCRIBER = "subscriber", "Requested ongoing updates (§4(c)(3))"
        AFFECTED = "affected", "May be affected (§4(c)(4))"
        CHIEF = "chief", "Chief State election official (H.R. 5011 §202)"

    product = models.ForeignKey(Product, on_delete=models.CASCADE, related_name="recipients")
    share = models.ForeignKey(Share, on_delete=models.CASCADE, related_name="recipients")
    organization = models.ForeignKey("directory.Organization", on_delete=models.PROTECT, related_name="+")
    why = models.CharField(max_length=12, choices=Why.choices)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["product", "organization"], name="one_recipient_per_product_organization")]


class Subscription(models.Model):
    """An agency's request for ongoing updates (§4(c)(3)): topics and systems (empty = all)."""

    organization = models.OneToOneField("directory.Organization", on_delete=models.CASCADE, related_name="sharing_subscription")
    topics = models.JSONField(default=list)
    systems = models.JSONField(default=list)
    updated_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    updated_at = models.DateTimeField()

    def __str__(self) -> str:
        return f"Subscription of {self.organization}"


class Receipt(models.Model):
    """A person opened a product shared with their organization (read receipts, H.R. 5011 §202)."""

    product = models.ForeignKey(Product, on_delete=models.CASCADE, related_name="receipts")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    organization = models.ForeignKey("directory.Organization", on_delete=models.CASCADE, related_name="+")
    read_at = models.DateTimeField()

    class Meta:
        constraints = [models.UniqueConstraint(fields=["product", "user"], name="one_receipt_per_reader")]


class ClassifiedReceipt(models.Model):
    """§4(e): that the national office received classified information — metadata only. safelect is
    an unclassified system: no classified content is ever entered; the description must itself be
    unclassified. The review it asks for, and its outcome, are recorded here; a declassified
    version becomes an :class:`Item` to share."""

    class Level(models.TextChoices):
        CONFIDENTIAL = "confidential", "Confidential"
        SECRET = "secret", "Secret"
        TOP_SECRET = "top_secret", "Top Secret"

    class Outcome(models.TextChoices):
        PENDING = "pending", "Review not yet requested"
        REQUESTED = "requested", "Expedited review requested"
        DECLASSIFIED = "declassified", "Declassified"
        PARTLY = "partly", "Partly declassified"
        DENIED = "denied", "Declassification denied"

    reference = models.CharField(max_length=20, unique=True)
    description = models.CharField(max_length=300, help_text="An unclassified description (never the content)")
    topic = models.CharField(max_length=20, choices=TOPICS)
    level = models.CharField(max_length=15, choices=Level.choices)
    originator = models.ForeignKey("directory.Organization", on_delete=models.PROTECT, related_name="+")
    received_at = models.DateTimeField()
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    reviewer = models.ForeignKey("directory.Organization", null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    requested_at = models.DateTimeField(null=True, blank=True)
    outcome = models.CharField(max_length=15, choices=Outcome.choices, default=Outcome.PENDING)
    outcome_at = models.DateTimeField(null=True, blank=True)
    outcome_note = models.TextField(blank=True)
    declassified_item = models.OneToOneField(Item, null=True, blank=True, on_delete=models.PROTECT, related_name="declassified_from")

    class Meta:
        ordering = ["-received_at", "-pk"]

    def __str__(self) -> str:
        return f"{self.reference} — {self.description}"


class TaxiiObject(models.Model):
    """One version of one STIX object served over TAXII 2.1 (see :mod:`.taxii`).

    Objects of a published product are in the ``shared`` collection and visible to whoever may see
    the product (the same TLP and audience rules as the pages); objects a partner posts are in the
    ``submissions`` collection, visible to the national office and to the organization that posted
    them. (``stix_id``, ``version``) is unique per collection: the same version posted twice, or
    carried by two products (the national office's identity, a TLP marking), is stored once."""

    collection = models.CharField(max_length=20)
    stix_id = models.CharField(max_length=100)
    stix_type = models.CharField(max_length=50)
    version = models.CharField(max_length=30, help_text="modified (or created) as in the object: the TAXII version")
    spec_version = models.CharField(max_length=5, default="2.1")
    date_added = models.DateTimeField(db_index=True)
    data = models.JSONField()
    products = models.ManyToManyField(Product, blank=True, related_name="taxii_objects", help_text="The products that carry it (shared)")
    posted_by = models.ForeignKey("directory.Organization", null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    # True while this is the only version of its id in the collection: such rows are their own
    # "last" and "first" version, and only the others need a per-id window when filtering.
    alone = models.BooleanField(default=True)

    class Meta:
        ordering = ["date_added", "pk"]
        indexes = [models.Index(fields=["collection", "date_added", "id"]), models.Index(fields=["collection", "stix_id"])]
        constraints = [models.UniqueConstraint(fields=["collection", "stix_id", "version"], name="one_taxii_object_version")]


class TaxiiStatus(models.Model):
    """The status resource of one TAXII POST (all-or-nothing per object, never pending here)."""

    status_id = models.UUIDField(unique=True)
    organization = models.ForeignKey("directory.Organization", on_delete=models.CASCADE, related_name="+")
    collection = models.CharField(max_length=20)
    request_timestamp = models.DateTimeField()
    successes = models.JSONField(default=list)
    failures = models.JSONField(default=list)
