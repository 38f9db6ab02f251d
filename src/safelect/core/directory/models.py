"""The directory of the election system: geography and the organizations safelect serves.

* :class:`State` — the 56 "States" of S.2261 §3(18) (50 States, DC, Puerto Rico, Guam, American
  Samoa, the Northern Mariana Islands, the U.S. Virgin Islands), each in one federal region 1–10.
* :class:`Jurisdiction` — a local "election agency" (S.2261 §3(7)): the 6,461 jurisdictions that
  filed the EAC's 2024 Election Administration and Voting Survey.
* :class:`Organization` — anyone who acts in safelect: the national office, each State's chief
  State election official's office, local election agencies, election service providers
  (§3(11)), the "appropriate Federal entities" (§3(3)), the EAC, the MS-ISAC, researchers.
* :class:`County` and :class:`CongressionalDistrict` — geography kept for later programs.
"""

from __future__ import annotations

from zoneinfo import available_timezones

from django.core.exceptions import ValidationError
from django.db import models


def validate_time_zone(value: str) -> None:
    if value not in available_timezones():
        raise ValidationError(f"{value!r} is not an IANA time zone name")


class Region(models.Model):
    """A federal region (1–10) of the national office's field structure."""

    number = models.PositiveSmallIntegerField(unique=True)
    name = models.CharField(max_length=120)

    class Meta:
        ordering = ["number"]

    def __str__(self) -> str:
        return self.name


class State(models.Model):
    """A State as S.2261 §3(18) defines it: a State, DC, or one of five territories."""

    class Kind(models.TextChoices):
        STATE = "state", "State"
        FEDERAL_DISTRICT = "federal_district", "Federal district"
        TERRITORY = "territory", "Territory"

    usps = models.CharField("USPS code", max_length=2, unique=True)
    fips = models.CharField("FIPS code", max_length=2, unique=True)
    name = models.CharField(max_length=60, unique=True)
    kind = models.CharField(max_length=20, choices=Kind.choices)
    region = models.ForeignKey(Region, on_delete=models.PROTECT, related_name="states")
    time_zone = models.CharField(max_length=64, validators=[validate_time_zone])

    class Meta:
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name

    #: Not a "State" in the Help America Vote Act (§901, 52 U.S.C. 21141: the 50 States, the District
    #: of Columbia, Puerto Rico, Guam, American Samoa and the U.S. Virgin Islands), so not owed what
    #: H.R. 5011 (amending HAVA) owes "each State": the Northern Mariana Islands.
    NOT_HAVA_STATES = frozenset({"MP"})

    @property
    def is_hava_state(self) -> bool:
        return self.usps not in self.NOT_HAVA_STATES


def title_case(name: str) -> str:
    """``TOWN OF ABRAMS - OCONTO COUNTY`` → ``Town of Abrams - Oconto County``."""
    words = name.title().replace("'S ", "'s ").split(" ")
    small = {"Of", "The", "And", "In", "On", "At"}
    return " ".join(w.lower() if i and w in small else w for i, w in enumerate(words))


class County(models.Model):
    """A county or county-equivalent (Census 2010 list), kept as geography."""

    fips5 = models.CharField(max_length=5, unique=True)
    state = models.ForeignKey(State, on_delete=models.PROTECT, related_name="counties")
    name = models.CharField(max_length=100)

    class Meta:
        ordering = ["state__name", "name"]
        verbose_name_plural = "counties"

    def __str__(self) -> str:
        return f"{self.name}, {self.state.usps}"


class CongressionalDistrict(models.Model):
    """A district of the 119th Congress (number 0 = at large or a delegate)."""

    class Kind(models.TextChoices):
        DISTRICT = "district", "District"
        AT_LARGE = "at_large", "At large"
        DELEGATE = "delegate_at_large", "Delegate at large"

    geoid = models.CharField(max_length=4, unique=True)
    state = models.ForeignKey(State, on_delete=models.PROTECT, related_name="districts")
    number = models.PositiveSmallIntegerField()
    kind = models.CharField(max_length=20, choices=Kind.choices)
    counties = models.ManyToManyField(County, through="CountyDistrict", related_name="districts")

    class Meta:
        ordering = ["geoid"]

    def __str__(self) -> str:
        return f"{self.state.usps}-{self.number:02d}" if self.number else f"{self.state.usps}-AL"


class CountyDistrict(models.Model):
    """The share of a county's land area that lies in a congressional district."""

    county = models.ForeignKey(County, on_delete=models.CASCADE)
    district = models.ForeignKey(CongressionalDistrict, on_delete=models.CASCADE)
    land_share = models.DecimalField(max_digits=9, decimal_places=7)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["county", "district"], name="unique_county_district")]


class Legislator(models.Model):
    """A Senator, Representative or Delegate (congress-legislators files; see :mod:`.congress`).

    ``district`` is the House seat's number (0 at large or for a Delegate); None for Senators.
    ``leadership`` lists current leadership titles ("Senate Majority Leader", "Speaker of the House").
    Members who leave stay, with ``is_current`` false, so notices sent to them keep their names."""

    class Chamber(models.TextChoices):
        SENATE = "senate", "Senate"
        HOUSE = "house", "House of Representatives"

    bioguide = models.CharField(max_length=10, unique=True)
    name = models.CharField(max_length=200)
    chamber = models.CharField(max_length=10, choices=Chamber.choices)
    state = models.ForeignKey(State, on_delete=models.PROTECT, related_name="legislators")
    district = models.PositiveSmallIntegerField(null=True, blank=True)
    party = models.CharField(max_length=40, blank=True)
    leadership = models.JSONField(default=list, blank=True)
    office = models.CharField(max_length=300, blank=True)
    phone = models.CharField(max_length=40, blank=True)
    url = models.URLField(max_length=300, blank=True)
    is_current = models.BooleanField(default=True)

    class Meta:
        ordering = ["state__usps", "chamber", "district", "name"]

    def __str__(self) -> str:
        if self.chamber == self.Chamber.SENATE:
            return f"Sen. {self.name} ({self.state.usps})"
        seat = f"{self.state.usps}-{self.district:02d}" if self.district else f"{self.state.usps}-AL"
        return f"Rep. {self.name} ({seat})"


class CongressCommittee(models.Model):
    """A committee of Congress, by its code in committees-current.yaml (e.g. SSRA)."""

    code = models.CharField(max_length=8, unique=True)
    name = models.CharField(max_length=200)
    chamber = models.CharField(max_length=10)
    office = models.CharField(max_length=300, blank=True)
    phone = models.CharField(max_length=40, blank=True)
    url = models.URLField(max_length=300, blank=True)
    is_current = models.BooleanField(default=True)

    class Meta:
        ordering = ["code"]

    def __str__(self) -> str:
        return self.name


class Organization(models.Model):
    """Anyone who acts in safelect, on whose behalf a person signs in.

    ``key`` is the stable natural key the reference-data load uses (``state:WI``,
    ``jurisdiction:5507900000``, ``federal:dhs``), so loading twice changes nothing.
    """

    class Kind(models.TextChoices):
        NATIONAL_OFFICE = "national_office", "National election security office"
        STATE_ELECTION_OFFICE = "state_election_office", "Chief State election official's office"
        LOCAL_ELECTION_AGENCY = "local_election_agency", "Local election agency"
        ELECTION_SERVICE_PROVIDER = "election_service_provider", "Election service provider"
        FEDERAL_ENTITY = "federal_entity", "Appropriate Federal entity"
        EAC = "eac", "Election Assistance Commission"
        ISAC = "isac", "Information sharing and analysis center"
        RESEARCH_ORG = "research_org", "Research organization"
        CONGRESS = "congress", "Congressional committee or office"

    key = models.CharField(max_length=80, unique=True)
    name = models.CharField(max_length=200)
    kind = models.CharField(max_length=40, choices=Kind.choices, db_index=True)
    state = models.ForeignKey(State, null=True, blank=True, on_delete=models.PROTECT, related_name="organizations")
    region = models.ForeignKey(Region, null=True, blank=True, on_delete=models.PROTECT, related_name="organizations")
    parent = models.ForeignKey("self", null=True, blank=True, on_delete=models.PROTECT, related_name="children")
    time_zone = models.CharField(max_length=64, default="America/New_York", validators=[validate_time_zone])
    description = models.TextField(blank=True)
    website = models.URLField(blank=True)
    is_demo = models.BooleanField(default=False, help_text="Created by `safelect demo`; not reference data.")

    class Meta:
        ordering = ["name"]
        indexes = [models.Index(fields=["kind", "state"])]

    def __str__(self) -> str:
        return self.name


class Jurisdiction(models.Model):
    """A local election jurisdiction of the EAC's EAVS 2024: an election agency under its State.

    ``eavs_code`` is the EAC's FIPSCode verbatim (10 digits; 9 where a leading zero was dropped;
    5 digits for Wisconsin's non-geographic codes). ``county`` is set where the code carries one.
    """

    class Kind(models.TextChoices):
        COUNTY = "county", "County"
        MUNICIPALITY = "municipality", "Municipality or town"
        STATEWIDE = "statewide", "Statewide"
        TERRITORY = "territory", "Territory"

    eavs_code = models.CharField("EAVS code", max_length=10, unique=True)
    fips10 = models.CharField(max_length=10)
    name = models.CharField(max_length=120)
    kind = models.CharField(max_length=20, choices=Kind.choices)
    state = models.ForeignKey(State, on_delete=models.PROTECT, related_name="jurisdictions")
    county = models.ForeignKey(County, null=True, blank=True, on_delete=models.PROTECT, related_name="jurisdictions")
    organization = models.OneToOneField(Organization, on_delete=models.PROTECT, related_name="jurisdiction")
    note = models.TextField(blank=True)

    class Meta:
        ordering = ["state__name", "name"]
        indexes = [models.Index(fields=["state", "name"])]

    def __str__(self) -> str:
        return f"{self.display_name}, {self.state.usps}"

    @property
    def display_name(self) -> str:
        """EAVS names are upper case; show them in title case with small words kept small. A
        statewide or territorial jurisdiction is called by its State's name, so the Northern
        Mariana Islands are not also "Commonwealth of the Northern Mariana Islands"."""
        if self.kind in (self.Kind.STATEWIDE, self.Kind.TERRITORY):
            return self.state.name
        return title_case(self.name)


class ServiceRelationship(models.Model):
    """An election service provider serves an election agency (S.2261 §3(11), §4(j)): the
    provider's "relevant election agencies" for its incident notices. Kept by both sides: the
    provider and the agency each add and end the relationships they are part of. Ended links stay
    (``ended_at``) so that past notices still show whom they went to."""

    provider = models.ForeignKey(Organization, on_delete=models.PROTECT, related_name="customer_links")
    agency = models.ForeignKey(Organization, on_delete=models.PROTECT, related_name="provider_links")
    services = models.CharField(max_length=300, help_text="What the provider does for the agency (e.g. hosts the results site)")
    added_by_label = models.CharField(max_length=200, blank=True)
    added_at = models.DateTimeField(auto_now_add=True)
    ended_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["provider__name", "agency__name"]
        constraints = [
            models.UniqueConstraint(
                fields=["provider", "agency"], condition=models.Q(ended_at__isnull=True), name="one_active_service_relationship"
            )
        ]

    def __str__(self) -> str:
        return f"{self.provider} serves {self.agency}"


# The kinds of election system (S.2261 §3(12) "election system"), the vocabulary the programs share.
SYSTEM_CATEGORIES = [
    ("voter_registration_database", "Voter registration database"),
    ("e_pollbook", "Electronic pollbook"),
    ("ballot_marking_device", "Ballot marking device"),
    ("tabulator", "Precinct tabulator"),
    ("central_count", "Central count system"),
    ("election_management_system", "Election management system"),
    ("election_night_reporting", "Election night reporting"),
    ("website", "Election website"),
    ("other", "Other"),
]


class ElectionSystem(models.Model):
    """An election system an organization runs (an agency) or makes or operates (a provider): the
    directory's inventory. Product names are as the manufacturer writes them; "the agencies that use
    this product" (S.2261 §4(c)(4), §8(d)(5)) is a case-insensitive match on manufacturer and product."""

    organization = models.ForeignKey(Organization, on_delete=models.PROTECT, related_name="election_systems")
    category = models.CharField(max_length=40, choices=SYSTEM_CATEGORIES)
    manufacturer = models.CharField(max_length=120)
    product = models.CharField(max_length=120)
    version = models.CharField(max_length=60, blank=True)
    note = models.CharField(max_length=300, blank=True, help_text="Where and how it is used")
    added_at = models.DateTimeField(auto_now_add=True)
    retired_at = models.DateTimeField(null=True, blank=True)

    SCOPE_FIELDS = {"organization_field": "organization"}

    class Meta:
        ordering = ["organization__name", "manufacturer", "product", "version"]

    def __str__(self) -> str:
        return f"{self.manufacturer} {self.product}{' ' + self.version if self.version else ''}"
