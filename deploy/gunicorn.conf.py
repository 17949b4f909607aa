"""gunicorn settings for every web process; each can be overridden from the environment."""

import os

workers = int(os.environ.get("WEB_CONCURRENCY", "2"))
threads = int(os.environ.get("WEB_THREADS", "4"))
worker_class = "gthread"
timeout = int(os.environ.get("WEB_TIMEOUT", "30"))
graceful_timeout = 20
keepalive = 5
# Logs go to stderr as lines; the application's own logs are JSON.
accesslog = os.environ.get("ACCESS_LOG", "-") or None
# gunicorn's default line, then the request's correlation id (the X-Request-ID answered),
# which the same request's events and every consumer's log lines carry too.
access_log_format = '%(h)s %(l)s %(u)s %(t)s "%(r)s" %(s)s %(b)s "%(f)s" "%(a)s" %({x-request-id}o)s'
errorlog = "-"
loglevel = os.environ.get("LOG_LEVEL", "info").lower()
# The app is created in each worker after the fork, so no database or broker connection
# is shared between processes.
preload_app = False
# Several gunicorn masters run side by side (one per service); the runtime control socket
# would be one shared path for all of them, and nothing here uses it.
control_socket_disable = True


def post_worker_init(worker) -> None:
    """Once the worker has loaded its app: what the app built lives as long as the worker,
    and requests allocate far more than the collector's default expects."""
    from services.common.memory import tune_garbage_collector

    tune_garbage_collector()
