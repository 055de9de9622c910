"""The batch on a Dask cluster (batch/cluster.py): a LocalCluster of two worker processes grades a mixed class, one
worker is killed mid-run, and every submission still ends with exactly one grade, the one the local batch gives.
Also what the cluster refuses, each with one line that says what to do."""

from __future__ import annotations

import os
import shutil
import signal
import subprocess
import sys
from pathlib import Path

import pytest

from autograder.frontends.instructor import batch
from autograder.frontends.instructor.batch import cluster
from autograder.frontends.instructor.batch.worker import Graded, Grader, Job, setup
from autograder.grading.policy import DEFAULT
from autograder.locations import kit_version

TESTS = Path(__file__).resolve().parent
SOLUTIONS = TESTS.parent / "solutions"
SEED = 777


def _class(folder: Path) -> list[Job]:
    """Correct, buggy, hostile and broken submissions, as the batch's jobs."""
    folder.mkdir()
    shutil.copytree(SOLUTIONS, folder / "ana", ignore=shutil.ignore_patterns("__pycache__"))
    shutil.copyfile(TESTS / "corpus" / "realstyle" / "one_file_script" / "logistic_regression.py", folder / "bo.py")
    shutil.copytree(TESTS / "corpus" / "realstyle" / "train_adam", folder / "cy")
    for attack in ("kill_everything", "segfault_in_call"):
        shutil.copyfile(TESTS / "attacks" / f"{attack}.py", folder / f"{attack}.py")
    (folder / "ed").mkdir()
    (folder / "ed" / "ex1_sigmoid.py").write_text("def sigmoid(z)\n    return z\n")
    return [Job(path.stem, path, f"digest-{path.stem}") for path in sorted(folder.iterdir())]


def _checks(graded: Graded) -> list[tuple]:
    assert graded.result is not None, graded.reason
    return [(o.check_id, o.points, o.status, o.mistake) for o in graded.result.outcomes]


@pytest.mark.slow
def test_a_lost_dask_worker_costs_no_grade_and_every_grade_is_the_local_batchs(tmp_path):
    jobs = _class(tmp_path / "class")
    arrived: list[Graded] = []
    with cluster.connected(None, "local:2") as client:
        killed: list[int] = []

        def done(graded: Graded) -> None:
            arrived.append(graded)
            if not killed:  # after the first grade, while the others run: one worker process is lost
                pid = next(iter(client.run(os.getpid).values()))
                os.kill(pid, signal.SIGKILL)
                killed.append(pid)

        connected: list[int] = []
        cluster.grade_all(jobs, client=client, seed=SEED, policy=DEFAULT, done=done, started=connected.append)
    assert killed and connected[0] == 2
    assert sorted(graded.job.student for graded in arrived) == sorted(job.student for job in jobs)  # once each
    assert all(graded.worker.startswith("tcp://") for graded in arrived)
    local = Grader(setup(SEED, DEFAULT))  # what each worker of the local pool does
    try:
        for graded in arrived:
            assert _checks(graded) == _checks(local.grade(graded.job)), graded.job.student
    finally:
        local.close()
    totals = {graded.job.student: graded.result.total[0] for graded in arrived if graded.result is not None}
    assert totals["ana"] == 100 and totals["bo"] == 100 and totals["kill_everything"] == 0


def test_an_unreachable_scheduler_is_one_line_that_says_what_to_do(monkeypatch):
    monkeypatch.setattr(cluster, "CONNECT_TIMEOUT_S", 1)
    unreachable = r"no Dask scheduler answers at tcp://127\.0\.0\.1:9 .*start one"
    with pytest.raises(cluster.ClusterError, match=unreachable), cluster.connected("tcp://127.0.0.1:9", None):
        pass


@pytest.mark.parametrize("value", ["local", "local:0", "local:x", "remote:2"])
def test_workers_must_be_local_n(value):
    with pytest.raises(cluster.ClusterError, match="is not local:N"), cluster.connected(None, value):
        pass


class _Cluster:
    """A client whose workers say the given facts (what client.run(worker_facts) returns)."""

    def __init__(self, facts: dict[str, dict]):
        self.facts = facts

    def scheduler_info(self) -> dict:
        return {"address": "tcp://scheduler:8786", "workers": dict.fromkeys(self.facts, {})}

    def run(self, function):
        assert function is cluster.worker_facts
        return self.facts


def test_a_worker_with_another_kit_or_no_sandbox_is_refused_by_name():
    ours = cluster.worker_facts()
    assert ours["kit"] == kit_version() and ours["sandboxed"]
    other = {**ours, "kit": "0.0.9+0123456789ab"}
    with pytest.raises(cluster.ClusterError, match=r"tcp://b:1 runs another kit \(0\.0\.9\+0123456789ab"):
        cluster.checked_workers(_Cluster({"tcp://a:1": ours, "tcp://b:1": other}))
    bare = {**ours, "sandboxed": False, "isolation": "a separate process only"}
    with pytest.raises(cluster.ClusterError, match=r"tcp://b:1 cannot sandbox student code .*install bubblewrap"):
        cluster.checked_workers(_Cluster({"tcp://a:1": ours, "tcp://b:1": bare}))
    with pytest.raises(cluster.ClusterError, match="has no workers"):
        cluster.checked_workers(_Cluster({}))
    assert cluster.checked_workers(_Cluster({"tcp://a:1": ours, "tcp://b:1": ours})) == 2


def test_without_dask_the_batch_says_how_to_install_it(monkeypatch, tmp_path, capsys):
    from autograder.frontends import cli

    monkeypatch.setitem(sys.modules, "distributed", None)  # import distributed raises ImportError
    monkeypatch.delitem(sys.modules, "autograder.frontends.instructor.batch.cluster")
    monkeypatch.delattr(batch, "cluster")  # imported again, it imports distributed
    (tmp_path / "class" / "ana").mkdir(parents=True)
    shutil.copyfile(SOLUTIONS / "ex1_sigmoid.py", tmp_path / "class" / "ana" / "ex1_sigmoid.py")
    status = cli.main(["batch", str(tmp_path / "class"), "--out", str(tmp_path / "out"), "--workers", "local:2"])
    said = capsys.readouterr().err
    assert status == 2 and 'pip install "logreg-autograder[cluster]"' in said and "Traceback" not in said


def test_the_local_batch_never_imports_dask():
    program = (
        "import sys; import autograder.frontends.instructor.batch.command, autograder.frontends.instructor.batch.pool;"
        "assert 'distributed' not in sys.modules and 'dask' not in sys.modules, sorted(sys.modules)"
    )
    done = subprocess.run([sys.executable, "-c", program], capture_output=True, text=True)
    assert done.returncode == 0, done.stderr
