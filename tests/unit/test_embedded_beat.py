"""The in-process beat of the embedded default keeps each periodic task's own interval."""

from __future__ import annotations

from frontiers_de.tasks import EmbeddedBeat, beat_schedule


def test_each_entry_runs_at_its_own_interval():
    settings = {
        "mail.drain_interval": "60",
        "crossref.sweep_interval": "300",
        "fde.throttle.purge_interval": "3600",
    }
    beat = EmbeddedBeat(settings)
    names = {entry["task"] for entry in beat_schedule(settings).values()}
    next_due = {name: float(entry["schedule"]) for name, entry in beat.schedule.items()}
    runs: dict[str, int] = dict.fromkeys(next_due, 0)
    for minute in range(1, 121):  # two hours, woken every minute
        for name in beat.take_due(next_due, minute * 60.0):
            runs[name] += 1
    by_interval = {float(beat.schedule[n]["schedule"]): count for n, count in runs.items()}
    assert by_interval == {60.0: 120, 300.0: 24, 3600.0: 2}
    assert len(names) == len(runs)


def test_nothing_is_due_before_its_time_and_a_late_wake_runs_it_once():
    beat = EmbeddedBeat({"mail.drain_interval": "10"})
    next_due = {name: float(entry["schedule"]) for name, entry in beat.schedule.items()}
    assert beat.take_due(next_due, 5.0) == []
    late = beat.take_due(next_due, 5000.0)  # the machine slept: one run, not a backlog
    assert len(late) == len(next_due)
    assert beat.take_due(next_due, 5000.0) == []
    assert min(next_due.values()) == 5010.0
