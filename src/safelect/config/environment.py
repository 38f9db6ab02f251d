"""Reading safelect's settings from environment variables, failing fast with one clear line.

Every setting safelect reads is declared here, with its default and documentation, so that the
README's configuration table and ``safelect check`` can list them all.  A wrong value raises
:class:`ConfigurationError`, whose message says which variable is wrong and how to fix it; the
``safelect`` command prints that message on one line and exits with status 2.
"""

from __future__ import annotations

import datetime as dt
import os
from dataclasses import dataclass
from pathlib import Path

import platformdirs


class ConfigurationError(Exception):
    """A setting is missing or wrong; the message tells the operator what to change."""


@dataclass(frozen=True)
class Setting:
    name: str
    default: str | None
    help: str


SETTINGS: tuple[Setting, ...] = (
    Setting(
        "SAFELECT_HOME",
        None,
        "Data directory (embedded database, secret key, uploads). Default: the user data dir, e.g. ~/.local/share/safelect.",
    ),
    Setting(
        "DATABASE_URL",
        None,
        "postgres://user:pass@host:port/db of an external PostgreSQL server. Unset: an embedded server is started in SAFELECT_HOME/pgdata.",
    ),
    Setting(
        "DATABASE_OWNER_URL",
        None,
        "postgres:// URL of the role that owns safelect's tables and runs migrations (DATABASE_URL is then the application role, which may not rewrite the journal). Unset with DATABASE_URL: one role for both.",
    ),
    Setting(
        "SAFELECT_DATABASE_ROLE",
        "app",
        "app (default) or owner: which database role this command acts as; `safelect migrate` acts as owner by itself.",
    ),
    Setting(
        "SAFELECT_SECRET_KEY", None, "Django secret key. Unset: one is generated once and kept in SAFELECT_HOME/secret_key (mode 0600)."
    ),
    Setting(
        "SAFELECT_SECRET_KEY_FALLBACKS",
        "",
        "Comma-separated previous secret keys, still accepted for reading secrets stored at rest and signed cookies while you rotate (then run `safelect secrets rotate`).",
    ),
    Setting("SAFELECT_DEBUG", "false", "true only for development: detailed error pages."),
    Setting("SAFELECT_ALLOWED_HOSTS", "127.0.0.1,localhost", "Comma-separated host names the server answers to."),
    Setting("SAFELECT_BASE_URL", "http://127.0.0.1:8000", "Public address used in links inside emails and calendar feeds."),
    Setting(
        "SAFELECT_SECURE_COOKIES", "true", "Mark session and CSRF cookies Secure (browsers accept them on http://localhost and 127.0.0.1)."
    ),
    Setting("SAFELECT_EMAIL_HOST", "127.0.0.1", "SMTP server host for notices."),
    Setting("SAFELECT_EMAIL_PORT", "25", "SMTP server port."),
    Setting("SAFELECT_EMAIL_USER", "", "SMTP user name (empty: no authentication)."),
    Setting("SAFELECT_EMAIL_PASSWORD", "", "SMTP password."),
    Setting("SAFELECT_EMAIL_TLS", "false", "Use STARTTLS when talking to the SMTP server."),
    Setting("SAFELECT_EMAIL_FROM", "safelect <noreply@safelect.invalid>", "From address of notices."),
    Setting(
        "SAFELECT_CONGRESS_LIAISON_EMAIL",
        "",
        "Address (the office of legislative affairs) that also receives each notification of Congress about a significant incident.",
    ),
    Setting("SAFELECT_EMAIL_BACKEND", "smtp", "smtp (deliver) or console (print emails; for a demo without a mail server)."),
    Setting(
        "SAFELECT_ENACTMENT_DATE",
        "2018-02-14",
        "The assumed 'date of enactment' of S.2261 and H.R. 5011, from which statutory clocks count (YYYY-MM-DD).",
    ),
    Setting(
        "SAFELECT_OBLIGATION_POLICY_TARGETS",
        "{}",
        "JSON mapping duty code → days for duties whose statute says only 'promptly' (internal policy targets, never law), e.g. {\"S2261-4h1\": 2}.",
    ),
    Setting(
        "SAFELECT_NODE_MODULES",
        None,
        "Folder holding node_modules/@uswds/uswds (installed by `npm ci`). Default: the source checkout's node_modules.",
    ),
    Setting(
        "SAFELECT_WEBHOOK_ALLOW_PRIVATE",
        "false",
        "true lets webhooks target loopback, private and link-local addresses and plain http (tests and closed networks only).",
    ),
    Setting(
        "SAFELECT_BEHIND_TLS_PROXY",
        "false",
        "true when a TLS-terminating proxy sets X-Forwarded-Proto: https (sets SECURE_PROXY_SSL_HEADER and redirects http to https).",
    ),
    Setting(
        "SAFELECT_HSTS_SECONDS",
        "0",
        "Strict-Transport-Security max-age in seconds (set e.g. 31536000 once the site is served only over https).",
    ),
    Setting(
        "SAFELECT_JOURNAL_KEY",
        None,
        "Key (≥ 32 characters) that signs the journal's checkpoints; keep it away from the database host. Unset: read from SAFELECT_JOURNAL_KEY_FILE.",
    ),
    Setting(
        "SAFELECT_JOURNAL_KEY_FILE",
        None,
        "File holding the checkpoint key. Default: SAFELECT_HOME/journal-checkpoint.key (generated once, mode 0600).",
    ),
    Setting(
        "SAFELECT_JOURNAL_CHECKPOINTS",
        None,
        "Append-only file of signed journal checkpoints; keep it on another machine or write-once storage. Default: SAFELECT_HOME/journal-checkpoints.jsonl.",
    ),
    Setting(
        "SAFELECT_JOURNAL_PARTITIONS",
        "8",
        "Number of hash chains the journal is written in (1–64): that many transactions can append at once. Changing it later is safe.",
    ),
    Setting("SAFELECT_LOG_LEVEL", "INFO", "Python log level for safelect's own loggers."),
)
_BY_NAME = {s.name: s for s in SETTINGS}


def raw(name: str) -> str | None:
    """The variable's value, or its declared default."""
    value = os.environ.get(name)
    if value is None or value == "":
        return _BY_NAME[name].default if name in _BY_NAME else None
    return value


def text(name: str) -> str:
    return raw(name) or ""


def boolean(name: str) -> bool:
    value = text(name).strip().lower()
    if value in {"1", "true", "yes", "on"}:
        return True
    if value in {"0", "false", "no", "off", ""}:
        return False
    raise ConfigurationError(f"{name}={value!r} is not a boolean: use true or false")


def integer(name: str, *, minimum: int = 0, maximum: int = 65535) -> int:
    value = text(name).strip()
    try:
        number = int(value)
    except ValueError:
        raise ConfigurationError(f"{name}={value!r} is not a whole number") from None
    if not minimum <= number <= maximum:
        raise ConfigurationError(f"{name}={number} is out of range {minimum}..{maximum}")
    return number


def date(name: str) -> dt.date:
    value = text(name).strip()
    try:
        return dt.date.fromisoformat(value)
    except ValueError:
        raise ConfigurationError(f"{name}={value!r} is not a date: write it as YYYY-MM-DD") from None


def day_targets(name: str) -> dict[str, int]:
    """A JSON object of duty code → whole days (≥ 1)."""
    import json

    value = text(name).strip() or "{}"
    try:
        mapping = json.loads(value)
    except ValueError:
        raise ConfigurationError(f'{name} is not JSON: write e.g. {{"S2261-4h1": 2}}') from None
    if not isinstance(mapping, dict) or not all(
        isinstance(k, str) and isinstance(v, int) and not isinstance(v, bool) and v >= 1 for k, v in mapping.items()
    ):
        raise ConfigurationError(f'{name} must map duty codes to whole days of at least 1, e.g. {{"S2261-4h1": 2}}')
    return mapping


def csv_list(name: str) -> list[str]:
    return [part.strip() for part in text(name).split(",") if part.strip()]


def safelect_home() -> Path:
    """The data directory, created if needed; refuses one that cannot be written."""
    configured = raw("SAFELECT_HOME")
    home = Path(configured).expanduser() if configured else Path(platformdirs.user_data_dir("safelect"))
    try:
        home.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise ConfigurationError(
            f"SAFELECT_HOME={home} cannot be created ({exc.strerror}): point SAFELECT_HOME at a writable folder"
        ) from None
    if not home.is_dir():
        raise ConfigurationError(f"SAFELECT_HOME={home} is not a folder: point SAFELECT_HOME at a writable folder")
    import tempfile

    try:
        with tempfile.NamedTemporaryFile(dir=home, prefix=".write-test-"):
            pass
    except OSError as exc:
        raise ConfigurationError(
            f"SAFELECT_HOME={home} is not writable ({exc.strerror}): point SAFELECT_HOME at a writable folder"
        ) from None
    return home.resolve()


def secret_key(home: Path) -> str:
    """The configured key, or one generated once and kept beside the data."""
    configured = raw("SAFELECT_SECRET_KEY")
    if configured:
        if len(configured) < 32:
            raise ConfigurationError("SAFELECT_SECRET_KEY is shorter than 32 characters: use a long random value")
        return configured
    path = home / "secret_key"
    if not path.exists():
        import secrets
        import tempfile

        # Write the key to a private temporary file, then link it into place: a process that
        # loses the race reads the winner's complete key, never a half-written one.
        fd, temporary = tempfile.mkstemp(dir=home, prefix=".secret_key-")
        try:
            with os.fdopen(fd, "w") as handle:
                handle.write(secrets.token_urlsafe(50))
            try:
                os.link(temporary, path)
            except FileExistsError:
                pass
        finally:
            os.unlink(temporary)
    return path.read_text().strip()


def node_modules() -> Path:
    configured = raw("SAFELECT_NODE_MODULES")
    if configured:
        return Path(configured).expanduser()
    return Path(__file__).resolve().parents[3] / "node_modules"
