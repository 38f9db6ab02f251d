"""Published audits (public, no account): once an audit is complete, its report (PDF and CSV) and
observer kit (the manifests, the seed, the draws and the commands that reproduce them) are public, as
States and Arlo publish them, so anyone can check the draw and the risk. While an audit runs, only its
participants see its files (:func:`.views.audit_files`)."""

from __future__ import annotations

from django.http import Http404, HttpResponse
from django.shortcuts import render

from safelect.core.web.permissions import PUBLIC, requires

from . import report
from .models import Audit

PUBLIC_FILES = {
    "report.pdf": (report.report_pdf, "application/pdf"),
    "report.csv": (report.report_csv, "text/csv; charset=utf-8"),
    "observer-kit.zip": (report.observer_kit, "application/zip"),
}


def published_audits():
    return Audit.objects.filter(status=Audit.Status.COMPLETE).select_related("state").order_by("-launched_at", "-pk")


@requires(PUBLIC)
def published_list(request):
    return render(request, "audits/published.html", {"audits": published_audits()})


@requires(PUBLIC)
def published_file(request, pk: int, what: str):
    audit = published_audits().filter(pk=pk).first()
    if audit is None or what not in PUBLIC_FILES:
        raise Http404("No such published audit file")
    write, media = PUBLIC_FILES[what]
    response = HttpResponse(write(audit), content_type=media)
    response["Content-Disposition"] = f'attachment; filename="{audit.reference}-{what}"'
    return response


@requires(PUBLIC)
def calculator_page(request):
    """Sample sizes (GET form) and a draw from an uploaded manifest (POST form); no JavaScript needed."""
    from django.core.exceptions import ValidationError

    from safelect.core.web.forms import add_service_errors

    from . import calculator
    from .forms import CalculatorDrawForm, CalculatorSizeForm

    sizes = drawn = None
    size_form = CalculatorSizeForm(request.GET if "size-ballots" in request.GET else None, prefix="size")
    if size_form.is_bound and size_form.is_valid():
        try:
            sizes = calculator.sample_sizes(**size_form.cleaned_data)
        except ValidationError as error:
            add_service_errors(size_form, error)
    draw_form = CalculatorDrawForm(request.POST or None, request.FILES or None, prefix="draw")
    if request.method == "POST" and draw_form.is_valid():
        upload = draw_form.cleaned_data["manifest"]
        try:
            if upload.size > calculator.MAX_MANIFEST_BYTES:
                raise ValidationError({"manifest": "The manifest is larger than 1 MB: use `safelect rla draw` on your computer."})
            drawn = calculator.draw(
                draw_form.cleaned_data["seed"], draw_form.cleaned_data["sample_size"], upload.read(calculator.MAX_MANIFEST_BYTES + 1)
            )
        except ValidationError as error:
            add_service_errors(draw_form, error)
    return render(request, "audits/calculator.html", {"size_form": size_form, "draw_form": draw_form, "sizes": sizes, "drawn": drawn})
