"""Reading back through the REST API with crossref-commons, against the stand-in."""

from __future__ import annotations

import pytest

from frontiers_de.crossref.client import Credentials, DepositClient, RetryPolicy
from frontiers_de.crossref.deposit import build_deposit
from frontiers_de.crossref.rest import CrossrefLookupError, CrossrefRest, JsonFileCache
from frontiers_de.production.jats.meta import Reference, read_article_meta


@pytest.fixture
def rest(standin):
    client = CrossrefRest(standin.base_url, timeout=1.0)
    yield client
    client.close()


def deposit(standin, tree, profile) -> None:
    client = DepositClient(
        standin.deposit_url,
        Credentials(standin.username, standin.password),
        sleep=lambda s: None,
        retry=RetryPolicy(attempts=3, base_delay=0.0),
    )
    assert client.deposit(build_deposit([tree], profile).to_bytes()).completed


def test_registered_work_matches_our_metadata(standin, rest, article, profile) -> None:
    deposit(standin, article, profile)
    meta = read_article_meta(article)
    work = rest.work(meta.doi)
    assert work is not None and work["DOI"] == meta.doi.lower()
    assert rest.check(meta) == []
    assert ("works", "GET") in standin.requests  # the API address came from our setting


def test_mismatches_are_listed(standin, rest, article, profile) -> None:
    meta = read_article_meta(article)
    standin.works[meta.doi] = {
        "DOI": meta.doi,
        "title": ["Learning analytics in urban classrooms"],
        "author": [
            {"given": "Li", "family": "Wang", "sequence": "first"},
            {"given": "Ana", "family": "García", "sequence": "additional"},
        ],
        "published-online": {"date-parts": [[2025, 3, 15]]},
        "published-print": {"date-parts": [[2025, 6]]},
    }
    found = {m.field: m for m in rest.check(meta)}
    assert set(found) == {"title", "authors", "author 2", "online publication date"}
    assert found["title"].theirs == "Learning analytics in urban classrooms"
    assert found["authors"].ours == "3 authors" and found["authors"].theirs == "2 authors"
    assert found["author 2"].theirs == "Ana García"
    assert (found["online publication date"].ours, found["online publication date"].theirs) == (
        "2025-3-14",
        "2025-3-15",
    )


def test_unknown_doi(rest, article) -> None:
    meta = read_article_meta(article)
    assert rest.work(meta.doi) is None
    (mismatch,) = rest.check(meta)
    assert mismatch.field == "doi" and "not found" in mismatch.theirs


def test_api_errors_are_clear(standin, rest) -> None:
    standin.fail_next("works", "503")
    with pytest.raises(CrossrefLookupError, match="HTTP 503"):
        rest.work("10.5555/x")
    standin.fail_next("works", "timeout")
    with pytest.raises(CrossrefLookupError, match=r"did not answer within 1\.0 s"):
        rest.work("10.5555/x")
    standin.fail_next("works", "malformed")
    with pytest.raises(CrossrefLookupError, match="not JSON"):
        rest.work("10.5555/x")
    unreachable = CrossrefRest("http://127.0.0.1:9", timeout=2.0)
    with pytest.raises(CrossrefLookupError, match="unreachable"):
        unreachable.work("10.5555/x")
    unreachable.close()


SIEMENS = Reference(
    id="r1",
    authors=[("Siemens", "G")],
    article_title="Learning analytics: The emergence of a discipline",
    source="American Behavioral Scientist",
    year="2013",
    text="Siemens G. Learning analytics: The emergence of a discipline. Am Behav Sci. 2013",
)


def test_reference_doi_lookup_is_cached(standin, tmp_path) -> None:
    standin.works["10.1177/0002764213498851"] = {
        "DOI": "10.1177/0002764213498851",
        "title": ["Learning Analytics: The Emergence of a Discipline"],
        "issued": {"date-parts": [[2013, 8]]},
    }
    cache = JsonFileCache(tmp_path / "refs.json")
    rest = CrossrefRest(standin.base_url, timeout=1.0, cache=cache, min_score=10)
    assert rest.find_doi(SIEMENS) == "10.1177/0002764213498851"
    asked = len(standin.requests)
    assert rest.find_doi(SIEMENS) == "10.1177/0002764213498851"
    assert len(standin.requests) == asked, "second look-up came from the cache"
    # The cache survives a new process (a new client on the same file).
    again = CrossrefRest(standin.base_url, cache=JsonFileCache(tmp_path / "refs.json"))
    assert again.find_doi(SIEMENS) == "10.1177/0002764213498851"
    assert len(standin.requests) == asked
    rest.close()
    again.close()


def test_reference_lookup_rejects_weak_matches(standin) -> None:
    standin.works["10.9999/other"] = {
        "DOI": "10.9999/other",
        "title": ["Learning analytics for the emergence of dashboards"],
        "issued": {"date-parts": [[2013]]},
    }
    rest = CrossrefRest(standin.base_url, timeout=1.0, min_score=10)
    assert rest.find_doi(SIEMENS) is None, "a different title is not the same work"
    wrong_year = Reference(
        id="r",
        article_title="Learning analytics for the emergence of dashboards",
        year="2019",
        text="Learning analytics for the emergence of dashboards 2019",
    )
    assert rest.find_doi(wrong_year) is None
    rest.close()


def test_reference_lookup_when_network_is_down_is_not_cached() -> None:
    rest = CrossrefRest("http://127.0.0.1:9", timeout=2.0)
    assert rest.find_doi(SIEMENS) is None
    assert rest.cache == {}
    rest.close()


def test_reference_with_doi_needs_no_lookup(standin, rest) -> None:
    ref = Reference(id="r", doi="https://doi.org/10.1000/xyz", text="Something 2020")
    assert rest.find_doi(ref) == "10.1000/xyz"
    assert standin.requests == []
