"""`studyapp worker`: the job worker for the RQ backend (what `make serve` starts beside
gunicorn). JOB_WORKERS processes, each running one job at a time, kept at that number by
RQ's WorkerPool (a worker that dies is replaced).

Each is an RQ SimpleWorker: it runs jobs in its own process rather than forking one per job,
so the app, its database pool and the sandbox's forkserver (with the generator imported)
are made once per worker, not per job; untrusted work is in the sandbox's child anyway.
Beside the jobs, every worker queues again the jobs of workers that died (their lease ran
out), so a job survives a crash or a restart of its worker.
"""

from __future__ import annotations

import logging
import threading

import click
from flask import current_app
from rq.worker import SimpleWorker

from ..extensions import db
from . import backends, runner

log = logging.getLogger(__name__)


class JobWorker(SimpleWorker):
    def work(self, *args, **kwargs):
        threading.Thread(target=self._maintain, name="job-maintenance", daemon=True).start()
        return super().work(*args, **kwargs)

    def _maintain(self) -> None:
        app = runner.worker_app()
        maintenance = backends.Maintenance(app)
        queue = backends.RQ(app)
        stop = threading.Event()
        while not stop.wait(max(0.5, maintenance.lease_s / 2)):
            try:
                for job_id in maintenance.run():
                    log.warning("job %s: its worker stopped; queued again", job_id)
                    queue.deliver(job_id, _timeout(job_id, app))
            except Exception:  # the database or Redis away for a moment: look again later
                log.exception("job maintenance")


def _timeout(job_id: str, app) -> int:
    from ..models import Job
    from . import registry

    with app.app_context():
        try:
            return registry.get(db.session.get(Job, job_id).kind).timeout_s
        finally:
            db.session.remove()


@click.command("worker")
@click.option("--processes", type=int, default=None,
              help="Jobs run at once (default: JOB_WORKERS).")
@click.option("--burst", is_flag=True, help="Stop once the queue is empty (tests, scripts).")
def worker_cmd(processes: int | None, burst: bool) -> None:
    """Run queued jobs (the RQ backend: REDIS_URL set)."""
    from redis import Redis
    from rq.worker_pool import WorkerPool

    config = current_app.config
    if backends.backend_name(config) != "rq":
        click.echo("No REDIS_URL: jobs run inside the web processes; no job worker is needed.")
        return
    n = processes or int(config["JOB_WORKERS"])
    redis = Redis.from_url(config["REDIS_URL"])
    click.echo(f"job worker: {n} process(es) on queue {config['JOBS_QUEUE']!r}")
    if n == 1:
        JobWorker([config["JOBS_QUEUE"]], connection=redis).work(burst=burst,
                                                                 with_scheduler=False)
        return
    WorkerPool([config["JOBS_QUEUE"]], connection=redis, num_workers=n,
               worker_class=JobWorker).start(burst=burst)


commands = [worker_cmd]
