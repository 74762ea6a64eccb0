"""Settings declared once (frontiers_de/settings.py): every key the code reads is declared by
one domain's group, both .ini files list every declared key, values parse with one set of
coercers, and a bad value stops the app at start-up naming the key."""

from __future__ import annotations

import ast
import configparser
import re
from pathlib import Path

import pytest

import frontiers_de
from frontiers_de import settings as fde_settings
from frontiers_de.config import DEFAULTS, PROJECT_ROOT, SiteSettings, TaskSettings
from frontiers_de.settings import (
    DECLARED,
    PERIODIC,
    SettingsError,
    boolean,
    clamped_int,
    positive_int,
    seconds,
    words,
)
from frontiers_de.tasks import beat_schedule, import_task_modules

PACKAGE = Path(frontiers_de.__file__).parent
# The app's own setting names (framework keys such as sqlalchemy.* or jinja2.* are not).
SETTING_KEY = re.compile(r"^(?:fde|mail|crossref|celery|oai)\.[a-z0-9_]+(?:\.[a-z0-9_]+)*$")
# Strings shaped like a setting name that are something else.
NOT_SETTINGS = {
    "fde.max_upload_bytes": "forms.MAX_UPLOAD_KEY, a registry key",
    "fde.sqlite": "the embedded default's database file",
}


def _import_every_group() -> None:
    """Every domain's settings module (the app imports them all at start-up)."""
    import importlib

    for path in PACKAGE.rglob("settings.py"):
        module = ".".join(path.relative_to(PACKAGE.parent).with_suffix("").parts)
        importlib.import_module(module)
    import_task_modules()


def _route_names() -> set[str]:
    """Route names look like setting keys (crossref.deposit): they are not read as settings."""
    names: set[str] = set()
    for node in ast.walk(ast.parse((PACKAGE / "routes.py").read_text(encoding="utf-8"))):
        if (
            isinstance(node, ast.Call)
            and getattr(node.func, "attr", "") == "add_route"
            and isinstance(node.args[0], ast.Constant)
        ):
            names.add(str(node.args[0].value))
    return names


def _setting_literals() -> list[tuple[str, int, str]]:
    """(file, line, key) of every string in the package that is shaped like a setting name."""
    found: list[tuple[str, int, str]] = []
    for path in sorted(PACKAGE.rglob("*.py")):
        if "migrations" in path.parts:
            continue
        tree = ast.parse(path.read_text(encoding="utf-8"))
        for node in ast.walk(tree):
            if (
                isinstance(node, ast.Constant)
                and isinstance(node.value, str)
                and SETTING_KEY.match(node.value)
            ):
                found.append((str(path.relative_to(PACKAGE)), node.lineno, node.value))
    return found


def test_every_setting_the_code_names_is_declared():
    _import_every_group()
    routes = _route_names()
    undeclared = [
        f"{file}:{line}: {key}"
        for file, line, key in _setting_literals()
        if key not in DECLARED and key not in NOT_SETTINGS and key not in routes
    ]
    assert undeclared == [], "declare these in their domain's settings group"


def _raw_reads() -> list[str]:
    """``x.get("fde.…")``, ``x.get(f"fde.…{…}")`` and ``x["fde.…"]`` outside
    frontiers_de/settings.py."""
    reads: list[str] = []
    for path in sorted(PACKAGE.rglob("*.py")):
        if "migrations" in path.parts or path == PACKAGE / "settings.py":
            continue
        tree = ast.parse(path.read_text(encoding="utf-8"))
        for node in ast.walk(tree):
            key = None
            if (
                isinstance(node, ast.Call)
                and getattr(node.func, "attr", "") == "get"
                and node.args
                and isinstance(node.args[0], ast.JoinedStr)
            ):
                key = ast.unparse(node.args[0])[2:-1]  # f"fde.journal.{name}" and the like
            if (
                isinstance(node, ast.Call)
                and getattr(node.func, "attr", "") == "get"
                and node.args
                and isinstance(node.args[0], ast.Constant)
            ):
                key = node.args[0].value
            elif isinstance(node, ast.Subscript) and isinstance(node.slice, ast.Constant):
                key = node.slice.value
            if isinstance(key, str) and SETTING_KEY.match(key.split("{")[0] + "x"):
                if key in NOT_SETTINGS:
                    continue
                reads.append(f"{path.relative_to(PACKAGE)}:{node.lineno}: {key}")
    return reads


def test_settings_are_read_through_their_group_not_by_key():
    """One parse for each value: a read by key would bring back a default and a coercion of
    its own."""
    assert _raw_reads() == []


def _ini_keys(name: str) -> tuple[set[str], set[str]]:
    """(keys set, keys listed as a comment ``# key = default``) of [app:main]."""
    text = (PROJECT_ROOT / name).read_text(encoding="utf-8")
    section = text.split("[app:main]", 1)[1].split("\n[", 1)[0]
    parser = configparser.ConfigParser(interpolation=None)
    parser.read_string("[app:main]" + section)
    set_keys = set(parser["app:main"])
    commented = set(re.findall(r"^#\s*([a-z0-9_.]+)\s*=", section, re.MULTILINE))
    return set_keys, commented


@pytest.mark.parametrize("name", ["development.ini", "production.ini"])
def test_both_ini_files_list_every_declared_key(name):
    _import_every_group()
    set_keys, commented = _ini_keys(name)
    missing = sorted(set(DECLARED) - set_keys - commented)
    assert missing == [], f"{name} does not list these (write '# key = default' if unset)"
    unknown = sorted(
        key for key in set_keys | commented if SETTING_KEY.match(key) and key not in DECLARED
    )
    assert unknown == [], f"{name} lists keys no group declares"


@pytest.mark.parametrize("name", ["development.ini", "production.ini"])
def test_commented_defaults_in_the_ini_files_are_the_declared_ones(name):
    """A commented line shows the default: it must be what the group really uses."""
    _import_every_group()
    text = (PROJECT_ROOT / name).read_text(encoding="utf-8")
    section = text.split("[app:main]", 1)[1].split("\n[", 1)[0]
    for key, shown in re.findall(r"^#\s*([a-z0-9_.]+)\s*=[ \t]*(.*)$", section, re.MULTILINE):
        if key not in DECLARED:
            continue
        group = DECLARED[key]
        field = group.setting_keys()[key]
        declared = getattr(group.of({}), field)
        if shown.strip() == "" or declared is None:
            continue
        parsed = getattr(group.of({key: shown}), field)
        if isinstance(declared, str) and Path(declared).is_absolute():
            parsed = str(Path(parsed).resolve())  # var/… of the directory the app starts in
        assert parsed == declared, f"{name}: {key} shows {shown!r}, the default is {declared!r}"


def test_every_key_is_declared_by_one_group_with_its_domain_prefix():
    _import_every_group()
    assert len(DECLARED) > 60
    for key, group in DECLARED.items():
        assert SETTING_KEY.match(key), key
        assert key in group.setting_keys()


def test_a_bad_value_names_the_key_and_what_was_expected():
    from frontiers_de.review.settings import ReviewSettings

    with pytest.raises(SettingsError) as caught:
        ReviewSettings.of({"fde.review.invitation_days": "two weeks"})
    assert str(caught.value) == (
        "fde.review.invitation_days must be a positive whole number, not 'two weeks'"
    )
    with pytest.raises(SettingsError, match=r"celery\.always_eager must be true or false"):
        TaskSettings.of({"celery.always_eager": "sometimes"})


def test_unset_or_empty_values_are_the_declared_defaults():
    from frontiers_de.review.settings import ReviewSettings

    assert ReviewSettings.of({}) == ReviewSettings.of({"fde.review.invitation_days": ""})
    assert ReviewSettings.of({}).invitation_days == 14
    assert ReviewSettings.of({"fde.review.invitation_days": " 7 "}).invitation_days == 7


def test_a_changed_mapping_is_read_afresh():
    settings = {"celery.queue": "one"}
    assert TaskSettings.of(settings).queue == "one"
    settings["celery.queue"] = "two"
    assert TaskSettings.of(settings).queue == "two"


def test_the_coercers():
    assert boolean("Yes") is True and boolean("off") is False and boolean(True) is True
    with pytest.raises(ValueError):
        boolean("maybe")
    assert positive_int("12") == 12
    for bad in ("0", "-1", "1.5", "many"):
        with pytest.raises(ValueError):
            positive_int(bad)
    assert seconds("0.2") == 0.2 and seconds("0") == 0
    with pytest.raises(ValueError):
        seconds("-1")
    assert words("a, b  c") == ("a", "b", "c")
    page = clamped_int(1, 100, 20)
    assert (page("0"), page("500"), page("many"), page("5")) == (1, 100, 20, 5)


def test_the_app_refuses_to_start_on_a_bad_value():
    from frontiers_de import main

    settings = {
        "sqlalchemy.url": "sqlite://",
        "fde.session_secret": "s" * 32,
        "fde.token_secret": "t" * 32,
    }
    main({}, **settings)  # starts
    for key, bad in [
        ("fde.production.max_jats_bytes", "20MB"),
        ("mail.max_attempts", "eight"),
        ("fde.secure_cookies", "perhaps"),
        ("oai.page_size", "0"),
        ("crossref.timeout", "soon"),
    ]:
        with pytest.raises(SettingsError, match=re.escape(key)):
            main({}, **{**settings, key: bad})


def test_resolved_defaults_are_the_declared_ones():
    for group in (SiteSettings, TaskSettings):
        for key, value in group.defaults().items():
            if value not in ("", None):
                assert group.of({key: DEFAULTS[key]}) == group.of({}), key


def test_periodic_tasks_are_registered_by_their_domains():
    import_task_modules()
    owners = {entry.task.split(".")[1] for entry in PERIODIC.values()}
    assert owners == {"mail", "crossref", "throttling", "deadlines", "publishing"}
    for entry in PERIODIC.values():
        # The task lives in the module of the domain that registered it, and its interval
        # is a setting of that domain's group.
        assert entry.group.__module__ == f"frontiers_de.{entry.task.split('.')[1]}.settings"
    schedule = beat_schedule({"mail.drain_interval": "30"})
    assert schedule["drain-mail-outbox"] == {
        "task": "frontiers_de.mail.drain_outbox",
        "schedule": 30.0,
    }
    assert schedule["deadlines"]["schedule"] == 3600.0
    assert fde_settings.PERIODIC is PERIODIC
