"""Load test: 200 readers in ten languages (and operators saving activities) for ≤ 60 s.

    .venv/bin/python benchmarks/load.py [--users 200] [--seconds 60] [--operators 10]
        [--scenarios browse,mixed,redis-stop] [--workers 3] [--threads 4]

Everything on loopback, everything stopped at exit: a `<DATABASE_URL name>_bench` database
(created, loaded as `make run` does, dropped), a private redis-server on a spare port, and
gunicorn (gthread) with the production settings (DEBUG off, resilient Redis cache, JSON
logs, whitenoise manifest) over plain HTTP. The load is a closed loop: each simulated user
asks for a page, waits 0.5–1.5 s, asks for the next.

Before the first scenario every page is fetched once in every language (not measured): a
fresh gunicorn worker imports and compiles templates on its first requests.

Scenarios (each at most --seconds, capped at 60):
- browse: readers only, pages of every kind in every language (some with junk `?utm_…`);
- mixed: the same, with --operators of them logged in as operators saving an activity with
  its beneficiaries every 5–15 s (add form, save, list);
- redis-stop: mixed, with Redis stopped at half time and started again at three quarters.

Reported per scenario: requests, errors (5xx, refused or timed-out requests), other
unexpected statuses, p50/p95/p99 latency, and for the operators how many saves answered
"saved" against how many activities the database holds afterwards (nothing lost).
Exit status 1 when any scenario had an error.
"""
# ruff: noqa: S311 - random pages and think times, not secrets

from __future__ import annotations

import argparse
import asyncio
import contextlib
import json
import os
import random
import re
import shutil
import signal
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import urlencode, urlsplit

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from benchmarks.run import create_postgres_database, free_port, percentile, prepare_data  # noqa: E402

HOST = "127.0.0.1"
MAX_SECONDS = 60
LANGS = ["it", "en", "fr", "es", "ar", "sq", "zh-hans", "uk", "ur", "bn"]
PAGES = [
    "/{lang}/",
    "/{lang}/il-piano/",
    "/{lang}/sportelli/",
    "/{lang}/sportelli/?q=Sesto+San+Giovanni",
    "/{lang}/sportelli/?q=cremona&open_now=on",
    "/{lang}/guide/",
    "/{lang}/ambiti/",
    "/{lang}/materiali/",
    "/{lang}/notizie/",
    "/{lang}/cerca/?q=scuola",
]
PASSWORD = "labimpact-demo"  # noqa: S105 - the public demo password (README)
OPERATORS = ["operatore_sesto", "operatore_cremona"]
TITLE = "Carico di prova"


# --- a small HTTP/1.1 client on asyncio streams (keep-alive, cookies) ----------------------


@dataclass
class Response:
    status: int
    headers: dict[str, str]
    body: bytes


class Connection:
    def __init__(self, port: int, timeout: float) -> None:
        self.port, self.timeout = port, timeout
        self.reader = self.writer = None
        self.cookies: dict[str, str] = {}

    async def close(self) -> None:
        if self.writer is not None:
            self.writer.close()
            with contextlib.suppress(Exception):
                await self.writer.wait_closed()
        self.reader = self.writer = None

    async def request(self, method: str, path: str, form: dict | None = None) -> Response:
        for attempt in (1, 2):  # a kept-alive connection the server closed meanwhile: once more
            try:
                return await asyncio.wait_for(self._request(method, path, form), self.timeout)
            except (ConnectionError, asyncio.IncompleteReadError) as exc:
                await self.close()
                if attempt == 2:
                    raise exc
            except BaseException:
                await self.close()
                raise
        raise AssertionError("unreachable")

    async def _request(self, method: str, path: str, form: dict | None) -> Response:
        if self.writer is None:
            self.reader, self.writer = await asyncio.open_connection(HOST, self.port)
        body = urlencode(form, doseq=True).encode() if form is not None else b""
        lines = [f"{method} {path} HTTP/1.1", f"Host: {HOST}", "Connection: keep-alive", "Accept-Encoding: identity"]
        if self.cookies:
            lines.append("Cookie: " + "; ".join(f"{k}={v}" for k, v in self.cookies.items()))
        if form is not None:
            lines += ["Content-Type: application/x-www-form-urlencoded", f"Content-Length: {len(body)}"]
        self.writer.write(("\r\n".join(lines) + "\r\n\r\n").encode() + body)
        await self.writer.drain()
        head = await self.reader.readuntil(b"\r\n\r\n")
        status_line, *header_lines = head.decode("latin-1").split("\r\n")
        status = int(status_line.split()[1])
        headers: dict[str, str] = {}
        for line in filter(None, header_lines):
            name, _, value = line.partition(":")
            name, value = name.strip().lower(), value.strip()
            if name == "set-cookie":
                cookie = value.split(";", 1)[0]
                key, _, val = cookie.partition("=")
                self.cookies[key] = val
            headers[name] = value
        if headers.get("transfer-encoding") == "chunked":
            chunks = []
            while True:
                size = int((await self.reader.readuntil(b"\r\n")).split(b";")[0], 16)
                data = await self.reader.readexactly(size + 2)
                if size == 0:
                    break
                chunks.append(data[:-2])
            content = b"".join(chunks)
        elif "content-length" in headers:
            content = await self.reader.readexactly(int(headers["content-length"]))
        else:
            content = await self.reader.read()
            await self.close()
        if headers.get("connection", "").lower() == "close":
            await self.close()
        return Response(status, headers, content)


# --- what the users do -----------------------------------------------------------------------


@dataclass
class Stats:
    latencies: list[float] = field(default_factory=list)
    errors: list[str] = field(default_factory=list)
    unexpected: list[str] = field(default_factory=list)
    saves: int = 0
    by_phase: dict[str, list[float]] = field(default_factory=dict)
    errors_by_phase: dict[str, int] = field(default_factory=dict)


class Clock:
    def __init__(self, seconds: float) -> None:
        self.start = time.monotonic()
        self.seconds = seconds
        self.phase = "all"

    def running(self) -> bool:
        return time.monotonic() - self.start < self.seconds


async def timed(stats: Stats, clock: Clock, connection: Connection, method: str, path: str, form=None, expect=(200,)):
    started = time.monotonic()
    phase = clock.phase
    try:
        response = await connection.request(method, path, form)
    except Exception as exc:  # refused, reset, timed out: an error the reader sees
        stats.errors.append(f"{method} {path}: {type(exc).__name__}")
        stats.errors_by_phase[phase] = stats.errors_by_phase.get(phase, 0) + 1
        return None
    elapsed = (time.monotonic() - started) * 1000
    stats.latencies.append(elapsed)
    stats.by_phase.setdefault(phase, []).append(elapsed)
    if response.status >= 500:
        stats.errors.append(f"{method} {path}: {response.status}")
        stats.errors_by_phase[phase] = stats.errors_by_phase.get(phase, 0) + 1
    elif response.status not in expect:
        stats.unexpected.append(f"{method} {path}: {response.status}")
    return response


async def reader(port: int, pages: list[str], stats: Stats, clock: Clock, rng: random.Random) -> None:
    connection = Connection(port, timeout=30)
    lang = rng.choice(LANGS)
    try:
        while clock.running():
            path = rng.choice(pages).format(lang=lang)
            if rng.random() < 0.1:  # campaign links: must not multiply cache entries
                path += ("&" if "?" in path else "?") + f"utm_source=load{rng.randrange(10**6)}"
            await timed(stats, clock, connection, "GET", path)
            await asyncio.sleep(rng.uniform(0.5, 1.5))
    finally:
        await connection.close()


_CSRF = re.compile(rb'name="csrfmiddlewaretoken" value="([^"]+)"')
_SELECTED_AMBITO = re.compile(rb'<select name="ambito"[^>]*>.*?<option value="(\d+)" selected', re.S)


async def operator(
    port: int, username: str, stats: Stats, clock: Clock, rng: random.Random, n: int, scenario_name: str
) -> None:
    connection = Connection(port, timeout=30)
    try:
        page = await timed(stats, clock, connection, "GET", "/admin/login/")
        if page is None:
            return
        token = _CSRF.search(page.body).group(1).decode()
        login = {"csrfmiddlewaretoken": token, "username": username, "password": PASSWORD, "next": "/admin/"}
        await timed(stats, clock, connection, "POST", "/admin/login/?next=/admin/", login, expect=(302,))
        week = 0
        while clock.running():
            add = await timed(stats, clock, connection, "GET", "/admin/reports/activity/add/")
            if add is not None and add.status == 200:
                token = _CSRF.search(add.body).group(1).decode()
                ambito = _SELECTED_AMBITO.search(add.body).group(1).decode()
                week += 1
                saved = await timed(
                    stats, clock, connection, "POST", "/admin/reports/activity/add/",
                    # The scenario in the title: the portal refuses an activity identical to one
                    # already saved, and each scenario's operators count their weeks from 1.
                    _activity(token, ambito, f"{TITLE} {scenario_name} {username} {n}-{week}"), expect=(302,),
                )  # fmt: skip
                if saved is not None and saved.status == 302:
                    stats.saves += 1
            await timed(stats, clock, connection, "GET", "/admin/reports/activity/")
            await asyncio.sleep(rng.uniform(5, 15))  # filling in the next form
    finally:
        await connection.close()


def _activity(token: str, ambito: str, title: str) -> dict:
    return {
        "csrfmiddlewaretoken": token, "ambito": ambito, "kind": "laboratorio_l2", "macro_azione": "",
        "title": title, "start_date": "2021-10-04", "end_date": "2021-10-04", "hours": "2",
        "place": "Aula 3", "comune": "", "school": "", "declared_total": "7", "notes": "",
        "beneficiaries-TOTAL_FORMS": "1", "beneficiaries-INITIAL_FORMS": "0",
        "beneficiaries-MIN_NUM_FORMS": "0", "beneficiaries-MAX_NUM_FORMS": "1000",
        "beneficiaries-0-beneficiary_type": "alunno", "beneficiaries-0-sex": "F",
        "beneficiaries-0-age_band": "6-10", "beneficiaries-0-nationality_group": "nord_africa",
        "beneficiaries-0-count": "7",
    }  # fmt: skip


# --- processes ---------------------------------------------------------------------------------


class Redis:
    def __init__(self, workdir: Path) -> None:
        self.port = next(p for p in range(6401, 6410) if _port_free(p))
        self.dir = workdir / "redis"
        self.dir.mkdir(exist_ok=True)
        self.process: subprocess.Popen | None = None

    @property
    def url(self) -> str:
        return f"redis://{HOST}:{self.port}/0"

    def start(self) -> None:
        binary = shutil.which("redis-server") or "/usr/bin/redis-server"
        self.process = subprocess.Popen(  # noqa: S603 - fixed argument list
            [binary, "--port", str(self.port), "--bind", HOST, "--dir", str(self.dir), "--save", "",
             "--appendonly", "yes"],
            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
        )  # fmt: skip
        _wait_port(self.port)

    def stop(self) -> None:
        if self.process is not None and self.process.poll() is None:
            self.process.terminate()
            self.process.wait(10)
        self.process = None


def _port_free(port: int) -> bool:
    import socket

    with socket.socket() as probe:
        return probe.connect_ex((HOST, port)) != 0


def _wait_port(port: int, timeout: float = 60) -> None:
    deadline = time.monotonic() + timeout
    while _port_free(port):
        if time.monotonic() > deadline:
            raise RuntimeError(f"nothing answered on port {port}")
        time.sleep(0.1)


@contextlib.contextmanager
def gunicorn(env: dict, workers: int, threads: int, log: Path):
    port = int(os.environ.get("LOAD_PORT", "0")) or free_port()
    command = [
        sys.executable, "-m", "gunicorn", "labimpact.wsgi:application", f"--bind={HOST}:{port}",
        f"--workers={workers}", "--worker-class=gthread", f"--threads={threads}", "--keep-alive=5",
        "--backlog=2048", "--no-control-socket", "--log-level=warning", f"--chdir={ROOT}",
    ]  # fmt: skip
    with log.open("ab") as out:
        process = subprocess.Popen(  # noqa: S603 - fixed argument list
            command, cwd=ROOT, env=env, stdout=out, stderr=subprocess.STDOUT, start_new_session=True
        )
    try:
        _wait_port(port)
        yield port
    finally:
        process.send_signal(signal.SIGINT)
        try:
            process.wait(15)
        except subprocess.TimeoutExpired:
            os.killpg(process.pid, signal.SIGKILL)


def _count_activities(database_url: str) -> int:
    import psycopg2

    parts = urlsplit(database_url)
    with contextlib.closing(
        psycopg2.connect(dbname=parts.path.lstrip("/"), user=parts.username, password=parts.password,
                         host=parts.hostname, port=parts.port or 5432)
    ) as db, db.cursor() as cursor:  # fmt: skip
        cursor.execute("SELECT count(*) FROM reports_activity WHERE title LIKE %s", [f"{TITLE}%"])
        return cursor.fetchone()[0]


# --- a scenario --------------------------------------------------------------------------------


async def scenario(name: str, port: int, pages: list[str], args, redis: Redis) -> Stats:
    stats = Stats()
    seconds = min(args.seconds, MAX_SECONDS)
    clock = Clock(seconds)
    operators = args.operators if name in ("mixed", "redis-stop") else 0
    rng = random.Random(42)
    tasks = [
        asyncio.create_task(reader(port, pages, stats, clock, random.Random(rng.random())))
        for _ in range(args.users - operators)
    ]
    tasks += [
        asyncio.create_task(operator(port, OPERATORS[i % len(OPERATORS)], stats, clock, random.Random(i), i, name))
        for i in range(operators)
    ]
    if name == "redis-stop":
        clock.phase = "redis up"
        await asyncio.sleep(seconds / 2)
        redis.stop()
        clock.phase = "redis down"
        await asyncio.sleep(seconds / 4)
        redis.start()
        clock.phase = "redis back"
    await asyncio.gather(*tasks)
    return stats


async def warm_up(port: int, pages: list[str], parallel: int) -> None:
    """Each worker imports, compiles templates and connects before the clock starts."""
    paths = [page.format(lang=lang) for lang in LANGS for page in pages] + ["/admin/login/"] * parallel
    queue = asyncio.Queue()
    for path in paths:
        queue.put_nowait(path)

    async def work() -> None:
        connection = Connection(port, timeout=120)
        try:
            while not queue.empty():
                with contextlib.suppress(Exception):
                    await connection.request("GET", queue.get_nowait())
        finally:
            await connection.close()

    await asyncio.gather(*(work() for _ in range(parallel)))


def report(name: str, stats: Stats, seconds: float, saved_in_db: int | None) -> dict:
    ordered = sorted(stats.latencies)
    result = {
        "scenario": name,
        # Answered requests plus those that got no answer (refused, reset, timed out).
        "requests": len(stats.latencies) + sum(1 for e in stats.errors if not e[-1].isdigit()),
        "errors": len(stats.errors),
        "unexpected": len(stats.unexpected),
        "rps": round(len(ordered) / seconds, 1),
        "p50_ms": round(percentile(ordered, 50) or 0, 1),
        "p95_ms": round(percentile(ordered, 95) or 0, 1),
        "p99_ms": round(percentile(ordered, 99) or 0, 1),
    }
    if stats.saves or saved_in_db:
        result["saves_answered"] = stats.saves
        result["activities_in_db"] = saved_in_db
    if len(stats.by_phase) > 1:
        result["phases"] = {
            phase: {"requests": len(v), "errors": stats.errors_by_phase.get(phase, 0),
                    "p95_ms": round(percentile(sorted(v), 95) or 0, 1)}
            for phase, v in stats.by_phase.items()
        }  # fmt: skip
    if stats.errors:
        kinds: dict[str, int] = {}
        for error in stats.errors:
            kind = error.rsplit(": ", 1)[-1]
            kinds[kind] = kinds.get(kind, 0) + 1
        result["error_kinds"] = kinds  # a status code, or what happened instead of an answer
        result["first_errors"] = stats.errors[:5]
    if stats.unexpected:
        result["first_unexpected"] = stats.unexpected[:5]
    return result


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--users", type=int, default=200)
    parser.add_argument("--operators", type=int, default=10)
    parser.add_argument("--seconds", type=int, default=60)
    parser.add_argument("--workers", type=int, default=3)
    parser.add_argument("--threads", type=int, default=4)
    parser.add_argument("--scenarios", default="browse,mixed,redis-stop")
    args = parser.parse_args(argv)
    database_env = os.environ.get("DATABASE_URL", "")
    if not database_env.startswith(("postgres://", "postgresql://")):
        print("Set DATABASE_URL to a postgres:// URL (a <name>_bench database is created next to it).")
        return 2
    results = []
    with contextlib.ExitStack() as stack:
        workdir = Path(tempfile.mkdtemp(prefix="labimpact-load-"))
        stack.callback(shutil.rmtree, workdir, ignore_errors=True)
        database_url, where = create_postgres_database(database_env, stack)
        print(f"database: {where}")
        prepare_data(database_url)
        redis = Redis(workdir)
        redis.start()
        stack.callback(redis.stop)
        env = {
            **os.environ,
            "DJANGO_SETTINGS_MODULE": "labimpact.settings.production",
            "DJANGO_SECRET_KEY": "load-test-only-" + "x" * 50,
            "DJANGO_ALLOWED_HOSTS": HOST,
            "SITE_URL": f"http://{HOST}",
            "DATABASE_URL": database_url,
            "REDIS_URL": redis.url,
            "EMAIL_HOST": "localhost",
            "SECURE_SSL_REDIRECT": "false",
            "SECURE_HSTS_SECONDS": "0",
            "DJANGO_STATIC_ROOT": str(workdir / "static"),
            "DJANGO_MEDIA_ROOT": str(workdir / "media"),
            "LOG_LEVEL": "WARNING",
            "TWO_FACTOR_REQUIRED": "true",
        }
        subprocess.run(
            [sys.executable, "manage.py", "collectstatic", "--no-input", "-v0"], cwd=ROOT, env=env, check=True
        )
        log = workdir / "gunicorn.log"
        port = stack.enter_context(gunicorn(env, args.workers, args.threads, log))
        print(f"gunicorn: {args.workers} workers × {args.threads} threads on {HOST}:{port}; redis on {redis.port}")
        desks = _desk_paths(database_url)
        pages = PAGES + [f"/{{lang}}/sportelli/{slug}/" for slug in desks]
        print("warm-up: every page once in every language, every worker")
        asyncio.run(warm_up(port, pages, args.workers * args.threads))
        for name in args.scenarios.split(","):
            seconds, load = min(args.seconds, MAX_SECONDS), os.getloadavg()[0]
            print(f"\n{name}: {args.users} users for {seconds} s (load average {load:.1f})")
            before = _count_activities(database_url)
            stats = asyncio.run(scenario(name, port, pages, args, redis))
            if redis.process is None:
                redis.start()
            saved = _count_activities(database_url) - before
            result = report(name, stats, min(args.seconds, MAX_SECONDS), saved if name != "browse" else None)
            print(json.dumps(result, indent=2, ensure_ascii=False))
            results.append(result)
        errors_5xx = [line for line in log.read_text(errors="replace").splitlines() if '"level": "ERROR"' in line]
        if errors_5xx:
            print(f"\nserver log: {len(errors_5xx)} error lines, first: {errors_5xx[0][:300]}")
    return 1 if any(r["errors"] for r in results) else 0


def _desk_paths(database_url: str) -> list[str]:
    import psycopg2

    parts = urlsplit(database_url)
    with contextlib.closing(
        psycopg2.connect(dbname=parts.path.lstrip("/"), user=parts.username, password=parts.password,
                         host=parts.hostname, port=parts.port or 5432)
    ) as db, db.cursor() as cursor:  # fmt: skip
        cursor.execute("SELECT slug FROM services_sportello WHERE is_published ORDER BY slug LIMIT 20")
        return [row[0] for row in cursor.fetchall()]


if __name__ == "__main__":
    sys.exit(main())
