"""Coverage map, weekly-summary exports, and the import upload → preview → commit pages."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpResponse, HttpResponseNotAllowed
from django.shortcuts import get_object_or_404, redirect, render

from safelect.core.web.permissions import requires

from .. import exports, queries, services
from ..access import COVERAGE, EXPORT, EXPORT_INTERNAL, IMPORT, Actor
from ..forms import CoverageFilterForm, ExportForm, UploadForm
from ..importing import ImportRefused, check_size
from ..models import ImportBatch, ImportProgress


@requires(COVERAGE)
def coverage(request):
    actor = Actor.of(request)
    form = CoverageFilterForm(request.GET or None)
    chosen = form.cleaned_data if form.is_valid() else {}
    region = chosen.get("region")
    grouped = queries.coverage(
        actor,
        region=region.number if region else None,
        poc=chosen.get("poc"),
        date_from=chosen.get("date_from"),
        date_to=chosen.get("date_to"),
    )
    tiles = [(item, queries.TILES.get(item.state.usps, (12, 10))) for _, items in grouped for item in items]
    template = "engagements/_coverage_body.html" if request.htmx else "engagements/coverage.html"
    return render(request, template, {"form": form, "grouped": grouped, "tiles": tiles, "categories": queries.CATEGORIES})


@requires(EXPORT)
def export(request):
    actor = Actor.of(request)
    form = ExportForm(request.GET or None)
    if request.GET and form.is_valid():
        data = form.cleaned_data
        release = data["foia"] or not actor.may(EXPORT_INTERNAL)
        region = data["region"].number if data["region"] else None
        summary = exports.build_summary(
            queries.engagements(actor), release=release, region=region, date_from=data["date_from"], date_to=data["date_to"]
        )
        response = HttpResponse(exports.write(summary, data["format"]), content_type=exports.CONTENT_TYPES[data["format"]])
        name = exports.file_name(data["format"], release=release, region=region, date_from=data["date_from"], date_to=data["date_to"])
        response["Content-Disposition"] = f'attachment; filename="{name}"'
        return response
    return render(request, "engagements/export.html", {"form": form})


@requires(IMPORT)
def import_upload(request):
    actor = Actor.of(request)
    form = UploadForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        upload = form.cleaned_data["file"]
        try:
            check_size(upload.size, upload.name)  # the same limit as the API's, before reading
        except ImportRefused as error:
            form.add_error("file", str(error))
        else:
            try:
                batch, _ = services.upload_for_preview(upload.read(), upload.name, actor)
                return redirect("engagements:import-preview", pk=batch.pk)
            except ImportRefused as error:
                form.add_error("file", f"{error} — nothing was written")
    recent = ImportBatch.objects.defer("content").select_related("uploaded_by")[:10]
    return render(request, "engagements/import.html", {"form": form, "recent": recent})


@requires(IMPORT)
def import_preview(request, pk: int):
    batch = get_object_or_404(ImportBatch.objects.defer("content"), pk=pk)
    if request.method == "POST":
        try:
            batch, result = services.commit_or_queue(batch.pk, Actor.of(request))
        except ValidationError as error:
            messages.error(request, " ".join(error.messages))
        else:
            if result is None:
                messages.info(request, f"{batch.filename} is large: it is being committed in the background. This page shows the progress.")
                return redirect("engagements:import-preview", pk=batch.pk)
            report = result.report()
            messages.success(
                request,
                "Already imported: nothing changed."
                if result.already_imported
                else f"Imported {batch.filename}: {report['engagements_created']} engagement(s) created, "
                f"{report['duplicates_merged']} row(s) merged, {len(report['flags'])} flag(s) queued for review.",
            )
        return redirect("engagements:import-preview", pk=batch.pk)
    progress = ImportProgress.objects.filter(batch=batch).first()
    return render(request, "engagements/import_preview.html", {"batch": batch, "report": batch.report, "progress": progress})


@requires(IMPORT)
def import_discard(request, pk: int):
    """Discard a preview (POST): the uploaded bytes are deleted, the journal keeps that it was."""
    if request.method != "POST":
        return HttpResponseNotAllowed(["POST"])
    try:
        name = services.discard_preview(pk, Actor.of(request))
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
        return (
            redirect("engagements:import-preview", pk=pk) if ImportBatch.objects.filter(pk=pk).exists() else redirect("engagements:import")
        )
    messages.success(request, f"The preview of {name} was discarded; nothing was imported.")
    return redirect("engagements:import")


@requires(IMPORT)
def import_progress(request, pk: int):
    """The progress block alone, polled by the page while a background commit runs."""
    batch = get_object_or_404(ImportBatch.objects.defer("content"), pk=pk)
    progress = ImportProgress.objects.filter(batch=batch).first()
    return render(request, "engagements/_import_progress.html", {"batch": batch, "progress": progress})
