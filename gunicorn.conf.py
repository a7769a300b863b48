"""gunicorn's settings for scripts/serve.sh (and any service unit), from the environment.

HOST/PORT: where to listen (127.0.0.1:5000). WEB_CONCURRENCY: worker processes (2, one per
core of the reference machine). GUNICORN_THREADS: threads per worker (4): a request mostly
waits on the database or the disk, so 2 × 4 serve 8 at once without the memory of 8
processes. GUNICORN_TIMEOUT: seconds before a silent worker is restarted (120; the largest
PDF/ZIP exports take a few seconds). The access log goes to stdout (the journal), errors
to stderr. gunicorn sends "Server: gunicorn" with no version (checked in tests/test_server.py).

Proxy headers are the application's business (ProxyFix, PROXY_FIX_* settings, README
"Behind a reverse proxy with HTTPS"), so gunicorn itself trusts no forwarder.
"""

import os

bind = f"{os.environ.get('HOST', '127.0.0.1')}:{os.environ.get('PORT', '5000')}"
workers = int(os.environ.get("WEB_CONCURRENCY", "2"))
worker_class = "gthread"
threads = int(os.environ.get("GUNICORN_THREADS", "4"))
timeout = int(os.environ.get("GUNICORN_TIMEOUT", "120"))
graceful_timeout = 30
keepalive = 5
accesslog = "-"
errorlog = "-"
forwarded_allow_ips = ""
proc_name = "tdkt"
# The app is imported once, in the master, and the workers fork from it (issue 17: the first
# 200 within a second of the start, not after each worker imported everything on its own;
# copy-on-write memory too). GUNICORN_PRELOAD=0 turns it off (e.g. for --reload).
preload_app = os.environ.get("GUNICORN_PRELOAD", "1") != "0"


def post_fork(server, worker):
    """A forked worker must not share the master's database connections: drop them from its
    pool without closing them (the master's sockets stay the master's)."""
    if not preload_app:
        return
    from dossier.extensions import db
    from wsgi import app

    with app.app_context():
        db.engine.dispose(close=False)
