"""The author's side of submitting: drafts, authors, funding, files, the checks before
submission, submitting and withdrawing, the revision after review, and the reviewer copies.

This package's ``__init__`` is its public face: it re-exports the rules other domains and
the submission pages call (``from frontiers_de.submissions import services``), so callers
need not know which module holds a rule (names only the package uses, such as the form
field tables, are imported from their module). The modules, one seam each:

* :mod:`.errors`: :class:`SubmissionError`, :class:`StaleDraft`, :class:`InvalidInput`;
* :mod:`.access`: who sees (:func:`may_see`) and who changes a submission, and the version
  check that keeps two windows from overwriting each other;
* :mod:`.drafts`: starting a draft and its details form;
* :mod:`.contributors` and :mod:`.funding`: the author list and the funders;
* :mod:`.files`: uploads, their types and content checks, deleting a draft's upload;
* :mod:`.checks`: what a draft needs before it may be submitted (:func:`submission_problems`);
* :mod:`.submitting`: submitting, withdrawing, the audit trail;
* :mod:`.revisions`: the revised manuscript and the response to the reviewers, and the
  metadata corrected meanwhile (each correction a history line, all named on resubmission);
* :mod:`.anonymity`: review modes, reviewer copies and the leak check;
* :mod:`.suggestions`: the reviewers the authors suggest or oppose, for the editors;
* :mod:`.figures`: the author's alt text and long description of each figure file.

Drafts save whatever the author has so far (an empty title is fine while drafting); what a
submission needs is checked by :func:`submission_problems`, which the review page lists and
:func:`submit` enforces. State changes go through the workflow table
(:func:`frontiers_de.editorial.workflow.apply`); the metadata is built by the production
domain's :func:`~frontiers_de.production.services.submission_metadata` and validated against
``schemas/submission-metadata.schema.json``, so what is submitted is what production reads.

Every function takes plain values (a mapping of form strings, bytes of an upload) so the
rules can be tested without HTTP. Refusals raise :class:`SubmissionError` (one message) or
:class:`InvalidInput` (a message per field); nothing is changed when they do. Modules of the
package import each other directly, never through this ``__init__``.
"""

from frontiers_de.submissions.services.access import (
    editable,
    is_editor,
    is_submitter,
    may_see,
    metadata_editable,
    my_submissions,
    revising,
)
from frontiers_de.submissions.services.anonymity import (
    COPY_SOURCE_KINDS,
    REVIEW_MODE_LABELS,
    FileCheck,
    anonymity_check,
    change_review_mode,
    files_of_round,
    make_reviewer_copies,
    review_mode_of,
    reviewer_copies,
    reviewer_originals,
)
from frontiers_de.submissions.services.checks import (
    Problem,
    submission_metadata,
    submission_problems,
    word_count,
)
from frontiers_de.submissions.services.contributors import (
    CREDIT_LABELS,
    MAX_AFFILIATIONS,
    NATIVE_NAME_LANGUAGES,
    contributor_values,
    credit_roles,
    move_contributor,
    remove_contributor,
    save_contributor,
)
from frontiers_de.submissions.services.drafts import (
    TRANSLATION_LANGUAGE,
    active_sections,
    details_values,
    save_details,
    start_submission,
)
from frontiers_de.submissions.services.errors import InvalidInput, StaleDraft, SubmissionError
from frontiers_de.submissions.services.figures import (
    describe_figure_file,
    figure_descriptions,
    figure_files,
)
from frontiers_de.submissions.services.files import (
    DEFAULT_MAX_UPLOAD_BYTES,
    FIGURE_SUFFIXES,
    KIND_LABELS,
    MANUSCRIPT_SUFFIXES,
    MAX_UPLOAD_SETTING,
    UPLOAD_KINDS,
    FileNotDeletable,
    add_file,
    check_content,
    clean_filename,
    current_files,
    delete_file,
    max_upload_bytes,
)
from frontiers_de.submissions.services.funding import (
    add_funding,
    remove_funding,
)
from frontiers_de.submissions.services.revisions import (
    AUTHOR_FILE_KINDS,
    CORRECTABLE_FIELDS,
    CORRECTION,
    corrections,
    record_correction,
    responses,
    resubmit,
    revision_request,
)
from frontiers_de.submissions.services.submitting import history, submit, withdraw
from frontiers_de.submissions.services.suggestions import (
    MAX_PER_KIND,
    add_suggestion,
    remove_suggestion,
)

__all__ = [
    "AUTHOR_FILE_KINDS",
    "COPY_SOURCE_KINDS",
    "CORRECTABLE_FIELDS",
    "CORRECTION",
    "CREDIT_LABELS",
    "DEFAULT_MAX_UPLOAD_BYTES",
    "FIGURE_SUFFIXES",
    "KIND_LABELS",
    "MANUSCRIPT_SUFFIXES",
    "MAX_AFFILIATIONS",
    "MAX_PER_KIND",
    "MAX_UPLOAD_SETTING",
    "NATIVE_NAME_LANGUAGES",
    "REVIEW_MODE_LABELS",
    "TRANSLATION_LANGUAGE",
    "UPLOAD_KINDS",
    "FileCheck",
    "FileNotDeletable",
    "InvalidInput",
    "Problem",
    "StaleDraft",
    "SubmissionError",
    "active_sections",
    "add_file",
    "add_funding",
    "add_suggestion",
    "anonymity_check",
    "change_review_mode",
    "check_content",
    "clean_filename",
    "contributor_values",
    "corrections",
    "credit_roles",
    "current_files",
    "delete_file",
    "describe_figure_file",
    "details_values",
    "editable",
    "figure_descriptions",
    "figure_files",
    "files_of_round",
    "history",
    "is_editor",
    "is_submitter",
    "make_reviewer_copies",
    "max_upload_bytes",
    "may_see",
    "metadata_editable",
    "move_contributor",
    "my_submissions",
    "record_correction",
    "remove_contributor",
    "remove_funding",
    "remove_suggestion",
    "responses",
    "resubmit",
    "review_mode_of",
    "reviewer_copies",
    "reviewer_originals",
    "revising",
    "revision_request",
    "save_contributor",
    "save_details",
    "start_submission",
    "submission_metadata",
    "submission_problems",
    "submit",
    "withdraw",
    "word_count",
]
