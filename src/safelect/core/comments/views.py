"""A solicitation's page: what is asked and the closing date; the organization's comment form for
those asked; for the asking side, who responded and who did not, reminders and dispositions."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404
from django.shortcuts import redirect, render

from safelect.core.accounts.actor import Actor
from safelect.core.directory.queries import display_zone
from safelect.core.web.permissions import requires

from . import services
from .models import Comment
from .permissions import MANAGE, VIEW


def _zone(actor: Actor, solicitation=None) -> str:
    """Dates shown in the reader's organization's zone (the asker's when the reader has none)."""
    return display_zone(actor.organization, solicitation.organization if solicitation else None)


@requires(VIEW)
def solicitation_list(request):
    actor = Actor.of(request)
    return render(request, "comments/list.html", {"solicitations": services.visible(actor), "zone": _zone(actor)})


@requires(VIEW)
def solicitation_page(request, pk: int):
    actor = Actor.of(request)
    # the audience decides who sees a solicitation (not an organization scope): 404 outside it
    found = services.visible(actor).select_related("organization").filter(pk=pk).first()
    if found is None:
        raise Http404("No such solicitation")
    manage = actor.may(MANAGE)
    if request.method == "POST":
        action = request.POST.get("action")
        try:
            if action == "comment":
                services.submit_comment(actor, found, request.POST.get("text", ""))
                messages.success(request, "Your organization's comment is recorded; you may revise it until the close.")
            elif action == "remind" and manage:
                count = services.remind(actor, found)
                messages.success(request, f"Reminder sent to {count} organization{'s' if count != 1 else ''} that have not commented.")
            elif action == "dispose" and manage:
                comment = found.comments.filter(pk=request.POST.get("comment") or 0).first()
                if comment is None:
                    raise ValidationError("No such comment.")
                services.dispose(actor, comment, request.POST.get("disposition", ""), request.POST.get("note", ""))
                messages.success(request, f"Disposition of {comment.organization.name}'s comment recorded.")
            else:
                raise PermissionDenied("you may not do that here")
        except ValidationError as error:
            for text in error.messages:
                messages.error(request, text)
        except PermissionDenied as refused:
            messages.error(request, str(refused))
        return redirect("comments:solicitation", pk=found.pk)
    mine = None
    if actor.organization is not None:
        mine = found.comments.filter(organization=actor.organization).first()
    rows = services.responses(found) if manage else []
    return render(
        request,
        "comments/solicitation.html",
        {
            "s": found,
            "mine": mine,
            "asked": services.in_audience(actor, found),
            "manage": manage,
            "rows": rows,
            "responded": sum(1 for r in rows if r["comment"]),
            "dispositions": Comment.Disposition.choices,
            "zone": _zone(actor, found),
        },
    )
