"""gunicorn settings for every Twoshot HTTP side; each is overridable from the
environment (GUNICORN_WORKERS, GUNICORN_THREADS, GUNICORN_TIMEOUT).

Apps are built per worker process (no preload), so nothing that holds a socket or
a thread — Redis pools, the Kafka producer, the outbox relay — crosses a fork.
"""
import os
import shutil
import tempfile

workers = int(os.environ.get("GUNICORN_WORKERS", "2"))
threads = int(os.environ.get("GUNICORN_THREADS", "4"))
worker_class = "gthread"
timeout = int(os.environ.get("GUNICORN_TIMEOUT", "30"))
graceful_timeout = 20
keepalive = 5
preload_app = False
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
