"""Send a deposit to Crossref and find out, DOI by DOI, what became of it.

Crossref's deposit protocol (https://www.crossref.org/documentation/, "XML deposit using
HTTPS POST" and "Using HTTPS to retrieve logs"):

1. ``POST`` multipart/form-data to the deposit servlet with ``operation=doMDUpload``, the
   credentials (``login_id``/``login_passwd``, or ``usr``/``pwd``) and the file in ``fname``.
   Crossref answers at once with a small HTML page saying SUCCESS (queued) or FAILURE.
2. Processing happens later. ``submissionDownload`` with ``type=result`` and the file name
   (or ``doi_batch_id``) answers with a ``doi_batch_diagnostic`` document: ``queued`` or
   ``in_process`` until done, then ``completed`` with one ``record_diagnostic`` per DOI whose
   status is Success, Warning (registered; the message matters) or Failure.

What this client adds: retries with exponential backoff on what is transient (5xx, 429,
time-outs, dropped connections, an unreadable answer), no second upload when Crossref already
has the file, per-DOI outcomes the app stores, and credentials that never reach a log line
or an error message (the result servlet wants them in the query string, so URLs are redacted
wherever they could be printed).
"""

from __future__ import annotations

import logging
import re
import time
import urllib.parse
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field
from typing import Any

import requests
from lxml import etree

from frontiers_de.crossref.models import DoiState
from frontiers_de.crossref.settings import CrossrefSettings
from frontiers_de.xml.safe import XMLInputError, XMLLimits, parse_xml

log = logging.getLogger(__name__)

# How many bytes of a Crossref answer we are willing to read.
_ANSWER_LIMITS = XMLLimits(max_bytes=20 * 1024 * 1024, max_depth=64)
_CR_NS = "http://www.crossref.org/schema/5.4.0"
# Faults worth another try: no answer in time, connection refused or dropped, body cut off.
_TRANSIENT = (requests.Timeout, requests.ConnectionError, requests.exceptions.ChunkedEncodingError)


class CrossrefError(Exception):
    """Base of everything this client raises; messages never contain credentials."""


class CrossrefAuthError(CrossrefError):
    """Crossref refused the credentials. Not retried: a person has to fix the settings."""


class CrossrefRejected(CrossrefError):
    """Crossref refused the upload itself (not a transient fault)."""


class CrossrefUnavailable(CrossrefError):
    """Crossref could not be reached or kept failing; the deposit should be tried later."""


class UploadUnconfirmed(CrossrefUnavailable):
    """An upload's answer was lost and Crossref's status check failed too: Crossref may or
    may not have the file. It is not sent again now (a second copy would fail as "already
    deposited" and hide the first); the next try asks Crossref first."""


class MalformedAnswer(CrossrefError):
    """Crossref's answer could not be read (not XML, truncated, unexpected root); ``raw``
    keeps what it said, for the deposit's page."""

    def __init__(self, message: str, raw: bytes = b"") -> None:
        super().__init__(message)
        self.raw = raw


class NotYetProcessed(CrossrefError):
    """Crossref has the submission but had not processed it when polling stopped."""

    def __init__(self, message: str, receipt: SubmissionReceipt) -> None:
        super().__init__(message)
        self.receipt = receipt


@dataclass(frozen=True)
class Credentials:
    username: str
    password: str = field(repr=False)

    def __repr__(self) -> str:
        return f"Credentials(username={self.username!r}, password=***)"

    @classmethod
    def from_settings(cls, settings: Mapping[str, Any]) -> Credentials:
        """From ``crossref.username``/``crossref.password`` (CROSSREF_USERNAME/PASSWORD)."""
        crossref = CrossrefSettings.of(settings)
        username, password = crossref.username, crossref.password
        if not username or not password:
            raise CrossrefAuthError(
                "Crossref credentials are not set: set CROSSREF_USERNAME and CROSSREF_PASSWORD "
                "(or crossref.username / crossref.password)"
            )
        return cls(username, password)


@dataclass(frozen=True)
class RetryPolicy:
    """Exponential backoff: ``base_delay * factor**n`` seconds, capped at ``max_delay``."""

    attempts: int = 6
    base_delay: float = 2.0
    factor: float = 2.0
    max_delay: float = 120.0

    def delay(self, attempt: int) -> float:
        return min(self.max_delay, self.base_delay * self.factor**attempt)


@dataclass(frozen=True)
class SubmissionReceipt:
    """What identifies a submission for polling: its file name and batch id."""

    filename: str
    batch_id: str
    dois: tuple[str, ...] = ()


@dataclass(frozen=True)
class DoiOutcome:
    """Crossref's verdict on one DOI: status, Crossref's message, and its message id."""

    doi: str
    status: DoiState
    message: str = ""
    msg_id: str = ""

    @property
    def registered(self) -> bool:
        return self.status in (DoiState.REGISTERED, DoiState.REGISTERED_WITH_WARNINGS)


@dataclass
class BatchResult:
    """A read ``doi_batch_diagnostic``."""

    state: str  # queued, in_process, completed, unknown_submission
    batch_id: str = ""
    submission_id: str = ""
    outcomes: list[DoiOutcome] = field(default_factory=list)
    counts: dict[str, int] = field(default_factory=dict)
    raw: bytes = b""

    @property
    def completed(self) -> bool:
        return self.state == "completed"

    def outcome(self, doi: str) -> DoiOutcome | None:
        return next((o for o in self.outcomes if o.doi.lower() == doi.lower()), None)


# --- reading Crossref's answers -------------------------------------------------------------

_RECORD_STATUS = {
    "success": DoiState.REGISTERED,
    "warning": DoiState.REGISTERED_WITH_WARNINGS,
    "failure": DoiState.FAILED,
}


def _local(el: etree._Element) -> str:
    return etree.QName(el).localname if isinstance(el.tag, str) else ""


def _child_text(el: etree._Element, name: str) -> str:
    for child in el:
        if _local(child) == name:
            return " ".join("".join(child.itertext()).split())
    return ""


def parse_batch_diagnostic(data: bytes, expected_dois: Iterable[str] = ()) -> BatchResult:
    """Read a ``doi_batch_diagnostic``; :class:`MalformedAnswer` when it cannot be read.

    DOIs we sent that the answer does not mention stay ``submitted`` — except when Crossref
    reports failures without a DOI (the file as a whole was refused), which then apply to them.
    """
    try:
        root = parse_xml(data, _ANSWER_LIMITS).getroot()
    except XMLInputError as exc:
        where = f" (line {exc.line})" if exc.line else ""
        raise MalformedAnswer(f"Crossref's answer is not readable XML{where}: {exc}") from exc
    if _local(root) != "doi_batch_diagnostic":
        raise MalformedAnswer(
            f"Crossref's answer has root <{_local(root)}>, expected <doi_batch_diagnostic>"
        )
    state = (root.get("status") or "").strip().lower()
    if not state:
        raise MalformedAnswer("Crossref's doi_batch_diagnostic has no status attribute")
    result = BatchResult(
        state=state,
        batch_id=_child_text(root, "batch_id"),
        submission_id=_child_text(root, "submission_id"),
        raw=data,
    )
    orphan_failures: list[DoiOutcome] = []
    for record in root:
        if _local(record) != "record_diagnostic":
            continue
        raw_status = (record.get("status") or "").strip().lower()
        if raw_status not in _RECORD_STATUS:
            raise MalformedAnswer(f"record_diagnostic with unknown status {raw_status!r}")
        outcome = DoiOutcome(
            doi=_child_text(record, "doi"),
            status=_RECORD_STATUS[raw_status],
            message=_child_text(record, "msg"),
            msg_id=record.get("msg_id", ""),
        )
        if outcome.doi:
            result.outcomes.append(outcome)
        elif outcome.status is DoiState.FAILED:
            orphan_failures.append(outcome)
    for child in root:
        if _local(child) == "batch_data":
            for count in child:
                value = "".join(count.itertext()).strip()
                if value.isdigit():
                    result.counts[_local(count)] = int(value)
    if result.completed:
        declared = result.counts.get("record_count")
        seen = len(result.outcomes) + len(orphan_failures)
        if declared is not None and declared != seen:
            raise MalformedAnswer(
                f"Crossref's answer declares {declared} records but lists {seen} "
                "(truncated answer?)"
            )
        known = {o.doi.lower() for o in result.outcomes}
        for doi in expected_dois:
            if doi.lower() in known:
                continue
            if orphan_failures:
                message = "; ".join(o.message for o in orphan_failures if o.message)
                result.outcomes.append(DoiOutcome(doi, DoiState.FAILED, message))
            else:
                result.outcomes.append(
                    DoiOutcome(doi, DoiState.SUBMITTED, "Crossref's answer does not mention it")
                )
    return result


def dois_in_deposit(xml: bytes) -> tuple[str, tuple[str, ...]]:
    """The ``doi_batch_id`` and the article DOIs of a deposit file."""
    root = parse_xml(xml).getroot()
    batch_id = "".join(root.findtext(f"{{{_CR_NS}}}head/{{{_CR_NS}}}doi_batch_id") or "").strip()
    dois = tuple(
        (el.text or "").strip()
        for el in root.iterfind(
            f".//{{{_CR_NS}}}journal_article/{{{_CR_NS}}}doi_data/{{{_CR_NS}}}doi"
        )
    )
    return batch_id, dois


# --- keeping credentials out of logs -------------------------------------------------------

_SECRET_PARAM_RE = re.compile(r"\b(usr|pwd|login_id|login_passwd)=([^&\s'\"]*)", re.I)


class _RedactQuery(logging.Filter):
    """Masks credential parameters in urllib3's request log lines (they carry the URL)."""

    def filter(self, record: logging.LogRecord) -> bool:
        if record.args:
            record.msg = record.getMessage()
            record.args = None
        record.msg = _SECRET_PARAM_RE.sub(r"\1=***", str(record.msg))
        return True


def _install_log_redaction() -> None:
    logger = logging.getLogger("urllib3.connectionpool")
    if not any(isinstance(f, _RedactQuery) for f in logger.filters):
        logger.addFilter(_RedactQuery())


# --- the client ----------------------------------------------------------------------------


class DepositClient:
    """Deposits files with Crossref and polls their results.

    ``sleep`` is injectable so tests run the backoff without waiting; ``session`` may be a
    prepared :class:`requests.Session`.
    """

    def __init__(
        self,
        deposit_url: str,
        credentials: Credentials,
        *,
        result_url: str | None = None,
        auth_fields: str = "login",
        timeout: float = 60.0,
        retry: RetryPolicy | None = None,
        poll_interval: float = 30.0,
        max_polls: int = 40,
        sleep: Callable[[float], None] = time.sleep,
        session: requests.Session | None = None,
    ) -> None:
        if auth_fields not in ("login", "usr"):
            raise ValueError("auth_fields is 'login' (login_id/login_passwd) or 'usr' (usr/pwd)")
        self.deposit_url = deposit_url
        self.result_url = result_url or re.sub(r"/deposit/?$", "/submissionDownload", deposit_url)
        self.credentials = credentials
        self.auth_fields = auth_fields
        self.timeout = timeout
        self.retry = retry or RetryPolicy()
        self.poll_interval = poll_interval
        self.max_polls = max_polls
        self.sleep = sleep
        self.session = session or requests.Session()
        _install_log_redaction()

    @classmethod
    def from_settings(cls, settings: Mapping[str, Any], **kwargs: Any) -> DepositClient:
        """From ``crossref.deposit_url`` (and optional ``crossref.result_url``, ``crossref.
        auth_fields``, ``crossref.timeout``, ``crossref.poll_interval``) and the credentials."""
        crossref = CrossrefSettings.of(settings)
        options: dict[str, Any] = {}
        if crossref.result_url:
            options["result_url"] = crossref.result_url
        if crossref.auth_fields:
            options["auth_fields"] = crossref.auth_fields
        for key in ("timeout", "poll_interval"):
            if getattr(crossref, key) is not None:
                options[key] = getattr(crossref, key)
        options.update(kwargs)
        return cls(crossref.deposit_url, Credentials.from_settings(settings), **options)

    # -- redaction ---------------------------------------------------------------------

    def redact(self, text: str) -> str:
        """``text`` with the username and password (plain or URL-encoded) masked."""
        text = _SECRET_PARAM_RE.sub(r"\1=***", text)
        for secret in (self.credentials.password, self.credentials.username):
            if not secret:
                continue
            for form in {secret, urllib.parse.quote(secret), urllib.parse.quote_plus(secret)}:
                text = text.replace(form, "***")
        return text

    # -- HTTP with retries -------------------------------------------------------------

    def _request(self, what: str, send: Callable[[], requests.Response]) -> requests.Response:
        """Run ``send`` until it gives a non-transient answer or the attempts run out."""
        last = ""
        for attempt in range(self.retry.attempts):
            try:
                response = send()
            except _TRANSIENT as exc:
                kind = "timed out" if isinstance(exc, requests.Timeout) else "connection failed"
                last = f"{what}: {kind} ({self.redact(str(exc))})"
            else:
                if response.status_code in (401, 403):
                    raise CrossrefAuthError(
                        f"{what}: Crossref refused the credentials (HTTP {response.status_code})"
                    )
                if response.status_code >= 500 or response.status_code == 429:
                    last = f"{what}: HTTP {response.status_code} from Crossref"
                else:
                    return response
            if attempt + 1 < self.retry.attempts:
                delay = self.retry.delay(attempt)
                log.warning("%s; retrying in %.1f s", last, delay)
                self.sleep(delay)
        raise CrossrefUnavailable(f"{last}; gave up after {self.retry.attempts} attempts")

    def _auth(self, for_result: bool = False) -> dict[str, str]:
        if for_result or self.auth_fields == "usr":
            return {"usr": self.credentials.username, "pwd": self.credentials.password}
        return {"login_id": self.credentials.username, "login_passwd": self.credentials.password}

    # -- protocol steps ----------------------------------------------------------------

    def upload(self, xml: bytes, filename: str) -> None:
        """One multipart upload; raises on refusal. Transient faults are retried, and after
        an upload whose answer was lost the file is only sent again when Crossref does not
        know it yet (a second copy would fail as "already deposited" and hide the first)."""
        fields = {"operation": "doMDUpload", **self._auth()}
        attempts_left = self.retry.attempts
        while True:
            try:
                response = self.session.post(
                    self.deposit_url,
                    data=fields,
                    files={"fname": (filename, xml, "application/xml")},
                    timeout=self.timeout,
                )
            except _TRANSIENT as exc:
                attempts_left -= 1
                message = f"upload of {filename}: {type(exc).__name__} ({self.redact(str(exc))})"
                if attempts_left <= 0:
                    raise CrossrefUnavailable(f"{message}; gave up") from None
                delay = self.retry.delay(self.retry.attempts - attempts_left - 1)
                log.warning("%s; checking whether Crossref has it, retry in %.1f s", message, delay)
                self.sleep(delay)
                known = self.has_submission(filename)
                if known:
                    log.info("Crossref already has %s; not uploading it again", filename)
                    return
                if known is None:
                    # A failed check is "we do not know", never "Crossref does not have it".
                    raise UploadUnconfirmed(
                        f"{message}; Crossref's status could not be checked either, so the "
                        "file was not sent again: whether Crossref has it is asked on the "
                        "next try"
                    ) from None
                continue
            status = response.status_code
            if status in (401, 403):
                raise CrossrefAuthError(
                    f"upload of {filename}: Crossref refused the credentials (HTTP {status})"
                )
            if status >= 500 or status == 429:
                attempts_left -= 1
                if attempts_left <= 0:
                    raise CrossrefUnavailable(
                        f"upload of {filename}: HTTP {status} from Crossref; gave up after "
                        f"{self.retry.attempts} attempts"
                    )
                delay = self.retry.delay(self.retry.attempts - attempts_left - 1)
                log.warning("upload of %s: HTTP %s; retrying in %.1f s", filename, status, delay)
                self.sleep(delay)
                continue
            self._check_upload_answer(filename, status, response.text)
            log.info("uploaded %s to Crossref", filename)
            return

    def _check_upload_answer(self, filename: str, status: int, body: str) -> None:
        text = " ".join(re.sub(r"<[^>]+>", " ", body).split())
        if status == 200 and re.search(r"\bSUCCESS\b", body):
            return
        detail = self.redact(text[:300]) or f"HTTP {status}"
        if re.search(r"(?i)password|login|authori[sz]|credential|not allowed", text):
            raise CrossrefAuthError(f"upload of {filename}: Crossref refused the login: {detail}")
        raise CrossrefRejected(f"upload of {filename}: Crossref refused it: {detail}")

    def _result_params(self, receipt: SubmissionReceipt | None, filename: str = "") -> dict:
        params = {**self._auth(for_result=True), "type": "result"}
        if filename or (receipt and receipt.filename):
            params["file_name"] = filename or (receipt.filename if receipt else "")
        elif receipt:
            params["doi_batch_id"] = receipt.batch_id
        return params

    def has_submission(self, filename: str) -> bool | None:
        """Whether Crossref has a submission of ``filename``: True, False (it says it does
        not know it), or None when the check itself failed (time-out, 5xx, an unreadable
        answer): unknown, which must never be taken for "not there"."""
        try:
            result = self.fetch_result(SubmissionReceipt(filename, ""))
        except (CrossrefUnavailable, MalformedAnswer) as exc:
            log.warning("whether Crossref has %s is unknown: %s", filename, self.redact(str(exc)))
            return None
        return result.state != "unknown_submission"

    def fetch_result(self, receipt: SubmissionReceipt) -> BatchResult:
        """One look at the submission's result (retrying transient faults)."""
        params = self._result_params(receipt)
        response = self._request(
            f"result of {receipt.filename or receipt.batch_id}",
            lambda: self.session.get(self.result_url, params=params, timeout=self.timeout),
        )
        body = response.content
        if response.status_code != 200:
            raise MalformedAnswer(
                f"result of {receipt.filename or receipt.batch_id}: HTTP {response.status_code}",
                body[:4000],
            )
        if body.lstrip()[:1] == b"<" and re.search(rb"(?i)<html", body[:500]):
            text = " ".join(re.sub(r"<[^>]+>", " ", response.text).split())
            if re.search(r"(?i)password|login|authori[sz]|credential", text):
                raise CrossrefAuthError(f"Crossref refused the login: {self.redact(text[:300])}")
            raise MalformedAnswer(
                f"Crossref answered with a web page: {self.redact(text[:300])}", body[:4000]
            )
        try:
            return parse_batch_diagnostic(body, receipt.dois)
        except MalformedAnswer as exc:
            raise MalformedAnswer(str(exc), body[:4000]) from None

    def poll(self, receipt: SubmissionReceipt) -> BatchResult:
        """Ask until Crossref has processed the submission; an unreadable answer is retried
        like a transient fault, and reported as :class:`MalformedAnswer` if it persists or
        is the last thing Crossref said (an unreadable result is not "not processed yet")."""
        malformed: MalformedAnswer | None = None
        malformed_count = 0
        for poll in range(self.max_polls):
            try:
                result = self.fetch_result(receipt)
            except MalformedAnswer as exc:
                malformed_count += 1
                malformed = exc
                log.warning(
                    "batch %s: %s (try %d of %d)",
                    receipt.batch_id,
                    self.redact(str(exc)),
                    malformed_count,
                    self.retry.attempts,
                )
                if malformed_count >= self.retry.attempts:
                    raise MalformedAnswer(
                        f"batch {receipt.batch_id}: Crossref's result could not be read after "
                        f"{malformed_count} tries; last problem: {malformed}. "
                        "The deposit stays submitted and will be checked again later.",
                        exc.raw,
                    ) from None
                if poll + 1 >= self.max_polls:
                    break  # no wait after the last look
                self.sleep(self.retry.delay(malformed_count - 1))
                continue
            malformed = None
            if result.completed:
                log.info(
                    "batch %s processed: %s",
                    receipt.batch_id,
                    ", ".join(f"{o.doi} {o.status}" for o in result.outcomes),
                )
                return result
            log.info("batch %s is %s (poll %d)", receipt.batch_id, result.state, poll + 1)
            self.sleep(self.poll_interval)
        if malformed is not None:
            raise MalformedAnswer(
                f"batch {receipt.batch_id}: unreadable result: Crossref's answer could not be "
                f"read ({malformed}). The deposit stays submitted and its result is asked for "
                "again later.",
                malformed.raw,
            )
        raise NotYetProcessed(
            f"batch {receipt.batch_id}: not processed by Crossref after {self.max_polls} polls",
            receipt,
        )

    def deposit(self, xml: bytes, filename: str | None = None) -> BatchResult:
        """Upload a deposit file and poll until Crossref has processed it."""
        try:
            batch_id, dois = dois_in_deposit(xml)
        except XMLInputError as exc:
            raise CrossrefRejected(f"the deposit file is not usable XML: {exc}") from exc
        if not batch_id:
            raise CrossrefRejected("the deposit file has no head/doi_batch_id")
        receipt = SubmissionReceipt(filename or f"{batch_id}.xml", batch_id, dois)
        self.upload(xml, receipt.filename)
        return self.poll(receipt)
