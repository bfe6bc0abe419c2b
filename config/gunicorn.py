"""The web server: gunicorn running askdesk's WSGI application in threaded worker processes.

    python -m gunicorn -c config/gunicorn.py config.wsgi:application

Why WSGI and not ASGI: every askdesk view is synchronous, and live pages poll cached URLs
rather than hold connections open. Under an ASGI server Django runs each synchronous view in
one thread per process behind an event loop, and that hand-over, not askdesk's own work, was
most of the cost of a cached page (docs/benchmarks.md, "Public pages at breaking-news
traffic"). Threaded workers keep idle keep-alive connections off the threads.

Set by the environment (`scripts/serve`, `docs/operations.md`):
HOST, PORT              where to listen (127.0.0.1:8000)
WEB_WORKERS             processes, about one per core (2)
WEB_THREADS             threads per process (4); PostgreSQL's pool holds DATABASE_POOL_MAX_SIZE
WEB_ACCESS_LOG          1 to log every request on standard output (0)
FORWARDED_ALLOW_IPS     proxies whose X-Forwarded-* headers are believed (127.0.0.1)
"""

import errno
import os
import socket
from typing import Any

bind = f"{os.environ.get('HOST', '127.0.0.1')}:{os.environ.get('PORT', '8000')}"
workers = int(os.environ.get("WEB_WORKERS", "2"))
worker_class = "gthread"
threads = int(os.environ.get("WEB_THREADS", "4"))
# Idle keep-alive connections wait in the worker's poller, not on a thread.
keepalive = 5
# Each worker process listens on a socket of its own (SO_REUSEPORT) and the kernel spreads new
# connections over them evenly. On one shared socket, the process that woke first took most of
# a burst of connections (0 and 64 of wrk's 64) and kept them alive: one process served them
# all while the other idled, and a reader waited for a thread there (docs/benchmarks.md).
# A connection waiting in a worker's own queue is reset if that worker dies before accepting it.
reuse_port = True
# A request still running after this long is stuck: the worker is replaced.
timeout = 60
# SIGTERM lets requests in flight finish for this long.
graceful_timeout = 30
forwarded_allow_ips = os.environ.get("FORWARDED_ALLOW_IPS", "127.0.0.1")
accesslog = "-" if os.environ.get("WEB_ACCESS_LOG", "0") == "1" else None
errorlog = "-"
loglevel = "warning"


def on_starting(server: Any) -> None:
    """Refuse a port another server already listens on: with reuse_port it would be shared silently."""
    if os.environ.get("GUNICORN_FD") or os.environ.get("LISTEN_FDS"):
        return  # sockets handed over by gunicorn's own re-exec or by systemd
    for address in server.cfg.address:
        if not isinstance(address, tuple):
            continue  # a Unix socket: gunicorn itself refuses one in use
        probe = socket.socket(socket.AF_INET6 if ":" in address[0] else socket.AF_INET, socket.SOCK_STREAM)
        probe.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        try:
            probe.bind(address[:2])
        except OSError as error:
            if error.errno == errno.EADDRINUSE:
                taken = f"{address[0]}:{address[1]} is already in use by another server: stop it or set PORT"
                raise SystemExit(taken) from None
            raise
        finally:
            probe.close()
