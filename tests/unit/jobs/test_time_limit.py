"""run_with_time_limit: the answer, the child's exception, and a child really stopped."""

from __future__ import annotations

import logging
import os
import re
import threading
import time

import pytest

from frontiers_de.jobs.time_limit import ChildFailed, TookTooLong, run_with_time_limit


def _refuse(message: str) -> None:
    raise ValueError(message)


def _die() -> None:
    os._exit(7)


@pytest.fixture(params=["single thread: fork", "threads: fork server"])
def threads(request):
    """Both ways of starting the child: this process forked, or the fork server's."""
    if request.param.startswith("single"):
        yield
        return
    stop = threading.Event()
    other = threading.Thread(target=stop.wait, daemon=True)
    other.start()
    yield
    stop.set()
    other.join()


def test_the_answer_comes_back_from_another_process(threads) -> None:
    assert run_with_time_limit(os.getpid, seconds=30, what="asking") != os.getpid()
    assert run_with_time_limit(sorted, [3, 1, 2], seconds=30, what="sorting") == [1, 2, 3]


def test_the_childs_exception_is_raised_here(threads) -> None:
    with pytest.raises(ValueError, match="not this one"):
        run_with_time_limit(_refuse, "not this one", seconds=30, what="refusing")


def test_a_child_that_dies_is_a_clear_failure() -> None:
    with pytest.raises(ChildFailed, match="dying ended without an answer"):
        run_with_time_limit(_die, seconds=30, what="dying")


def test_a_child_past_its_limit_is_killed(threads, caplog: pytest.LogCaptureFixture) -> None:
    caplog.set_level(logging.INFO, "frontiers_de.jobs.time_limit")
    started = time.monotonic()
    with pytest.raises(TookTooLong, match=r"sleeping took too long \(more than 1 s\)"):
        run_with_time_limit(time.sleep, 600, seconds=1, what="sleeping")
    assert time.monotonic() - started < 20
    (pid,) = (int(m) for m in re.findall(r"pid (\d+)", caplog.text))
    with pytest.raises(ProcessLookupError):  # gone, not left running in the background
        os.kill(pid, 0)


def test_a_limit_must_be_positive() -> None:
    with pytest.raises(ValueError):
        run_with_time_limit(os.getpid, seconds=0, what="nothing")
