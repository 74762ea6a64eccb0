"""Work that must not run away: a child process, killed at a wall-clock limit.

Typesetting (WeasyPrint) and the reader-HTML transform (libxslt) run C code that no Python
timer can interrupt, and some inputs make them run for minutes or hours (an XSLT step
quadratic in the number of affiliations, formulas whose drawing time doubles per level).
:func:`run_with_time_limit` runs such a step in a child process and kills the process at
the limit, which really stops it and gives its memory back, and raises
:class:`TookTooLong`, whose message says what took too long::

    result = run_with_time_limit(typeset, data, seconds=300, what="typesetting")

A child is forked from the calling process when that process runs a single thread (a
Celery prefork worker, the command line: the child starts with everything loaded and
shares its memory), and otherwise from multiprocessing's fork server, a single-threaded
process that has imported the modules named in ``preload`` once (WeasyPrint, lxml, fonts),
so forking never copies a threaded web process whose locks another thread may hold. The
function and its arguments and result cross the process boundary by pickle: module-level
functions, plain data.
"""

from __future__ import annotations

import logging
import math
import multiprocessing
import signal
import threading
from collections.abc import Callable, Sequence
from multiprocessing.connection import Connection
from typing import Any, TypeVar

log = logging.getLogger(__name__)

T = TypeVar("T")

_lock = threading.Lock()
# "__main__": the fork server imports the program's main script once, so that children do
# not each run it again (multiprocessing re-imports the main script in every child that
# does not already have it). Scripts must guard their work with ``if __name__ ==
# "__main__":``, as console scripts, pserve and celery do.
_preloaded: set[str] = {"__main__"}
_started = False


class TookTooLong(RuntimeError):
    """The work ran past its time limit and was stopped."""

    def __init__(self, what: str, seconds: float) -> None:
        super().__init__(f"{what} took too long (more than {seconds:g} s) and was stopped")
        self.what = what
        self.seconds = seconds


class ChildFailed(RuntimeError):
    """The child process ended without an answer (killed from outside, out of memory)."""


def _context(preload: Sequence[str]) -> multiprocessing.context.BaseContext:
    """Fork this process when it runs a single thread; else fork from the fork server.

    A single-threaded process (a Celery prefork worker, the command line) can fork safely,
    and its child starts with every cache warm (fonts, formulas drawn before) and shares
    its memory until it writes. A process with threads (the web server, the embedded
    default running jobs beside requests) must not fork: another thread may hold a lock
    that the child would wait on forever. Its children come from multiprocessing's fork
    server, a single-threaded process that has imported ``preload`` once."""
    global _started
    if threading.active_count() == 1:
        return multiprocessing.get_context("fork")
    context = multiprocessing.get_context("forkserver")
    with _lock:
        # The fork server reads the list when it starts (on the first child); modules named
        # later are imported by each child instead, which is slower but still correct.
        if not _started:
            _preloaded.update(preload)
            context.set_forkserver_preload(sorted(_preloaded))
            _started = True
    return context


def _child(
    connection: Connection, seconds: float, func: Callable[..., Any], args: tuple, kwargs: dict
) -> None:
    # The child stops itself too, a second after the limit, should the parent be gone
    # (a worker killed from outside) and nobody left to kill it: SIGALRM's default action
    # ends the process even inside WeasyPrint's or libxslt's C code.
    signal.signal(signal.SIGALRM, signal.SIG_DFL)
    signal.alarm(math.ceil(seconds) + 1)
    try:
        outcome: tuple[bool, Any] = (True, func(*args, **kwargs))
    except BaseException as exc:  # everything goes back to the parent, which re-raises it
        outcome = (False, exc)
    try:
        connection.send(outcome)
    except Exception as exc:  # an answer or exception that does not pickle
        connection.send((False, ChildFailed(f"{type(exc).__name__}: {exc}")))
    finally:
        connection.close()


def _start(process: multiprocessing.process.BaseProcess) -> None:
    """Start ``process``, also from a daemonic process.

    Celery's prefork workers (billiard) mark themselves daemonic, and multiprocessing
    refuses children to a daemonic process lest they outlive it. Ours cannot: it is joined
    or killed before run_with_time_limit returns, and stops itself at the limit besides
    (the alarm in _child). So the flag is lifted for the start only."""
    current = multiprocessing.current_process()
    config = getattr(current, "_config", {})
    daemonic = config.get("daemon")
    if daemonic:
        config["daemon"] = False
    try:
        process.start()
    finally:
        if daemonic:
            config["daemon"] = daemonic


def run_with_time_limit(
    func: Callable[..., T],
    *args: Any,
    seconds: float,
    what: str,
    preload: Sequence[str] = (),
    **kwargs: Any,
) -> T:
    """``func(*args, **kwargs)`` in a child process, stopped after ``seconds``.

    Returns what ``func`` returned; re-raises what it raised; raises :class:`TookTooLong`
    (``what`` names the step in its message) when the limit passed first, and
    :class:`ChildFailed` when the child died without an answer.
    """
    if seconds <= 0:
        raise ValueError("a time limit must be above zero")
    context = _context(preload)
    receiver, sender = context.Pipe(duplex=False)
    process = context.Process(
        target=_child, args=(sender, seconds, func, args, kwargs), name=f"fde-{what}", daemon=True
    )
    _start(process)
    sender.close()  # the child holds its own end; EOF here then means the child is gone
    try:
        if not receiver.poll(seconds):
            process.kill()
            log.info("%s stopped after %g s (pid %s)", what, seconds, process.pid)
            raise TookTooLong(what, seconds)
        try:
            ok, payload = receiver.recv()
        except EOFError as exc:
            process.join(5)
            raise ChildFailed(
                f"{what} ended without an answer (exit code {process.exitcode})"
            ) from exc
    finally:
        receiver.close()
        process.join(5)
        if process.is_alive():
            process.kill()
            process.join()
        process.close()
    if ok:
        return payload
    raise payload
