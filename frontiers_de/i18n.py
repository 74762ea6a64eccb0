"""The interface speaks English and Chinese: locale choice and translation set-up.

The locale is, in order: the language the reader chose (cookie), the signed-in user's
preferred language, the browser's Accept-Language, then English. An error page for a request
whose transaction failed skips the user's preference: reading it would ask the failed
session again (see ``frontiers_de.db.database_usable``).
"""

from __future__ import annotations

from typing import Any

from pyramid.config import Configurator
from pyramid.i18n import TranslationString, TranslationStringFactory
from pyramid.request import Request

DOMAIN = "fde"
LANGUAGES: dict[str, str] = {"en": "English", "zh": "中文"}
DEFAULT_LANGUAGE = "en"
LANGUAGE_COOKIE = "fde_lang"
# The message catalogs (asset specs): the app's, and whatever translates outside a request.
TRANSLATION_DIRS = ("frontiers_de:locale/",)

_ = TranslationStringFactory(DOMAIN)


def html_lang(language: str) -> str:
    """The ``lang`` attribute for text in ``language`` (Chinese in simplified script)."""
    return "zh-Hans" if language == "zh" else language


def translate(request: Request, message: Any) -> str:
    """``message`` (a ``_()`` string, possibly with mapping) in the request's language.

    Views import it as ``_t`` for flash messages and texts they build themselves.
    """
    return request.localizer.translate(message)


def negotiate_locale(request: Request) -> str:
    chosen = request.cookies.get(LANGUAGE_COOKIE)
    if chosen in LANGUAGES:
        return chosen
    from frontiers_de.db import database_usable

    if database_usable(request):
        user = request.user
        if user is not None and user.preferred_language in LANGUAGES:
            return user.preferred_language
    match = request.accept_language.lookup(list(LANGUAGES), default=DEFAULT_LANGUAGE)
    return match if match in LANGUAGES else DEFAULT_LANGUAGE


def includeme(config: Configurator) -> None:
    config.add_translation_dirs(*TRANSLATION_DIRS)
    config.set_locale_negotiator(negotiate_locale)


def pgettext(
    context: str, msgid: str, mapping: dict[str, object] | None = None
) -> TranslationString:
    """A message whose word has more than one meaning, told apart by ``context`` (the
    catalog's ``msgctxt``): "Title" of an article is 标题, of a journal 刊名."""
    return TranslationString(msgid, domain=DOMAIN, mapping=mapping, context=context)
