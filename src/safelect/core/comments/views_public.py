"""Public comments' pages in the kernel: the confirmation link, the moderation queue of a public
solicitation and the exports of its comments. The program that opened the solicitation shows the
document and the comment form (:func:`receive` handles that form for it)."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.template.loader import render_to_string
from django.utils import timezone
from django.utils.text import slugify

from safelect.core.accounts.actor import Actor
from safelect.core.exports import csv_bytes, pdf_bytes, xlsx_bytes
from safelect.core.web.permissions import PUBLIC, allowed, requires

from . import public, services
from .models import Comment, Solicitation
from .permissions import MANAGE

HONEYPOT = "website"  # a field people do not see (hidden by CSS and from screen readers); robots fill it


def client_address(request) -> str:
    return request.META.get("REMOTE_ADDR", "")


def receive(request, solicitation: Solicitation) -> tuple[bool, dict, int]:
    """Handle a POSTed public comment for the program's page: ``(received, field errors, status)``.
    A filled honeypot is answered as if received and stores nothing."""
    if request.POST.get(HONEYPOT):
        messages.success(request, "Thank you: your comment was received and will be published after moderation.")
        return True, {}, 200
    try:
        comment = public.submit(
            solicitation,
            text=request.POST.get("text", ""),
            name=request.POST.get("name", ""),
            email=request.POST.get("email", ""),
            address=client_address(request),
        )
    except public.TooMany as refused:
        return False, {"form": [str(refused)]}, 429
    except ValidationError as error:
        fields = error.message_dict if hasattr(error, "error_dict") else {"form": error.messages}
        return False, fields, 422
    note = " Check your email for a link that confirms your address." if comment.email else ""
    messages.success(request, f"Thank you: comment number {comment.pk} was received and will be published after moderation.{note}")
    return True, {}, 200


@requires(PUBLIC)
def confirm(request, token: str):
    try:
        comment = public.confirm_email(token)
    except ValidationError as error:
        return render(request, "comments/confirmed.html", {"error": error.messages[0]}, status=400)
    return render(request, "comments/confirmed.html", {"comment": comment})


@requires(MANAGE)
def moderation(request, pk: int):
    actor = Actor.of(request)
    found = get_object_or_404(Solicitation, pk=pk, is_public=True)
    if request.method == "POST":
        comment = found.comments.filter(pk=request.POST.get("comment") or 0, organization=None).first()
        try:
            if comment is None:
                raise ValidationError("No such comment on this solicitation.")
            action = request.POST.get("action")
            if action == "dispose":
                services.dispose(actor, comment, request.POST.get("disposition", ""), request.POST.get("note", ""))
                messages.success(request, f"Disposition of comment {comment.pk} recorded.")
            else:
                public.moderate(actor, comment, action or "", request.POST.get("note", ""))
                messages.success(request, f"Comment {comment.pk} {'published' if action == 'publish' else 'not published'}.")
        except (ValidationError, PermissionDenied) as error:
            for text in getattr(error, "messages", [str(error)]):
                messages.error(request, text)
        return redirect("comments:moderation", pk=found.pk)
    rows = public.moderation_rows(found)
    counts = {label: sum(1 for r in rows if r["c"].status == value) for value, label in Comment.Status.choices}
    return render(
        request,
        "comments/moderation.html",
        {"s": found, "rows": rows, "counts": counts, "dispositions": Comment.Disposition.choices, "Status": Comment.Status},
    )


FORMATS = {
    "csv": "text/csv; charset=utf-8",
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    "pdf": "application/pdf",
}


@requires(PUBLIC)
def export(request, pk: int, fmt: str):
    """Every comment of a public solicitation: the public gets the published ones, the asking side all."""
    found = get_object_or_404(Solicitation, pk=pk, is_public=True)
    if fmt not in FORMATS:
        raise Http404("No such format")
    staff = request.user.is_authenticated and allowed(request, MANAGE)
    head, rows = public.export_rows(found, staff=staff)
    name = f"{found.reference}-comments-{'all' if staff else 'published'}"
    if fmt == "csv":
        body = csv_bytes([head, *rows])
    elif fmt == "xlsx":
        body = xlsx_bytes([("Comments", [head, *rows])])
    else:
        html = render_to_string(
            "comments/export_pdf.html", {"s": found, "head": head, "rows": rows, "staff": staff, "printed": timezone.now()}
        )
        body = pdf_bytes(html)
    response = HttpResponse(body, content_type=FORMATS[fmt])
    response["Content-Disposition"] = f'attachment; filename="{slugify(name)}.{fmt}"'
    return response


def published_context(solicitation: Solicitation) -> dict:
    """What a program's public page shows of a solicitation's comments."""
    return {"solicitation": solicitation, "published": list(public.published(solicitation)), "honeypot": HONEYPOT}
