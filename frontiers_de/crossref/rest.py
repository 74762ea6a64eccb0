"""Read back what Crossref holds for a DOI, and find DOIs for references that lack them.

Built on crossref-commons. Its public readers (``crossref_commons.retrieval``) take the API
address from the module constant ``crossref_commons.config.API_URL``, imported by name into
each module, so the address cannot be set per call without patching globals. Its transport,
``crossref_commons.http_utils.remote_call(url, path, params, headers)``, takes the base URL
as its first argument, so we call that with ``crossref.api_url`` from settings and keep the
library's URL encoding (``uenc``), polite-pool key handling and rate limit. ``remote_call``
sets no time-out, so each call runs in its own daemon thread and we stop waiting after
``timeout`` seconds.
"""

from __future__ import annotations

import difflib
import json
import logging
import re
import threading
from collections.abc import Mapping, MutableMapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from crossref_commons.http_utils import remote_call, uenc
from ratelimit import RateLimitException

from frontiers_de.crossref.doi import is_valid_doi
from frontiers_de.crossref.settings import CrossrefSettings
from frontiers_de.identifiers import strip_doi_resolver
from frontiers_de.production.jats.meta import ArticleMeta, PartialDate, Reference

log = logging.getLogger(__name__)


class CrossrefLookupError(Exception):
    """The REST API could not be asked or gave an unusable answer."""


@dataclass(frozen=True)
class Mismatch:
    """One difference between our metadata and Crossref's record."""

    field: str
    ours: str
    theirs: str

    def __str__(self) -> str:
        return f"{self.field}: ours {self.ours!r}, Crossref {self.theirs!r}"


def _fold(text: str) -> str:
    """Compare titles and names without case, markup, punctuation or spacing differences."""
    text = re.sub(r"<[^>]+>", " ", text)
    return " ".join(re.sub(r"[^\w\s]", " ", text.casefold()).split())


def _date_parts(work: Mapping[str, Any], key: str) -> tuple[int, ...]:
    parts = (work.get(key) or {}).get("date-parts") or [[]]
    return tuple(int(p) for p in (parts[0] or []) if p is not None)


def _ours(date: PartialDate | None) -> tuple[int, ...]:
    if date is None:
        return ()
    return tuple(p for p in (date.year, date.month, date.day) if p)


def compare_work(meta: ArticleMeta, work: Mapping[str, Any]) -> list[Mismatch]:
    """Differences in title, authors (order, family and given names) and publication dates."""
    mismatches: list[Mismatch] = []
    theirs_title = " ".join(work.get("title") or [])
    if _fold(meta.title) != _fold(theirs_title):
        mismatches.append(Mismatch("title", meta.title, theirs_title))
    ours_people = [
        (c.surname or c.collab, c.given_names)
        for c in meta.contributors
        if c.contrib_type in ("", "author")
    ]
    theirs_people = [
        (a.get("family") or a.get("name") or "", a.get("given") or "")
        for a in work.get("author") or []
    ]
    if len(ours_people) != len(theirs_people):
        mismatches.append(
            Mismatch("authors", f"{len(ours_people)} authors", f"{len(theirs_people)} authors")
        )
    for index, (ours, theirs) in enumerate(zip(ours_people, theirs_people, strict=False), 1):
        if _fold(ours[0]) != _fold(theirs[0]) or _fold(ours[1]) != _fold(theirs[1]):
            mismatches.append(
                Mismatch(
                    f"author {index}", " ".join(reversed(ours)).strip(), " ".join(reversed(theirs))
                )
            )
    for kind, keys, key in (
        ("online", ("epub", "electronic", "pub"), "published-online"),
        ("print", ("ppub", "print"), "published-print"),
    ):
        ours_date = next((meta.pub_dates[k] for k in keys if k in meta.pub_dates), None)
        theirs_date = _date_parts(work, key)
        if _ours(ours_date) != theirs_date and (ours_date or theirs_date):
            mismatches.append(
                Mismatch(
                    f"{kind} publication date",
                    "-".join(map(str, _ours(ours_date))),
                    "-".join(map(str, theirs_date)),
                )
            )
    return mismatches


class JsonFileCache(MutableMapping[str, str]):
    """A small persistent cache (one JSON object in a file) for reference look-ups."""

    def __init__(self, path: str | Path) -> None:
        self.path = Path(path)
        self._lock = threading.Lock()
        try:
            self._data: dict[str, str] = json.loads(self.path.read_text(encoding="utf-8"))
        except (OSError, ValueError):
            self._data = {}

    def _save(self) -> None:
        self.path.parent.mkdir(parents=True, exist_ok=True)
        tmp = self.path.with_suffix(".tmp")
        tmp.write_text(json.dumps(self._data, ensure_ascii=False), encoding="utf-8")
        tmp.replace(self.path)

    def __getitem__(self, key: str) -> str:
        return self._data[key]

    def __setitem__(self, key: str, value: str) -> None:
        with self._lock:
            self._data[key] = value
            self._save()

    def __delitem__(self, key: str) -> None:
        with self._lock:
            del self._data[key]
            self._save()

    def __iter__(self):  # type: ignore[no-untyped-def]
        return iter(dict(self._data))

    def __len__(self) -> int:
        return len(self._data)


class CrossrefRest:
    """Crossref's REST API at ``api_url`` (settings ``crossref.api_url``)."""

    def __init__(
        self,
        api_url: str = "https://api.crossref.org",
        *,
        timeout: float = 20.0,
        cache: MutableMapping[str, str] | None = None,
        min_score: float = 60.0,
    ) -> None:
        self.api_url = api_url.rstrip("/")
        self.timeout = timeout
        self.cache: MutableMapping[str, str] = cache if cache is not None else {}
        self.min_score = min_score

    @classmethod
    def from_settings(cls, settings: Mapping[str, Any], **kwargs: Any) -> CrossrefRest:
        crossref = CrossrefSettings.of(settings)
        options: dict[str, Any] = {}
        if crossref.reference_cache:
            options["cache"] = JsonFileCache(crossref.reference_cache)
        options.update(kwargs)
        return cls(crossref.api_url, **options)

    def close(self) -> None:
        """Nothing to release (kept so callers can treat the client as a resource)."""

    def _call(self, path: str, params: dict[str, Any] | None = None) -> tuple[int, str]:
        # remote_call has no time-out of its own: run it in a daemon thread and stop waiting
        # after self.timeout. A thread per call (not a pool) so that a hung call never holds
        # up the next one. A fresh headers dict each time: remote_call adds to the one given.
        outcome: dict[str, Any] = {}

        def run() -> None:
            try:
                outcome["value"] = remote_call(self.api_url, path, params or {}, {})
            except BaseException as exc:  # handed to the caller below
                outcome["error"] = exc

        worker = threading.Thread(target=run, daemon=True, name="crossref-rest")
        worker.start()
        worker.join(self.timeout)
        if worker.is_alive():
            raise CrossrefLookupError(f"Crossref API did not answer within {self.timeout} s")
        error = outcome.get("error")
        if isinstance(error, RateLimitException):
            raise CrossrefLookupError("Crossref API rate limit reached; try again later") from error
        if isinstance(error, OSError):  # requests' errors derive from OSError
            raise CrossrefLookupError(f"Crossref API unreachable: {error}") from error
        if error is not None:
            raise error
        return outcome["value"]

    def _json(self, code: int, body: str, what: str) -> dict[str, Any]:
        if code != 200:
            raise CrossrefLookupError(f"{what}: Crossref API answered HTTP {code}")
        try:
            message = json.loads(body).get("message")
        except (ValueError, AttributeError) as exc:
            raise CrossrefLookupError(f"{what}: Crossref API answer is not JSON") from exc
        if not isinstance(message, dict):
            raise CrossrefLookupError(f"{what}: Crossref API answer has no message")
        return message

    def work(self, doi: str) -> dict[str, Any] | None:
        """The work's metadata as api.crossref.org gives it, or None when it does not exist."""
        doi = strip_doi_resolver(doi)
        code, body = self._call(f"works/{uenc(doi)}")
        if code == 404:
            return None
        return self._json(code, body, f"works/{doi}")

    def check(self, meta: ArticleMeta) -> list[Mismatch]:
        """Compare what Crossref holds for ``meta.doi`` with our metadata."""
        work = self.work(meta.doi)
        if work is None:
            return [Mismatch("doi", meta.doi, "not found at Crossref")]
        return compare_work(meta, work)

    def find_doi(self, ref: Reference) -> str | None:
        """A DOI for a reference that lacks one, or None; answers (also "none") are cached.

        A candidate counts only with a good relevance score, a matching year when both have
        one, and a near-identical title when we know the title — a wrong DOI in a deposit is
        worse than none.
        """
        if ref.doi and is_valid_doi(ref.doi):
            return strip_doi_resolver(ref.doi)
        query = ref.text or " ".join(
            p for p in (ref.article_title, ref.source, ref.year, *(a[0] for a in ref.authors)) if p
        )
        query = " ".join(query.split())[:500]
        if len(query) < 10:
            return None
        key = f"bib:{query}"
        if key in self.cache:
            return self.cache[key] or None
        try:
            code, body = self._call("works", {"query.bibliographic": query, "rows": 3})
            items = self._json(code, body, "works query").get("items") or []
        except CrossrefLookupError as exc:
            log.info("reference DOI look-up skipped: %s", exc)
            return None  # not cached: the network may allow it later
        found = ""
        for item in items:
            if float(item.get("score") or 0) < self.min_score:
                continue
            title = " ".join(item.get("title") or [])
            if ref.article_title:
                ratio = difflib.SequenceMatcher(
                    None, _fold(ref.article_title), _fold(title)
                ).ratio()
                if ratio < 0.9:
                    continue
            year = _date_parts(item, "issued")[:1] or _date_parts(item, "published")[:1]
            if ref.year.isdigit() and year and int(ref.year) != year[0]:
                continue
            if is_valid_doi(item.get("DOI", "")):
                found = strip_doi_resolver(item["DOI"])
                break
        self.cache[key] = found
        return found or None
