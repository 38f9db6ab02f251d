"""Evidence files: size limit, type from the content, SHA-256, stored outside the web root, served
only as downloads and only to those who may see the incident."""

from __future__ import annotations

import datetime as dt
import hashlib
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from safelect.core.accounts.actor import Actor
from safelect.core.accounts.models import Membership
from safelect.core.accounts.testing import make_member
from safelect.programs.incidents import evidence, services
from safelect.programs.incidents.models import EvidenceFile

CENTRAL = ZoneInfo("America/Chicago")
PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 64
LOG = b"2026-11-03T07:01:02Z sshd[411]: Failed password for admin from 203.0.113.9\n" * 20


@pytest.fixture
def incident(db, settings, tmp_path):
    settings.HOME = tmp_path  # the evidence store lives under SAFELECT_HOME
    user, client = make_member("local_election_official", "jurisdiction:0100100000")
    actor = Actor.member(Membership.objects.get(user=user))
    with time_machine.travel(dt.datetime(2026, 11, 3, 8, 0, tzinfo=CENTRAL), tick=False):
        found = services.report_possible(
            actor,
            title="Log-in attempts",
            aware_at=dt.datetime(2026, 11, 3, 7, 30, tzinfo=CENTRAL),
            how_learned="Logs",
            systems=["network"],
        )
    return found, client


def _upload(client, incident, name: str, content: bytes, description: str = ""):
    return client.post(
        reverse("incidents:evidence-upload", args=[incident.pk]),
        {"file": SimpleUploadedFile(name, content), "description": description},
        follow=True,
    )


def test_the_type_comes_from_the_content_and_programs_are_refused():
    assert evidence.sniff(PNG)[0] == "image/png"
    assert evidence.sniff(LOG)[0] == "text/plain"
    assert evidence.sniff(b'{"type": "bundle", "objects": []}')[0] == "application/json"
    assert evidence.sniff(b"\xd4\xc3\xb2\xa1\x02\x00\x04\x00")[1] == "packet capture (pcap)"
    for content, words in ((b"MZ\x90\x00", "Windows program"), (b"\x7fELF\x02\x01", "Linux program"), (b"#!/bin/sh\nrm -rf /", "script")):
        with pytest.raises(evidence.EvidenceRefused, match=words):
            evidence.sniff(content)
    with pytest.raises(evidence.EvidenceRefused, match="not recognised"):
        evidence.sniff(b"\x00\x01\x02\x03garbage\x00")
    with pytest.raises(evidence.EvidenceRefused, match="empty"):
        evidence.sniff(b"")
    assert evidence.safe_name("../../etc/passwd") == "passwd" and evidence.safe_name('C:\\temp\\a"b<c>.log') == "abc.log"


def test_a_county_attaches_a_log_and_only_those_who_see_the_incident_download_it(incident, tmp_path):
    found, county = incident
    page = _upload(county, found, "auth.log", LOG, "SSH log of the results server").content.decode()
    attached = EvidenceFile.objects.get()
    assert attached.sha256 == hashlib.sha256(LOG).hexdigest() and attached.size == len(LOG) and attached.media_type == "text/plain"
    assert attached.sha256 in page and "auth.log" in page
    stored = tmp_path / "evidence" / attached.sha256[:2] / attached.sha256
    assert stored.read_bytes() == LOG
    url = reverse("incidents:evidence", args=[found.pk, attached.pk])
    response = county.get(url)
    assert b"".join(response.streaming_content) == LOG
    assert response["Content-Type"] == "application/octet-stream" and response["X-Content-Type-Options"] == "nosniff"
    assert response["Content-Disposition"].startswith("attachment;") and "sandbox" in response["Content-Security-Policy"]
    _, alabama = make_member("chief_state_election_official", "state:AL")
    _, neighbour = make_member("local_election_official", "jurisdiction:0100300000")
    _, vendor = make_member("election_service_provider_staff")
    assert alabama.get(url).status_code == 200
    assert neighbour.get(url).status_code == 404 and vendor.get(url).status_code == 404  # a provider sees only its own and shared incidents
    assert neighbour.get(f"/api/incidents/reports/{found.pk}/evidence/{attached.pk}").status_code == 404
    # A State official reads the incident but does not attach to a county's report.
    assert (
        alabama.post(reverse("incidents:evidence-upload", args=[found.pk]), {"file": SimpleUploadedFile("x.log", LOG)}).status_code == 403
    )
    assert EvidenceFile.objects.count() == 1


def test_refused_files_store_nothing_and_say_why(incident, tmp_path, monkeypatch):
    found, county = incident
    page = _upload(county, found, "invoice.pdf.exe", b"MZ\x90\x00" + b"\x00" * 100).content.decode()
    assert "The file was not attached" in page and "Windows program" in page
    page = _upload(county, found, "photo.png", b"#!/usr/bin/env python\nprint(1)\n").content.decode()
    assert "script" in page
    monkeypatch.setattr(evidence, "MAX_EVIDENCE_BYTES", 100)
    page = _upload(county, found, "big.log", LOG).content.decode()
    assert "at most" in page
    assert not EvidenceFile.objects.exists()
    store = tmp_path / "evidence"
    assert not store.exists() or [p for p in store.rglob("*") if p.is_file()] == []


def test_the_api_attaches_by_content_not_by_name(incident):
    found, county = incident
    response = county.post(
        f"/api/incidents/reports/{found.pk}/evidence", {"file": SimpleUploadedFile("notes.txt", PNG), "description": "screenshot"}
    )
    assert response.status_code == 201 and response.json()["media_type"] == "image/png"
    refused = county.post(f"/api/incidents/reports/{found.pk}/evidence", {"file": SimpleUploadedFile("tool.png", b"\x7fELF\x02\x01\x01")})
    assert refused.status_code == 422 and "Linux program" in str(refused.json())
    listed = county.get(f"/api/incidents/reports/{found.pk}").json()["evidence"]
    assert [e["name"] for e in listed] == ["notes.txt"] and listed[0]["sha256"] == hashlib.sha256(PNG).hexdigest()
