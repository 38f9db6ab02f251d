"""Browser tests: a `safelect demo` server in a subprocess and Debian's Chromium via Playwright.

The server gets a fresh, temporary SAFELECT_HOME (its own embedded PostgreSQL), prints email to
the console, and is stopped with SIGTERM (which the CLI turns into a clean exit that also stops
the database). Without /usr/bin/chromium the tests are skipped, unless SAFELECT_REQUIRE_BROWSER=1
(CI), where they fail.
"""

import json
import os
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
import urllib.request
from pathlib import Path

import pytest

CHROMIUM = Path("/usr/bin/chromium")
AXE = Path(__file__).resolve().parents[2] / "node_modules" / "axe-core" / "axe.min.js"
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
START_TIMEOUT = 300


def _need(condition: bool, reason: str) -> None:
    if condition:
        return
    if os.environ.get("SAFELECT_REQUIRE_BROWSER") == "1":
        pytest.fail(f"{reason} (SAFELECT_REQUIRE_BROWSER=1)")
    pytest.skip(reason)


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


#: The running demo's environment (its SAFELECT_HOME and database role), for :func:`demo_shell`.
DEMO_ENV: dict[str, str] = {}


@pytest.fixture
def demo_shell(demo_server):
    """``demo_shell(code)`` runs Python in ``safelect shell`` against the running demo's database
    (it joins the same embedded server). For what a browser cannot do, such as letting the 45 days of
    a comment period pass; returns what the code printed."""

    def run(code: str) -> str:
        command = Path(sys.executable).with_name("safelect")
        done = subprocess.run(
            [str(command), "shell", "-c", code],
            env={**DEMO_ENV, "SAFELECT_DATABASE_ROLE": "app"},
            capture_output=True,
            text=True,
            timeout=120,
        )
        assert done.returncode == 0, done.stderr[-3000:]
        return done.stdout

    return run


@pytest.fixture(scope="session")
def demo_server():
    """Base URL of a running `safelect demo` (http://localhost:PORT)."""
    _need(CHROMIUM.exists(), "Debian's chromium is not installed (apt-get install chromium)")
    port = _free_port()
    home = Path(tempfile.mkdtemp(prefix="safelect-browser-"))
    env = {
        **os.environ,
        "SAFELECT_DATABASE_ROLE": "app",
        "SAFELECT_HOME": str(home),
        "SAFELECT_EMAIL_BACKEND": "console",
        "SAFELECT_DEBUG": "false",
        "SAFELECT_BASE_URL": f"http://localhost:{port}",
    }
    env.pop("DATABASE_URL", None)
    command = Path(sys.executable).with_name("safelect")
    log = open(home / "server.log", "w")
    process = subprocess.Popen([str(command), "demo", "--no-browser", "--port", str(port)], env=env, stdout=log, stderr=subprocess.STDOUT)
    base = f"http://localhost:{port}"
    deadline = time.monotonic() + START_TIMEOUT
    try:
        while True:
            if process.poll() is not None:
                pytest.fail(f"safelect demo exited with {process.returncode}:\n{(home / 'server.log').read_text()[-4000:]}")
            try:
                with urllib.request.urlopen(f"http://127.0.0.1:{port}/healthz", timeout=2) as response:
                    if json.load(response).get("status") == "ok":
                        break
            except OSError:
                pass
            if time.monotonic() > deadline:
                pytest.fail(f"safelect demo did not answer /healthz within {START_TIMEOUT}s:\n{(home / 'server.log').read_text()[-4000:]}")
            time.sleep(0.5)
        DEMO_ENV.update(env)
        yield base
    finally:
        DEMO_ENV.clear()
        process.send_signal(signal.SIGTERM)
        try:
            process.wait(timeout=60)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()
        log.close()
        shutil.rmtree(home, ignore_errors=True)


@pytest.fixture(scope="session")
def browser(demo_server):
    sync_api = pytest.importorskip("playwright.sync_api")
    _need(AXE.exists(), f"axe-core is not installed at {AXE} (npm ci)")
    with sync_api.sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS, headless=True)
        yield browser
        browser.close()


@pytest.fixture
def page(browser, demo_server):
    context = browser.new_context(base_url=demo_server)
    page = context.new_page()
    page.set_default_timeout(20_000)
    yield page
    context.close()


def serious_axe_violations(page) -> list[dict]:
    """Inject axe-core into the page and return its serious and critical violations.

    Evaluated through the DevTools protocol rather than added as a <script> element: the pages'
    Content-Security-Policy refuses inline scripts without the request's nonce, as it should."""
    page.evaluate(AXE.read_text() + "\n;undefined")
    violations = page.evaluate(
        """async () => {
            // label-content-name-mismatch is experimental in axe (off by default): a control whose
            // name hides its visible text defeats speech input ("click Wisconsin"), so it is on here.
            const result = await axe.run(document, {resultTypes: ['violations'],
                                                    rules: {'label-content-name-mismatch': {enabled: true}}});
            return result.violations.map(v => ({id: v.id, impact: v.impact, help: v.help,
                                                nodes: v.nodes.slice(0, 5).map(n => n.target.join(' '))}));
        }"""
    )
    return [v for v in violations if v["impact"] in ("serious", "critical")]


@pytest.fixture
def assert_accessible():
    def check(page):
        found = serious_axe_violations(page)
        assert not found, f"axe-core: serious/critical violations on {page.url}:\n" + json.dumps(found, indent=2)

    return check


@pytest.fixture
def playwright_request(browser, demo_server):
    """``playwright_request(token)`` → an API request context sending ``Authorization: Bearer token``."""
    from playwright.sync_api import sync_playwright  # noqa: F401  (the browser fixture's Playwright is running)

    contexts = []

    def make(token: str):
        context = browser.new_context(base_url=demo_server, extra_http_headers={"Authorization": f"Bearer {token}"})
        contexts.append(context)
        return context.request

    yield make
    for context in contexts:
        context.close()


@pytest.fixture
def serious_violations():
    """``serious_violations(page)`` → the serious/critical axe-core violations (to collect, not assert)."""
    return serious_axe_violations
