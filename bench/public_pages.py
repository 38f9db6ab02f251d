"""Server time of the public pages (Django's test client in one process, the embedded database).

    SAFELECT_HOME=/tmp/bench-home .venv/bin/python bench/public_pages.py [--runs 20]

(a home where ``safelect demo`` ran once, so the directory, the congress data and the demo are loaded)

Each page is fetched once to warm caches, then ``--runs`` times; the table prints the minimum, median
and maximum in milliseconds and marks pages whose median is over the 100 ms target. The lawbook's
answer is also computed directly (no HTTP), as the peer of the page, and both must agree on the top
citation in the same run.
"""

from __future__ import annotations

import argparse
import os
import statistics
import sys
import time

PAGES = [
    "/",
    "/lawbook/",
    "/lawbook/s2261/4/",
    "/lawbook/hr5011/302/",
    "/lawbook/ask/?q=How+long+does+a+vendor+have+to+tell+a+county+about+a+breach%3F",
    "/api/lawbook/ask?q=What+is+a+risk-limiting+audit%3F",
    "/services/",
    "/hack/",
    "/audits/published/",
    "/audits/calculator/?size-risk_limit=5&size-ballots=100000&size-winner=55000&size-runner_up=44000",
    "/governance/",
    "/governance/guidelines/",
    "/governance/reports/",
    "/api/governance/reports",
]


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--runs", type=int, default=20)
    args = parser.parse_args()
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "safelect.config.settings")
    import django

    django.setup()
    from django.core.management import call_command
    from django.test import Client
    from django.test.utils import setup_test_environment

    from safelect.programs.lawbook.ask import ask

    call_command("migrate", verbosity=0)
    setup_test_environment()
    client = Client()
    print(f"{'page':<100} {'min':>7} {'median':>7} {'max':>7}")
    slow = 0
    for path in PAGES:
        assert client.get(path).status_code == 200, path
        times = []
        for _ in range(args.runs):
            start = time.perf_counter()
            client.get(path)
            times.append((time.perf_counter() - start) * 1000)
        median = statistics.median(times)
        slow += median > 100
        print(f"{path[:100]:<100} {min(times):7.1f} {median:7.1f} {max(times):7.1f}{'  over 100 ms' if median > 100 else ''}")
    question = "How long does a vendor have to tell a county about a breach?"
    direct = ask(question).citations[0].provision.citation
    page = client.get("/api/lawbook/ask", {"q": question}).json()["citations"][0]["citation"]
    assert direct == page, (direct, page)
    print(f"\nsame top citation from the library and the API: {direct}; pages over 100 ms (median): {slow}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
