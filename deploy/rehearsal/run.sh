#!/usr/bin/env bash
# Rehearse `docker compose up` where no Docker engine runs and Docker Hub is out of reach
# (this project's build machines): Podman with runc runs deploy/docker-compose.yml unchanged
# through podman-compose, with the four third-party images (python, postgres, redis, nginx)
# replaced by stand-ins built from Debian bookworm packages (standins/, tagged with the
# official names locally). Our Dockerfile, compose wiring, health checks, nginx config,
# migrations, Celery worker and beat are the real ones. See README, "Deploy".
#
#   sudo deploy/rehearsal/run.sh          # build, bring up, probe, tear down
#   KEEP=1 sudo deploy/rehearsal/run.sh   # leave the stack running for a look
#
# Needs root, Debian's podman, runc and debootstrap (installed when missing), and PyPI for
# podman-compose. Uses host ports 80 and 443, like the compose file.
set -euo pipefail
HERE=$(cd "$(dirname "$0")" && pwd)
DEPLOY=$(dirname "$HERE")
CACHE=${REHEARSAL_CACHE:-/var/tmp/labimpact-rehearsal}
COMPOSE="$CACHE/venv/bin/podman-compose -f $DEPLOY/docker-compose.yml"
mkdir -p "$CACHE"

need() { command -v "$1" >/dev/null 2>&1; }
if ! need podman || ! need runc || ! need debootstrap; then
    apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq podman runc debootstrap uidmap >/dev/null
fi
# runc copes with the hybrid cgroup layout of small VMs (crun refuses it); the limits stay
# within what the host grants to PID 1.
if [ ! -f /etc/containers/containers.conf ]; then
    mkdir -p /etc/containers
    nproc_max=$(awk '/Max processes/ {print $4}' /proc/1/limits)
    nofile_max=$(awk '/Max open files/ {print $5}' /proc/1/limits)
    printf '[containers]\ndefault_ulimits = ["nofile=%s:%s", "nproc=%s:%s"]\n[engine]\nruntime = "runc"\n' \
        "$nofile_max" "$nofile_max" "$nproc_max" "$nproc_max" > /etc/containers/containers.conf
fi
[ -x "$CACHE/venv/bin/podman-compose" ] || { python3 -m venv "$CACHE/venv" && "$CACHE/venv/bin/pip" install -q podman-compose==1.6.0; }

# Stand-in images, built once.
if ! podman image exists localhost/labimpact-rehearsal-base; then
    rm -rf "$CACHE/rootfs"
    debootstrap --variant=minbase \
        --include=python3.11,python3-venv,gettext,ca-certificates,curl,postgresql-15,redis-server,redis-tools,nginx-light \
        bookworm "$CACHE/rootfs" http://deb.debian.org/debian >"$CACHE/debootstrap.log"
    tar -C "$CACHE/rootfs" -c . | podman import --change 'CMD ["/bin/sh"]' - localhost/labimpact-rehearsal-base
fi
# A machine whose egress goes through a TLS-inspecting proxy trusts that proxy's CA: the
# stand-ins trust what the host trusts, or pip in our Dockerfile could not reach PyPI.
context="$CACHE/context" && rm -rf "$context" && mkdir -p "$context/host-ca"
cp "$HERE"/standins/* "$context/"
cp /usr/local/share/ca-certificates/*.crt "$context/host-ca/" 2>/dev/null || true
for standin in python:3.11-slim-bookworm postgres:15 redis:7 nginx:1.27; do
    podman image exists "docker.io/library/$standin" && continue
    podman build -q -t "docker.io/library/$standin" -f "$context/${standin%%:*}.Containerfile" "$context"
done

# Secrets and a self-signed certificate for this rehearsal only (never committed: .gitignore).
if [ ! -f "$DEPLOY/.env" ]; then
    secret=$(python3 -c 'import secrets; print(secrets.token_urlsafe(64))')
    pgpass=$(python3 -c 'import secrets; print(secrets.token_urlsafe(24))')
    sed -e "s|^DJANGO_SECRET_KEY=.*|DJANGO_SECRET_KEY=$secret|" -e "s|^POSTGRES_PASSWORD=.*|POSTGRES_PASSWORD=$pgpass|" \
        -e "s|^DJANGO_ALLOWED_HOSTS=.*|DJANGO_ALLOWED_HOSTS=localhost|" -e "s|^SITE_URL=.*|SITE_URL=https://localhost|" \
        -e "s|^EMAIL_HOST=.*|EMAIL_HOST=localhost|" "$DEPLOY/env.example" > "$DEPLOY/.env"
fi
if [ ! -f "$DEPLOY/certs/fullchain.pem" ]; then
    mkdir -p "$DEPLOY/certs"
    openssl req -x509 -newkey rsa:2048 -nodes -days 2 -subj /CN=localhost \
        -keyout "$DEPLOY/certs/privkey.pem" -out "$DEPLOY/certs/fullchain.pem" 2>/dev/null
fi

cleanup() { [ "${KEEP:-0}" = 1 ] || $COMPOSE down -v >/dev/null 2>&1 || true; }
trap cleanup EXIT
# Compose reads deploy/.env (beside the compose file) for ${POSTGRES_PASSWORD} itself.
# One build for the five services that share the image (podman-compose would build each).
podman build -q -t localhost/labimpact:latest -f "$DEPLOY/../Dockerfile" "$DEPLOY/.."

# Podman 4.3 ignores `condition: service_healthy` and runs health checks from systemd timers,
# which a container host without systemd lacks: bring the stack up in the order the compose
# file's conditions give, running each health check by hand until it passes.
deadline=$((SECONDS + ${REHEARSAL_TIMEOUT:-600}))
wait_healthy() {
    for service in "$@"; do
        until podman healthcheck run "labimpact_${service}_1" >/dev/null 2>&1; do
            [ $SECONDS -lt $deadline ] || { echo "$service not healthy in time" >&2; $COMPOSE logs "$service" 2>&1 | tail -30 >&2; exit 1; }
            sleep 3
        done
        echo "ok   $service healthy"
    done
}
wait_done() {
    for service in "$@"; do
        code=$(podman wait "labimpact_${service}_1")
        [ "$code" = 0 ] || { echo "$service exited with $code" >&2; $COMPOSE logs "$service" 2>&1 | tail -30 >&2; exit 1; }
        echo "ok   $service completed"
    done
}
$COMPOSE up -d --no-build db redis && wait_healthy db redis
$COMPOSE up -d --no-build --no-deps migrate static && wait_done migrate static
$COMPOSE up -d --no-build --no-deps web worker beat && wait_healthy web worker
$COMPOSE up -d --no-build --no-deps nginx && wait_healthy nginx

$COMPOSE ps
fail=0
probe() {  # url expected-status [grep-pattern]
    status=$(curl -ks -o /tmp/rehearsal-body -w '%{http_code}' -H 'Accept-Encoding: gzip' "$1") || true
    if [ "$status" != "$2" ] || { [ -n "${3:-}" ] && ! zcat -f /tmp/rehearsal-body | grep -q "$3"; }; then
        echo "FAIL $1 -> $status (expected $2${3:+ with '$3'})"; fail=1
    else
        echo "ok   $1 -> $status"
    fi
}
probe http://localhost/healthz 200
probe http://localhost/it/ 301
probe https://localhost/it/ 200 "Lab'Impact"
probe https://localhost/ar/sportelli/ 200 'dir="rtl"'
probe https://localhost/api/v1/services 200 total_items
probe https://localhost/admin/login/ 200 csrfmiddlewaretoken
static=$(zcat -f /tmp/rehearsal-body | grep -o '/static/[^"]*\.css' | head -1)
probe "https://localhost$static" 200
probe https://localhost/media/anything 404
for service in worker beat; do
    $COMPOSE logs "$service" 2>&1 | grep -qiE 'ready|beat: Starting' && echo "ok   $service started" \
        || { echo "FAIL $service did not start"; fail=1; }
done
exit $fail
