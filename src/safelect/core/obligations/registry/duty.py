"""The ``Duty`` record: one statutory duty as data.

Vocabulary
----------
* ``holder`` / ``co_holders`` / ``owed_to`` use the role names and organisation kinds
  of the directory (:data:`ROLES`, :data:`ORG_KINDS`); ``owed_to`` may also be
  ``"public"`` (publication, public comment).
* ``trigger.kind`` is one of :data:`TRIGGER_KINDS`; ``event`` triggers carry an
  event name (e.g. ``incident_discovered``).
* ``period_kind`` is ``"statutory"`` (the statute fixes a period or date) or
  ``"policy"`` (the statute says "promptly"/"expeditiously"/…; the rule is then a
  :class:`~safelect.core.obligations.clocks.PolicyTarget`).
* ``sense`` says what the due moment means: ``deadline`` (act not later than),
  ``on_date`` (act on that date), ``minimum_period`` (a period that must run before
  the next step, e.g. a 45-day comment period), ``expiry`` (something ends).
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from typing import Any

from ..calendar_rules import DEFAULT_ENACTMENT_DATE, ENACTMENT_SETTING, TzLike, enactment_date, start_of_day
from ..clocks import ClockRule, PolicyTarget, default_lead_times

__all__ = [
    "ORG_KINDS",
    "PERIOD_KINDS",
    "POLICY_SETTING",
    "RECURRENCES",
    "ROLES",
    "SENSES",
    "TRIGGER_KINDS",
    "Duty",
    "Trigger",
]

ROLES = frozenset(
    {
        "national_program_staff",
        "regional_staff",
        "national_leadership",
        "clearance_officer",
        "grants_officer",
        "chief_state_election_official",
        "state_election_staff",
        "local_election_official",
        "election_service_provider_staff",
        "researcher",
        "federal_partner_analyst",
        "isac_analyst",
        "audit_board_member",
    }
)
ORG_KINDS = frozenset(
    {
        "national_office",
        "state_election_office",
        "local_election_agency",
        "election_service_provider",
        "federal_entity",
        "eac",
        "isac",
        "research_org",
        "congress",
        "advisory_panel",  # the Advisory Panel of S.2261 §5(a): it holds the guidelines' deadlines
    }
)
TRIGGER_KINDS = frozenset({"event", "enactment", "fiscal_year_end", "federal_general_election", "fixed_date", "periodic"})
PERIOD_KINDS = frozenset({"statutory", "policy"})
#: ``permission_from``: not a duty at all but the date from which the holder MAY act (S.2261 §7(f)(4):
#: after 30 days without the Department's evaluation an agency may procure its own). It is kept in
#: the registry so the clock can be explained and the lawbook can show it; it never becomes an
#: obligation (``services.open`` refuses it) and is never overdue.
SENSES = frozenset({"deadline", "on_date", "minimum_period", "expiry", "permission_from"})
RECURRENCES = frozenset(
    {"once", "per_event", "per_fiscal_year", "per_federal_general_election", "annual", "every_2_years", "every_4_years"}
)

#: Setting (mapping duty code → calendar days) that overrides policy targets.
POLICY_SETTING = "SAFELECT_OBLIGATION_POLICY_TARGETS"


def policy(days: int, statute_says: str, code: str) -> PolicyTarget:
    """Build the :class:`PolicyTarget` of duty ``code`` with its setting name."""
    return PolicyTarget(days, statute_says, f'{POLICY_SETTING}["{code}"]')


# What each event trigger means, as a rule description says it ("3 calendar days after …").
# test_obligation_registry checks that every event a duty names has words here.
EVENT_WORDS = {
    "all_commission_members_appointed": "the appointment of the last member of the Commission",
    "classified_information_received": "the receipt of the classified information",
    "closeout_procedures_promulgated": "the promulgation of the grant closeout procedures",
    "commission_clearance_requested": "the clearance request of a Commission member or staff member",
    "commission_final_report_submitted": "the submission of the Commission's final report",
    "commission_first_meeting": "the Commission's first meeting",
    "commission_vacancy_occurs": "the vacancy on the Commission",
    "competition_round_closed": "the close of the competition round",
    "competition_vulnerability_discovered": "the discovery of the vulnerability in the competition",
    "declassification_review_requested": "the request for declassification review",
    "draft_guidelines_published": "the publication of the draft guidelines",
    "evaluation_requested": "the request for an evaluation",
    "first_federal_election_after_rla_grants": "the first Federal election after the audit grants",
    "guidelines_received": "the receipt of the guidelines",
    "incident_discovered": "the discovery of the incident",
    "information_received": "the receipt of the information",
    "material_information_available": "the time the material information became available",
    "national_strategy_issued": "the issue of the national strategy",
    "paper_ballot_grant_received": "the receipt of the paper ballot grant",
    "possible_incident_aware": "the agency becoming aware of the possible incident",
    "rva_cannot_commence_determined": "the determination that the assessment cannot begin in time",
    "rva_request_received": "the receipt of the request for an assessment",
    "significant_incident_basis_established": "the basis for believing the incident significant",
    "significant_incident_information_discovered": "the discovery of the new information about the significant incident",
    "threat_information_received": "the receipt of the threat information",
}


@dataclass(frozen=True)
class Trigger:
    """What starts the clock: a kind, and for ``event`` triggers the event name."""

    kind: str
    event: str | None = None

    def __post_init__(self) -> None:
        if self.kind not in TRIGGER_KINDS:
            raise ValueError(f"unknown trigger kind {self.kind!r}")
        if (self.kind == "event") != bool(self.event):
            raise ValueError("event triggers (and only they) need an event name")

    def describe(self) -> str:
        """How a rule description names the trigger."""
        if self.kind == "event":
            return EVENT_WORDS.get(self.event, f"the event '{self.event}'")
        return {
            "enactment": "the date of enactment",
            "fiscal_year_end": "the end of the fiscal year",
            "federal_general_election": "the Federal general election",
            "fixed_date": "the date fixed in the statute",
            "periodic": "the start of the cycle",
        }[self.kind]

    def as_dict(self) -> dict[str, Any]:
        return {"kind": self.kind, "event": self.event}


@dataclass(frozen=True)
class Duty:
    """One statutory duty.

    ``text`` quotes the operative words of the statute so a reviewer can check the
    entry against ``shared/spec``. ``reminder_lead_times`` defaults from the rule
    (:func:`~safelect.core.obligations.clocks.default_lead_times`).
    """

    code: str
    citation: str
    title: str
    holder: str
    trigger: Trigger
    rule: ClockRule
    recurrence: str
    owed_to: tuple[str, ...]
    period_kind: str
    text: str
    co_holders: tuple[str, ...] = ()
    sense: str = "deadline"
    condition: str = ""
    note: str = ""
    reminder_lead_times: tuple[timedelta, ...] = field(default=())
    #: Set for internal policy duties registered by an app (``register_policy_duty``):
    #: the app that owns them; empty for the duties of the two bills.
    origin: str = ""

    def __post_init__(self) -> None:
        vocab = ROLES | ORG_KINDS
        for who in (self.holder, *self.co_holders):
            if who not in vocab:
                raise ValueError(f"{self.code}: unknown holder {who!r}")
        for who in self.owed_to:
            if who not in vocab | {"public"}:
                raise ValueError(f"{self.code}: unknown recipient {who!r}")
        if self.period_kind not in PERIOD_KINDS:
            raise ValueError(f"{self.code}: unknown period kind {self.period_kind!r}")
        if (self.period_kind == "policy") != isinstance(self.rule, PolicyTarget):
            raise ValueError(f"{self.code}: policy duties (and only they) use a PolicyTarget")
        if self.sense not in SENSES:
            raise ValueError(f"{self.code}: unknown sense {self.sense!r}")
        if self.recurrence not in RECURRENCES:
            raise ValueError(f"{self.code}: unknown recurrence {self.recurrence!r}")
        if not self.text.strip():
            raise ValueError(f"{self.code}: quote the statute's operative words")
        if not self.reminder_lead_times:
            object.__setattr__(self, "reminder_lead_times", default_lead_times(self.rule))

    @property
    def bill(self) -> str:
        """``"S.2261"`` or ``"H.R. 5011"``; ``"internal policy"`` for app-registered duties."""
        if self.origin:
            return "internal policy"
        return "S.2261" if self.code.startswith("S2261") else "H.R. 5011"

    @property
    def is_internal(self) -> bool:
        """True for duties no statute imposes (registered by an app as internal policy)."""
        return bool(self.origin)

    @property
    def is_policy(self) -> bool:
        return self.period_kind == "policy"

    @property
    def policy_setting(self) -> str | None:
        """Name of the setting that overrides the policy target (policy duties only)."""
        return self.rule.setting if isinstance(self.rule, PolicyTarget) else None

    def effective_rule(self, overrides: Mapping[str, int] | None = None) -> ClockRule:
        """The rule in force: for policy duties ``overrides[code]`` (days) replaces the
        default target; statutory rules are never overridden."""
        if isinstance(self.rule, PolicyTarget) and overrides and self.code in overrides:
            return self.rule.with_days(int(overrides[self.code]))
        return self.rule

    def describe_rule(self, overrides: Mapping[str, int] | None = None) -> str:
        """The rule in plain words, naming this duty's trigger."""
        text = self.effective_rule(overrides).describe(self.trigger.describe())
        if self.sense == "on_date" and text.startswith("not later than "):
            return "on " + text[len("not later than ") :]  # S.2261 §7(h)(4): awards are made ON the date
        if self.sense == "permission_from" and text.startswith("not later than "):
            return "permitted from the end of " + text[len("not later than ") :]
        return text

    def due(
        self,
        trigger_at: datetime | date | None,
        tz: TzLike,
        *,
        enactment: date | str | None = None,
        overrides: Mapping[str, int] | None = None,
    ) -> datetime:
        """Due moment for a trigger (aware; end of the last local day in ``tz``).

        ``trigger_at=None`` is allowed for enactment-counted duties (uses the
        assumed enactment date) and fixed-date duties.
        """
        if trigger_at is None:
            if self.trigger.kind not in ("enactment", "fixed_date", "periodic"):
                raise ValueError(f"{self.code}: a {self.trigger.kind} duty needs a trigger moment")
            trigger_at = start_of_day(enactment_date(enactment), tz)
        return self.effective_rule(overrides).due(trigger_at, tz)

    def as_dict(self, enactment: date | str | None = None) -> dict[str, Any]:
        """JSON-able form, including the assumed date of enactment."""
        assumed = enactment_date(enactment)
        rule = self.rule.as_dict()
        rule["description"] = self.describe_rule()
        return {
            "code": self.code,
            "bill": self.bill,
            "citation": self.citation,
            "title": self.title,
            "holder": self.holder,
            "co_holders": list(self.co_holders),
            "owed_to": list(self.owed_to),
            "trigger": self.trigger.as_dict(),
            "rule": rule,
            "recurrence": self.recurrence,
            "period_kind": self.period_kind,
            "sense": self.sense,
            "policy_default_days": self.rule.days if isinstance(self.rule, PolicyTarget) else None,
            "policy_setting": self.policy_setting,
            "reminder_lead_times_seconds": [int(t.total_seconds()) for t in self.reminder_lead_times],
            "condition": self.condition,
            "note": self.note,
            "text": self.text,
            "origin": self.origin or "statute",
            "enactment": {
                "assumed_date": assumed.isoformat(),
                "is_default": assumed == DEFAULT_ENACTMENT_DATE,
                "setting": ENACTMENT_SETTING,
                "applies": self.trigger.kind == "enactment" or getattr(self.rule, "initial_days", None) is not None,
            },
        }
