"""The built distribution works on its own: the wheel, installed into a fresh virtual
environment outside the checkout, serves pages in both languages, converts a corpus
manuscript to JATS and typesets it into a PDF.

Every command runs with the installed interpreter from a folder outside the checkout and
without PYTHONPATH, so a file read through the repository's path (instead of through the
package) fails here, where the editable install of the rest of the suite would hide it.
Building and installing take about half a minute with pip's cache warm.
"""

from __future__ import annotations

import os
import re
import shutil
import socket
import subprocess
import sys
import time
import urllib.request
import zipfile
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pikepdf
import pytest

from frontiers_de.config import ENV_OVERRIDES
from tests.conftest import ROOT, SCHEMA_DIR, corpus_files

pytestmark = pytest.mark.slow

# Build inputs; everything else in the checkout (the test venv, databases, caches, the tests)
# stays out of the copy that is built.
SOURCES = ("setup.py", "pyproject.toml", "MANIFEST.in", "frontiers_de", "templates", "schemas")
# Compiled catalogs (.mo) stay out too: the build compiles them, as from a fresh clone.
BUILD_LEFTOVERS = shutil.ignore_patterns(
    "__pycache__", "*.pyc", "*.egg-info", "build", "dist", "*.mo"
)


@dataclass(frozen=True)
class Installed:
    venv: Path
    wheel: Path
    workdir: Path
    env: dict[str, str]

    def bin(self, name: str) -> str:
        return str(self.venv / "bin" / name)

    def run(self, *args: str, timeout: float = 300) -> subprocess.CompletedProcess[str]:
        done = subprocess.run(
            args,
            cwd=self.workdir,
            env=self.env,
            capture_output=True,
            text=True,
            timeout=timeout,
            check=False,
        )
        assert done.returncode == 0, f"{' '.join(args)} failed:\n{done.stdout}\n{done.stderr}"
        return done


def _step(*args: object) -> None:
    done = subprocess.run([str(a) for a in args], capture_output=True, text=True, check=False)
    assert done.returncode == 0, f"{' '.join(map(str, args))} failed:\n{done.stderr}"


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


@pytest.fixture(scope="module")
def installed(tmp_path_factory: pytest.TempPathFactory) -> Installed:
    base = tmp_path_factory.mktemp("wheel")
    assert not base.resolve().is_relative_to(ROOT), "the venv must live outside the checkout"
    # Built from a copy: setuptools leaves build/ beside its input, and a stale build/lib
    # in the checkout could slip files into a later wheel.
    source = base / "source"
    source.mkdir()
    for name in SOURCES:
        path = ROOT / name
        if path.is_dir():
            shutil.copytree(path, source / name, ignore=BUILD_LEFTOVERS)
        else:
            shutil.copy2(path, source / name)
    dist = base / "dist"
    # The test venv's setuptools, wheel and babel build it (no download of build tools).
    pip = (sys.executable, "-m", "pip")
    _step(*pip, "wheel", "--no-deps", "--no-build-isolation", "-q", "-w", dist, source)
    (wheel,) = dist.glob("frontiers_de-*.whl")
    venv = base / "venv"
    _step(sys.executable, "-m", "venv", venv)
    # The same pins as the checkout; no byte-compiling of the dependencies (not needed here).
    constraints = ROOT / "constraints.txt"
    _step(
        venv / "bin" / "python",
        "-m",
        "pip",
        "install",
        "-q",
        "--no-compile",
        "-c",
        constraints,
        wheel,
    )
    workdir = base / "run"
    workdir.mkdir()
    # Nothing of the test process leaks in: no PYTHONPATH, no settings from its environment.
    env = {
        k: v
        for k, v in os.environ.items()
        if not k.startswith(("PYTHON", "VIRTUAL_ENV")) and k not in ENV_OVERRIDES
    }
    env.update(
        PATH=f"{venv / 'bin'}{os.pathsep}{env.get('PATH', '')}",
        DATABASE_URL=f"sqlite:///{workdir / 'fde.sqlite'}",
        FDE_FILES_DIR=str(workdir / "files"),
        FDE_SCHEMA_DIR=str(SCHEMA_DIR),
        FDE_SESSION_SECRET="wheel-test-session-secret-0123456789",
        FDE_TOKEN_SECRET="wheel-test-token-secret-0123456789",
    )
    return Installed(venv=venv, wheel=wheel, workdir=workdir, env=env)


def test_the_wheel_carries_templates_and_schemas_inside_the_package(installed: Installed):
    names = set(zipfile.ZipFile(installed.wheel).namelist())
    shipped_as = {"templates": "frontiers_de/templates", "schemas": "frontiers_de/schemas"}
    for folder, package in shipped_as.items():
        shipped = {
            p.relative_to(ROOT / folder).as_posix()
            for p in (ROOT / folder).rglob("*")
            if p.is_file() and "__pycache__" not in p.parts and p.suffix != ".pyc"
        }
        assert shipped, folder
        missing = sorted(n for n in shipped if f"{package}/{n}" not in names)
        assert not missing, f"{len(missing)} {folder}/ files missing from the wheel: {missing[:5]}"
    # The message catalogs, compiled by the build (the copy that was built had no .mo).
    for po in (ROOT / "frontiers_de" / "locale").glob("*/LC_MESSAGES/*.po"):
        assert po.relative_to(ROOT).with_suffix(".mo").as_posix() in names
    # Nothing outside the package: the wheel installs no top-level templates/ or schemas/.
    assert not [n for n in names if n.startswith(("templates/", "schemas/"))]
    # The official XSDs are read from FDE_SCHEMA_DIR, never shipped.
    assert not [n for n in names if n.endswith(".xsd")]


def test_the_installed_package_is_the_one_in_the_venv(installed: Installed):
    where = installed.run(
        installed.bin("python"),
        "-c",
        "import sys, frontiers_de, frontiers_de.templates as t, frontiers_de.schemas as s;"
        "print(frontiers_de.__file__); print(t.__file__); print(s.__file__); print(*sys.path)",
    ).stdout.splitlines()
    site = (installed.venv / "lib").resolve()
    for path in where[:3]:
        assert Path(path).resolve().is_relative_to(site), path
    assert str(ROOT) not in where[3]


@pytest.fixture(scope="module")
def site(installed: Installed) -> Iterator[str]:
    """The demo journal served by ``fde serve`` of the installed wheel."""
    installed.run(installed.bin("fde"), "initdb")
    installed.run(installed.bin("fde"), "seed-demo")
    port = _free_port()
    log = (installed.workdir / "serve.log").open("w")
    server = subprocess.Popen(
        [installed.bin("fde"), "serve", "--listen", f"127.0.0.1:{port}"],
        cwd=installed.workdir,
        env=installed.env,
        stdout=log,
        stderr=subprocess.STDOUT,
    )
    try:
        deadline = time.monotonic() + 60
        while True:
            try:
                socket.create_connection(("127.0.0.1", port), timeout=0.2).close()
                break
            except OSError:
                if server.poll() is not None or time.monotonic() > deadline:
                    pytest.fail((installed.workdir / "serve.log").read_text())
                time.sleep(0.1)
        yield f"http://127.0.0.1:{port}"
    finally:
        server.terminate()
        server.wait(timeout=20)
        log.close()


def _get(url: str, **headers: str) -> tuple[int, str, str]:
    with urllib.request.urlopen(urllib.request.Request(url, headers=headers), timeout=60) as r:
        return r.status, r.headers.get("Content-Type", ""), r.read().decode("utf-8")


def test_the_installed_wheel_serves_pages_in_both_languages(site: str):
    status, _, home = _get(site + "/")
    assert status == 200
    assert "Frontiers of Digital Education" in home
    status, kind, css = _get(site + "/static/css/site.css")
    assert status == 200 and kind.startswith("text/css") and css.strip()
    # The compiled Chinese catalogue ships too.
    _, _, chinese = _get(site + "/", Cookie="fde_lang=zh")
    assert 'lang="zh' in chinese and "登录" in chinese
    # A published demo article: the reader page (the JATS-to-HTML stylesheet) and its PDF.
    _, _, issues = _get(site + "/issues")
    issue = re.search(r'href="(/issues/[^"]+)"', issues)
    assert issue, issues
    _, _, listing = _get(site + issue.group(1))
    article = re.search(r'href="(?:https?://[^/"]+)?(/articles/[^"]+?)"', listing)
    assert article, listing
    status, _, page = _get(site + article.group(1))
    assert status == 200 and "<article" in page
    with urllib.request.urlopen(site + article.group(1) + "/pdf", timeout=60) as response:
        assert response.read(5) == b"%PDF-"


def test_the_installed_wheel_converts_and_typesets_a_corpus_manuscript(installed: Installed):
    docx = corpus_files("docx")
    if not docx:
        pytest.fail("corpus not found (set FDE_CORPUS_DIR)")
    # The largest manuscript: figures, tables and references ask the most of shipped files.
    manuscript = max(docx, key=lambda p: p.stat().st_size)
    jats = installed.workdir / "article.xml"
    converted = installed.run(
        installed.bin("fde"),
        "jats",
        "convert",
        str(manuscript),
        "-o",
        str(jats),
        "--media-dir",
        str(installed.workdir / "media"),
    )
    assert "valid JATS 1.3" in converted.stdout + converted.stderr
    pdf = installed.workdir / "article.pdf"
    installed.run(installed.bin("fde"), "typeset", str(jats), "-o", str(pdf))
    with pikepdf.open(pdf) as document:
        assert len(document.pages) > 1
        assert document.docinfo.get("/Title")
