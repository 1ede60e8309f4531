"""gunicorn settings for every Twoshot HTTP side; each is overridable from the
environment (GUNICORN_WORKERS, GUNICORN_THREADS, GUNICORN_TIMEOUT, GUNICORN_PRELOAD).

The app is built once in the master and the workers are forked from it (preload), so
the imported code and read-only state (matching's mentor pool, loaded by the app's
``twoshot.warm`` hook) are in memory once, shared copy-on-write. Nothing that holds a
thread or a socket crosses the fork: the Kafka producer, the outbox relay and the broker
probe start on first use in each worker, and redis-py opens new connections in a child.
"""
import gc
import logging
import os
import shutil
import tempfile

workers = int(os.environ.get("GUNICORN_WORKERS", "2"))
threads = int(os.environ.get("GUNICORN_THREADS", "4"))
worker_class = "gthread"
timeout = int(os.environ.get("GUNICORN_TIMEOUT", "30"))
graceful_timeout = 20
keepalive = 5
preload_app = os.environ.get("GUNICORN_PRELOAD", "true").strip().lower() not in {"0", "false", "no", "off"}
accesslog = "-"
errorlog = "-"
forwarded_allow_ips = os.environ.get("FORWARDED_ALLOW_IPS", "127.0.0.1")

# One JSON object per request, with the correlation id the app put on the response.
access_log_format = ('{"time": "%(t)s", "method": "%(m)s", "path": "%(U)s", '
                     '"status": %(s)s, "bytes": "%(B)s", "duration_ms": %(M)s, '
                     '"correlation_id": "%({x-correlation-id}o)s"}')


# Metrics from every worker process, added up at /metrics (prometheus-client's
# multiprocess mode). The directory must be set before the app imports the client, and
# start empty: it is this master's own, unless the deployment names one.
_own_metrics_dir = None
if not os.environ.get("PROMETHEUS_MULTIPROC_DIR"):
    _own_metrics_dir = os.environ["PROMETHEUS_MULTIPROC_DIR"] = tempfile.mkdtemp(prefix="twoshot-metrics-")


def when_ready(server):
    """In the master, after the app is loaded and before any worker is forked: load the
    state to share, then move every object into the permanent generation so that the
    collector's passes in the workers do not write to (and so copy) the shared pages."""
    if not preload_app:
        return
    warm = getattr(server.app.wsgi(), "extensions", {}).get("twoshot.warm")
    if warm is not None:
        try:
            warm()
        except Exception:   # Redis not up yet: each worker loads on first use instead
            logging.getLogger("gunicorn.error").warning("warm-up before fork failed", exc_info=True)
    gc.collect()
    gc.freeze()


def on_exit(server):
    if _own_metrics_dir:
        shutil.rmtree(_own_metrics_dir, ignore_errors=True)


def child_exit(server, worker):
    from prometheus_client import multiprocess
    multiprocess.mark_process_dead(worker.pid)


def post_worker_init(worker):
    """The app's own logs as JSON too, named after the process (``--name intake-http``)."""
    from shared.logs import configure_logging
    configure_logging(worker.cfg.proc_name or "twoshot-http", os.environ.get("LOG_LEVEL", "INFO"))
