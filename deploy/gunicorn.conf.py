"""gunicorn settings for every Twoshot HTTP side; each is overridable from the
environment (GUNICORN_WORKERS, GUNICORN_THREADS, GUNICORN_TIMEOUT).

Apps are built per worker process (no preload), so nothing that holds a socket or
a thread — Redis pools, the Kafka producer, the outbox relay — crosses a fork.
"""
import os

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
