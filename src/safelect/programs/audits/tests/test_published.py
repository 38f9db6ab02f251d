"""Published audits: a complete audit's report and observer kit are public; a running audit's are not."""

from __future__ import annotations

import io
import zipfile

import pytest
from django.test import Client

from safelect.programs.audits.models import Audit
from safelect.programs.audits.tests.test_audit_setup import _polling_audit_with_a_round

pytestmark = pytest.mark.django_db


def test_only_complete_audits_are_published():
    _, _, audit = _polling_audit_with_a_round()
    public = Client()
    assert audit.reference not in public.get("/audits/published/").content.decode()
    assert public.get(f"/audits/published/{audit.pk}/report.pdf").status_code == 404  # still running: participants only
    Audit.objects.filter(pk=audit.pk).update(status=Audit.Status.COMPLETE)
    page = public.get("/audits/published/").content.decode()
    assert audit.reference in page and "observer kit" in page
    kit = public.get(f"/audits/published/{audit.pk}/observer-kit.zip")
    assert kit.status_code == 200 and kit["Content-Type"] == "application/zip"
    assert zipfile.ZipFile(io.BytesIO(kit.content)).namelist()
    pdf = public.get(f"/audits/published/{audit.pk}/report.pdf")
    assert pdf.status_code == 200 and pdf.content.startswith(b"%PDF")
    assert public.get(f"/audits/published/{audit.pk}/hand-counts.csv").status_code == 404  # not among the public files
    assert public.get(f"/audits/published/{audit.pk}/../../x").status_code == 404


MANIFEST = b"Batch Name,Number of Ballots\nB1,50\nB2,70\n"
SEED = "12345678901234567890123"


def test_the_calculator_page_and_api_give_the_librarys_numbers():
    from django.core.files.uploadedfile import SimpleUploadedFile

    from safelect.rla.bravo import bravo_sample_size
    from safelect.rla.contest import Contest
    from safelect.rla.sampling import consistent_sample

    public = Client()
    contest = Contest("c", {"W": 5500, "L": 4400}, 10000, ("W",))
    expected = str(bravo_sample_size(contest, 0.05, 0.9))
    page = public.get(
        "/audits/calculator/", {"size-risk_limit": "5", "size-ballots": "10000", "size-winner": "5500", "size-runner_up": "4400"}
    )
    assert expected in page.content.decode()
    api = public.get("/api/audits/calculator/sample-size", {"risk_limit": 5, "ballots": 10000, "winner": 5500, "runner_up": 4400}).json()
    assert api["polling"]["90 %"] == expected
    wrong = public.get("/audits/calculator/", {"size-risk_limit": "5", "size-ballots": "100", "size-winner": "40", "size-runner_up": "50"})
    assert "must have more votes than the runner-up" in wrong.content.decode()
    draws = [(d.id[0], d.id[1]) for d in consistent_sample(SEED, [("B1", 50), ("B2", 70)], 3, with_replacement=True)]
    drawn = public.post(
        "/audits/calculator/", {"draw-seed": SEED, "draw-sample_size": "3", "draw-manifest": SimpleUploadedFile("m.csv", MANIFEST)}
    ).content.decode()
    for batch, position in draws:
        assert f'<th scope="row">{batch}</th><td class="text-right">{position}</td>' in drawn
    api_draw = public.post(
        "/api/audits/calculator/draw", {"seed": SEED, "sample_size": 3, "manifest_csv": MANIFEST.decode()}, content_type="application/json"
    )
    assert [(d["batch"], d["position"]) for d in api_draw.json()["draws"]] == draws
    refused = public.post(
        "/audits/calculator/", {"draw-seed": SEED, "draw-sample_size": "3", "draw-manifest": SimpleUploadedFile("m.csv", b"nope\n1\n")}
    )
    assert "missing column" in refused.content.decode()
    too_big = public.post(
        "/api/audits/calculator/draw",
        {"seed": SEED, "sample_size": 99999, "manifest_csv": MANIFEST.decode()},
        content_type="application/json",
    )
    assert too_big.status_code == 422 and "sample_size" in too_big.content.decode()
