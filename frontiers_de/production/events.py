"""The events of production (see :mod:`frontiers_de.events`).

:class:`ProofSent` is announced by :func:`frontiers_de.production.services.send_proof` once
the proof is recorded; ``production/notifications.py`` emails the link.
"""

from __future__ import annotations

from dataclasses import dataclass

from frontiers_de.articles.models import Article
from frontiers_de.events import DomainEvent
from frontiers_de.production.models import Proof


@dataclass(frozen=True, kw_only=True)
class ProofSent(DomainEvent):
    """``proof`` of ``article`` went out to ``to`` (the corresponding author: ``name``, in
    language ``lang``); ``token`` is its link's secret, known only to this event and the
    email (the proof keeps its hash)."""

    article: Article
    proof: Proof
    token: str
    to: str
    name: str
    lang: str
