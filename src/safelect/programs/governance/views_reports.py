"""The register of reports to Congress (public), a report's page (drafting, review, approval and
submission for staff and leadership; the public version once submitted, where allowed), its PDF, and
the implementation plan's objectives, tasks and progress."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect
from django.template.loader import render_to_string
from django.utils import timezone

from safelect.core.accounts.actor import Actor
from safelect.core.directory.pages import page
from safelect.core.exports import pdf_bytes
from safelect.core.web.forms import add_service_errors
from safelect.core.web.permissions import PUBLIC, allowed, requires

from . import plan, reports
from .forms import ObjectiveForm, TaskForm
from .models import Report, Task
from .permissions import APPROVE, DRAFT, VIEW

Status = Report.Status


@requires(PUBLIC)
def register(request):
    staff = allowed(request, VIEW)
    if request.method == "POST":
        if not allowed(request, DRAFT):
            raise PermissionDenied("you may not start reports")
        try:
            found = reports.start(Actor.of(request), request.POST.get("kind", ""))
        except ValidationError as error:
            for text in error.messages:
                messages.error(request, text)
            return redirect("governance:reports")
        messages.success(request, f"{found.reference} started.")
        return redirect("governance:report", pk=found.pk)
    drafts = Report.objects.all() if staff else Report.objects.filter(status=Status.SUBMITTED, is_public=True)
    return page(
        request,
        "governance/reports.html",
        {"rows": reports.register(), "reports": drafts.order_by("-created_at"), "may_draft": allowed(request, DRAFT), "staff": staff},
    )


def _report_or_404(request, pk: int) -> Report:
    found = get_object_or_404(Report.objects.select_related("obligation", "solicitation", "created_by", "approved_by"), pk=pk)
    if not allowed(request, VIEW) and not (found.status == Status.SUBMITTED and found.is_public):
        raise Http404("No such report")
    return found


def _act(request, report: Report) -> bool:
    actor = Actor.of(request)
    action = request.POST.get("action", "")
    needs = {
        "write": DRAFT,
        "send-review": DRAFT,
        "approve": APPROVE,
        "return": APPROVE,
        "submit": APPROVE,
        "objective": DRAFT,
        "task": DRAFT,
        "progress": DRAFT,
    }
    if action not in needs or not allowed(request, needs[action]):
        raise PermissionDenied("you may not do that here")
    if action == "write":
        texts = {s["key"]: request.POST.get(f"section-{s['key']}", "") for s in report.sections if not s["generated"]}
        reports.write(actor, report, texts=texts, authors=request.POST.get("authors", ""))
        messages.success(request, "Draft saved.")
    elif action == "send-review":
        reports.send_for_review(actor, report)
        messages.success(request, "Sent for review.")
    elif action in ("approve", "return"):
        reports.review(actor, report, approve=action == "approve", note=request.POST.get("note", ""))
        messages.success(request, "Approved." if action == "approve" else "Returned to drafting.")
    elif action == "submit":
        reports.submit(actor, report, public=request.POST.get("public") == "yes")
        messages.success(request, "Submission recorded; the clock is met.")
    elif action == "progress":
        task = get_object_or_404(Task, pk=request.POST.get("task") or 0, objective__plan=report)
        plan.update_progress(actor, task, request.POST.get("actual", ""))
        messages.success(request, f"Progress of “{task.title}” recorded.")
    return True


@requires(PUBLIC)
def report_page(request, pk: int):
    report = _report_or_404(request, pk)
    draft = allowed(request, DRAFT)
    is_plan = report.kind == "implementation-plan"
    objective_form = (
        ObjectiveForm(request.POST if request.POST.get("action") == "objective" else None, prefix="objective")
        if draft and is_plan
        else None
    )
    task_form = TaskForm(request.POST if request.POST.get("action") == "task" else None, prefix="task") if draft and is_plan else None
    status = 200
    if request.method == "POST":
        action = request.POST.get("action", "")
        try:
            if action == "objective" and objective_form is not None:
                if objective_form.is_valid():
                    plan.add_objective(Actor.of(request), report, **objective_form.cleaned_data)
                    messages.success(request, "Objective added.")
                    return redirect("governance:report", pk=pk)
                status = 422
            elif action == "task" and task_form is not None:
                objective = report.objectives.filter(pk=request.POST.get("objective") or 0).first()
                if objective is None:
                    task_form.add_error(None, "Choose the objective.")
                elif task_form.is_valid():
                    plan.add_task(Actor.of(request), objective, **task_form.cleaned_data)
                    messages.success(request, "Task added.")
                    return redirect("governance:report", pk=pk)
                status = 422
            else:
                _act(request, report)
                return redirect("governance:report", pk=pk)
        except ValidationError as error:
            form = objective_form if action == "objective" else task_form if action == "task" else None
            if form is not None:
                add_service_errors(form, error)
                status = 422
            else:
                for text in error.messages:
                    messages.error(request, text)
                return redirect("governance:report", pk=pk)
    kind = reports.kind_of(report)
    return page(
        request,
        "governance/report.html",
        {
            "r": report,
            "kind": kind,
            "recipients": report.recipients or reports.resolve(kind.recipients),
            "draft": draft,
            "approve": allowed(request, APPROVE),
            "staff": allowed(request, VIEW),
            "progress": plan.progress_by_objective(report) if is_plan else [],
            "objective_form": objective_form,
            "task_form": task_form,
            "objectives": report.objectives.all() if is_plan else [],
        },
        status=status,
    )


@requires(PUBLIC)
def report_pdf(request, pk: int):
    report = _report_or_404(request, pk)
    kind = reports.kind_of(report)
    html = render_to_string(
        "governance/report_pdf.html",
        {
            "r": report,
            "kind": kind,
            "recipients": report.recipients or reports.resolve(kind.recipients),
            "progress": plan.progress_by_objective(report) if report.kind == "implementation-plan" else [],
            "printed": timezone.now(),
            "draft": report.status != Status.SUBMITTED,
        },
    )
    response = HttpResponse(pdf_bytes(html), content_type="application/pdf")
    response["Content-Disposition"] = f'attachment; filename="{report.reference}.pdf"'
    return response
