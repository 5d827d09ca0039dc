"""The deployment files parse and hold together; production logs are JSON without personal data."""

import json
import logging
import shutil
import subprocess
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
DEPLOY = ROOT / "deploy"


@pytest.fixture(scope="module")
def compose():
    yaml = pytest.importorskip("yaml")
    return yaml.safe_load((DEPLOY / "docker-compose.yml").read_text())


def test_compose_runs_the_whole_stack(compose):
    services = compose["services"]
    assert {"nginx", "web", "worker", "beat", "db", "redis", "migrate"} <= set(services)
    for name in ("nginx", "web", "worker", "db", "redis"):
        assert "healthcheck" in services[name], name
    assert "gunicorn" in (ROOT / "Dockerfile").read_text()
    assert services["worker"]["command"][:3] == ["celery", "-A", "labimpact"]
    assert "beat" in services["beat"]["command"]
    # The app containers trust nginx's address header and hand downloads to it.
    assert services["web"]["environment"]["RATELIMIT_IP_META_KEY"] == "HTTP_X_REAL_IP"
    assert services["web"]["environment"]["DOWNLOADS_X_ACCEL_PREFIX"] == "/protected-media/"
    assert services["web"]["depends_on"]["migrate"]["condition"] == "service_completed_successfully"


def test_nginx_config_has_the_pieces_django_relies_on():
    conf = (DEPLOY / "nginx.conf").read_text()
    for needle in (
        "client_max_body_size",
        "gzip_types text/html",
        "location /protected-media/",
        "internal;",
        "proxy_set_header X-Real-IP $remote_addr",
        "proxy_set_header X-Forwarded-Proto $scheme",
        "proxy_set_header X-Request-ID $request_id",
        "location = /healthz",
    ):
        assert needle in conf, needle


@pytest.mark.skipif(not shutil.which("nginx") or not shutil.which("openssl"), reason="needs nginx and openssl")
def test_nginx_config_passes_nginx_t(tmp_path):
    site = (DEPLOY / "nginx.conf").read_text().replace("server web:8000", "server 127.0.0.1:8000")
    site = site.replace("/etc/nginx/certs/", f"{tmp_path}/")
    (tmp_path / "site.conf").write_text(site)
    subprocess.run(
        [shutil.which("openssl"), "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-days", "1", "-subj", "/CN=test",
         "-keyout", tmp_path / "privkey.pem", "-out", tmp_path / "fullchain.pem"],
        check=True, capture_output=True,
    )  # fmt: skip
    (tmp_path / "main.conf").write_text(
        f"pid {tmp_path}/nginx.pid;\nerror_log {tmp_path}/error.log;\nevents {{}}\n"
        f"http {{\n include /etc/nginx/mime.types;\n access_log off;\n"
        f" client_body_temp_path {tmp_path}/body;\n proxy_temp_path {tmp_path}/proxy;\n"
        f" fastcgi_temp_path {tmp_path}/fcgi;\n uwsgi_temp_path {tmp_path}/uwsgi;\n scgi_temp_path {tmp_path}/scgi;\n"
        f" include {tmp_path}/site.conf;\n}}\n"
    )
    result = subprocess.run(
        [shutil.which("nginx"), "-t", "-c", str(tmp_path / "main.conf"), "-p", str(tmp_path)],
        capture_output=True,
        text=True,
    )
    assert result.returncode == 0, result.stderr


def test_json_log_lines_carry_the_request_id_and_no_personal_data():
    from ops.logging import JsonFormatter, RequestIdFilter, request_id

    token = request_id.set("abc123def456")
    try:
        record = logging.LogRecord(
            "django.request",
            logging.WARNING,
            __file__,
            1,
            "Failed for %s from %s",
            ("mario@example.org", "10.1.2.3"),
            None,
        )
        RequestIdFilter().filter(record)
        line = json.loads(JsonFormatter().format(record))
    finally:
        request_id.reset(token)
    assert line["request_id"] == "abc123def456"
    assert line["level"] == "WARNING"
    assert "mario" not in line["message"] and "10.1.2.3" not in line["message"]
    assert line["message"] == "Failed for [email] from [ip]"


@pytest.mark.django_db
def test_responses_carry_a_request_id(client):
    response = client.get("/healthz", HTTP_X_REQUEST_ID="from-nginx-0123456789")
    assert response["X-Request-ID"] == "from-nginx-0123456789"
    made = client.get("/healthz", HTTP_X_REQUEST_ID="bad id\n")
    assert len(made["X-Request-ID"]) == 32
