"""Production rules: from an accepted submission to a published article.

The article's JATS is its single source (DESIGN.md); it changes only through
:func:`frontiers_de.articles.jats.store_jats`, and what follows from a new JATS is
production's subscribers' (``production/subscribers.py``: the reader HTML, the PDF and the
proofs). The pipeline functions (:mod:`..jats`, :mod:`..typesetting`) do the work; these
modules decide when they run, what is kept, and who may move the article on:

- ``queue``: the production queue, starting production (the workflow's
  ``start_production`` and the article it makes).
- ``metadata``: the submission's metadata in the schema the converter reads.
- ``versions``: the JATS versions, an edited JATS file read and stored, the reader HTML.
- ``conversion``: conversion, checks and typesetting (run by ``production/tasks.py``).
- ``state``: the production jobs and where the article stands, step by step.
- ``proofs``: proofs sent, answered, and which approval holds.
- ``publication``: whether the article may be published, then publishing it (the writes
  are :mod:`frontiers_de.articles.publication`'s).
- ``errors``: what production refuses.

This package's public face: the names below are those production's views and tasks and
other domains (the submission form's metadata, the command line, the reader page's HTML
refresh, the demo) use, re-exported here so they need not know the module.
"""

from __future__ import annotations

from frontiers_de.production.services.conversion import (
    MAX_FINDINGS_SHOWN,
    check_jats,
    check_options,
    convert_manuscript,
    typeset_current,
)
from frontiers_de.production.services.errors import ProductionError, ProofLinkError, PublishRefused
from frontiers_de.production.services.metadata import submission_metadata
from frontiers_de.production.services.proofs import (
    DEFAULT_PROOF_DAYS,
    MAX_CORRECTIONS_LENGTH,
    SentProof,
    answer_proof,
    approval_of_content,
    approved_proof,
    corresponding_author,
    proof_covers,
    proof_for_token,
    proofs_in,
    proofs_of,
    send_proof,
)
from frontiers_de.production.services.publication import publish, publish_problems
from frontiers_de.production.services.queue import (
    article_of,
    production_queue,
    recently_published,
    start_production,
)
from frontiers_de.production.services.state import (
    JOB_CHECK,
    JOB_CONVERT,
    JOB_KINDS,
    JOB_TYPESET,
    STALE_JOB_AFTER,
    TYPESET_TASK,
    ProductionState,
    StepState,
    current_findings,
    job_busy,
    latest_jobs,
    production_state,
)
from frontiers_de.production.services.versions import (
    DEFAULT_MAX_JATS_BYTES,
    MANUSCRIPT_KINDS,
    RebuildReport,
    jats_sha256,
    jats_versions,
    latest_manuscript,
    read_jats,
    reader_html,
    rebuild_reader_html,
    refresh_reader_html,
    rendering_version,
    require_in_production,
    upload_jats,
)

__all__ = [
    "DEFAULT_MAX_JATS_BYTES",
    "DEFAULT_PROOF_DAYS",
    "JOB_CHECK",
    "JOB_CONVERT",
    "JOB_KINDS",
    "JOB_TYPESET",
    "MANUSCRIPT_KINDS",
    "MAX_CORRECTIONS_LENGTH",
    "MAX_FINDINGS_SHOWN",
    "STALE_JOB_AFTER",
    "TYPESET_TASK",
    "ProductionError",
    "ProductionState",
    "ProofLinkError",
    "PublishRefused",
    "RebuildReport",
    "SentProof",
    "StepState",
    "answer_proof",
    "approval_of_content",
    "approved_proof",
    "article_of",
    "check_jats",
    "check_options",
    "convert_manuscript",
    "corresponding_author",
    "current_findings",
    "jats_sha256",
    "jats_versions",
    "job_busy",
    "latest_jobs",
    "latest_manuscript",
    "production_queue",
    "production_state",
    "proof_covers",
    "proof_for_token",
    "proofs_in",
    "proofs_of",
    "publish",
    "publish_problems",
    "read_jats",
    "reader_html",
    "rebuild_reader_html",
    "recently_published",
    "refresh_reader_html",
    "rendering_version",
    "require_in_production",
    "send_proof",
    "start_production",
    "submission_metadata",
    "typeset_current",
    "upload_jats",
]
