"""A real OAI-PMH client (Sickle) harvests the app served by waitress: every verb, paging
by resumption token, selective harvesting, deleted records, the protocol's errors, over
GET and POST. Every response it received is then checked against the official schemas."""

from __future__ import annotations

import datetime as dt

import pytest
from sickle import Sickle, oaiexceptions

from frontiers_de.articles.models import ArticleState
from frontiers_de.publishing import oai
from tests.conftest import SCHEMA_DIR
from tests.factories import app_session, make_journal
from tests.publishing_factories import make_issue, publish_article

ARTICLES = 7
RETRACTED = "10.5555/fde.2026.0004"


class RecordingSickle(Sickle):
    """Sickle that keeps every response it received, to check them afterwards."""

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.responses: list[bytes] = []

    def harvest(self, **kwargs):
        response = super().harvest(**kwargs)
        self.responses.append(response.http_response.content)
        return response


@pytest.fixture
def app_settings(app_settings):
    return {**app_settings, "oai.page_size": "3", "oai.repository_identifier": "fde.example.org"}


@pytest.fixture
def harvestable(wsgi_app):
    with app_session(wsgi_app) as db:
        journal = make_journal(db)
        issue = make_issue(db, journal, 1, "1")
        for n in range(1, ARTICLES + 1):
            doi = f"10.5555/fde.2026.{n:04d}"
            publish_article(
                db,
                journal,
                doi,
                title=f"Article number {n}",
                issue=issue if n <= 4 else None,
                section_code="review" if n % 2 == 0 else "research-article",
                state=ArticleState.RETRACTED if doi == RETRACTED else ArticleState.PUBLISHED,
                updated_at=dt.datetime(2026, 3, n, 12, tzinfo=dt.UTC),
            )


def all_valid(client: RecordingSickle) -> None:
    assert client.responses
    for body in client.responses:
        assert oai.validate_response(body, {"fde.schema_dir": str(SCHEMA_DIR)}) == []


@pytest.mark.parametrize("method", ["GET", "POST"])
def test_sickle_harvests_the_journal(live_server, harvestable, method):
    client = RecordingSickle(f"{live_server}/oai", http_method=method, timeout=20)

    identify = client.Identify()
    assert identify.repositoryName == "Frontiers of Digital Education"
    assert identify.granularity == "YYYY-MM-DDThh:mm:ssZ"
    assert identify.deletedRecord == "persistent"
    assert identify.earliestDatestamp == "2026-03-01T12:00:00Z"

    prefixes = [f.metadataPrefix for f in client.ListMetadataFormats()]
    assert prefixes == ["oai_dc", "jats"]
    specs = [s.setSpec for s in client.ListSets()]
    assert {"section:review", "volume:1", "volume:1:1"} <= set(specs)

    records = list(client.ListRecords(metadataPrefix="oai_dc"))
    assert len(records) == ARTICLES  # three pages of at most three
    by_id = {r.header.identifier: r for r in records}
    assert len(by_id) == ARTICLES
    deleted = by_id[f"oai:fde.example.org:{RETRACTED}"]
    assert deleted.header.deleted and not hasattr(deleted, "metadata")
    live = by_id["oai:fde.example.org:10.5555/fde.2026.0001"]
    assert live.metadata["title"][0] == "Article number 1"
    assert live.metadata["creator"] == ["Wang, Li", "Okafor, Ada"]
    assert "https://doi.org/10.5555/fde.2026.0001" in live.metadata["identifier"]
    assert live.header.setSpecs == ["section:research-article", "volume:1:1"]

    kept = list(client.ListRecords(metadataPrefix="oai_dc", ignore_deleted=True))
    assert len(kept) == ARTICLES - 1

    selected = list(
        client.ListIdentifiers(
            metadataPrefix="oai_dc", set="section:review", **{"from": "2026-03-03"}
        )
    )
    assert [h.identifier.rsplit(".", 1)[1] for h in selected] == ["0004", "0006"]

    jats = client.GetRecord(
        identifier="oai:fde.example.org:10.5555/fde.2026.0002", metadataPrefix="jats"
    )
    assert f'xmlns="{oai.JATS_OAI_NS}"' in jats.raw
    assert "Article number 2" in jats.raw

    jats_pages = client.ListRecords(metadataPrefix="jats")
    assert len(list(jats_pages)) == ARTICLES
    all_valid(client)


def test_sickle_sees_the_protocols_errors(live_server, harvestable):
    client = RecordingSickle(f"{live_server}/oai", timeout=20)
    with pytest.raises(oaiexceptions.IdDoesNotExist):
        client.GetRecord(identifier="oai:fde.example.org:10.5555/none", metadataPrefix="oai_dc")
    with pytest.raises(oaiexceptions.CannotDisseminateFormat):
        list(client.ListRecords(metadataPrefix="marc21"))
    with pytest.raises(oaiexceptions.NoRecordsMatch):
        list(client.ListRecords(metadataPrefix="oai_dc", set="volume:9"))
    with pytest.raises(oaiexceptions.BadArgument):
        list(client.ListRecords(metadataPrefix="oai_dc", **{"from": "2026-13-01"}))
    with pytest.raises(oaiexceptions.BadResumptionToken):
        list(client.ListRecords(resumptionToken="forged"))
    # Sickle has no method for a verb that does not exist; its raw request gets the error.
    response = client.harvest(verb="Harvest")
    assert response.xml.find(f"{{{oai.OAI_NS}}}error").get("code") == "badVerb"
    all_valid(client)
