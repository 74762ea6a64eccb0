"""Every permission, in one place. Views require one with ``permission=``; contexts grant
them to principals through ``__acl__``."""

from __future__ import annotations

import enum


class Permission(enum.StrEnum):
    VIEW = "view"  # public pages
    ACCOUNT = "account"  # one's own profile, password, dashboard
    SUBMIT = "submit"  # start and edit one's own submissions
    REVIEW = "review"  # the reviewer's pages
    EDIT = "edit"  # editorial queues and decisions
    MANAGE_EDITORS = "manage_editors"  # assign handling editors, override decisions
    PRODUCE = "produce"  # production: JATS, typesetting, proofs, DOIs, issues
    ADMIN = "admin"  # journal settings, users and roles
