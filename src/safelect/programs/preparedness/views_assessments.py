"""Risk and vulnerability assessment pages (H.R. 5011 §205; S.2261 §7(f)(4)): the list, a request,
one assessment with its clocks and the actions its viewer may take, and the teams' calendar."""

from __future__ import annotations

import datetime as dt

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.shortcuts import redirect
from django.utils import timezone

from safelect.core.accounts.actor import Actor
from safelect.core.days import local_date
from safelect.core.directory.pages import page
from safelect.core.directory.queries import national_office
from safelect.core.web.forms import add_service_errors
from safelect.core.web.permissions import requires

from . import assessments
from .forms import AssessmentRequestForm, ReportForm, ScheduleForm
from .models import AssessmentRequest, Remediation
from .permissions import ASSESSMENT_MANAGE, ASSESSMENT_REQUEST, ASSESSMENT_VIEW

REMEDIATION_ROWS = 5


@requires(ASSESSMENT_VIEW)
def assessment_list(request):
    actor = Actor.of(request)
    return page(
        request,
        "preparedness/assessments.html",
        {"assessments": assessments.visible(actor), "may_request": actor.may(ASSESSMENT_REQUEST), "team": actor.may(ASSESSMENT_MANAGE)},
    )


@requires(ASSESSMENT_REQUEST)
def assessment_new(request):
    actor = Actor.of(request)
    form = AssessmentRequestForm(request.POST or None)
    state_office = actor.organization is not None and actor.organization.kind == "state_election_office"
    if not state_office:
        form.fields.pop("agency")
    if request.method == "POST" and form.is_valid():
        try:
            made = assessments.request_assessment(actor, form.cleaned_data)
        except ValidationError as error:
            add_service_errors(form, error)
        except PermissionDenied as refused:
            form.add_error(None, str(refused))
        else:
            if made.status == AssessmentRequest.Status.REQUESTED:
                messages.success(request, f"{made.reference} requested. The national office commences it within 90 days or tells you when.")
            else:
                messages.success(request, f"{made.reference} drafted. Your State's election office makes the request.")
            return redirect("preparedness:assessment", pk=made.pk)
    return page(request, "preparedness/assessment_new.html", {"form": form, "state_office": state_office})


def _remediations(post) -> list[dict]:
    items = []
    for n in range(1, REMEDIATION_ROWS + 1):
        due = post.get(f"due_{n}", "")
        try:
            due_on = dt.date.fromisoformat(due) if due else None
        except ValueError:
            due_on = "bad"
        items.append({"title": post.get(f"title_{n}", ""), "owner": post.get(f"owner_{n}", ""), "due_on": due_on})
    return items


@requires(ASSESSMENT_VIEW)
def assessment_detail(request, pk: int):
    actor = Actor.of(request)
    found = actor.get_or_404(assessments.visible(actor), pk=pk)
    team = actor.may(ASSESSMENT_MANAGE)
    schedule_form, report_form = ScheduleForm(prefix="schedule"), ReportForm(prefix="report")
    if request.method == "POST":
        action = request.POST.get("action")
        try:
            if action == "submit":
                assessments.submit_for_state(actor, found)
                messages.success(request, "Requested: the 90-day clock started.")
            elif action == "schedule":
                schedule_form = ScheduleForm(request.POST, prefix="schedule")
                if not schedule_form.is_valid():
                    raise ValidationError("Check the team and the days.")
                data = schedule_form.cleaned_data
                done = assessments.schedule(actor, found, data["team"], data["start_on"], data["end_on"])
                messages.success(
                    request,
                    f"Scheduled from {done.start_on:%B %-d, %Y}."
                    + (" It starts after the 90 days: the requester was told when it will begin." if done.notice_sent_at else ""),
                )
            elif action == "commence":
                assessments.commence(actor, found)
                messages.success(request, "Recorded: the assessment has begun.")
            elif action == "report":
                report_form = ReportForm(request.POST, prefix="report")
                if not report_form.is_valid():
                    raise ValidationError("Write the findings and choose the marking.")
                assessments.deliver_report(
                    actor, found, report_form.cleaned_data["findings"], report_form.cleaned_data["tlp"], _remediations(request.POST)
                )
                messages.success(request, "Report delivered to the State and the assessed agency.")
            elif action == "close_item":
                item = Remediation.objects.filter(pk=request.POST.get("item", "0") or 0, assessment=found).first()
                if item is None:
                    raise ValidationError("No such remediation item.")
                assessments.close_remediation(actor, item, request.POST.get("note", ""))
                messages.success(request, f"Closed: {item.title}.")
            else:
                raise ValidationError("Unknown action.")
        except ValidationError as error:
            if action == "schedule" and hasattr(error, "error_dict"):
                add_service_errors(schedule_form, error)
            for text in error.messages:
                messages.error(request, text)
        except PermissionDenied as refused:
            messages.error(request, str(refused))
        else:
            return redirect("preparedness:assessment", pk=found.pk)
        found = actor.get_or_404(assessments.visible(actor), pk=pk)
    owner = actor.organization is not None and actor.organization.pk == found.state_office_id
    due = assessments.commence_by(found)
    private = assessments.private_evaluation_from(found)
    return page(
        request,
        "preparedness/assessment.html",
        {
            "a": found,
            "team": team,
            "owner": owner,
            "may_close": team or actor.may(ASSESSMENT_REQUEST),
            # due moments shown as the day that counts, in the zone of whoever holds the clock
            "commence_by": local_date(due, national_office().time_zone) if due else None,
            "late": due is not None and found.commenced_at is None and timezone.now() > due,
            "private_from": local_date(private, found.agency.time_zone) if private else None,
            "schedule_form": schedule_form,
            "report_form": report_form,
            "rows": range(1, REMEDIATION_ROWS + 1),
            "remediations": found.remediations.all(),
        },
    )


@requires(ASSESSMENT_MANAGE)
def team_calendar(request):
    try:
        start = dt.date.fromisoformat(request.GET.get("from", ""))
    except ValueError:
        start = timezone.localdate()
    start -= dt.timedelta(days=start.weekday())
    weeks = assessments.calendar(start, weeks=6)
    return page(
        request,
        "preparedness/calendar.html",
        {"calendar": weeks, "start": start, "previous": start - dt.timedelta(days=42), "next": start + dt.timedelta(days=42)},
    )
