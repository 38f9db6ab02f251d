"""Every statutory report of the two bills: its clock (a duty of the obligations registry), its
recipients (resolved from the congress data by :mod:`.recipients`), the content the statute asks
for, and who drafts it.

One register for all of them. Reports whose matter lives in another program are drafted there and
only registered here, so the register shows every report's clock and recipients in one place:

* ``program`` — drafted in this program as a :class:`~.models.Report` (sections, review, approval,
  submission, PDF, public version);
* ``elsewhere`` — drafted by the program named in ``where`` (its own records and figures), the clock
  and recipients shown here;
* ``tracked`` — written by another authority (GAO): its clock is tracked, nothing is written here.

Recipients are tokens: ``sec3_2`` (S.2261 §3(2): the ten committees and the four leaders),
``committee:<code>`` (a committee named in the section, by its code in ``committees-current.yaml``),
``president``, ``congress`` (the Congress as a whole: the Secretary of the Senate and the Clerk of
the House receive it), ``secretary`` (the Secretary: the panel's §5(c) recommendations go to the
Department). ``duty`` is empty where the statute sets no deadline (§4(o), §4(p)(2), §5(c),
§302(j)(1)): the register says so rather than invent one.

H.R. 5011 has no definition of "appropriate congressional committees"; its sections that say
"including" name committees, and those named committees are the recipients recorded (decision:
the committees the section names are certain; the register does not guess more).
"""

from __future__ import annotations

from dataclasses import dataclass, field

NAMED_FOUR = ("committee:HSHM", "committee:HSHA", "committee:SSGA", "committee:SSRA")


@dataclass(frozen=True)
class Section:
    """A part of a report: ``cites`` the provision that asks for it; ``generated`` names the figure
    computed from safelect's data (:mod:`.figures`), empty for prose."""

    key: str
    heading: str
    cites: str
    generated: str = ""


@dataclass(frozen=True)
class ReportKind:
    key: str
    title: str
    duty: str
    citation: str
    recipients: tuple[str, ...]
    drafted: str = "program"
    where: str = ""  # the page (URL name) of the program that drafts it, for ``elsewhere``
    sections: tuple[Section, ...] = field(default=())
    public: bool = True  # may a public version be published
    note: str = ""


CLOCKS = Section("clocks", "Statutory clocks in the period", "", generated="clocks")

KINDS: tuple[ReportKind, ...] = (
    ReportKind(
        "foreign-threats",
        "Joint report on foreign threats to elections in the United States",
        "S2261-6a1",
        "S.2261 §6(a)(1)",
        ("sec3_2",),
        sections=(
            Section("threats", "Foreign threats to elections, physical and cybersecurity", "S.2261 §6(a)(1)"),
            Section("state-comments", "Comments of State election agencies", "S.2261 §6(a)(2)", generated="state_comments"),
            CLOCKS,
        ),
        public=False,
        note="Joint with the Director of National Intelligence; State participation is voluntary (§6(a)(2)).",
    ),
    ReportKind(
        "panel-recommendations",
        "Advisory Panel recommendations on the grant program",
        "",
        "S.2261 §5(c)",
        ("secretary",),
        sections=(
            Section("application", "The grant application process", "S.2261 §5(c)(1)"),
            Section("review", "Criteria for the grant review process", "S.2261 §5(c)(2)"),
            Section("remaining", "Use of remaining grant funds", "S.2261 §5(c)(3)"),
            Section("interim", "The interim grants for non-paper equipment replacement", "S.2261 §5(c)(4)"),
        ),
    ),
    ReportKind(
        "strategy",
        "National strategy to protect United States democratic institutions",
        "HR5011-301a",
        "H.R. 5011 §301(a)",
        ("president", "congress"),
        sections=(
            Section("b1", "Threats of foreign and domestic actors", "H.R. 5011 §301(b)(1)"),
            Section("b2", "Vulnerability of democratic institutions", "H.R. 5011 §301(b)(2)"),
            Section("b3", "Potential consequences", "H.R. 5011 §301(b)(3)"),
            Section("b4", "Lessons from other Western governments; collaboration with foreign partners", "H.R. 5011 §301(b)(4)"),
            Section("b5", "Potential impacts on public trust of a breach of election infrastructure", "H.R. 5011 §301(b)(5)"),
            Section("b6", "Roles and responsibilities", "H.R. 5011 §301(b)(6)"),
            Section("b7", "Findings agreed by a majority of the National Commission", "H.R. 5011 §301(b)(7)"),
        ),
        note="Unclassified, with any classified annex kept outside safelect (§301(d)). Issuing it starts the §301(c) clock.",
    ),
    ReportKind(
        "implementation-plan",
        "Implementation plan for the national strategy",
        "HR5011-301c",
        "H.R. 5011 §301(c)",
        ("president", "congress"),
        sections=(
            Section("objectives", "Strategic objectives and tasks", "H.R. 5011 §301(c)(1)", generated="plan_objectives"),
            Section("timelines", "Projected timelines and costs", "H.R. 5011 §301(c)(2)", generated="plan_costs"),
            Section("metrics", "Metrics to evaluate performance", "H.R. 5011 §301(c)(3)", generated="plan_metrics"),
        ),
    ),
    ReportKind(
        "commission-interim",
        "National Commission interim report",
        "",
        "H.R. 5011 §302(j)(1)",
        ("president", "congress"),
        sections=(Section("findings", "Findings, conclusions and recommendations agreed by a majority", "H.R. 5011 §302(j)(1)"),),
    ),
    ReportKind(
        "commission-final",
        "National Commission final report",
        "HR5011-302j2",
        "H.R. 5011 §302(j)(2)",
        ("president", "congress"),
        sections=(Section("findings", "Findings, conclusions and recommendations agreed by a majority", "H.R. 5011 §302(j)(2)"),),
        note="The Commission terminates 60 days after submitting it (§302(k)(1)).",
    ),
    ReportKind(
        "resources",
        "Report on the adequacy of funding, resources and personnel",
        "HR5011-402",
        "H.R. 5011 §402",
        ("committee:HSHM", "committee:HSHA", "committee:SSGA"),
        sections=(
            Section("funding", "Adequacy of funding", "H.R. 5011 §402"),
            Section("resources", "Adequacy of resources", "H.R. 5011 §402"),
            Section("personnel", "Adequacy of personnel", "H.R. 5011 §402"),
            CLOCKS,
        ),
        note="Submitted by the Chairman and the Secretary together.",
    ),
    ReportKind(
        "guidelines",
        "Election cybersecurity guidelines (submission to Congress)",
        "S2261-5i",
        "S.2261 §5(i)",
        ("sec3_2",),
        drafted="elsewhere",
        where="governance:guidelines",
        note="Drafted by the Advisory Panel as guideline versions in this program; any modification carries a written justification to the panel and the committees (§5(i)(2)).",
    ),
    ReportKind(
        "sharing-assessment",
        "Assessment of inter-State information sharing about election cybersecurity",
        "",
        "S.2261 §4(o)",
        ("sec3_2",),
        drafted="elsewhere",
        where="preparedness:interstate-list",
        note="Drafted in Preparedness, with the comments of all State election agencies (§4(o)(2)); issued to every election agency too.",
    ),
    ReportKind(
        "significance-definition",
        "Uniform definition of a significant election cybersecurity incident",
        "",
        "S.2261 §4(p)(2)",
        ("sec3_2",),
        drafted="elsewhere",
        where="incidents:definition",
    ),
    ReportKind(
        "clearance-assessment",
        "Annual report on clearance assistance and risk and vulnerability assessments",
        "HR5011-206",
        "H.R. 5011 §206",
        NAMED_FOUR,
        drafted="elsewhere",
        where="preparedness:report",
    ),
    ReportKind(
        "paper-ballot-grants",
        "Annual report on paper-ballot grant activities",
        "HR5011-101-297D",
        "H.R. 5011 §101 (HAVA §297D)",
        NAMED_FOUR,
        drafted="elsewhere",
        where="grants:congress",
    ),
    ReportKind(
        "non-paper-states",
        "List of States still voting on non-paper systems",
        "S2261-7g2",
        "S.2261 §7(g)(2)",
        ("sec3_2",),
        drafted="elsewhere",
        where="grants:congress",
    ),
    ReportKind(
        "gao-grants",
        "GAO report on the grant program",
        "S2261-6b",
        "S.2261 §6(b)",
        ("sec3_2",),
        drafted="tracked",
        note="Written by the Comptroller General; tracked here, not written.",
    ),
)

BY_KEY = {k.key: k for k in KINDS}


def drafted_here() -> list[ReportKind]:
    return [k for k in KINDS if k.drafted == "program"]
