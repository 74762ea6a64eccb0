"""The embedded default's task threads (frontiers_de/tasks.py): tasks run off the caller's
thread, a failing task does not stop the next, the queue is bounded, and drain waits for
tasks queued by tasks."""

from __future__ import annotations

import threading
from dataclasses import dataclass, field
from typing import Any

from frontiers_de.tasks import EmbeddedWorkers


@dataclass
class _Result:
    error: BaseException | None = None
    traceback: str = ""

    def failed(self) -> bool:
        return self.error is not None


@dataclass
class Recorder:
    """A task-like object (what Celery's ``Task.apply`` offers): records the thread it ran
    in, and fails or waits when told to."""

    name: str = "tests.recorder"
    threads: list[str] = field(default_factory=list)
    gate: threading.Event | None = None
    then: Any = None

    def apply(self, args: tuple = (), kwargs: dict | None = None) -> _Result:
        if self.gate is not None:
            self.gate.wait(10)
        self.threads.append(threading.current_thread().name)
        if args and args[0] == "raise":
            raise RuntimeError("boom")
        if args and args[0] == "fail":
            return _Result(RuntimeError("failed"), "Traceback: failed")
        if self.then is not None:
            self.then()
        return _Result()


def test_tasks_run_off_the_callers_thread_and_survive_failures():
    workers = EmbeddedWorkers(threads=2, queue_size=10)
    task = Recorder()
    for arg in ("raise", "fail", "ok"):
        assert workers.submit(task, (arg,), {})
    assert workers.drain(10)
    assert len(task.threads) == 3
    assert threading.current_thread().name not in task.threads
    assert all(name.startswith("fde-task-") for name in task.threads)


def test_a_full_queue_refuses_instead_of_blocking_the_request():
    workers = EmbeddedWorkers(threads=1, queue_size=1)
    gate = threading.Event()
    slow = Recorder(gate=gate)
    assert workers.submit(slow, (), {})  # taken by the thread, waits at the gate
    assert not workers.drain(0.1)
    queued = [workers.submit(slow, (), {}) for _ in range(3)]
    # One more fits in the queue (if the thread took the first), the rest are refused.
    assert queued.count(True) <= 1 and queued[-1] is False
    gate.set()
    assert workers.drain(10)


def test_drain_waits_for_tasks_queued_by_tasks():
    workers = EmbeddedWorkers(threads=2, queue_size=10)
    second = Recorder(name="second")
    first = Recorder(name="first", then=lambda: workers.submit(second, (), {}))
    workers.submit(first, (), {})
    assert workers.drain(10)
    assert len(first.threads) == 1 and len(second.threads) == 1


def test_a_task_that_drains_does_not_wait_for_itself():
    workers = EmbeddedWorkers(threads=1, queue_size=10)
    answers: list[bool] = []
    task = Recorder(then=lambda: answers.append(workers.drain(5)))
    workers.submit(task, (), {})
    assert workers.drain(10)
    assert answers == [False]
