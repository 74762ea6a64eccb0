"""Reading back what Crossref holds: its metadata of a registered DOI (REST API) compared
with the article's JATS, differences flagged on the record."""

from __future__ import annotations

import logging
from collections.abc import Mapping, Sequence
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.orm import Session, sessionmaker

from frontiers_de.articles.models import Article
from frontiers_de.crossref.models import DoiRecord
from frontiers_de.crossref.rest import CrossrefLookupError, CrossrefRest, compare_work
from frontiers_de.crossref.services.clients import rest_client
from frontiers_de.crossref.services.records import _event
from frontiers_de.db.meta import utcnow
from frontiers_de.db.scope import session_scope
from frontiers_de.production.jats.meta import read_article_meta
from frontiers_de.xml.safe import XMLInputError, parse_xml

log = logging.getLogger(__name__)


def check_metadata(
    session_factory: sessionmaker[Session],
    settings: Mapping[str, Any],
    dois: Sequence[str],
    *,
    rest: CrossrefRest | None = None,
) -> dict[str, str]:
    """Compare Crossref's metadata (REST API) of ``dois`` with the articles' JATS and flag
    differences on the records. A DOI the API does not show yet stays unchecked (the sweep
    asks again); an unreachable API is logged and left for later."""
    rest = rest or rest_client(settings)
    outcome: dict[str, str] = {}
    for doi in dois:
        with session_scope(session_factory) as db:
            record = db.scalar(select(DoiRecord).where(func.lower(DoiRecord.doi) == doi.lower()))
            article = db.get(Article, record.article_id) if record and record.article_id else None
            if record is None or article is None or not article.jats_xml:
                continue
            try:
                meta = read_article_meta(parse_xml(article.jats_xml.encode("utf-8")))
                work = rest.work(record.doi)
            except (CrossrefLookupError, XMLInputError) as exc:
                log.info("read-back of %s skipped: %s", doi, exc)
                outcome[doi] = "unchecked"
                continue
            if work is None:
                outcome[doi] = "not_found"
                continue
            mismatches = compare_work(meta, work)
            record.metadata_checked_at = utcnow()
            record.metadata_mismatch = "\n".join(str(m) for m in mismatches)[:4000]
            if mismatches:
                _event(
                    db,
                    record,
                    record.state,
                    "Crossref's metadata differs from ours: " + "; ".join(map(str, mismatches)),
                )
                outcome[doi] = "mismatch"
            else:
                outcome[doi] = "match"
    return outcome
