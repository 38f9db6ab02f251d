"""Benchmark: one page of 100 objects from the TAXII 2.1 server, through the whole HTTP stack
(``safelect serve``: granian, middleware, token, visibility, filters, pagination), with 100,000
objects stored — against medallion, the OASIS TAXII 2.1 reference server (memory backend), on the
same objects at the sizes it can serve.

Both servers get the same generated indicators with the same ``date_added`` order; the run checks
that the first page holds the same object ids on both (same answer). Each measurement walks
``--reads`` pages with ``next`` tokens and prints p50 / p95 and the full range; the ratio compares
the medians at the same size. Target: p95 < 50 ms at 100,000 objects.

medallion is not a safelect dependency: give a Python that has it (``--medallion-python``; e.g.
``python3 -m venv /tmp/med && /tmp/med/bin/pip install medallion``); without it only safelect runs.

    .venv/bin/python bench/taxii_read.py [--objects 100000] [--medallion-python /tmp/med/bin/python] [--medallion-sizes 500,1000,2000]
"""

from __future__ import annotations

import argparse
import base64
import json
import os
import shutil
import socket
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.request
import uuid
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "bench"))
from incident_surge import analyze, free_port, run  # noqa: E402  (the same helpers)

SAFELECT = str(Path(sys.executable).with_name("safelect"))
MEDIA = "application/taxii+json;version=2.1"
BASE_MS = 1_793_000_000_000  # 2026-10-25, the first date_added

SETUP = """
import datetime as dt, json, uuid
from django.db import transaction
from safelect.core.accounts import services as accounts
from safelect.core.accounts.actor import Actor
from safelect.core.accounts.models import Membership, User
from safelect.core.directory.models import Organization
from safelect.programs.sharing import services
from safelect.programs.sharing.models import TaxiiObject
system = Actor.system(services.national_office())
product = services.create_product(system, {{"kind": "bulletin", "title": "Bench", "topic": "threat", "tlp": "clear", "text": "x", "to_all_states": True}})
services.publish(system, product)
TaxiiObject.objects.filter(collection="shared").delete()
Through = TaxiiObject.products.through
batch = []
for n in range({objects}):
    ident = str(uuid.uuid5(uuid.NAMESPACE_URL, f"bench-{{n}}"))
    obj = {{"type": "indicator", "spec_version": "2.1", "id": f"indicator--{{ident}}", "created": "2026-11-02T12:00:00.000Z",
           "modified": "2026-11-02T12:00:00.000Z", "name": f"Scanner {{n}}", "pattern": f"[ipv4-addr:value = '10.{{n // 65536}}.{{n // 256 % 256}}.{{n % 256}}']",
           "pattern_type": "stix", "valid_from": "2026-11-02T12:00:00Z"}}
    batch.append(TaxiiObject(collection="shared", stix_id=obj["id"], stix_type="indicator", version="2026-11-02T12:00:00.000000Z",
                             date_added=dt.datetime.fromtimestamp(({base_ms} + n) / 1000, tz=dt.UTC), data=obj))
    if len(batch) == 5000:
        made = TaxiiObject.objects.bulk_create(batch)
        Through.objects.bulk_create([Through(taxiiobject_id=o.pk, product_id=product.pk) for o in made])
        batch = []
if batch:
    made = TaxiiObject.objects.bulk_create(batch)
    Through.objects.bulk_create([Through(taxiiobject_id=o.pk, product_id=product.pk) for o in made])
user = User.objects.create_user(username="bench@x.invalid", email="bench@x.invalid", password="!")
membership = Membership.objects.create(user=user, organization=Organization.objects.get(key="state:WI"), roles=["chief_state_election_official"])
_token, raw = accounts.create_token(Actor.member(membership), name="bench", permissions=["sharing:product:view"])
print(json.dumps({{"token": raw, "collection": __import__("safelect.programs.sharing.taxii", fromlist=["x"]).COLLECTIONS["shared"]["id"]}}))
"""


def objects(count: int) -> list[dict]:
    out = []
    for n in range(count):
        ident = str(uuid.uuid5(uuid.NAMESPACE_URL, f"bench-{n}"))
        out.append(
            {
                "type": "indicator",
                "spec_version": "2.1",
                "id": f"indicator--{ident}",
                "created": "2026-11-02T12:00:00.000Z",
                "modified": "2026-11-02T12:00:00.000Z",
                "name": f"Scanner {n}",
                "pattern": f"[ipv4-addr:value = '10.{n // 65536}.{n // 256 % 256}.{n % 256}']",
                "pattern_type": "stix",
                "valid_from": "2026-11-02T12:00:00Z",
            }
        )
    return out


def wait_port(port: int, seconds: float = 120) -> None:
    deadline = time.monotonic() + seconds
    while True:
        try:
            with socket.create_connection(("127.0.0.1", port), timeout=1):
                return
        except OSError:
            if time.monotonic() > deadline:
                sys.exit(f"nothing listens on {port}")
            time.sleep(0.3)


def get(url: str, headers: dict) -> tuple[float, dict]:
    started = time.perf_counter()
    with urllib.request.urlopen(urllib.request.Request(url, headers=headers), timeout=600) as answer:
        body = json.loads(answer.read())
    return time.perf_counter() - started, body


def walk(first_url: str, headers: dict, reads: int, budget: float = 120.0) -> tuple[list[float], list[str]]:
    """``reads`` pages of 100 by next tokens (restarting at the top when the end comes)."""
    times, first_ids, url, spent = [], [], first_url, 0.0
    for _ in range(reads):
        seconds, body = get(url, headers)
        times.append(seconds)
        spent += seconds
        if not first_ids:
            first_ids = [o["id"] for o in body.get("objects", [])]
        url = f"{first_url}&next={body['next']}" if body.get("more") and body.get("next") else first_url
        if spent > budget:
            break
    return times, first_ids


def summary(times: list[float]) -> str:
    ms = sorted(t * 1000 for t in times)
    p95 = statistics.quantiles(ms, n=100, method="inclusive")[94] if len(ms) > 1 else ms[0]
    return f"p50 {statistics.median(ms):8.1f} ms  p95 {p95:8.1f} ms  (range {ms[0]:.1f}–{ms[-1]:.1f}, {len(ms)} reads)"


def medallion(python: str, count: int, reads: int) -> tuple[list[float], list[str]]:
    folder = Path(tempfile.mkdtemp(prefix="medallion-"))
    collection = str(uuid.uuid4())
    items = objects(count)
    stamps = [
        time.strftime("%Y-%m-%dT%H:%M:%S", time.gmtime((BASE_MS + n) / 1000)) + f".{(BASE_MS + n) % 1000:03d}000Z" for n in range(count)
    ]
    data = {
        "/discovery": {"title": "medallion", "default": "http://127.0.0.1/api1/", "api_roots": ["http://127.0.0.1/api1/"]},
        "api1": {
            "information": {"title": "bench", "versions": [MEDIA], "max_content_length": 100_000_000},
            "status": [],
            "collections": [
                {
                    "id": collection,
                    "title": "bench",
                    "can_read": True,
                    "can_write": False,
                    "media_types": ["application/stix+json;version=2.1"],
                    "objects": items,
                    "manifest": [
                        {
                            "id": o["id"],
                            "date_added": stamps[n],
                            "version": o["modified"],
                            "media_type": "application/stix+json;version=2.1",
                        }
                        for n, o in enumerate(items)
                    ],
                }
            ],
        },
    }
    (folder / "data.json").write_text(json.dumps(data))
    config = {
        "backend": {"module": "medallion.backends.memory_backend", "module_class": "MemoryBackend", "filename": str(folder / "data.json")},
        "users": {"bench": "bench"},
        "taxii": {"max_page_size": 100},
    }
    (folder / "config.json").write_text(json.dumps(config))
    port = free_port()
    server = subprocess.Popen(
        [python, "-m", "medallion.scripts.run", "--port", str(port), str(folder / "config.json")],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
    )
    try:
        wait_port(port)
        auth = base64.b64encode(b"bench:bench").decode()
        headers = {"Accept": MEDIA, "Authorization": f"Basic {auth}"}
        return walk(f"http://127.0.0.1:{port}/api1/collections/{collection}/objects/?limit=100", headers, reads)
    finally:
        server.terminate()
        server.wait(timeout=30)
        shutil.rmtree(folder, ignore_errors=True)


def safelect(count: int, reads: int, workers: int) -> tuple[list[float], list[str], float]:
    home = tempfile.mkdtemp(prefix="safelect-taxii-")
    env = {**os.environ, "SAFELECT_HOME": home, "SAFELECT_EMAIL_BACKEND": "console", "SAFELECT_LOG_LEVEL": "WARNING"}
    env.pop("DATABASE_URL", None)
    holder = subprocess.Popen(
        [SAFELECT, "shell", "-c", "import sys; print('ready', flush=True); sys.stdin.read()"],
        env=env,
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        stderr=subprocess.DEVNULL,
        text=True,
    )
    server = None
    try:
        while (line := holder.stdout.readline()) and line.strip() != "ready":
            pass
        run(env, "migrate", "-v", "0")
        run(env, "directory", "load")
        started = time.perf_counter()
        setup = json.loads(run(env, "shell", "-c", SETUP.format(objects=count, base_ms=BASE_MS), timeout=3600))
        analyze(env)
        loaded = time.perf_counter() - started
        port = free_port()
        server = subprocess.Popen(
            [SAFELECT, "serve", "--host", "127.0.0.1", "--port", str(port), "--workers", str(workers)],
            env=env,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        wait_port(port)
        headers = {"Accept": MEDIA, "Authorization": f"Bearer {setup['token']}"}
        url = f"http://127.0.0.1:{port}/taxii2/api/collections/{setup['collection']}/objects/?limit=100"
        walk(url, headers, 10)  # warm the server processes
        times, first = walk(url, headers, reads)
        return times, first, loaded
    finally:
        if server is not None:
            server.terminate()
            server.wait(timeout=60)
        holder.stdin.close()
        holder.wait(timeout=60)
        shutil.rmtree(home, ignore_errors=True)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--objects", type=int, default=100_000)
    parser.add_argument("--reads", type=int, default=200)
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--medallion-python", default="")
    parser.add_argument("--medallion-sizes", default="500,1000,2000")
    args = parser.parse_args()
    sizes = [int(s) for s in args.medallion_sizes.split(",") if s]
    rows = []
    big_times, big_first, loaded = safelect(args.objects, args.reads, args.workers)
    rows.append((f"safelect, {args.objects:,} objects", summary(big_times), f"stored in {loaded:.0f} s"))
    p95 = statistics.quantiles(sorted(big_times), n=100, method="inclusive")[94]
    rows.append(("target p95 < 50 ms", "met" if p95 < 0.050 else "NOT MET", ""))
    if args.medallion_python:
        for size in sizes:
            small_times, small_first, _ = safelect(size, min(args.reads, 50), args.workers)
            med_times, med_first = medallion(args.medallion_python, size, min(args.reads, 50))
            same = small_first == med_first
            ratio = statistics.median(med_times) / statistics.median(small_times)
            rows.append((f"safelect, {size:,} objects", summary(small_times), ""))
            rows.append(
                (
                    f"medallion, {size:,} objects",
                    summary(med_times),
                    f"medallion / safelect: {ratio:.1f}× — first page {'same ids' if same else 'DIFFERENT'}",
                )
            )
            if not same:
                print(f"first page differs at {size}: safelect {small_first[:3]}… medallion {med_first[:3]}…")
            if statistics.median(med_times) > 30:
                break
    width = max(len(r[0]) for r in rows)
    print()
    for name, value, note in rows:
        print(f"{name.ljust(width)}  {value}  {note}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
