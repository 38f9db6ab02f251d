"""Background jobs: procrastinate on safelect's own PostgreSQL.

Tasks live in each app's ``tasks.py`` (procrastinate autodiscovers them) and are deferred inside
the service's transaction, so a job exists exactly when the write committed. ``safelect worker``
runs them; ``safelect demo`` runs one worker in a thread. Tasks take ids and are safe to run twice.
"""

from __future__ import annotations

import asyncio
import logging

from procrastinate.contrib.django import app

log = logging.getLogger(__name__)


def worker_app():
    """An app bound to a connector suited to long-running workers (a psycopg pool)."""
    return app.with_connector(app.connector.get_worker_connector())


def run_worker(*, concurrency: int = 1, wait: bool = True, install_signal_handlers: bool = True, name: str | None = None) -> None:
    """Run a worker in this thread until stopped by a signal (or, with ``wait=False``, until idle)."""
    worker = worker_app()

    async def main() -> None:
        async with worker.open_async():
            await worker.run_worker_async(
                concurrency=concurrency,
                wait=wait,
                install_signal_handlers=install_signal_handlers,
                name=name,
                shutdown_graceful_timeout=10,
                delete_jobs="successful",
            )

    asyncio.run(main())
