"""A local stand-in for Crossref's deposit and REST services, for tests only.

Speaks what our client speaks to the real services:
- ``POST /servlet/deposit`` multipart/form-data with ``operation=doMDUpload``, credentials as
  ``login_id``/``login_passwd`` or ``usr``/``pwd`` and the file in ``fname``; answered with
  Crossref's small HTML page (SUCCESS, or FAILURE with the reason).
- ``GET|POST /servlet/submissionDownload?usr=&pwd=&file_name=|doi_batch_id=&type=result``:
  a ``doi_batch_diagnostic``, ``unknown_submission`` for files it never got, ``queued`` and
  ``in_process`` for the first polls, then ``completed`` with a ``record_diagnostic`` per DOI.
- ``GET /works/{doi}`` and ``GET /works?query.bibliographic=``: api.crossref.org's JSON for
  what was deposited here (or what a test put in :attr:`CrossrefStandIn.works`).

Faults on demand, per endpoint (``deposit``, ``result``, ``works``), consumed one request
at a time: ``"500"``, ``"503"``, ``"429"``, ``"timeout"`` (answers only after
:attr:`slow_seconds`), ``"drop"`` (closes the connection without an answer), ``"malformed"``
(not XML), ``"truncated"`` (the diagnostic cut off half-way), ``"html-error"`` (Crossref's
error page), ``"hang"`` (Crossref does not answer until :meth:`CrossrefStandIn.release` is
called, or :attr:`hang_limit` seconds pass; then the request is served as usual),
``"accept-then-drop"`` (the deposit is taken, the answer lost). Record outcomes:
:attr:`record_rules` maps a DOI to ``("Failure"|"Warning", msg)``.
Wrong credentials get :attr:`auth_failure`: ``"401"``, ``"403"`` or ``"page"`` (HTTP 200 with
Crossref's FAILURE page).
"""

from __future__ import annotations

import collections
import contextlib
import email.parser
import email.policy
import html
import json
import re
import socket
import threading
import time
import urllib.parse
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

from lxml import etree

CR_NS = "http://www.crossref.org/schema/5.4.0"


@dataclass
class Submission:
    filename: str
    batch_id: str
    xml: bytes
    dois: list[str]
    submission_id: int
    polls: int = 0


@dataclass
class CrossrefStandIn:
    username: str = "fde-depositor"
    password: str = "s3cret-Pa55word!"
    polls_before_done: int = 2
    slow_seconds: float = 1.5
    hang_limit: float = 60.0
    auth_failure: str = "401"
    record_rules: dict[str, tuple[str, str]] = field(default_factory=dict)
    works: dict[str, dict[str, Any]] = field(default_factory=dict)

    def __post_init__(self) -> None:
        self.faults: dict[str, collections.deque[str]] = collections.defaultdict(collections.deque)
        self.submissions: list[Submission] = []
        self.requests: list[tuple[str, str]] = []  # (endpoint, method)
        self.uploads: list[bytes] = []
        self._lock = threading.Lock()
        self._server: ThreadingHTTPServer | None = None
        self._released = threading.Event()
        self.hanging = 0  # requests held by a "hang" fault right now

    # -- control ---------------------------------------------------------------------------

    def fail_next(self, endpoint: str, *faults: str) -> None:
        self.faults[endpoint].extend(faults)

    def release(self) -> None:
        """Let the requests held by ``"hang"`` go on (and any later ones through)."""
        self._released.set()

    def wait_until_hanging(self, count: int = 1, timeout: float = 10.0) -> None:
        """Block until ``count`` requests are being held (bounded)."""
        deadline = time.monotonic() + timeout
        while self.hanging < count:
            if time.monotonic() > deadline:
                raise AssertionError(f"{self.hanging} request(s) held, expected {count}")
            time.sleep(0.01)

    @property
    def base_url(self) -> str:
        assert self._server is not None
        host, port = self._server.server_address[:2]
        return f"http://{host}:{port}"

    @property
    def deposit_url(self) -> str:
        return f"{self.base_url}/servlet/deposit"

    def start(self) -> CrossrefStandIn:
        standin = self

        class Handler(_Handler):
            owner = standin

        server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        server.daemon_threads = True
        server.block_on_close = False
        self._server = server
        threading.Thread(
            target=server.serve_forever, args=(0.05,), daemon=True, name="crossref-standin"
        ).start()
        return self

    def stop(self) -> None:
        self._released.set()  # held requests end before the server does
        if self._server is not None:
            self._server.shutdown()
            self._server.server_close()
            self._server = None

    def __enter__(self) -> CrossrefStandIn:
        return self.start()

    def __exit__(self, *exc: object) -> None:
        self.stop()

    # -- state -------------------------------------------------------------------------

    def take_fault(self, endpoint: str) -> str:
        with self._lock:
            queue = self.faults.get(endpoint)
            return queue.popleft() if queue else ""

    def record(self, filename: str, xml: bytes) -> Submission:
        root = etree.fromstring(xml)
        batch_id = root.findtext(f"{{{CR_NS}}}head/{{{CR_NS}}}doi_batch_id") or ""
        dois = [
            (el.text or "").strip()
            for el in root.iterfind(
                f".//{{{CR_NS}}}journal_article/{{{CR_NS}}}doi_data/{{{CR_NS}}}doi"
            )
        ]
        with self._lock:
            sub = Submission(filename, batch_id, xml, dois, 1_000_000 + len(self.submissions))
            self.submissions.append(sub)
            self.uploads.append(xml)
        return sub

    def find(self, filename: str = "", batch_id: str = "") -> Submission | None:
        # Like Crossref: the first match wins.
        for sub in self.submissions:
            if (filename and sub.filename == filename) or (batch_id and sub.batch_id == batch_id):
                return sub
        return None

    def registered_work(self, doi: str) -> dict[str, Any] | None:
        if doi.lower() in {d.lower() for d in self.works}:
            return next(w for d, w in self.works.items() if d.lower() == doi.lower())
        for sub in reversed(self.submissions):
            if sub.polls < self.polls_before_done:
                continue
            for article in etree.fromstring(sub.xml).iter(f"{{{CR_NS}}}journal_article"):
                if (article.findtext(f"{{{CR_NS}}}doi_data/{{{CR_NS}}}doi") or "").lower() == (
                    doi.lower()
                ) and self.record_rules.get(doi, ("Success", ""))[0] != "Failure":
                    return work_json(article)
        return None


def _text(el: etree._Element | None) -> str:
    return " ".join("".join(el.itertext()).split()) if el is not None else ""


def work_json(article: etree._Element) -> dict[str, Any]:
    """The REST API's ``message`` for a deposited journal_article, as api.crossref.org has it."""
    q = f"{{{CR_NS}}}"
    people: dict[str, list[dict[str, Any]]] = {"author": [], "editor": []}
    for person in article.iterfind(f"{q}contributors/*"):
        role = person.get("contributor_role", "author")
        if role not in people:
            continue
        if etree.QName(person).localname == "organization":
            # The REST API gives organisations as a bare "name".
            people[role].append(
                {"name": _text(person), "sequence": person.get("sequence"), "affiliation": []}
            )
            continue
        entry: dict[str, Any] = {
            "given": _text(person.find(f"{q}given_name")),
            "family": _text(person.find(f"{q}surname")),
            "sequence": person.get("sequence"),
            "affiliation": [{"name": _text(i)} for i in person.iterfind(f".//{q}institution_name")],
        }
        orcid = person.find(f"{q}ORCID")
        if orcid is not None:
            entry["ORCID"] = (orcid.text or "").replace("https://", "http://")
            entry["authenticated-orcid"] = orcid.get("authenticated") == "true"
        people[role].append(entry)
    dates = {}
    for date in article.iterfind(f"{q}publication_date"):
        parts = [
            int(_text(date.find(f"{q}{p}")))
            for p in ("year", "month", "day")
            if date.find(f"{q}{p}") is not None
        ]
        dates["published-online" if date.get("media_type") == "online" else "published-print"] = {
            "date-parts": [parts]
        }
    doi = _text(article.find(f"{q}doi_data/{q}doi"))
    return {
        "DOI": doi.lower(),
        "type": "journal-article",
        "title": [_text(article.find(f"{q}titles/{q}title"))],
        "author": people["author"],
        **({"editor": people["editor"]} if people["editor"] else {}),
        "URL": f"https://doi.org/{doi.lower()}",
        "resource": {"primary": {"URL": _text(article.find(f"{q}doi_data/{q}resource"))}},
        **dates,
    }


def diagnostic_xml(standin: CrossrefStandIn, sub: Submission | None) -> bytes:
    if sub is None:
        return (
            b'<?xml version="1.0" encoding="UTF-8"?>\n'
            b'<doi_batch_diagnostic status="unknown_submission" sp="standin">\n'
            b"  <submission_id>0</submission_id>\n  <batch_id/>\n</doi_batch_diagnostic>\n"
        )
    sub.polls += 1
    head = (
        f'<?xml version="1.0" encoding="UTF-8"?>\n'
        f'<doi_batch_diagnostic status="{{}}" sp="standin">\n'
        f"  <submission_id>{sub.submission_id}</submission_id>\n"
        f"  <batch_id>{html.escape(sub.batch_id)}</batch_id>\n"
    )
    if sub.polls <= standin.polls_before_done:
        state = "queued" if sub.polls == 1 else "in_process"
        return (head.format(state) + "</doi_batch_diagnostic>\n").encode()
    counts = {"Success": 0, "Warning": 0, "Failure": 0}
    records = []
    for doi in sub.dois:
        status, message = standin.record_rules.get(doi, ("Success", "Successfully added"))
        counts[status] += 1
        msg_id = ' msg_id="4"' if status == "Failure" else ""
        records.append(
            f'  <record_diagnostic status="{status}"{msg_id}>\n'
            f"    <doi>{html.escape(doi)}</doi>\n"
            f"    <msg>{html.escape(message)}</msg>\n"
            f"  </record_diagnostic>\n"
        )
    batch = (
        "  <batch_data>\n"
        f"    <record_count>{len(sub.dois)}</record_count>\n"
        f"    <success_count>{counts['Success']}</success_count>\n"
        f"    <warning_count>{counts['Warning']}</warning_count>\n"
        f"    <failure_count>{counts['Failure']}</failure_count>\n"
        "  </batch_data>\n"
    )
    return (
        head.format("completed") + "".join(records) + batch + "</doi_batch_diagnostic>\n"
    ).encode()


_SUCCESS_PAGE = (
    "<html>\n<head><title>SUCCESS</title>\n</head>\n<body>\n<h2>SUCCESS</h2>\n"
    "<p>Your batch submission was successfully received.</p>\n</body>\n</html>\n"
)
_FAILURE_PAGE = (
    "<html>\n<head><title>FAILURE</title>\n</head>\n<body>\n<h2>FAILURE</h2>\n"
    "<p>{}</p>\n</body>\n</html>\n"
)


class _Handler(BaseHTTPRequestHandler):
    owner: CrossrefStandIn
    protocol_version = "HTTP/1.1"

    def log_message(self, format: str, *args: Any) -> None:  # keep test output quiet
        return

    # -- plumbing ----------------------------------------------------------------------

    def _body(self) -> bytes:
        length = int(self.headers.get("Content-Length") or 0)
        return self.rfile.read(length) if length else b""

    def _send(self, status: int, body: bytes | str, content_type: str) -> None:
        data = body.encode() if isinstance(body, str) else body
        try:
            self.send_response(status)
            self.send_header("Content-Type", content_type)
            self.send_header("Content-Length", str(len(data)))
            self.end_headers()
            self.wfile.write(data)
        except (BrokenPipeError, ConnectionResetError):
            pass  # the client gave up (time-out tests)

    def _fault(self, endpoint: str) -> bool:
        """Apply a queued fault; True when the request has been answered (or dropped)."""
        fault = self.owner.take_fault(endpoint)
        if not fault:
            return False
        if fault == "hang":
            with self.owner._lock:
                self.owner.hanging += 1
            try:
                self.owner._released.wait(self.owner.hang_limit)
            finally:
                with self.owner._lock:
                    self.owner.hanging -= 1
            return False  # then served as usual
        if fault in ("500", "503", "429"):
            self._send(int(fault), f"<html><body>Error {fault}</body></html>", "text/html")
            return True
        if fault == "timeout":
            time.sleep(self.owner.slow_seconds)
            self._send(503, "late", "text/plain")
            return True
        if fault == "drop":
            self.close_connection = True
            with contextlib.suppress(OSError):
                self.connection.shutdown(socket.SHUT_RDWR)
            return True
        if fault == "accept-then-drop":
            # Crossref got the file, but the answer is lost on the way back.
            self._deposit(self._pending_body, answer=False)
            self.close_connection = True
            with contextlib.suppress(OSError):
                self.connection.shutdown(socket.SHUT_RDWR)
            return True
        if fault == "malformed":
            self._send(200, b"<doi_batch_diagnostic status='completed'><oops", "text/xml")
            return True
        if fault == "truncated":
            sub = self.owner.submissions[-1] if self.owner.submissions else None
            full = diagnostic_xml(self.owner, sub)
            if sub is not None:
                sub.polls -= 1  # the truncated answer does not count as a poll
            self._send(200, full[: len(full) // 2], "text/xml")
            return True
        if fault == "html-error":
            self._send(200, _FAILURE_PAGE.format("Internal processing error"), "text/html")
            return True
        raise ValueError(f"unknown fault {fault!r}")

    def _authorised(self, user: str, password: str) -> bool:
        if user == self.owner.username and password == self.owner.password:
            return True
        if self.owner.auth_failure in ("401", "403"):
            self._send(
                int(self.owner.auth_failure),
                "<html><body><h2>Unauthorized</h2></body></html>",
                "text/html",
            )
        else:
            self._send(
                200,
                _FAILURE_PAGE.format("Login failed: wrong username or password"),
                "text/html",
            )
        return False

    # -- routes ------------------------------------------------------------------------

    def do_POST(self) -> None:
        path = urllib.parse.urlsplit(self.path).path
        body = self._body()
        if path == "/servlet/deposit":
            self.owner.requests.append(("deposit", "POST"))
            self._pending_body = body
            if not self._fault("deposit"):
                self._deposit(body)
        elif path == "/servlet/submissionDownload":
            self.owner.requests.append(("result", "POST"))
            params = dict(urllib.parse.parse_qsl(body.decode("utf-8", "replace")))
            if not self._fault("result"):
                self._result(params)
        else:
            self._send(404, "Not Found", "text/plain")

    def do_GET(self) -> None:
        parts = urllib.parse.urlsplit(self.path)
        params = dict(urllib.parse.parse_qsl(parts.query))
        if parts.path == "/servlet/submissionDownload":
            self.owner.requests.append(("result", "GET"))
            if not self._fault("result"):
                self._result(params)
        elif parts.path.startswith("/works"):
            self.owner.requests.append(("works", "GET"))
            if not self._fault("works"):
                self._works(parts.path, params)
        else:
            self._send(404, "Not Found", "text/plain")

    def _deposit(self, body: bytes, answer: bool = True) -> None:
        content_type = self.headers.get("Content-Type", "")
        if not content_type.startswith("multipart/form-data"):
            self._send(200, _FAILURE_PAGE.format("Expected multipart/form-data"), "text/html")
            return
        message = email.parser.BytesParser(policy=email.policy.HTTP).parsebytes(
            f"Content-Type: {content_type}\r\n\r\n".encode() + body
        )
        fields: dict[str, str] = {}
        upload: tuple[str, bytes] | None = None
        for part in message.iter_parts():
            name = part.get_param("name", header="content-disposition")
            filename = part.get_filename()
            payload = part.get_payload(decode=True) or b""
            if name == "fname":
                upload = (filename or "upload.xml", payload)
            elif name:
                fields[str(name)] = payload.decode("utf-8")
        user = fields.get("login_id") or fields.get("usr") or ""
        password = fields.get("login_passwd") or fields.get("pwd") or ""
        if not self._authorised(user, password):
            return
        if fields.get("operation", "doMDUpload") != "doMDUpload":
            self._send(200, _FAILURE_PAGE.format("Unsupported operation"), "text/html")
            return
        if upload is None:
            self._send(200, _FAILURE_PAGE.format("No file (fname) in the upload"), "text/html")
            return
        try:
            self.owner.record(*upload)
        except etree.XMLSyntaxError as exc:
            self._send(200, _FAILURE_PAGE.format(f"Not XML: {exc}"), "text/html")
            return
        if answer:
            self._send(200, _SUCCESS_PAGE, "text/html;charset=UTF-8")

    def _result(self, params: dict[str, str]) -> None:
        if not self._authorised(params.get("usr", ""), params.get("pwd", "")):
            return
        if params.get("type") != "result":
            self._send(400, "type must be result", "text/plain")
            return
        sub = self.owner.find(params.get("file_name", ""), params.get("doi_batch_id", ""))
        self._send(200, diagnostic_xml(self.owner, sub), "text/xml;charset=UTF-8")

    def _works(self, path: str, params: dict[str, str]) -> None:
        match = re.fullmatch(r"/works/(.+)", path)
        if match:
            doi = urllib.parse.unquote(match[1])
            work = self.owner.registered_work(doi)
            if work is None:
                self._send(404, "Resource not found.", "text/plain")
                return
            payload = {
                "status": "ok",
                "message-type": "work",
                "message-version": "1.0.0",
                "message": work,
            }
            self._send(200, json.dumps(payload), "application/json")
            return
        query = params.get("query.bibliographic", "").lower()
        words = set(re.findall(r"\w{4,}", query))
        items = []
        for work in self.owner.works.values():
            title_words = set(re.findall(r"\w{4,}", " ".join(work.get("title", [])).lower()))
            overlap = len(words & title_words)
            if overlap:
                items.append({**work, "score": float(overlap * 10)})
        items.sort(key=lambda w: -w["score"])
        rows = int(params.get("rows", "20"))
        payload = {
            "status": "ok",
            "message-type": "work-list",
            "message-version": "1.0.0",
            "message": {"total-results": len(items), "items": items[:rows], "items-per-page": rows},
        }
        self._send(200, json.dumps(payload), "application/json")
