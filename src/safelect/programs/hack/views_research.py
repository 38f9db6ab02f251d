"""The researcher portal (S.2261 §8(d)(2)–(3)) and the report page every permitted role reads.

A report's page shows what the viewer may see: the office and the researcher everything; the
organization that designated the system everything (it must fix it); organizations notified because
they use the product the vulnerability without the steps or the proof-of-concept files."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404
from django.shortcuts import redirect
from django.utils import timezone

from safelect.core.accounts.actor import Actor
from safelect.core.directory.pages import page
from safelect.core.web.forms import add_service_errors
from safelect.core.web.permissions import requires

from . import awards, findings, researchers
from .access import finding_or_404, is_office, researcher_of, visible_findings
from .forms import DiscloseForm, DisclosureDateForm, ListingForm, RemediationForm, ReportForm, TriageForm
from .models import Award, Designation, Finding, Researcher
from .permissions import APPROVE_AWARD, REMEDIATE, SUBMIT, TRIAGE, VIEW
from .rounds import open_rounds


def open_scopes():
    now = timezone.now()
    return (
        Designation.objects.filter(
            rounds__in=open_rounds(now), withdrawn_at__isnull=True, starts_on__lte=timezone.localdate(), ends_on__gte=timezone.localdate()
        )
        .select_related("system", "organization", "safe_harbor")
        .distinct()
    )


@requires(SUBMIT)
def portal(request):
    """The researcher's own page; a POST changes how they are listed in public (consent given or
    withdrawn at any time)."""
    actor = Actor.of(request)
    researcher = researcher_of(actor)
    action = request.POST.get("action") if request.method == "POST" else None
    listing = None
    if researcher is not None:
        listing = ListingForm(
            request.POST if action == "listing" else None,
            prefix="listing",
            initial={"hall_of_fame": researcher.hall_of_fame, "public_name": researcher.public_name},
        )
        if action == "listing" and listing.is_valid():
            try:
                researcher = researchers.set_listing(actor, listing.cleaned_data)
            except ValidationError as error:
                add_service_errors(listing, error)
            else:
                messages.success(
                    request, f"You are listed as {researcher.public_name}." if researcher.hall_of_fame else "You are not named in public."
                )
                return redirect("hack:portal")
        elif action == "resend":
            try:
                researchers.resend_confirmation(actor)
            except ValidationError as error:
                messages.error(request, error.messages[0])
            else:
                messages.success(request, f"A new link was sent to {researcher.user.email}.")
            return redirect("hack:portal")
    qualified = researcher is not None and researcher.status == Researcher.Status.QUALIFIED
    return page(
        request,
        "hack/portal.html",
        {
            "researcher": researcher,
            "qualified": qualified,
            "scopes": open_scopes() if qualified else [],
            "rounds": open_rounds() if qualified else [],
            "reports": visible_findings(actor).order_by("-submitted_at"),
            "listing": listing,
        },
        status=400 if listing is not None and listing.errors else 200,
    )


@requires(SUBMIT)
def report(request):
    actor = Actor.of(request)
    researcher = researcher_of(actor)
    if researcher is None or researcher.status != Researcher.Status.QUALIFIED:
        raise PermissionDenied("only qualified researchers submit reports (S.2261 §8(d)(2))")
    form = ReportForm(request.POST or None, request.FILES or None, scopes=open_scopes())
    if request.method == "POST" and form.is_valid():
        try:
            found = findings.submit(actor, form.cleaned_data, request.FILES.getlist("files"))
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, f"Report {found.reference} submitted: CVSS 4.0 {found.cvss_score} ({found.get_severity_display()}).")
            return redirect("hack:finding", pk=found.pk)
    return page(request, "hack/report.html", {"form": form})


def _role_view(actor: Actor, found: Finding) -> dict:
    office = is_office(actor)
    own_report = found.researcher.user_id == getattr(actor.user, "pk", None)
    designated = actor.organization is not None and found.designation.organization_id == actor.organization.pk
    remediation = None
    if actor.organization is not None and actor.may(REMEDIATE):
        remediation = found.remediations.filter(organization=actor.organization).first()
    return {
        "office": office,
        "own": own_report,
        "designated": designated,
        "full": office or own_report or designated,
        "remediation": remediation,
    }


@requires(VIEW)
def finding_page(request, pk: int):
    actor = Actor.of(request)
    found = finding_or_404(actor, pk)
    who = _role_view(actor, found)
    action = request.POST.get("action") if request.method == "POST" else None
    forms = {
        "triage": TriageForm(request.POST if action == "triage" else None, prefix="triage"),
        "date": DisclosureDateForm(request.POST if action == "date" else None, prefix="date"),
        "disclose": DiscloseForm(
            request.POST if action == "disclose" else None, prefix="disclose", initial={"advisory_text": findings._advisory_text(found)}
        ),
        "remediation": RemediationForm(
            request.POST if action == "remediation" else None,
            prefix="rem",
            initial={"status": who["remediation"].status} if who["remediation"] else None,
        ),
    }
    if action:
        done = _act(request, actor, found, action, forms, who)
        if done is not None:
            return done
    award = Award.objects.filter(finding=found).first()
    return page(
        request,
        "hack/finding.html",
        {
            "f": found,
            **who,
            "forms": forms,
            "may_triage": actor.may(TRIAGE),
            "may_approve": actor.may(APPROVE_AWARD),
            "similar": findings.similar_reports(found) if actor.may(TRIAGE) and found.status == Finding.Status.SUBMITTED else [],
            "award": award,
            "remediations": found.remediations.select_related("organization") if who["office"] else [],
            "proofs": found.proofs.all() if who["full"] else [],
        },
    )


def _act(request, actor, found, action, forms, who):
    try:
        if action == "triage":
            form = forms["triage"]
            if not form.is_valid():
                return None
            findings.triage(actor, found, form.cleaned_data)
            messages.success(request, f"{found.reference} triaged.")
        elif action == "date":
            form = forms["date"]
            if not form.is_valid():
                return None
            findings.agree_disclosure_date(actor, found, form.cleaned_data["disclosure_on"], form.cleaned_data["agreed"])
            messages.success(request, "The coordinated disclosure date was changed.")
        elif action == "disclose":
            form = forms["disclose"]
            if not form.is_valid():
                return None
            done = findings.disclose(actor, found, form.cleaned_data["advisory_text"])
            messages.success(request, f"Advisory {done.advisory_id} published.")
        elif action == "remediation":
            form = forms["remediation"]
            if who["remediation"] is None:
                raise PermissionDenied("your organization was not notified of this vulnerability")
            if not form.is_valid():
                return None
            findings.update_remediation(actor, who["remediation"], form.cleaned_data)
            messages.success(request, "Remediation recorded.")
        elif action == "approve":
            award = Award.objects.filter(finding=found).first()
            if award is None:
                raise Http404("No award proposed")
            awards.approve(actor, award)
            messages.success(request, "Award approved.")
        else:
            raise Http404("Unknown action")
    except ValidationError as error:
        key = action if action in forms else "triage"
        add_service_errors(forms[key], error)
        if action == "approve":
            messages.error(request, " ".join(error.messages))
            return redirect("hack:finding", pk=found.pk)
        return None
    return redirect("hack:finding", pk=found.pk)


@requires(VIEW)
def proof_download(request, pk: int, file_id: int):
    """Always a download, never rendered or run; for those who see the full report only."""
    actor = Actor.of(request)
    found = finding_or_404(actor, pk)
    if not _role_view(actor, found)["full"]:
        raise Http404("No such file")
    proof = found.proofs.filter(pk=file_id).first()
    if proof is None:
        raise Http404("No such file")
    return findings.PROOFS.download(proof.sha256, proof.name)
