"""The batch on a Dask cluster: the same grading, gradebook and exports, the work spread over Dask's workers.

Each Dask worker keeps a Grader (worker.py: its own sandboxed zygote, a fresh child per submission) in a worker plugin,
set up once with the batch's setup and closed with the worker. Submissions travel as their files' contents; results
come back as plain data (grading/plain.py) and only this process, the client, writes the gradebook, as they arrive.
Dask runs again elsewhere what a lost worker held; a submission whose tasks keep killing workers gets 0 points with the
reason. dask.distributed is imported only here, and this module only when the batch is asked to use Dask.
"""

from __future__ import annotations

import contextlib
import tempfile
import threading
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import dask
from distributed import Client, KilledWorker, LocalCluster, Worker, WorkerPlugin, as_completed, get_worker

from autograder.frontends.instructor.batch.worker import Graded, Grader, Job, Setup, setup
from autograder.grading.plain import result_from_plain, result_to_plain
from autograder.grading.policy import Policy
from autograder.i18n import N_, _
from autograder.locations import kit_version
from autograder.sandbox.bubblewrap import isolation

PLUGIN = "logreg-grading"
ONE_AT_A_TIME = threading.Lock()  # a worker grades one submission at a time, whatever its threads: one zygote
CONNECT_TIMEOUT_S = 10
UNREACHABLE = N_("no Dask scheduler answers at {address} ({error}): start one (dask scheduler) or check the address")
BAD_WORKERS = N_("{value} is not local:N (N worker processes on this machine, e.g. local:4)")
NO_WORKERS = N_("the Dask cluster at {address} has no workers: start some (dask worker {address} --nthreads 1)")
OTHER_KIT = N_(
    "Dask worker {worker} runs another kit ({theirs}; this one is {ours}): install the same kit on every worker"
)
NOT_SANDBOXED = N_(
    "Dask worker {worker} cannot sandbox student code ({isolation}): install bubblewrap there, or stop that worker"
)
KILLED_WORKERS = N_(
    "grading this submission ended its Dask worker again and again ({error}); it is given 0 points: "
    "grade it alone with logreg-grade to see why"
)
FAILED = N_("the grader failed on this submission on Dask: {error}")


class ClusterError(Exception):
    """The cluster cannot grade the batch: str() says why, in one line, and what to do."""


@contextlib.contextmanager
def connected(scheduler: str | None, workers: str | None) -> Iterator[Client]:
    """A client of the scheduler at its address, or of a LocalCluster of N worker processes (workers = local:N)."""
    if workers is not None:
        count = _local_count(workers)
        with (
            dask.config.set({"distributed.scheduler.allowed-failures": 2}),
            LocalCluster(n_workers=count, threads_per_worker=1, processes=True, dashboard_address=None) as cluster,
            Client(cluster) as client,
        ):
            yield client
        return
    try:
        client = Client(scheduler, timeout=CONNECT_TIMEOUT_S)
    except (OSError, TimeoutError) as error:
        raise ClusterError(_(UNREACHABLE).format(address=scheduler, error=error)) from None
    with client:
        yield client


def _local_count(value: str) -> int:
    kind, _colon, count = value.partition(":")
    if kind != "local" or not count.isdigit() or int(count) < 1:
        raise ClusterError(_(BAD_WORKERS).format(value=value))
    return int(count)


def grade_all(
    jobs: list[Job],
    *,
    client: Client,
    seed: int,
    policy: Policy,
    done: Callable[[Graded], None],
    started: Callable[[int], None] = lambda count: None,
) -> None:
    """Grade every job on the cluster's workers; done is called in this process as each one finishes. started is
    told how many workers are connected, when the batch starts and as results arrive."""
    connected = checked_workers(client)  # before any worker is handed the batch: one with another kit cannot read it
    client.register_plugin(GradingPlugin(setup(seed, policy)), name=PLUGIN)
    started(connected)
    futures = {
        client.submit(grade_remotely, job.student, job.path.name, _contents(job.path), job.digest, pure=False): job
        for job in jobs
    }
    for future in as_completed(futures):
        done(_graded(futures[future], future))
        started(len(client.scheduler_info()["workers"]))


def checked_workers(client: Client) -> int:
    """How many workers the cluster has, each checked: the same kit as this one, and a sandbox for student code."""
    address = client.scheduler_info().get("address", "")
    if not client.scheduler_info()["workers"]:
        raise ClusterError(_(NO_WORKERS).format(address=address))
    ours = kit_version()
    for worker, facts in client.run(worker_facts).items():
        if facts["kit"] != ours:
            raise ClusterError(_(OTHER_KIT).format(worker=worker, theirs=facts["kit"], ours=ours))
        if not facts["sandboxed"]:
            raise ClusterError(_(NOT_SANDBOXED).format(worker=worker, isolation=facts["isolation"]))
    return len(client.scheduler_info()["workers"])


def worker_facts() -> dict[str, Any]:
    """What a worker says of itself (run on each worker)."""
    from autograder.i18n.messages import say

    isolated = isolation()
    return {"kit": kit_version(), "sandboxed": isolated.sandboxed, "isolation": say(isolated.description)}


class GradingPlugin(WorkerPlugin):
    """A Dask worker plugin: the worker's Grader, set up once with the batch's setup, closed with the worker."""

    def __init__(self, given: Setup):
        self.given = given
        self.grader: Grader | None = None

    def setup(self, worker: Worker) -> None:
        self.grader = Grader(self.given, name=str(worker.address))

    def teardown(self, worker: Worker) -> None:
        if self.grader is not None:
            self.grader.close()


def grade_remotely(student: str, name: str, files: dict[str, bytes], digest: str) -> dict[str, Any]:
    """On a worker: grade the submission whose files these are, as plain data."""
    plugin = get_worker().plugins[PLUGIN]
    assert isinstance(plugin, GradingPlugin) and plugin.grader is not None
    with ONE_AT_A_TIME, tempfile.TemporaryDirectory(prefix="logreg-dask-") as folder:
        path = _written(Path(folder), name, files)
        graded = plugin.grader.grade(Job(student, path, digest))
    return {
        "result": None if graded.result is None else result_to_plain(graded.result),
        "reason": graded.reason,
        "seconds": graded.seconds,
        "worker": graded.worker,
        "peak_kib": graded.peak_kib,
    }


def _graded(job: Job, future: Any) -> Graded:
    """The job's grade from its finished future, or why it has none."""
    try:
        plain = future.result()
    except KilledWorker as error:
        return Graded(job, None, _(KILLED_WORKERS).format(error=error), 0.0, "", 0)
    except Exception as error:  # the grader's own failure on a worker: this submission gets the reason
        return Graded(job, None, _(FAILED).format(error=f"{type(error).__name__}: {error}"[:300]), 0.0, "", 0)
    result = None if plain["result"] is None else result_from_plain(plain["result"])
    return Graded(job, result, plain["reason"], plain["seconds"], plain["worker"], plain["peak_kib"])


def _contents(path: Path) -> dict[str, bytes]:
    """A submission's files by their path below it (a single file: by its name)."""
    if path.is_file():
        return {path.name: path.read_bytes()}
    return {file.relative_to(path).as_posix(): file.read_bytes() for file in sorted(path.rglob("*")) if file.is_file()}


def _written(folder: Path, name: str, files: dict[str, bytes]) -> Path:
    """The submission written again under folder, as it was named: its path there."""
    if list(files) == [name]:
        target = folder / name
        target.write_bytes(files[name])
        return target
    top = folder / name
    for relative, content in files.items():
        file = top / relative
        if not file.resolve().is_relative_to(top.resolve()):
            raise ValueError(f"{relative!r} leaves the submission's folder")
        file.parent.mkdir(parents=True, exist_ok=True)
        file.write_bytes(content)
    return top
