"""Tasks sent after the commit, by the task or by the name it is registered under (how a
domain's services send their tasks without importing their tasks module)."""

from __future__ import annotations

import pytest

from frontiers_de.scripting import app_request
from frontiers_de.tasks import celery_app, registered_task

ran: list[str] = []


@celery_app.task(name="tests.tasks.remember")
def remember(value: str) -> None:
    ran.append(value)


@pytest.fixture(autouse=True)
def _forget():
    ran.clear()
    yield
    ran.clear()


def test_a_task_is_found_by_its_registered_name():
    assert registered_task("tests.tasks.remember").name == remember.name
    assert registered_task(remember) is remember
    assert registered_task("frontiers_de.mail.deliver_email").name == (
        "frontiers_de.mail.deliver_email"
    )
    with pytest.raises(KeyError):
        registered_task("frontiers_de.no_such_task")


def test_a_task_named_runs_after_the_commit(app_settings):
    with app_request(app_settings) as request:
        request.enqueue("tests.tasks.remember", "named")
        request.enqueue(remember, "itself")
        assert ran == []  # nothing before the commit
    assert sorted(ran) == ["itself", "named"]


def test_a_task_named_in_a_request_that_fails_never_runs(app_settings):
    with pytest.raises(RuntimeError), app_request(app_settings) as request:
        request.enqueue("tests.tasks.remember", "never")
        raise RuntimeError("request failed")
    assert ran == []
