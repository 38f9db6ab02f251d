"""``safelect serve``: the production web server (granian, WSGI)."""

import sys

from django.core.management.base import BaseCommand


class Command(BaseCommand):
    help = "Serve safelect with granian (production). Run `safelect migrate` first and `safelect worker` beside it."

    def add_arguments(self, parser):
        parser.add_argument("--host", default="127.0.0.1", help="address to listen on (default 127.0.0.1)")
        parser.add_argument("--port", type=int, default=8000, help="port (default 8000)")
        parser.add_argument("--workers", type=int, default=2, help="worker processes (default 2)")

    def handle(self, *args, host, port, workers, **options):
        # Worker processes import the settings themselves; they join the same embedded server
        # (or DATABASE_URL) through the environment this process already validated.
        granian = [
            sys.executable,
            "-m",
            "granian",
            "--interface",
            "wsgi",
            "--host",
            host,
            "--port",
            str(port),
            "--workers",
            str(workers),
            "safelect.server.wsgi:application",
        ]
        self.stdout.write(f"safelect serving on http://{host}:{port}/ with {workers} worker(s)")
        self._run(granian)

    def _run(self, command):
        import subprocess

        try:
            raise SystemExit(subprocess.call(command))
        except KeyboardInterrupt:
            raise SystemExit(0) from None
