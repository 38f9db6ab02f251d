"""Background jobs: procrastinate on safelect's own PostgreSQL.

Tasks live in each app's ``tasks.py`` (procrastinate autodiscovers them) and are deferred inside
the service's transaction, so a job exists exactly when the write committed. ``safelect worker``
runs them; ``safelect demo`` runs one worker in a thread. Tasks take ids and are safe to run twice.

Periodic jobs are declared in code, in the app's ``tasks.py``::

    from safelect.core.jobs import periodic

    @periodic(cron="*/15 * * * *", name="obligations.sweep_deadlines")
    def sweep_deadlines(timestamp: int) -> None:
        ...   # ``timestamp``: the scheduled time (Unix seconds); the job must be safe to run twice

Every running worker schedules them (procrastinate defers each occurrence once, however many
workers run). Apps may also register :func:`on_worker_start` hooks, run once before a worker
takes jobs (the outbox uses one to pick up deliveries a killed worker left behind).
"""

from __future__ import annotations

import asyncio
import logging
import threading
from collections.abc import Callable

from procrastinate import RetryStrategy  # noqa: F401  (re-exported for tasks' retry= arguments)
from procrastinate.contrib.django import app

log = logging.getLogger(__name__)

_start_hooks: list[Callable[[], None]] = []


def periodic(*, cron: str, name: str, queue: str = "periodic", **task_options) -> Callable:
    """Declare ``func(timestamp: int)`` as a task deferred on the ``cron`` schedule (5 fields, or 6
    with seconds). ``name`` is the task's stable name (``app.what``)."""

    def decorate(func: Callable) -> Callable:
        task = app.task(name=name, queue=queue, **task_options)(func)
        return app.periodic(cron=cron)(task)

    return decorate


def on_worker_start(func: Callable[[], None]) -> Callable[[], None]:
    """Run ``func()`` in every worker before it takes jobs (a failure is logged, not fatal)."""
    _start_hooks.append(func)
    return func


def run_start_hooks() -> None:
    for hook in list(_start_hooks):
        try:
            hook()
        except Exception:  # a hook must not keep the worker from running jobs
            log.exception("worker start hook %s failed", getattr(hook, "__qualname__", hook))


def worker_app():
    """An app bound to a connector suited to long-running workers (a psycopg pool)."""
    return app.with_connector(app.connector.get_worker_connector())


def run_worker(
    *,
    concurrency: int = 1,
    wait: bool = True,
    install_signal_handlers: bool = True,
    name: str | None = None,
    queues: list[str] | None = None,
) -> None:
    """Run a worker in this thread until stopped by a signal (or, with ``wait=False``, until idle)."""
    run_start_hooks()
    worker = worker_app()

    async def main() -> None:
        async with worker.open_async():
            await worker.run_worker_async(
                concurrency=concurrency,
                wait=wait,
                install_signal_handlers=install_signal_handlers,
                name=name,
                queues=queues,
                shutdown_graceful_timeout=10,
                delete_jobs="successful",
            )

    asyncio.run(main())


class WorkerThread(threading.Thread):
    """A worker in a background thread of this process (``safelect demo``), stoppable from outside.

    ``stop()`` cancels the worker's task on its own event loop, so running jobs finish or are
    aborted and the worker's connections close *before* the process stops the embedded database.
    """

    def __init__(self, **options) -> None:
        super().__init__(name="safelect-worker", daemon=True)
        self.options = {"install_signal_handlers": False, **options}
        self.loop: asyncio.AbstractEventLoop | None = None
        self.task: asyncio.Task | None = None
        self.started = threading.Event()

    def run(self) -> None:
        run_start_hooks()
        worker = worker_app()

        async def main() -> None:
            self.task = asyncio.current_task()
            self.started.set()
            async with worker.open_async():
                await worker.run_worker_async(shutdown_graceful_timeout=10, delete_jobs="successful", **self.options)

        self.loop = asyncio.new_event_loop()
        try:
            self.loop.run_until_complete(main())
        except asyncio.CancelledError:
            pass
        finally:
            self.loop.close()

    def stop(self, timeout: float = 15) -> None:
        if self.loop is not None and self.task is not None and not self.loop.is_closed():
            self.loop.call_soon_threadsafe(self.task.cancel)
        self.join(timeout)
