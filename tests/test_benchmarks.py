"""benchmarks/run.py cannot rot silently: its parsers, ratios and client checked on samples.

The benchmark itself (gunicorn under load for minutes) runs with `make bench`, never here.
"""

import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest
from django.test import override_settings

from benchmarks import run

WRK_OUTPUT = """\
Running 10s test @ http://127.0.0.1:40111/it/sportelli/?q=Sesto+San+Giovanni
  2 threads and 8 connections
  Thread Stats   Avg      Stdev     Max   +/- Stdev
    Latency     5.47ms    1.00ms  14.52ms   78.44%
    Req/Sec   724.58     74.68     0.85k    62.00%
  Latency Distribution
     50%    5.24ms
     75%    5.88ms
     90%    6.75ms
     99%    8.94ms
  14423 requests in 10.01s, 197.96MB read
Requests/sec:   1441.71
Transfer/sec:     19.76MB
"""

WRK_OUTPUT_WITH_ERRORS = """\
Running 2s test @ http://127.0.0.1:40111/it/sportelli/
  2 threads and 8 connections
  Latency Distribution
     50%  450.00us
     75%    1.20ms
     90%    1.02s
     99%    2.00m
  300 requests in 2.00s, 1.00MB read
  Socket errors: connect 0, read 2, write 0, timeout 3
  Non-2xx or 3xx responses: 40
Requests/sec:    150.00
Transfer/sec:    500.00KB
"""


def test_wrk_output_gives_rate_latencies_and_no_errors():
    measurement = run.parse_wrk(WRK_OUTPUT)
    assert measurement.requests == 14423
    assert measurement.seconds == pytest.approx(10.01)
    assert measurement.requests_per_second == pytest.approx(1441.71)
    assert measurement.p50_ms == pytest.approx(5.24)
    assert measurement.p99_ms == pytest.approx(8.94)
    assert measurement.errors == 0


def test_wrk_socket_errors_and_error_answers_are_counted():
    measurement = run.parse_wrk(WRK_OUTPUT_WITH_ERRORS)
    assert measurement.errors == 2 + 3 + 40
    assert measurement.p50_ms == pytest.approx(0.45)
    assert measurement.p99_ms == pytest.approx(120_000)


@pytest.mark.parametrize(
    ("text", "ms"), [("450.00us", 0.45), ("5.24ms", 5.24), ("1.02s", 1020), ("2.00m", 120_000), ("1h", 3_600_000)]
)
def test_wrk_durations_are_read_in_every_unit(text, ms):
    assert run.duration_ms(text) == pytest.approx(ms)


@pytest.mark.parametrize(
    "output", ["", "wrk: command not found", "unable to connect to 127.0.0.1:1 Connection refused"]
)
def test_output_without_figures_is_an_error_not_zero(output):
    with pytest.raises(ValueError):
        run.parse_wrk(output)


def test_ratio_and_verdict_against_the_target():
    assert run.ratio(600, 1000) == pytest.approx(0.6)
    assert run.verdict(run.ratio(600, 1000)) == "PASS"
    assert run.verdict(run.ratio(599, 1000)) == "FAIL"
    assert run.ratio(600, 0) is None
    assert run.verdict(None) == "FAIL"


def test_percentile_is_nearest_rank():
    values = [float(n) for n in range(1, 101)]
    assert run.percentile(values, 50) == 50
    assert run.percentile(values, 99) == 99
    assert run.percentile(values, 100) == 100
    assert run.percentile([7.0], 99) == 7
    assert run.percentile([], 50) is None


def _measurement(rate, errors=0):
    return run.Measurement(requests=int(rate * 10), seconds=10, requests_per_second=rate, errors=errors)


def test_a_page_is_compared_with_the_bare_runs_around_it_not_the_whole_runs_mean():
    # The machine got twice as busy half-way: the second page would fail against the mean.
    bare = [_measurement(2000), _measurement(2000), _measurement(1000)]
    rows = run.build_rows(bare, run.SEARCH_PAGES[:2], [_measurement(1300), _measurement(900)], 0.6)
    assert rows[0].measurement.requests_per_second == pytest.approx(5000 / 3)
    assert rows[1].ratio == pytest.approx(0.65)
    assert rows[2].ratio == pytest.approx(0.6) and rows[2].verdict == "PASS"
    assert run.spread(bare) == pytest.approx(0.6)
    with pytest.raises(ValueError):
        run.build_rows(bare[:2], run.SEARCH_PAGES[:2], [_measurement(1), _measurement(1)], 0.6)


def test_rounds_take_the_median_ratio_so_one_noisy_slice_does_not_decide():
    # bare, (page, bare) x 3 for one page, then x 3 for the next.
    bare = [_measurement(r) for r in (1000, 1000, 1000, 1000, 1000, 1000, 1000)]
    page_runs = [_measurement(r) for r in (700, 100, 650, 500, 520, 2000)]
    rows = run.build_rows(bare, run.SEARCH_PAGES[:2], page_runs, 0.6, rounds=3)
    assert rows[1].ratio == pytest.approx(0.65) and rows[1].verdict == "PASS"
    assert rows[1].measurement.requests_per_second == pytest.approx(1450 / 3)
    assert rows[2].ratio == pytest.approx(0.52) and rows[2].verdict == "FAIL"
    assert run.page_ratio([_measurement(600)], [_measurement(500), _measurement(1500)]) == pytest.approx(0.6)
    with pytest.raises(ValueError):
        run.build_rows(bare, run.SEARCH_PAGES[:2], page_runs, 0.6, rounds=2)


def test_tables_show_every_page_with_its_ratio_and_verdict():
    rows = run.build_rows([_measurement(1000)] * 2, run.SEARCH_PAGES[1:2], [_measurement(599, errors=2)], 0.6)
    table = run.format_table(rows)
    assert run.BARE_PATH in table and run.SEARCH_PAGES[1].path in table
    assert "59.9%" in table and "FAIL (2 errors)" in table
    markdown = run.format_markdown(rows).splitlines()
    assert len(markdown) == 4
    assert markdown[3].endswith("| 599 | — | — | 60% | ≥ 60% FAIL |")


def test_desk_page_is_found_on_a_results_page():
    html = '<a href="/it/sportelli/?page=2">next</a> <a href="/it/sportelli/sportello-stranieri-sesto-demo/">x</a>'
    assert run.find_desk_path(html) == "/it/sportelli/sportello-stranieri-sesto-demo/"
    assert run.find_desk_path(html, "ar") is None
    assert run.find_desk_path("<p>Nessuno sportello</p>") is None


def test_arguments_are_checked():
    args = run.parse_args(["--seconds", "6", "--rounds", "3", "--no-fail"])
    assert (args.seconds, args.rounds, args.no_fail, args.target) == (6, 3, True, run.TARGET)
    for bad in (
        ["--seconds", "0"],
        ["--seconds", "4"],  # fewer seconds than the 5 rounds
        ["--connections", "0"],
        ["--target", "1.5"],
        ["--warmup", "-1"],
    ):
        with pytest.raises(SystemExit):
            run.parse_args(bad)


class _Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"

    def do_GET(self):
        status = 200 if self.path == "/ok" else 500
        self.send_response(status)
        self.send_header("Content-Length", "2")
        self.end_headers()
        self.wfile.write(b"ok")

    def log_message(self, *args):
        pass


@pytest.fixture
def local_server():
    server = ThreadingHTTPServer(("127.0.0.1", 0), _Handler)
    server.daemon_threads = True
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield server.server_address[1]
    server.shutdown()
    server.server_close()


def test_threaded_client_measures_and_stops_on_time(local_server):
    measurement = run.python_load(local_server, "/ok", seconds=0.3, connections=2)
    assert measurement.requests > 0 and measurement.errors == 0
    assert 0.3 <= measurement.seconds < 2
    assert measurement.p50_ms is not None and measurement.p50_ms <= measurement.p99_ms

    failing = run.python_load(local_server, "/broken", seconds=0.2, connections=2)
    assert failing.requests > 0 and failing.errors == failing.requests


@pytest.mark.django_db
@override_settings(ROOT_URLCONF="benchmarks.urls")
def test_bare_view_is_served_beside_the_project_pages(client):
    response = client.get(run.BARE_PATH)
    assert response.status_code == 200 and response.content == b"ok"
    assert client.get(run.SEARCH_PAGES[1].path).status_code == 200


def test_benchmark_settings_keep_debug_off_and_a_real_cache():
    from benchmarks import settings as bench

    assert bench.DEBUG is False
    assert bench.ROOT_URLCONF == "benchmarks.urls"
    assert "DummyCache" not in bench.CACHES["default"]["BACKEND"]
