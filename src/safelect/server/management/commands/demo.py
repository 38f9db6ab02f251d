"""``safelect demo``: everything a newcomer needs, in one command.

Migrates, loads the reference data, creates demo organizations and users, prints the sign-ins,
then serves on http://127.0.0.1:PORT with a background worker in the same process. Ctrl-C stops
the server, the worker and (through the embedded server's exit hook) the database.
"""

import os
import threading
import webbrowser

from django.conf import settings
from django.core.management import call_command
from django.core.management.base import BaseCommand
from django.core.servers.basehttp import get_internal_wsgi_application, run
from rich.console import Console
from rich.table import Table

from safelect.config.database import as_owner
from safelect.core.accounts.actor import Actor
from safelect.core.directory.services import load_reference_data
from safelect.core.web.demo import DEMO_PASSWORD, create_all


class Command(BaseCommand):
    help = "Start safelect with demo data on the embedded database and serve it at http://127.0.0.1:8000."

    def add_arguments(self, parser):
        parser.add_argument("--port", type=int, default=8000, help="port to serve on (default 8000)")
        parser.add_argument("--no-browser", action="store_true", help="do not open a web browser")
        parser.add_argument("--no-worker", action="store_true", help="do not run a background worker in this process")

    def handle(self, *args, port, no_browser, no_worker, **options):
        console = Console(file=self.stdout)
        if not console.is_terminal:
            # Logs and pipes: wide enough that no email address or TOTP secret is cut.
            console = Console(file=self.stdout, width=200)
        console.print("[bold]safelect demo[/bold]: migrating the database…")
        with as_owner():  # migrations act as the owner role; everything else as the application role
            call_command("migrate", interactive=False, verbosity=0)
        console.print("loading the directory (States, jurisdictions, organizations)…")
        report = load_reference_data(Actor.system())
        console.print(f"directory: {report.changed} row(s) created or updated")
        logins = create_all()
        url = f"http://127.0.0.1:{port}/"
        # Links in emails and calendar feeds point at the port the demo serves on (unless set).
        if not os.environ.get("SAFELECT_BASE_URL"):
            settings.BASE_URL = url.rstrip("/")
            settings.CSRF_TRUSTED_ORIGINS = [*settings.CSRF_TRUSTED_ORIGINS, settings.BASE_URL]
        catcher = self._catch_mail(console)
        if logins:
            table = Table(title=f"Demo sign-ins (password for all: {DEMO_PASSWORD})")
            table.add_column("role")
            for column in ("email", "acting for", "note"):
                table.add_column(column, overflow="fold")
            for login in logins:
                table.add_row(login.role, login.email, login.organization, login.note)
            console.print(table)
        console.print(f"\nsafelect is serving at [bold]{url}[/bold] — press Ctrl-C to stop.")
        if catcher is not None:
            console.print(f"every email the demo sends is caught and shown at [bold]{url}demo/mailbox/[/bold]")
        worker = None
        if not no_worker:
            from safelect.core.jobs import WorkerThread

            worker = WorkerThread(name="demo-worker")
            worker.start()
        if not no_browser:
            threading.Timer(1.0, lambda: webbrowser.open(url)).start()
        try:
            run("127.0.0.1", port, get_internal_wsgi_application(), threading=True)
        except KeyboardInterrupt:
            console.print("\nstopping…")
        finally:
            if worker is not None:
                worker.stop()
            if catcher is not None:
                catcher.stop()
        console.print("stopped.")

    def _catch_mail(self, console):
        """Start the loopback mail catcher and send the demo's email to it (see ``mailcatcher``)."""
        from pathlib import Path

        from safelect.server import mailcatcher

        folder = Path(settings.HOME) / "demo-mailbox"
        try:
            catcher = mailcatcher.start(folder)
        except OSError as exc:
            console.print(f"[yellow]no mail catcher ({exc}); emails wait in the outbox[/yellow]")
            return None
        settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
        settings.EMAIL_HOST, settings.EMAIL_PORT = "127.0.0.1", catcher.port
        settings.EMAIL_USE_TLS, settings.EMAIL_HOST_USER = False, ""
        settings.DEMO_MAILBOX = folder
        return catcher
