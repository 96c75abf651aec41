"""The kinds of job there are: a name, the function that does the work, and how the status
page presents it. A module declares its kinds with `@job_type(...)` and is listed in
JOB_MODULES, so that a job worker, which starts with none of the web app's modules
imported, knows them too.

    from studyapp import jobs

    @jobs.job_type("stats.refresh", label="Refreshing statistics")
    def refresh_statistics(ctx: jobs.Context) -> jobs.Done:
        ...                                 # the work: services, in one transaction
        ctx.progress(0.5, "Half way")       # shown on the status page, checked for cancel
        return jobs.Done("Statistics refreshed.", {"rows": n})

    jobs.enqueue("stats.refresh", owner_id=None, key="stats.refresh")  # one pending at a time
"""

from __future__ import annotations

import importlib
from collections.abc import Callable
from dataclasses import dataclass, field

# Every module that declares job types; add yours here.
JOB_MODULES = ("studyapp.teach.jobs",)


@dataclass(frozen=True)
class Done:
    """What a job's function returns: the message shown when it is done, what it made
    (kept as the job's result, JSON), and lines listed under the message (warnings)."""

    message: str
    result: dict = field(default_factory=dict)
    details: list[str] = field(default_factory=list)


class JobFailed(Exception):
    """A job that cannot be done, for a reason its owner can act on; `details` lists every
    problem (an import's bad lines)."""

    def __init__(self, message: str, details: list[str] | tuple = ()):
        super().__init__(message)
        self.details = list(details)


@dataclass(frozen=True)
class JobType:
    name: str
    run: Callable  # (Context) -> Done, raises JobFailed or Cancelled
    label: str  # the status page's heading while it runs: "Generating questions"
    failed: str  # its heading when the job failed: "Generation failed"
    # Where its result is, for the status page: (link text, endpoint, url_for arguments from
    # the result). None: nothing to open.
    link: Callable[[dict], tuple[str, str, dict]] | None = None
    # Take the owner straight there when done (a draft to review), rather than showing a link.
    follow: bool = False
    timeout_s: int = 3600  # a run longer than this is stopped by the queue (RQ)


_types: dict[str, JobType] = {}
_loaded = False


def job_type(name: str, *, label: str, failed: str | None = None, link=None, follow: bool = False,
             timeout_s: int = 3600):
    """Declare the decorated function as the job kind `name`."""
    def register(fn):
        if name in _types and _types[name].run is not fn:
            raise ValueError(f"job type {name!r} is declared twice")
        _types[name] = JobType(name, fn, label, failed or f"{label} failed", link, follow,
                               timeout_s)
        return fn
    return register


def get(name: str) -> JobType:
    load()
    try:
        return _types[name]
    except KeyError:
        raise LookupError(f"no job type {name!r} (known: {', '.join(sorted(_types))}); is its "
                          "module in studyapp/jobs/registry.py JOB_MODULES?") from None


def load() -> None:
    global _loaded
    if not _loaded:
        for module in JOB_MODULES:
            importlib.import_module(module)
        _loaded = True
