"""Stop `make run` early, with a hint, when its address is taken (runserver would say so only
after the migrations and data loads, and without saying how to choose another)."""

import socket
import sys

address = sys.argv[1]  # HOST of the Makefile: "127.0.0.1:8000", or a bare port as runserver takes
host, _, port = address.rpartition(":")
with socket.socket() as probe:
    # As runserver does: a port left in TIME_WAIT by the previous run is free.
    probe.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    try:
        probe.bind((host or "127.0.0.1", int(port)))
    except OSError as exc:
        sys.exit(f"Cannot serve on {address}: {exc.strerror}. Choose another port, e.g. make run HOST=127.0.0.1:8001")
