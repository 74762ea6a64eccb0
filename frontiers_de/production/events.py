"""The events of production (see :mod:`frontiers_de.events`).

:class:`ProofSent` is announced by :func:`frontiers_de.production.services.send_proof` once
the proof is recorded; ``production/notifications.py`` emails the link.
:class:`ProofAnswered` is announced by :func:`~frontiers_de.production.services.answer_proof`
once the author's answer is recorded; the production editors are told.
"""

from __future__ import annotations

from dataclasses import dataclass

from frontiers_de.articles.models import Article
from frontiers_de.events import DomainEvent
from frontiers_de.production.models import Proof, ProofState


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


@dataclass(frozen=True, kw_only=True)
class ProofAnswered(DomainEvent):
    """The author answered ``proof`` of ``article``: approved it, or asked for corrections
    (``proof.corrections``)."""

    article: Article
    proof: Proof

    @property
    def approved(self) -> bool:
        return self.proof.state == ProofState.APPROVED
