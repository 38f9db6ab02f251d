"""The ``safelect`` command.

``safelect rla ...``, ``safelect grants allocate`` and ``safelect lawbook build`` are pure computation and run without Django
or a database. Every other
command validates the configuration, starts (or joins) the embedded PostgreSQL server unless
``DATABASE_URL`` is set, checks the connection, and runs the matching Django management command.
A configuration problem ends with one line on stderr and exit status 2, never a traceback.
"""

from __future__ import annotations

import os
import sys
from pathlib import Path

COMMANDS: dict[str, str] = {
    "demo": "migrate, load reference and demo data, serve on http://127.0.0.1:8000 with a worker",
    "serve": "production web server (granian) for the WSGI app",
    "worker": "run background jobs (procrastinate worker)",
    "migrate": "apply database migrations",
    "shell": "Python shell with Django set up",
    "check": "check the configuration and the database",
    "directory": "directory of the election system: load, show",
    "rla": "risk-limiting audit statistics (no database): draw, sample-size, risk",
    "grants": "grant formulas and programs: `grants allocate` (no database) computes an allocation table",
    "lawbook": "the bills as structured law: `lawbook build` (no database) parses them; `lawbook ask QUESTION`",
}

NO_CONNECTION_CHECK = {"check"}


def _program_commands() -> dict[str, str]:
    """Management commands of safelect's apps that are not listed above (e.g. ``journal``)."""
    root = Path(__file__).resolve().parent
    found = {}
    for path in sorted([*root.glob("*/*/management/commands/*.py"), *root.glob("*/management/commands/*.py")]):
        name = path.stem
        if not name.startswith("_") and name not in COMMANDS:
            found[name] = f"{path.parts[-4]} commands (see `safelect {name} --help`)"
    return found


def _usage() -> str:
    commands = {**COMMANDS, **_program_commands()}
    width = max(len(n) for n in commands)
    lines = [
        "usage: safelect COMMAND [options]",
        "",
        "safelect: the platform for the election-security programs of S.2261 and H.R. 5011.",
        "",
        "commands:",
    ]
    lines += [f"  {name.ljust(width)}  {text}" for name, text in commands.items()]
    lines += ["", "Run `safelect COMMAND --help` for a command's options. Configuration: environment variables (see README)."]
    return "\n".join(lines)


def _exit_cleanly_on_signals() -> None:
    """SIGTERM/SIGHUP end the command like Ctrl-C, so exit hooks stop the embedded server."""
    import signal

    def stop(signum, frame):
        raise KeyboardInterrupt

    for name in ("SIGTERM", "SIGHUP"):
        if hasattr(signal, name):
            signal.signal(getattr(signal, name), stop)
    # A shell starts background jobs with SIGINT ignored; Ctrl-C (or kill -INT) must still stop us.
    signal.signal(signal.SIGINT, signal.default_int_handler)


def main(argv: list[str] | None = None) -> int:
    argv = list(sys.argv[1:] if argv is None else argv)
    if not argv or argv[0] in {"-h", "--help", "help"}:
        print(_usage())
        return 0
    command = argv[0]
    if command == "rla":
        from safelect.rla.cli import main as rla_main

        return rla_main(argv[1:])
    if command == "grants" and argv[1:2] == ["allocate"]:
        from safelect.programs.grants.allocation.cli import main as allocate_main

        return allocate_main(argv[2:])
    if command == "lawbook" and argv[1:2] == ["build"]:
        from safelect.programs.lawbook.build import main as build_main

        return build_main(argv[2:])
    if command not in COMMANDS and command not in _program_commands():
        print(f"safelect: unknown command {command!r}\n\n{_usage()}", file=sys.stderr)
        return 2
    _exit_cleanly_on_signals()
    wants_help = "-h" in argv or "--help" in argv
    if command == "migrate":  # migrations act as the role that owns the tables (see config.database)
        os.environ["SAFELECT_DATABASE_ROLE"] = "owner"
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "safelect.config.settings")
    from safelect.config.environment import ConfigurationError

    try:
        import django

        django.setup()
        if not wants_help and command not in NO_CONNECTION_CHECK:
            from safelect.config.database import check_connection

            check_connection()
        from django.core.management import ManagementUtility

        ManagementUtility(["safelect", command, *argv[1:]]).execute()
    except ConfigurationError as exc:
        print(f"safelect: {exc}", file=sys.stderr)
        return 2
    except KeyboardInterrupt:
        return 130
    return 0


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
