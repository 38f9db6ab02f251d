"""The Hack the Election JSON API: the scopes open now and reports (submit, list, read) within the
caller's scope — a researcher their own, an agency or provider those against the systems it
designated or was notified of, the office all. Proof-of-concept files are uploaded on the page."""

from django.core.exceptions import PermissionDenied
from ninja import Router, Status

from safelect.core.accounts.actor import Actor
from safelect.core.web.permissions import requires

from . import findings
from .access import finding_or_404, is_office, researcher_of, visible_findings
from .models import Finding, Researcher
from .permissions import SUBMIT, VIEW
from .schemas import FindingIn, FindingOut, ScopeOut
from .views_research import open_scopes

router = Router(tags=["hack"])


def _full(actor: Actor, found: Finding) -> bool:
    return (
        is_office(actor)
        or found.researcher.user_id == getattr(actor.user, "pk", None)
        or (actor.organization is not None and found.designation.organization_id == actor.organization.pk)
    )


def _out(actor: Actor, found: Finding) -> FindingOut:
    return FindingOut(
        id=found.pk,
        reference=found.reference,
        title=found.title,
        status=found.status,
        system=str(found.designation.system),
        affected_version=found.affected_version,
        cwe=f"CWE-{found.cwe_id}",
        cvss_vector=found.cvss_vector,
        cvss_score=float(found.cvss_score),
        severity=found.severity,
        submitted_at=found.submitted_at,
        notified_at=found.notified_at,
        disclosure_on=found.disclosure_on,
        advisory_id=found.advisory_id,
        description=found.description,
        steps=found.steps if _full(actor, found) else None,
    )


@router.get("/scopes", response=list[ScopeOut], summary="Scopes open now (qualified researchers)")
@requires(SUBMIT)
def scopes(request):
    researcher = researcher_of(Actor.of(request))
    if researcher is None or researcher.status != Researcher.Status.QUALIFIED:
        raise PermissionDenied("only qualified researchers see the scopes")
    return [
        ScopeOut(
            id=d.pk,
            reference=d.reference,
            system=str(d.system),
            category=d.system.category,
            organization=d.organization.name,
            circumstances=d.circumstances,
            starts_on=d.starts_on,
            ends_on=d.ends_on,
            rules_of_engagement=d.rules_of_engagement,
            out_of_scope=d.out_of_scope,
            safe_harbor_version=d.safe_harbor.version,
        )
        for d in open_scopes()
    ]


@router.get("/findings", response=list[FindingOut], summary="Vulnerability reports you may see")
@requires(VIEW)
def list_findings(request):
    actor = Actor.of(request)
    return [_out(actor, f) for f in visible_findings(actor).order_by("-submitted_at")[:500]]


@router.get("/findings/{pk}", response=FindingOut, summary="One vulnerability report")
@requires(VIEW)
def get_finding(request, pk: int):
    actor = Actor.of(request)
    return _out(actor, finding_or_404(actor, pk))


@router.post("/findings", response={201: FindingOut}, summary="Submit a vulnerability report (qualified researchers)")
@requires(SUBMIT)
def submit_finding(request, data: FindingIn):
    actor = Actor.of(request)
    found = findings.submit(actor, data.dict())
    return Status(201, _out(actor, found))
