#!/bin/sh
# As the official image: a server started without a configuration file listens to the network.
set -eu
second=${2:-}
if [ "${1:-}" = redis-server ] && [ "${second%.conf}" = "$second" ]; then
    shift
    set -- redis-server --protected-mode no "$@"
fi
exec "$@"
