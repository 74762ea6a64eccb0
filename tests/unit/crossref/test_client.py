"""The deposit client against the local Crossref stand-in (real HTTP on 127.0.0.1)."""

from __future__ import annotations

import copy
import logging

import pytest

from frontiers_de.crossref.client import (
    BatchResult,
    Credentials,
    CrossrefAuthError,
    CrossrefRejected,
    CrossrefUnavailable,
    DepositClient,
    MalformedAnswer,
    NotYetProcessed,
    RetryPolicy,
    SubmissionReceipt,
    parse_batch_diagnostic,
)
from frontiers_de.crossref.deposit import build_deposit
from frontiers_de.crossref.models import DoiState


class Sleeps(list):
    """Records the delays the client asks for instead of waiting."""

    def __call__(self, seconds: float) -> None:
        self.append(seconds)


def make_client(standin, sleeps: Sleeps, **kwargs) -> DepositClient:
    options = {
        "timeout": 0.5,
        "retry": RetryPolicy(attempts=6, base_delay=1.0, factor=2.0, max_delay=60.0),
        "poll_interval": 5.0,
        "max_polls": 10,
        "sleep": sleeps,
    }
    options.update(kwargs)
    return DepositClient(
        standin.deposit_url, Credentials(standin.username, standin.password), **options
    )


@pytest.fixture
def three_articles(article, profile):
    trees = []
    for number in (7, 8, 9):
        tree = copy.deepcopy(article)
        tree.getroot().find("front/article-meta/article-id").text = f"10.5555/fde.2025.000{number}"
        trees.append(tree)
    return build_deposit(trees, profile)


def statuses(result: BatchResult) -> dict[str, DoiState]:
    return {o.doi: o.status for o in result.outcomes}


def test_deposit_registers_after_queued_polls(standin, three_articles) -> None:
    sleeps = Sleeps()
    result = make_client(standin, sleeps).deposit(three_articles.to_bytes())
    assert result.completed
    assert set(statuses(result).values()) == {DoiState.REGISTERED}
    assert sorted(statuses(result)) == sorted(three_articles.dois)
    assert result.counts["success_count"] == 3
    # queued, in_process, then done: two waits of the poll interval.
    assert sleeps == [5.0, 5.0]
    (submission,) = standin.submissions
    assert submission.filename == f"{three_articles.batch_id}.xml"
    assert submission.xml == three_articles.to_bytes()


def test_survives_503s_a_timeout_and_a_dropped_connection(standin, three_articles) -> None:
    standin.fail_next("deposit", "503", "503", "503", "timeout", "drop")
    sleeps = Sleeps()
    client = make_client(standin, sleeps, retry=RetryPolicy(attempts=8, base_delay=1.0))
    result = client.deposit(three_articles.to_bytes())
    assert set(statuses(result).values()) == {DoiState.REGISTERED}
    assert len(standin.uploads) == 1
    # Exponential backoff between the five failed uploads, then the two polls.
    assert sleeps[:5] == [1.0, 2.0, 4.0, 8.0, 16.0]
    assert sleeps[5:] == [5.0, 5.0]


def test_result_polling_survives_transient_faults(standin, three_articles) -> None:
    standin.fail_next("result", "500", "timeout", "drop")
    result = make_client(standin, Sleeps()).deposit(three_articles.to_bytes())
    assert set(statuses(result).values()) == {DoiState.REGISTERED}


def test_lost_upload_answer_is_not_uploaded_twice(standin, three_articles) -> None:
    # Crossref took the file but the answer never arrived: asking first avoids a second copy,
    # which Crossref would fail as "already deposited" and which would hide the first.
    original = standin.take_fault
    state = {"dropped": False}

    def drop_after_recording(endpoint: str) -> str:
        if endpoint == "deposit" and not state["dropped"]:
            state["dropped"] = True
            return "accept-then-drop"
        return original(endpoint)

    standin.take_fault = drop_after_recording
    result = make_client(standin, Sleeps()).deposit(three_articles.to_bytes())
    assert len(standin.uploads) == 1
    assert set(statuses(result).values()) == {DoiState.REGISTERED}


def test_one_failing_record_fails_alone(standin, three_articles) -> None:
    bad = three_articles.dois[1]
    message = (
        "Record not processed because submitted version: 202501011 is less or equal to "
        "previously submitted version (DOI match)"
    )
    standin.record_rules[bad] = ("Failure", message)
    result = make_client(standin, Sleeps()).deposit(three_articles.to_bytes())
    got = statuses(result)
    assert got.pop(bad) is DoiState.FAILED
    assert set(got.values()) == {DoiState.REGISTERED}
    failed = result.outcome(bad)
    assert failed is not None and failed.message == message and not failed.registered
    assert failed.msg_id == "4"


def test_warning_registers_and_keeps_the_message(standin, three_articles) -> None:
    doi = three_articles.dois[0]
    standin.record_rules[doi] = ("Warning", "Added with conflict: 10.5555/other has same title")
    result = make_client(standin, Sleeps()).deposit(three_articles.to_bytes())
    outcome = result.outcome(doi)
    assert outcome is not None
    assert outcome.status is DoiState.REGISTERED_WITH_WARNINGS and outcome.registered
    assert outcome.message == "Added with conflict: 10.5555/other has same title"


@pytest.mark.parametrize("fault", ["malformed", "truncated", "html-error"])
def test_unreadable_answer_is_retried_then_registered(standin, three_articles, caplog, fault):
    standin.fail_next("result", fault)
    with caplog.at_level(logging.WARNING, logger="frontiers_de.crossref.client"):
        result = make_client(standin, Sleeps()).deposit(three_articles.to_bytes())
    assert set(statuses(result).values()) == {DoiState.REGISTERED}
    assert "try 1 of 6" in caplog.text


def test_persistently_malformed_answer_is_reported_and_checked_later(standin, three_articles):
    standin.fail_next("result", *["malformed"] * 6)
    client = make_client(standin, Sleeps())
    with pytest.raises(MalformedAnswer) as caught:
        client.deposit(three_articles.to_bytes())
    message = str(caught.value)
    assert three_articles.batch_id in message
    assert "could not be read after 6 tries" in message
    assert "not readable XML" in message and "checked again later" in message
    # Later (the app's next run), the same submission is read without uploading again.
    receipt = SubmissionReceipt(
        f"{three_articles.batch_id}.xml", three_articles.batch_id, tuple(three_articles.dois)
    )
    result = client.poll(receipt)
    assert set(statuses(result).values()) == {DoiState.REGISTERED}
    assert len(standin.uploads) == 1


def test_not_yet_processed_keeps_the_receipt(standin, three_articles) -> None:
    standin.polls_before_done = 50
    with pytest.raises(NotYetProcessed) as caught:
        make_client(standin, Sleeps(), max_polls=3).deposit(three_articles.to_bytes())
    assert caught.value.receipt.batch_id == three_articles.batch_id
    standin.polls_before_done = 0
    result = make_client(standin, Sleeps()).poll(caught.value.receipt)
    assert result.completed


def test_poll_by_batch_id(standin, three_articles) -> None:
    client = make_client(standin, Sleeps())
    client.upload(three_articles.to_bytes(), "upload-name.xml")
    receipt = SubmissionReceipt("", three_articles.batch_id, tuple(three_articles.dois))
    assert client.poll(receipt).completed


def test_crossref_down_gives_up_with_a_clear_error(standin, three_articles) -> None:
    standin.fail_next("deposit", *["503"] * 4)
    sleeps = Sleeps()
    client = make_client(standin, sleeps, retry=RetryPolicy(attempts=4, base_delay=1.0))
    with pytest.raises(CrossrefUnavailable, match=r"HTTP 503 .* gave up after 4 attempts"):
        client.deposit(three_articles.to_bytes())
    assert sleeps == [1.0, 2.0, 4.0]
    assert standin.uploads == []


def test_backoff_is_capped() -> None:
    policy = RetryPolicy(attempts=10, base_delay=2.0, factor=3.0, max_delay=30.0)
    assert [policy.delay(n) for n in range(5)] == [2.0, 6.0, 18.0, 30.0, 30.0]


@pytest.mark.parametrize("mode", ["401", "403", "page"])
def test_wrong_credentials_are_not_retried(standin, three_articles, mode) -> None:
    standin.auth_failure = mode
    sleeps = Sleeps()
    client = DepositClient(
        standin.deposit_url, Credentials(standin.username, "wrong-password"), sleep=sleeps
    )
    with pytest.raises(CrossrefAuthError) as caught:
        client.deposit(three_articles.to_bytes())
    assert sleeps == []
    assert "wrong-password" not in str(caught.value)


def test_usr_pwd_form_fields(standin, three_articles) -> None:
    client = make_client(standin, Sleeps(), auth_fields="usr")
    assert client.deposit(three_articles.to_bytes()).completed


def test_refused_upload(standin) -> None:
    client = make_client(standin, Sleeps())
    with pytest.raises(CrossrefRejected, match="Not XML"):
        client.upload(b"not xml at all", "x.xml")


def test_deposit_file_must_be_xml_with_batch_id(standin) -> None:
    client = make_client(standin, Sleeps())
    with pytest.raises(CrossrefRejected, match="not usable XML"):
        client.deposit(b"<doi_batch")
    with pytest.raises(CrossrefRejected, match="no head/doi_batch_id"):
        client.deposit(b"<doi_batch xmlns='http://www.crossref.org/schema/5.4.0'/>")


def test_credentials_never_reach_logs_or_errors(standin, three_articles, caplog) -> None:
    secret_user, secret = standin.username, standin.password
    standin.fail_next("deposit", "503", "drop")
    # The check after the drop times out once, then says it does not have the file (""
    # is no fault); the upload is sent again, and its first poll is unreadable.
    standin.fail_next("result", "timeout", "", "malformed")
    errors: list[str] = []
    with caplog.at_level(logging.DEBUG):
        client = make_client(standin, Sleeps())
        client.deposit(three_articles.to_bytes())
        # An endpoint that is down: connection errors name the URL (with its query).
        down = DepositClient(
            "http://127.0.0.1:9/servlet/deposit",
            Credentials(secret_user, secret),
            timeout=0.5,
            retry=RetryPolicy(attempts=2, base_delay=0.0),
            sleep=Sleeps(),
        )
        for call in (
            lambda: down.fetch_result(SubmissionReceipt("f.xml", "b")),
            lambda: down.upload(b"<x/>", "f.xml"),
        ):
            try:
                call()
            except CrossrefUnavailable as exc:
                errors.append(str(exc))
    assert len(errors) == 2
    # Logging was on, and urllib3 did log the result URLs (with their query, masked).
    assert "submissionDownload?usr=***&pwd=***" in caplog.text
    for text in [caplog.text, *errors, repr(client.credentials)]:
        assert secret not in text
        assert secret.replace("!", "%21") not in text
        assert f"usr={secret_user}" not in text


def test_credentials_come_from_settings() -> None:
    creds = Credentials.from_settings({"crossref.username": "u", "crossref.password": "hunter2"})
    assert (creds.username, creds.password) == ("u", "hunter2")
    assert "hunter2" not in repr(creds) and "hunter2" not in str(creds)
    with pytest.raises(CrossrefAuthError, match="CROSSREF_USERNAME"):
        Credentials.from_settings({"crossref.username": "u"})


def test_failure_without_doi_applies_to_the_whole_batch() -> None:
    answer = b"""<doi_batch_diagnostic status="completed" sp="x">
      <submission_id>1</submission_id><batch_id>b-1</batch_id>
      <record_diagnostic status="Failure">
        <msg>Error: cvc-complex-type.2.4.a</msg></record_diagnostic>
      <batch_data><record_count>1</record_count><success_count>0</success_count>
      <warning_count>0</warning_count><failure_count>1</failure_count></batch_data>
    </doi_batch_diagnostic>"""
    result = parse_batch_diagnostic(answer, ["10.5555/a", "10.5555/b"])
    assert [(o.doi, o.status, o.message) for o in result.outcomes] == [
        ("10.5555/a", DoiState.FAILED, "Error: cvc-complex-type.2.4.a"),
        ("10.5555/b", DoiState.FAILED, "Error: cvc-complex-type.2.4.a"),
    ]


@pytest.mark.parametrize(
    ("answer", "message"),
    [
        (b"", "empty"),
        (b"<html><body>oops</body></html>", "root <html>"),
        (b"<doi_batch_diagnostic/>", "no status"),
        (
            b'<doi_batch_diagnostic status="completed"><record_diagnostic status="Odd"/>'
            b"</doi_batch_diagnostic>",
            "unknown status",
        ),
        (
            b'<doi_batch_diagnostic status="completed"><batch_data><record_count>2'
            b"</record_count></batch_data></doi_batch_diagnostic>",
            "declares 2 records but lists 0",
        ),
        (b'<doi_batch_diagnostic status="completed"><record_diag', "line 1"),
    ],
)
def test_malformed_answers_are_named(answer: bytes, message: str) -> None:
    with pytest.raises(MalformedAnswer, match=message):
        parse_batch_diagnostic(answer)


def test_real_shaped_answer_with_conflicts_and_citations() -> None:
    answer = b"""<?xml version="1.0" encoding="UTF-8"?>
<doi_batch_diagnostic status="completed" sp="cs3.crossref.org">
   <submission_id>1430990271</submission_id>
   <batch_id>fde-20250314120000000-abc</batch_id>
   <record_diagnostic status="Success">
      <doi>10.5555/FDE.2025.0007</doi>
      <msg>Successfully updated</msg>
      <citations_diagnostic deferred="1403850958" />
   </record_diagnostic>
   <record_diagnostic status="Warning">
      <doi>10.5555/fde.2025.0008</doi>
      <msg>Added with conflict</msg>
      <conflict_id_list><conflict_id>5011324</conflict_id></conflict_id_list>
   </record_diagnostic>
   <batch_data>
      <record_count>2</record_count>
      <success_count>1</success_count>
      <warning_count>1</warning_count>
      <failure_count>0</failure_count>
   </batch_data>
</doi_batch_diagnostic>"""
    result = parse_batch_diagnostic(answer, ["10.5555/fde.2025.0007", "10.5555/fde.2025.0008"])
    assert result.submission_id == "1430990271"
    assert result.batch_id == "fde-20250314120000000-abc"
    assert result.outcome("10.5555/fde.2025.0007").status is DoiState.REGISTERED  # any case
    warned = result.outcome("10.5555/fde.2025.0008")
    assert (warned.status, warned.message) == (
        DoiState.REGISTERED_WITH_WARNINGS,
        "Added with conflict",
    )
    assert len(result.outcomes) == 2
    assert result.counts == {
        "record_count": 2,
        "success_count": 1,
        "warning_count": 1,
        "failure_count": 0,
    }
