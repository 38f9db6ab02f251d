"""``safelect worker``: run background jobs until stopped (Ctrl-C or SIGTERM)."""

from django.core.management.base import BaseCommand

from safelect.core.jobs import run_worker


class Command(BaseCommand):
    help = "Run a procrastinate worker on safelect's database: delivers notices, runs deadline sweeps and loads."

    def add_arguments(self, parser):
        parser.add_argument("--concurrency", type=int, default=1, help="jobs run at once by this worker (default 1)")
        parser.add_argument("--once", action="store_true", help="run the jobs waiting now, then exit")
        parser.add_argument("--name", default=None, help="worker name shown in logs")

    def handle(self, *args, concurrency, once, name, **options):
        self.stdout.write(f"safelect worker started (concurrency {concurrency}); Ctrl-C stops it")
        run_worker(concurrency=concurrency, wait=not once, name=name)
