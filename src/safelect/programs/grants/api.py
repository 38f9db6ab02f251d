"""The grants JSON API: programs and their frozen allocation tables; applications with each
statutory condition's outcome and reason, within the caller's scope. Read-only: applying and
reviewing happen on the pages, where the statute's questions are."""

from django.http import Http404
from ninja import Router

from safelect.core.accounts.actor import Actor
from safelect.core.web.permissions import requires

from . import conditions as rules
from .access import visible_applications, visible_programs
from .models import Application, Program
from .permissions import VIEW, VIEW_APPLICATIONS
from .schemas import AllocationOut, ApplicationOut, CheckOut, ProgramOut

router = Router(tags=["grants"])


def _program_out(program: Program) -> ProgramOut:
    return ProgramOut(
        id=program.pk,
        reference=program.reference,
        title=program.title,
        statute=program.statute,
        citation=program.statute_label,
        fiscal_year=program.fiscal_year,
        appropriation=program.appropriation,
        kind=program.kind,
        status=program.status,
        opens_on=program.opens_on,
        closes_on=program.closes_on,
        published_at=program.published_at,
    )


@router.get("/programs", response=list[ProgramOut], summary="Grant programs (published ones; drafts for grants officers)")
@requires(VIEW)
def list_programs(request):
    return [_program_out(p) for p in visible_programs(Actor.of(request))[:500]]


@router.get(
    "/programs/{pk}/allocation",
    response=AllocationOut,
    summary="A program's allocation table: every State's amount in whole dollars and the terms that produced it",
)
@requires(VIEW)
def program_allocation(request, pk: int):
    program = visible_programs(Actor.of(request)).filter(pk=pk).first()
    if program is None or not program.allocation:
        raise Http404("No allocation table for that program")
    table = program.allocation
    return AllocationOut(
        formula=table["formula"],
        citation=table["citation"],
        amount=table["amount"],
        total=table["total"],
        frozen=program.status != Program.Status.DRAFT,
        allocations=table["allocations"],
        excluded=table.get("excluded", []),
        assumptions=table["assumptions"],
    )


def _application_out(application: Application) -> ApplicationOut:
    checks = {c.code: c for c in application.checks.all()}
    award = getattr(application, "award", None)
    return ApplicationOut(
        id=application.pk,
        reference=application.reference,
        program=application.program.reference,
        applicant=application.applicant.name,
        status=application.status,
        submitted_at=application.submitted_at,
        awarded=award.amount if award else None,
        conditions=[
            CheckOut(
                code=c.code,
                citation=c.citation,
                outcome=checks[c.code].outcome if c.code in checks else None,
                reason=checks[c.code].reason if c.code in checks else "",
            )
            for c in rules.for_statute(application.program.statute)
        ],
    )


@router.get("/applications", response=list[ApplicationOut], summary="Applications in your scope, newest first, at most 200")
@requires(VIEW_APPLICATIONS)
def list_applications(request):
    return [_application_out(a) for a in visible_applications(Actor.of(request)).order_by("-created_at")[:200]]


@router.get("/applications/{pk}", response=ApplicationOut, summary="One application with each statutory condition's outcome and reason")
@requires(VIEW_APPLICATIONS)
def get_application(request, pk: int):
    found = visible_applications(Actor.of(request)).filter(pk=pk).first()
    if found is None:
        raise Http404("No application found")
    return _application_out(found)
