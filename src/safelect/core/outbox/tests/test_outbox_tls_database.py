"""Email is delivered when the database speaks TLS.

libpq's default ``sslmode=prefer`` uses TLS whenever the server offers it, which is the ordinary
production set-up behind ``DATABASE_URL``. The hand-off mark once went out as plaintext on the raw
socket, so every email ended FAILED on such a server. Here a PostgreSQL server is started on
loopback TCP with ``ssl=on`` and a self-signed certificate made in the test; safelect runs against
it in a subprocess with ``sslmode=require``, migrates, writes a notice and delivers it to a
loopback SMTP server in this process.

The embedded wheel's server is built without TLS ("SSL is not supported by this build"), so the
test uses Debian's PostgreSQL server binaries (package ``postgresql``, which ``.ci/run`` installs).
"""

from __future__ import annotations

import datetime as dt
import glob
import json
import os
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

import pytest
from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec
from cryptography.x509.oid import NameOID

from safelect.core.outbox.testing import LoopbackSmtp, free_port

SAFELECT = str(Path(sys.executable).with_name("safelect"))

SCRIPT = """
import json
from django.db import connection, transaction
from safelect.core.outbox import delivery, services
with transaction.atomic():
    notice = services.send("outbox.announcement", context={"title": "Over TLS", "message": "Hello",
                           "organization_kinds": ["congress"]}, addresses=["clerk@tls.example"])
stats = delivery.deliver_notice(notice.pk, "email", worker="tls-test")
with connection.cursor() as cursor:
    cursor.execute("select ssl, version from pg_stat_ssl where pid = pg_backend_pid()")
    ssl, version = cursor.fetchone()
from safelect.core.outbox.models import Delivery, DeliveryEvent
d = Delivery.objects.get(notice=notice)
print("RESULT " + json.dumps({"sent": stats.sent, "status": d.status, "error": d.last_error, "ssl": ssl,
      "version": version, "events": list(DeliveryEvent.objects.filter(delivery=d).values_list("event", flat=True))}))
"""


def _has_user(name: str, pwd) -> bool:
    try:
        pwd.getpwnam(name)
    except KeyError:
        return False
    return True


def _self_signed(directory: Path) -> tuple[Path, Path]:
    key = ec.generate_private_key(ec.SECP256R1())
    name = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, "localhost")])
    now = dt.datetime.now(dt.UTC)
    cert = (
        x509.CertificateBuilder()
        .subject_name(name)
        .issuer_name(name)
        .public_key(key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(now - dt.timedelta(minutes=5))
        .not_valid_after(now + dt.timedelta(days=1))
        .sign(key, hashes.SHA256())
    )
    cert_path, key_path = directory / "server.crt", directory / "server.key"
    cert_path.write_bytes(cert.public_bytes(serialization.Encoding.PEM))
    key_path.write_bytes(
        key.private_bytes(serialization.Encoding.PEM, serialization.PrivateFormat.TraditionalOpenSSL, serialization.NoEncryption())
    )
    return cert_path, key_path


@pytest.fixture
def tls_postgres():
    """A PostgreSQL server on 127.0.0.1 with TLS on; yields its port."""
    found = sorted(glob.glob("/usr/lib/postgresql/*/bin/pg_ctl"), key=lambda p: int(p.split("/")[4]))
    if not found:
        message = "Debian's PostgreSQL server (apt-get install postgresql) is needed for the TLS test"
        if os.environ.get("CI"):
            pytest.fail(message)
        pytest.skip(message)
    bindir = Path(found[-1]).parent
    user = None
    if os.geteuid() == 0:  # PostgreSQL refuses to run as root: use its own system user
        import pwd

        user = next(name for name in ("postgres", "embedded_postgres") if _has_user(name, pwd))
    tmp_path = Path(tempfile.mkdtemp(prefix="safelect-tls-"))  # /tmp itself: the server's user can reach it
    pgdata, tls = tmp_path / "pgdata", tmp_path / "tls"
    tls.mkdir()
    cert, key = _self_signed(tls)
    if user:
        shutil.chown(tmp_path, user)
        for path in (tls, cert, key):
            shutil.chown(path, user)
    key.chmod(0o600)
    run = {"check": True, "capture_output": True, "timeout": 120, "user": user}
    subprocess.run([str(bindir / "initdb"), "-D", str(pgdata), "-U", "postgres", "--auth=trust"], **run)
    # Every TCP connection must be TLS (the hand-off connection included): plaintext is rejected.
    (pgdata / "pg_hba.conf").write_text("local all all trust\nhostssl all all 127.0.0.1/32 trust\nhostnossl all all 0.0.0.0/0 reject\n")
    port = free_port()
    options = f"-h 127.0.0.1 -p {port} -k {tmp_path} -c ssl=on -c ssl_cert_file={cert} -c ssl_key_file={key}"
    started = subprocess.run(
        [str(bindir / "pg_ctl"), "-D", str(pgdata), "-w", "-l", str(tmp_path / "log"), "-o", options, "start"],
        capture_output=True,
        timeout=120,
        user=user,
    )
    assert started.returncode == 0, (tmp_path / "log").read_text()[-2000:]
    try:
        yield port
    finally:
        subprocess.run(
            [str(bindir / "pg_ctl"), "-D", str(pgdata), "-w", "-m", "immediate", "stop"], capture_output=True, timeout=60, user=user
        )
        shutil.rmtree(tmp_path, ignore_errors=True)


def test_email_is_delivered_through_a_tls_postgresql(tls_postgres, tmp_path):
    smtp = LoopbackSmtp()
    env = {
        **os.environ,
        "DATABASE_URL": f"postgres://postgres@127.0.0.1:{tls_postgres}/postgres?sslmode=require",
        "SAFELECT_HOME": str(tmp_path / "home"),
        "SAFELECT_EMAIL_BACKEND": "smtp",
        "SAFELECT_EMAIL_HOST": "127.0.0.1",
        "SAFELECT_EMAIL_PORT": str(smtp.port),
    }
    try:
        migrate = subprocess.run([SAFELECT, "migrate"], env=env, capture_output=True, text=True, timeout=300)
        assert migrate.returncode == 0, migrate.stderr[-2000:]
        done = subprocess.run([SAFELECT, "shell", "-c", SCRIPT], env=env, capture_output=True, text=True, timeout=120)
        assert done.returncode == 0, done.stderr[-2000:]
        result = json.loads(done.stdout.split("RESULT ", 1)[1])
        assert result["ssl"] is True and result["version"].startswith("TLS")
        assert result == {**result, "sent": 1, "status": "sent", "error": ""}, result
        assert result["events"] == ["handed_off", "sent"] or sorted(result["events"]) == ["handed_off", "sent"]
        (message,) = smtp.messages
        assert message["To"] == "clerk@tls.example" and message["Subject"] == "Over TLS"
    finally:
        smtp.stop()
