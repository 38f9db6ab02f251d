"""Audit pages: the audits a caller may see, creating one, an audit with each jurisdiction's files
and problems and the contests (targets chosen there), and a jurisdiction's page where it uploads its
manifest and cast vote records, follows their processing and — for the State — standardises contest
names."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render

from safelect.core.accounts.actor import Actor
from safelect.core.exports import csv_bytes
from safelect.core.web.forms import add_service_errors
from safelect.core.web.permissions import requires

from . import batches, boards, measure, report, rounds, services
from .access import runs, visible_audits, visible_participants, visible_uploads
from .forms import AuditForm, BatchTalliesForm, CvrForm, ManifestForm
from .models import Audit, Upload
from .permissions import MANAGE, UPLOAD, VIEW


@requires(VIEW)
def audit_list(request):
    actor = Actor.of(request)
    org = actor.organization
    may_create = actor.may(MANAGE) and org is not None and org.kind == "state_election_office"
    return render(request, "audits/list.html", {"audits": visible_audits(actor), "may_create": may_create})


@requires(MANAGE)
def audit_new(request):
    actor = Actor.of(request)
    form = AuditForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            audit = services.create_audit(actor, form.cleaned_data)
        except ValidationError as error:
            add_service_errors(form, error)
        except PermissionDenied as refused:
            form.add_error(None, str(refused))
        else:
            messages.success(
                request, f"{audit.reference} created. Each jurisdiction now uploads its ballot manifest and cast vote records."
            )
            return redirect("audits:audit", pk=audit.pk)
    return render(request, "audits/new.html", {"form": form})


@requires(VIEW)
def audit_detail(request, pk: int):
    actor = Actor.of(request)
    audit = actor.get_or_404(visible_audits(actor), pk=pk)
    owner = runs(actor, audit)
    if request.method == "POST":
        if not owner:
            raise PermissionDenied("only the State that runs the audit changes it")
        action = request.POST.get("action", "targets")
        try:
            if action == "hand_count":
                count = batches.start_hand_count(actor, audit)
                messages.success(request, f"Escalated to a full hand count: {count:,} batches to count, each entered by its jurisdiction.")
            elif action == "launch":
                rounds.launch(actor, audit, request.POST.get("seed", ""))
                messages.success(request, "Launched: the files and the seed are fixed. Choose the size of round 1.")
            elif action == "draw":
                choice = request.POST.get("size", "")
                size = request.POST.get("custom_size") if choice == "custom" else choice
                try:
                    size = int(str(size or "").replace(",", ""))
                except ValueError:
                    raise ValidationError("Choose a sample size, or give one in whole ballots.") from None
                made = rounds.draw_round(
                    actor,
                    audit,
                    size,
                    # the option's words, as the page showed them beside the size chosen
                    chosen=request.POST.get(f"label-{size}", "")[:200] if choice != "custom" else "a size given by the administrator",
                )
                messages.success(
                    request, f"Round {made.number} drawn: {made.sample_size:,} ballots. Each jurisdiction has its retrieval list."
                )
            else:
                services.set_targets(actor, audit, request.POST.getlist("targeted"))
                messages.success(request, "Targeted contests saved.")
        except ValidationError as error:
            for text in error.messages:
                messages.error(request, text)
        return redirect("audits:audit", pk=audit.pk)
    mine = set(visible_participants(actor).filter(audit=audit).values_list("pk", flat=True))
    rows = [row for row in services.readiness(audit) if row["participant"].pk in mine]
    latest = audit.rounds.order_by("-number").first()
    advice = measure.recommendation(audit, latest)
    options = []
    if audit.status == Audit.Status.LAUNCHED and latest is None:
        try:
            options = rounds.options(audit)
        except ValidationError as error:
            options = [{"contest": "The reported results", "problem": " ".join(error.messages), "sizes": []}]
    elif advice and advice["size"]:
        options = [
            {
                "contest": "The contests not yet confirmed",
                "sizes": [{"label": "recommended for the risk still to remove", "size": advice["size"], "text": f"{advice['size']:,}"}],
            }
        ]
    unit = "batches" if audit.kind == Audit.Kind.BATCH_COMPARISON else "ballots"
    state = boards.progress(latest) if latest and audit.kind != Audit.Kind.BATCH_COMPARISON else None
    return render(
        request,
        "audits/audit.html",
        {
            "audit": audit,
            "rows": rows,
            "contests": audit.contests.all(),
            "owner": owner,
            "options": options,
            "next_number": (latest.number + 1) if latest else 1,
            "advice": advice,
            "unit": unit,
            "may_measure": measure.ready(audit, latest, state),
            "hand_count": batches.hand_count_progress(audit) if audit.status in (Audit.Status.HAND_COUNT, Audit.Status.COMPLETE) else None,
            "rounds": audit.rounds.all(),
            "command": rounds.observer_command(audit, latest) if latest else "",
            "latest": latest,
            "progress": state,
            "batch_progress": batches.round_progress(latest) if latest and audit.kind == Audit.Kind.BATCH_COMPARISON else None,
            "ballots": rounds.universe(audit),
        },
    )


@requires(VIEW)
def combined_manifest(request, pk: int):
    """Every participant's manifest in one CSV, for observers (with the seed, it reproduces the draw)."""
    actor = Actor.of(request)
    audit = actor.get_or_404(visible_audits(actor), pk=pk)
    if audit.status == Audit.Status.SETUP:
        raise Http404("The manifests are published when the audit is launched")
    response = HttpResponse(rounds.combined_manifest_csv(audit), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{audit.reference}-manifests.csv"'
    return response


@requires(VIEW)
def retrieval(request, pk: int, participant: int, fmt: str):
    """A jurisdiction's retrieval list for the latest round, as CSV or printable PDF; with
    ``?board=N`` only the ballots of that audit board (what the jurisdiction prints for it)."""
    actor = Actor.of(request)
    audit = actor.get_or_404(visible_audits(actor), pk=pk)
    found = actor.get_or_404(visible_participants(actor).filter(audit=audit), pk=participant)
    latest = audit.rounds.order_by("-number").first()
    if latest is None or fmt not in ("csv", "pdf"):
        raise Http404("No retrieval list")
    draws = latest.draws.filter(participant=found)
    board = None
    if request.GET.get("board"):
        board = latest.boards.filter(participant=found, pk=request.GET["board"] if request.GET["board"].isdigit() else 0).first()
        if board is None:
            raise Http404("No such audit board in this round")
        mine = set(board.ballots.values_list("tabulator", "batch", "position"))
        draws = [d for d in draws if (d.tabulator, d.batch, d.position) in mine]
    if fmt == "csv":
        response = HttpResponse(rounds.retrieval_csv(draws), content_type="text/csv; charset=utf-8")
    else:
        from django.template.loader import render_to_string
        from weasyprint import HTML

        html = render_to_string(
            "audits/retrieval_pdf.html",
            {"audit": audit, "participant": found, "round": latest, "board": board, "rows": rounds.retrieval_rows(draws)},
        )
        response = HttpResponse(HTML(string=html).write_pdf(), content_type="application/pdf")
    who = f"{found.pk}-board{board.pk}" if board else f"{found.pk}"
    response["Content-Disposition"] = f'attachment; filename="{audit.reference}-round{latest.number}-{who}-retrieval.{fmt}"'
    return response


@requires(VIEW)
def participant_detail(request, pk: int, participant: int):
    actor = Actor.of(request)
    audit = actor.get_or_404(visible_audits(actor), pk=pk)
    found = actor.get_or_404(visible_participants(actor).filter(audit=audit), pk=participant)
    forms = {"manifest": ManifestForm(prefix="manifest"), "cvr": CvrForm(prefix="cvr"), "batch_tallies": BatchTalliesForm(prefix="tallies")}
    owner = runs(actor, audit)
    if request.method == "POST":
        action = request.POST.get("action")
        try:
            if action in forms:
                if not actor.may(UPLOAD):
                    raise PermissionDenied("you may not upload this jurisdiction's files")
                form = forms[action] = type(forms[action])(request.POST, request.FILES, prefix=forms[action].prefix)
                if form.is_valid():
                    upload = form.cleaned_data["file"]
                    services.upload(
                        actor, found, action, upload.name, upload.chunks(), cvr_format=form.cleaned_data.get("cvr_format", "auto")
                    )
                    messages.success(request, f"{upload.name} received; it is being processed.")
                    return redirect("audits:participant", pk=audit.pk, participant=found.pk)
            elif action == "standardise":
                if not owner:
                    raise PermissionDenied("only the State that runs the audit standardises contest names")
                mapping = {key.removeprefix("name:"): value for key, value in request.POST.items() if key.startswith("name:")}
                services.standardise(actor, found, mapping)
                messages.success(request, "Contest names saved.")
                return redirect("audits:participant", pk=audit.pk, participant=found.pk)
            else:
                raise Http404("Unknown action")
        except ValidationError as error:
            if action in forms:
                add_service_errors(forms[action], error)
            else:
                for text in error.messages:
                    messages.error(request, text)
    current_cvr = found.current(Upload.Kind.CVR)
    reported = found.current(services.reported_kind(audit))
    latest = audit.rounds.order_by("-number").first()
    retrieval_list = rounds.retrieval_rows(latest.draws.filter(participant=found)) if latest else []
    standard = sorted(audit.contests.values_list("name", flat=True))
    names = [
        {"name": c["name"], "standard": found.contest_names.get(c["name"], c["name"])}
        for c in (reported.result["contests"] if reported else [])
    ]
    return render(
        request,
        "audits/participant.html",
        {
            "audit": audit,
            "participant": found,
            "uploads": visible_uploads(actor).filter(participant=found),
            "manifest": found.current(Upload.Kind.MANIFEST),
            "cvr": current_cvr,
            "manifest_form": forms["manifest"],
            "cvr_form": forms["cvr"],
            "tallies_form": forms["batch_tallies"],
            "batch_tallies": found.current(Upload.Kind.BATCH_TALLIES),
            "to_count": found.batch_tallies.all(),
            "may_upload": actor.may(UPLOAD) and audit.status == Audit.Status.SETUP,
            "owner": owner,
            "names": names,
            "standard": standard,
            "round": latest,
            "retrieval": retrieval_list,
            "boards": [b for b in boards.progress(latest)["boards"] if b["board"].participant_id == found.pk] if latest else [],
            "may_boards": actor.may(UPLOAD) or owner,
        },
    )


@requires(VIEW)
def upload_status(request, pk: int):
    """The processing status of one file (polled by htmx while it is processed)."""
    actor = Actor.of(request)
    upload = actor.get_or_404(visible_uploads(actor), pk=pk)
    return render(request, "audits/_upload_status.html", {"upload": upload})


@requires(VIEW)
def audit_files(request, pk: int, what: str):
    """The audit report (CSV, PDF), the observer kit (zip) and the §7(h) hand-count table (CSV)."""
    actor = Actor.of(request)
    audit = actor.get_or_404(visible_audits(actor), pk=pk)
    if audit.status == Audit.Status.SETUP:
        raise Http404("The audit's files are published once it is launched")
    writers = {
        "report.csv": (lambda: report.report_csv(audit), "text/csv; charset=utf-8"),
        "report.pdf": (lambda: report.report_pdf(audit), "application/pdf"),
        "observer-kit.zip": (lambda: report.observer_kit(audit), "application/zip"),
        "hand-counts.csv": (lambda: csv_bytes(report.hand_count_rows(audit)), "text/csv; charset=utf-8"),
    }
    if what not in writers:
        raise Http404("No such file")
    write, media = writers[what]
    response = HttpResponse(write(), content_type=media)
    response["Content-Disposition"] = f'attachment; filename="{audit.reference}-{what}"'
    return response
