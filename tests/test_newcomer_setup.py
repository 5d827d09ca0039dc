"""A newcomer's two commands on any machine (issue 16).

`make test` on a bare machine: labimpact.testenv brings throwaway PostgreSQL and Redis. Each
test runs the wrapper in a subprocess with the default addresses pointed at closed ports, so
the throwaway path is taken even where CI's services answer. Then `make run`'s port check and
the quiet demo loader.
"""

import os
import re
import signal
import socket
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest
from django.conf import settings

from labimpact.testenv import DEFAULT_DATABASE_URL, answers, free_port

ROOT = Path(__file__).resolve().parent.parent
SERVICE_VARIABLES = ("DATABASE_URL", "REDIS_URL")

# What pytest would do against the servers: a query (full text, as sitesearch needs), a cache write.
CHILD = textwrap.dedent(
    """
    import os, psycopg2, redis
    connection = psycopg2.connect(os.environ["DATABASE_URL"])
    with connection, connection.cursor() as cursor:
        cursor.execute("SELECT to_tsvector('italian', 'Sportelli per le famiglie')::text")
        print("postgres", cursor.fetchone()[0])
    connection.close()
    print("redis", redis.Redis.from_url(os.environ["REDIS_URL"]).ping())
    """
)


def _closed_defaults():
    return [
        f"--default-database-url=postgres://postgres@127.0.0.1:{free_port()}/labimpact",
        f"--default-redis-url=redis://127.0.0.1:{free_port()}/0",
    ]


def _environment(**overrides):
    env = {k: v for k, v in os.environ.items() if k not in SERVICE_VARIABLES}
    return {**env, **overrides}


def _testenv(*args, env=None, **kwargs):
    return subprocess.Popen(
        [sys.executable, "-m", "labimpact.testenv", *args],
        cwd=ROOT,
        env=env or _environment(),
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        **kwargs,
    )


def _throwaway(output):
    """The throwaway folder and servers' URLs the wrapper announced."""
    folder = re.search(r"throwaway servers in (\S+),", output)
    urls = dict(re.findall(r"(DATABASE_URL|REDIS_URL)=(\S+) \(throwaway\)", output))
    return Path(folder.group(1)), urls


def _processes_using(folder):
    """Command lines of running processes that name the folder (Linux /proc)."""
    found = []
    for cmdline in Path("/proc").glob("[0-9]*/cmdline"):
        try:
            text = cmdline.read_bytes().replace(b"\0", b" ").decode(errors="replace")
        except OSError:  # the process ended meanwhile
            continue
        if str(folder) in text:
            found.append(text)
    return found


def _assert_gone(folder, urls):
    assert not folder.exists()
    assert not any(answers(url) for url in urls.values())
    assert _processes_using(folder) == []


def test_throwaway_servers_serve_the_command_and_are_removed_after():
    process = _testenv(*_closed_defaults(), "--", sys.executable, "-c", CHILD)
    out, err = process.communicate(timeout=120)

    assert process.returncode == 0, out + err
    assert "postgres 'famigl':4 'sportell':1" in out  # Italian stemming: the bundled dictionaries work
    assert "redis True" in out
    folder, urls = _throwaway(out)
    assert sorted(urls) == ["DATABASE_URL", "REDIS_URL"]
    _assert_gone(folder, urls)


def test_sigterm_stops_the_command_then_the_servers_and_removes_the_folder():
    child = "import time; print('running', flush=True); time.sleep(120)"
    process = _testenv(*_closed_defaults(), "--", sys.executable, "-c", child)
    lines = []
    for line in process.stdout:
        lines.append(line)
        if line.startswith("running"):
            break
    process.send_signal(signal.SIGTERM)
    out, err = process.communicate(timeout=60)

    assert process.returncode != 0
    assert "KeyboardInterrupt" in err  # pytest is asked to stop as on Ctrl-C, so it can tear down
    _assert_gone(*_throwaway("".join(lines) + out))


def _answering_defaults():
    # Under `make test` both variables name servers that answer; they play the defaults here.
    database_url = os.environ.get("DATABASE_URL", DEFAULT_DATABASE_URL)
    return [f"--default-database-url={database_url}", f"--default-redis-url={settings.REDIS_URL}"]


def test_services_answering_at_the_default_address_are_used_as_they_are():
    show = "import os; print(os.environ['DATABASE_URL'], os.environ['REDIS_URL'])"
    process = _testenv(*_answering_defaults(), "--", sys.executable, "-c", show)
    out, err = process.communicate(timeout=60)

    assert process.returncode == 0, err
    assert out.split() == [arg.split("=", 1)[1] for arg in _answering_defaults()]
    assert "throwaway" not in out


def test_sigterm_while_the_servers_start_removes_what_was_started():
    process = _testenv(*_closed_defaults(), "--", sys.executable, "-c", "raise SystemExit(0)")
    first = process.stdout.readline()  # the folder exists; initdb or the server is starting
    process.send_signal(signal.SIGTERM)
    out, err = process.communicate(timeout=60)

    assert process.returncode == 130, err
    folder, urls = _throwaway(first + out)
    _assert_gone(folder, urls)


def test_the_commands_exit_status_is_kept_so_no_test_run_still_fails():
    process = _testenv(*_answering_defaults(), "--", sys.executable, "-c", "raise SystemExit(5)")
    process.communicate(timeout=60)
    assert process.returncode == 5


@pytest.mark.parametrize("name", SERVICE_VARIABLES)
def test_an_explicit_url_that_does_not_answer_fails_fast_naming_its_variable(name, tmp_path):
    dead = {"DATABASE_URL": "postgres://postgres@127.0.0.1:{}/labimpact", "REDIS_URL": "redis://127.0.0.1:{}/0"}
    marker = tmp_path / "ran"
    process = _testenv(
        *_closed_defaults(), "--", sys.executable, "-c", f"open({str(marker)!r}, 'w')",
        env=_environment(**{name: dead[name].format(free_port())}),
    )  # fmt: skip
    out, err = process.communicate(timeout=60)

    assert process.returncode == 2
    assert f"{name} points at 127.0.0.1:" in err
    assert "throwaway" not in out  # a typo never switches to a throwaway server
    assert not marker.exists()


@pytest.mark.parametrize("name", SERVICE_VARIABLES)
def test_test_settings_refuse_an_explicit_url_that_does_not_answer(name):
    dead = {"DATABASE_URL": "postgres://postgres@127.0.0.1:{}/x", "REDIS_URL": "redis://127.0.0.1:{}/0"}
    env = _environment(DJANGO_SETTINGS_MODULE="labimpact.settings.test", **{name: dead[name].format(free_port())})
    result = subprocess.run(
        [sys.executable, "-c", "import django; django.setup()"], cwd=ROOT, env=env, capture_output=True, text=True
    )
    assert result.returncode != 0
    assert f"ImproperlyConfigured: {name} points at 127.0.0.1:" in result.stderr


def test_the_default_celery_broker_names_a_host_so_eager_tasks_log_no_warning(caplog):
    from kombu import Connection

    # kombu warns "No hostname was supplied" (shown by load_demo) when the broker URL lacks one.
    Connection(settings.CELERY_BROKER_URL).clone()
    assert "hostname" not in caplog.text


def test_make_run_stops_with_a_hint_when_its_port_is_taken():
    with socket.socket() as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen()
        address = f"127.0.0.1:{taken.getsockname()[1]}"
        result = subprocess.run(
            [sys.executable, "tools/check_port.py", address], cwd=ROOT, capture_output=True, text=True
        )
    assert result.returncode == 1
    assert f"Cannot serve on {address}" in result.stderr
    assert "make run HOST=127.0.0.1:8001" in result.stderr
    assert subprocess.run([sys.executable, "tools/check_port.py", address], cwd=ROOT).returncode == 0
