"""The `safelect` command as a newcomer meets it: help, bad configuration, a shared data directory."""

import json
import os
import subprocess
import sys
import time
from pathlib import Path

SAFELECT = str(Path(sys.executable).with_name("safelect"))


def wait_ready(process):
    for line in process.stdout:
        if line.strip() == "ready":
            return True
    return False


def run(*args, env=None, timeout=120):
    full_env = {**os.environ, **(env or {})}
    return subprocess.run([SAFELECT, *args], capture_output=True, text=True, env=full_env, timeout=timeout)


def test_help_on_every_level_needs_no_database():
    top = run("--help", env={"DATABASE_URL": "postgres://nobody@127.0.0.1:1/none"})
    assert top.returncode == 0 and "directory" in top.stdout and "rla" in top.stdout
    for command in (["directory"], ["demo"], ["serve"], ["worker"], ["check"], ["migrate"]):
        result = run(*command, "--help", env={"DATABASE_URL": "postgres://nobody@127.0.0.1:1/none"})
        assert result.returncode == 0, (command, result.stderr)
        assert "usage: safelect" in result.stdout


def test_importing_the_settings_starts_no_database(tmp_path):
    """Settings are read from the environment only; the embedded server starts on the first
    connection (safelect.config.embedded), and `--help` on a fresh home creates no data directory."""
    home = tmp_path / "home"
    env = {**os.environ, "SAFELECT_HOME": str(home), "DJANGO_SETTINGS_MODULE": "safelect.config.settings"}
    env.pop("DATABASE_URL", None)
    code = "import django; django.setup(); from django.urls import resolve; resolve('/'); print('ok')"
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, env=env, timeout=120)
    assert result.stdout.strip() == "ok", result.stderr
    assert not (home / "pgdata").exists()
    assert run("directory", "--help", env={"SAFELECT_HOME": str(home)}).returncode == 0
    assert not (home / "pgdata").exists()


def test_unknown_command_is_refused():
    result = run("frobnicate")
    assert result.returncode == 2 and "unknown command 'frobnicate'" in result.stderr


def test_unreachable_database_url_is_one_clear_line():
    result = run("directory", "show", env={"DATABASE_URL": "postgres://safelect@127.0.0.1:1/safelect"})
    assert result.returncode == 2
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1, result.stderr
    assert lines[0].startswith("safelect: cannot reach the database at 127.0.0.1:1/safelect")
    assert "DATABASE_URL" in lines[0] and "Traceback" not in result.stderr


def test_database_url_of_another_engine_is_refused():
    result = run("check", env={"DATABASE_URL": "mysql://x@localhost/db"})
    assert result.returncode == 2 and "PostgreSQL only" in result.stderr


def test_unwritable_home_is_one_clear_line():
    # /proc refuses new folders even to root, so this holds in CI too.
    result = run("check", env={"SAFELECT_HOME": "/proc/safelect-home"})
    assert result.returncode == 2, result.stderr
    assert result.stderr.strip() == result.stderr.strip().splitlines()[0]
    assert result.stderr.startswith("safelect: SAFELECT_HOME=/proc/safelect-home cannot be created")
    assert "point SAFELECT_HOME at a writable folder" in result.stderr


def test_home_that_is_a_file_is_one_clear_line(tmp_path):
    home = tmp_path / "not-a-folder"
    home.write_text("x")
    result = run("check", env={"SAFELECT_HOME": str(home)})
    assert result.returncode == 2
    assert result.stderr.strip().count("\n") == 0 and "SAFELECT_HOME" in result.stderr, result.stderr


def test_bad_setting_value_names_the_variable(tmp_path):
    result = run("check", env={"SAFELECT_HOME": str(tmp_path), "SAFELECT_ENACTMENT_DATE": "next tuesday"})
    assert result.returncode == 2
    assert "SAFELECT_ENACTMENT_DATE='next tuesday' is not a date" in result.stderr


def _server_pids(home: Path) -> set[int]:
    pid_file = home / "pgdata" / "postmaster.pid"
    return {int(pid_file.read_text().splitlines()[0])} if pid_file.exists() else set()


def _alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
        return True
    except ProcessLookupError:
        return False


def test_two_processes_share_one_embedded_server(tmp_path):
    """The second process joins the running server; the last one out stops it."""
    env = {**os.environ, "SAFELECT_HOME": str(tmp_path)}
    env.pop("DATABASE_URL", None)
    assert run("migrate", env=env).returncode == 0
    holder = subprocess.Popen(
        [
            SAFELECT,
            "shell",
            "-c",
            "import time; from django.db import connection; connection.ensure_connection(); print('ready', flush=True); time.sleep(30)",
        ],
        env=env,
        stdout=subprocess.PIPE,
        text=True,
    )
    try:
        assert wait_ready(holder)
        (server_pid,) = _server_pids(tmp_path)
        second = run("check", env=env)
        assert second.returncode == 0, second.stderr
        assert "database:  ok" in second.stdout
        assert "the application role safelect_app cannot rewrite the journal" in second.stdout
        assert _server_pids(tmp_path) == {server_pid}, "the second process must reuse the running server"
        assert _alive(server_pid), "the second process must not stop a server the first still uses"
    finally:
        holder.terminate()
        holder.wait(timeout=30)
    deadline = time.time() + 15
    while _alive(server_pid) and time.time() < deadline:
        time.sleep(0.2)
    assert not _alive(server_pid), "the last process out stops the embedded server"


def test_killed_holder_does_not_keep_the_server_forever(tmp_path):
    env = {**os.environ, "SAFELECT_HOME": str(tmp_path)}
    env.pop("DATABASE_URL", None)
    victim = subprocess.Popen(
        [
            SAFELECT,
            "shell",
            "-c",
            "from django.db import connection; connection.ensure_connection(); print('ready', flush=True); import time; time.sleep(60)",
        ],
        env=env,
        stdout=subprocess.PIPE,
        text=True,
    )
    assert wait_ready(victim)
    (server_pid,) = _server_pids(tmp_path)
    victim.kill()
    victim.wait()
    assert run("check", env=env).returncode == 0
    deadline = time.time() + 15
    while _alive(server_pid) and time.time() < deadline:
        time.sleep(0.2)
    assert not _alive(server_pid)


def test_directory_load_twice_changes_nothing_the_second_time(tmp_path):
    env = {**os.environ, "SAFELECT_HOME": str(tmp_path)}
    env.pop("DATABASE_URL", None)
    assert run("migrate", env=env).returncode == 0
    first = json.loads(run("directory", "load", "--json", env=env).stdout)
    second = json.loads(run("directory", "load", "--json", env=env).stdout)
    assert first["changed"] > 20000 and second["changed"] == 0
    shown = json.loads(run("directory", "show", "--json", env=env).stdout)
    assert shown["state_count"] == 56 and shown["jurisdiction_count"] >= 6000


def test_two_processes_starting_a_fresh_home_at_once_both_succeed(tmp_path):
    """Both race to initialise the cluster and create the database; neither may fail."""
    env = {**os.environ, "SAFELECT_HOME": str(tmp_path)}
    env.pop("DATABASE_URL", None)
    first = subprocess.Popen([SAFELECT, "check"], env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    second = subprocess.Popen([SAFELECT, "check"], env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    results = [p.communicate(timeout=120) + (p.returncode,) for p in (first, second)]
    for out, err, code in results:
        assert code == 0, err
        assert "database:  ok" in out


def test_demo_serves_and_ctrl_c_stops_server_worker_and_database(tmp_path):
    import signal
    import socket
    import urllib.request

    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    env = {**os.environ, "SAFELECT_HOME": str(tmp_path), "SAFELECT_EMAIL_BACKEND": "console"}
    env.pop("DATABASE_URL", None)
    demo = subprocess.Popen(
        [SAFELECT, "demo", "--no-browser", "--port", str(port)], env=env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True
    )
    try:
        deadline = time.time() + 120
        while True:
            try:
                with urllib.request.urlopen(f"http://127.0.0.1:{port}/directory/states/PR/", timeout=2) as page:
                    assert b"Puerto Rico" in page.read()
                    break
            except OSError:
                assert demo.poll() is None and time.time() < deadline, "the demo did not start serving"
                time.sleep(0.5)
        (server_pid,) = _server_pids(tmp_path)
        demo.send_signal(signal.SIGINT)
        output, _ = demo.communicate(timeout=60)
    finally:
        if demo.poll() is None:
            demo.kill()
    assert demo.returncode in (0, 130), output
    assert "Demo sign-ins" in output and "stopped." in output
    assert "Traceback" not in output and "error connecting" not in output
    deadline = time.time() + 15
    while _alive(server_pid) and time.time() < deadline:
        time.sleep(0.2)
    assert not _alive(server_pid), "Ctrl-C must stop the embedded database too"
