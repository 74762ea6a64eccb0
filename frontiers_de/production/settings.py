"""Production's settings, declared once: see frontiers_de/settings.py."""

from __future__ import annotations

from frontiers_de.settings import SettingsGroup, declare, positive_int, setting, text


@declare
class ProductionSettings(SettingsGroup):
    max_jats_bytes: int = setting(
        "fde.production.max_jats_bytes", positive_int, 20 * 1024 * 1024, "largest JATS upload"
    )
    max_asset_bytes: int = setting(
        "fde.production.max_asset_bytes",
        positive_int,
        50 * 1024 * 1024,
        "largest figure or supplementary file",
    )
    proof_days: int = setting(
        "fde.production.proof_days", positive_int, 21, "days a proof link answers"
    )
    typeset_timeout: int = setting(
        "fde.production.typeset_timeout", positive_int, 300, "seconds one PDF may take"
    )
    xslt_timeout: int = setting(
        "fde.production.xslt_timeout", positive_int, 60, "seconds the reader HTML may take"
    )
    jats_abstract_word_limit: int = setting(
        "fde.jats.abstract_word_limit",
        positive_int,
        300,
        "the house rules' abstract length (words) for the command line's checks",
    )
    jats_asset_base: str = setting(
        "fde.jats.asset_base", text, "", "fde jats-html: URL prefix of the article's files"
    )
