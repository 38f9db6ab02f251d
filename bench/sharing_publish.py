"""Benchmark: publish one product to every election agency (~6,500: the local agencies and the State
offices of every State, §4(c)(4) "may be affected"), resolving the audience, recording every
recipient and writing the outbox — against the kernel's own notice to every local agency
(``notices_bench.py``'s send) in the same run, on the same people.

Target: publish in under 2 s. Both reach the same officials (only local agencies have people in
the bench), so both must write the same number of deliveries: the run checks it. Each is repeated
``--runs`` times (a fresh product, a fresh notice); the full range and the median are printed, and
the ratio of the medians.

    .venv/bin/python bench/sharing_publish.py [--officials 3] [--runs 5]
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "bench"))
from notices_bench import SETUP, analyze, run  # noqa: E402  (same set-up as the kernel's benchmark)

SAFELECT = str(Path(sys.executable).with_name("safelect"))

MEASURE = """
import json, time
from django.db import transaction
from safelect.core.accounts.actor import Actor
from safelect.core.directory.models import State
from safelect.core.outbox import services as outbox
from safelect.programs.sharing import services
system = Actor.system(services.national_office())
states = list(State.objects.all())
kernel, sharing = [], []
for n in range({runs}):
    started = time.perf_counter()
    with transaction.atomic():
        notice = outbox.send("outbox.announcement", context={{"title": f"Patch now {{n}}", "message": "m", "organization_kinds": ["local_election_agency"]}})
    kernel.append((time.perf_counter() - started, sum(notice.delivery_counts.values())))
    product = services.create_product(system, {{"kind": "alert", "title": f"Patch now {{n}}", "topic": "vulnerability", "tlp": "amber", "text": "A vulnerability affects the registration system.", "affected_states": states}})
    started = time.perf_counter()
    share = services.publish(system, product)
    seconds = time.perf_counter() - started
    from safelect.core.outbox.models import Notice
    sent = Notice.objects.get(subject_type="sharing.product", subject_id=str(product.pk))
    sharing.append((seconds, sent.deliveries.count(), share.recipients.count()))
print(json.dumps({{"kernel": kernel, "sharing": sharing}}))
"""


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--officials", type=int, default=3, help="officials per local election agency (default 3)")
    parser.add_argument("--runs", type=int, default=5)
    args = parser.parse_args()
    home = tempfile.mkdtemp(prefix="safelect-bench-")
    env = {**os.environ, "SAFELECT_HOME": home, "SAFELECT_LOG_LEVEL": "WARNING"}
    env.pop("DATABASE_URL", None)
    holder = subprocess.Popen(
        [SAFELECT, "shell", "-c", "import sys; print('ready', flush=True); sys.stdin.read()"],
        env=env,
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        stderr=subprocess.DEVNULL,
        text=True,
    )
    try:
        while (line := holder.stdout.readline()) and line.strip() != "ready":
            pass
        print(f"data directory {home}: migrating, loading the directory, creating officials…", flush=True)
        run(env, "migrate", "-v", "0")
        run(env, "directory", "load")
        agencies, officials = run(env, "shell", "-c", SETUP.format(officials=args.officials)).split()
        analyze(env)
        result = json.loads(run(env, "shell", "-c", MEASURE.format(runs=args.runs), timeout=1800))
        kernel = [s for s, _ in result["kernel"]]
        sharing = [s for s, _, _ in result["sharing"]]
        kernel_deliveries = {d for _, d in result["kernel"]}
        sharing_deliveries = {d for _, d, _ in result["sharing"]}
        recipients = {r for _, _, r in result["sharing"]}
        same = kernel_deliveries == sharing_deliveries
        rows = [
            ("local election agencies / officials", f"{agencies} / {officials}", ""),
            ("organizations reached by the product", ", ".join(f"{r:,}" for r in sorted(recipients)), ""),
            (
                "deliveries written: kernel notice / product",
                f"{sorted(kernel_deliveries)} / {sorted(sharing_deliveries)}",
                "same answer" if same else "DIFFERENT — check",
            ),
            ("kernel notice: median (min–max)", f"{statistics.median(kernel):.3f} s ({min(kernel):.3f}–{max(kernel):.3f})", ""),
            (
                "publish a product: median (min–max)",
                f"{statistics.median(sharing):.3f} s ({min(sharing):.3f}–{max(sharing):.3f})",
                "target < 2 s: " + ("met" if max(sharing) < 2 else "NOT MET"),
            ),
            ("ratio publish / kernel notice (medians)", f"{statistics.median(sharing) / statistics.median(kernel):.2f}×", ""),
        ]
        width = max(len(r[0]) for r in rows)
        print()
        for name, value, note in rows:
            print(f"{name.ljust(width)}  {value:>30}  {note}")
        if not same:
            sys.exit(1)
    finally:
        holder.stdin.close()
        holder.wait(timeout=60)
        shutil.rmtree(home, ignore_errors=True)


if __name__ == "__main__":
    main()
