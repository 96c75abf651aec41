"""gunicorn settings for `make serve` (read automatically from the working directory).

Every value can be changed from the environment; a command-line flag overrides both.
"""

import multiprocessing
import os

bind = os.environ.get("BIND", f"127.0.0.1:{os.environ.get('PORT', '5000')}")
# Sync workers, a few per core: each request is short and database-bound.
workers = int(os.environ.get("WORKERS", 2 * multiprocessing.cpu_count() + 1))
threads = int(os.environ.get("THREADS", "1"))
timeout = int(os.environ.get("WORKER_TIMEOUT", "30"))  # a stuck worker is killed and replaced
graceful_timeout = 20  # on restart, requests in flight finish; a killed one rolls back
keepalive = 5
# Replace workers now and then, staggered, so a slow leak never takes the site down.
max_requests = int(os.environ.get("MAX_REQUESTS", "5000"))
max_requests_jitter = max_requests // 10
# Each worker builds its own app (its own database connection pool): nothing shared by fork.
preload_app = False
accesslog = os.environ.get("ACCESS_LOG") or None  # "-" for stdout
errorlog = "-"
loglevel = os.environ.get("LOG_LEVEL", "info")
wsgi_app = "studyapp:create_app()"
