"""What production refuses, and why (for the production editor)."""

from __future__ import annotations

from pyramid.i18n import TranslationString

from frontiers_de.articles.services import ArticleError


class ProductionError(ArticleError):
    """A production step the rules refuse; ``message`` is for the production editor (an
    :class:`~frontiers_de.articles.services.ArticleError`, so that a refusal raised while
    the articles domain writes reaches its caller as one)."""


class PublishRefused(ProductionError):
    """Publishing is not possible yet; ``reasons`` lists every unmet condition."""

    def __init__(self, reasons: list[TranslationString]) -> None:
        super().__init__(reasons[0])
        self.reasons = reasons


class ProofLinkError(Exception):
    """A proof link that cannot be used: ``reason`` is invalid, expired, used or superseded."""

    def __init__(self, reason: str) -> None:
        super().__init__(reason)
        self.reason = reason
