"""A body's page: its members and what the statute still needs of its composition, its meetings
(the public ones for everyone; closed ones' agendas and minutes only for the secretariat); for the
secretariat, the forms to appoint, designate officers, record departures, meetings and minutes."""

from __future__ import annotations

import datetime as dt

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.shortcuts import get_object_or_404, redirect
from django.utils import timezone

from safelect.core.accounts.actor import Actor
from safelect.core.directory.pages import page
from safelect.core.directory.queries import viewer_zone
from safelect.core.web.forms import add_service_errors
from safelect.core.web.permissions import PUBLIC, allowed, requires

from . import bodies, clocks, composition
from .forms import MeetingForm, MemberForm
from .models import Body, Member
from .permissions import MANAGE


def _post(request, body: Body, member_form: MemberForm, meeting_form: MeetingForm):
    actor = Actor.of(request)
    action = request.POST.get("action")
    try:
        if action == "appoint":
            if not member_form.is_valid():
                return False
            bodies.appoint(actor, body, **member_form.cleaned_data)
            messages.success(request, f"{member_form.cleaned_data['name']} appointed.")
        elif action == "meeting":
            with timezone.override(viewer_zone(request)):
                valid = meeting_form.is_valid()
            if not valid:
                return False
            bodies.record_meeting(actor, body, **meeting_form.cleaned_data)
            messages.success(request, "Meeting recorded.")
        elif action in ("office", "vacate"):
            member = get_object_or_404(Member, pk=request.POST.get("member") or 0, body=body)
            if action == "office":
                bodies.set_office(actor, member, request.POST.get("office", ""))
                messages.success(request, f"{member.name}: office recorded.")
            else:
                try:
                    day = dt.date.fromisoformat(request.POST.get("left_on") or "")
                except ValueError:
                    raise ValidationError({"left_on": "Enter the date the member left."}) from None
                bodies.vacate(actor, member, left_on=day, reason=request.POST.get("reason", ""))
                messages.success(request, f"{member.name} left the {body.name}.")
        elif action == "minutes":
            meeting = get_object_or_404(body.meetings, pk=request.POST.get("meeting") or 0)
            bodies.record_minutes(actor, meeting, request.POST.get("minutes", ""))
            messages.success(request, "Minutes recorded.")
        else:
            raise PermissionDenied("you may not do that here")
    except ValidationError as error:
        form = member_form if action == "appoint" else meeting_form if action == "meeting" else None
        if form is not None:
            add_service_errors(form, error)
            return False
        for text in error.messages:
            messages.error(request, text)
    return True


@requires(PUBLIC)
def body_page(request, kind: str):
    body = get_object_or_404(Body, kind=kind)
    manage = allowed(request, MANAGE)
    member_form = MemberForm(request.POST if request.POST.get("action") == "appoint" else None, prefix="member") if manage else None
    meeting_form = MeetingForm(request.POST if request.POST.get("action") == "meeting" else None, prefix="meeting") if manage else None
    status = 200
    if request.method == "POST":
        if not manage:
            raise PermissionDenied("you may not change this body's record")
        if _post(request, body, member_form, meeting_form):
            return redirect("governance:body", kind=kind)
        status = 422
    if member_form is not None:
        seats = composition.PANEL_SEATS if body.kind == Body.Kind.PANEL else composition.COMMISSION_SEATS
        member_form.fields["appointed_by"].choices = [(k, v) for k, v in Member.Appointer.choices if k in seats]
    meetings = body.meetings.all() if manage else body.meetings.filter(is_public=True)
    codes = [clocks.APPOINT_ALL, clocks.VACANCY, clocks.FIRST_MEETING, clocks.FINAL_REPORT] if body.kind == Body.Kind.COMMISSION else []
    return page(
        request,
        "governance/body.html",
        {
            "body": body,
            "state": bodies.status(body),
            "meetings": meetings,
            "closed_count": body.meetings.filter(is_public=False).count(),
            "manage": manage,
            "member_form": member_form,
            "meeting_form": meeting_form,
            "offices": Member.Office.choices,
            "clocks": [o for code in codes for o in clocks.still_open(code)],
            "now": timezone.now(),
            "today": timezone.localdate(),
        },
        status=status,
    )
