"""Running pandoc (from the ``pypandoc-binary`` wheel) as a bounded subprocess.

pandoc is the body converter for DOCX, ODT, Markdown and LaTeX. It runs as a separate process
with a wall-clock timeout, a heap limit for its runtime and ``--sandbox`` (no file or network
access beyond its inputs) unless a LaTeX source must read its own figures and includes. We call
the binary directly rather than through ``pypandoc.convert_*`` so that the timeout, the working
directory and the error text are under our control.
"""

from __future__ import annotations

import os
import subprocess
import time
from collections.abc import Sequence
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path

DEFAULT_TIMEOUT_SECONDS = 120.0
# Run first on every conversion to JATS: authors' raw markup (raw attributes, raw HTML, raw
# TeX) is removed before any other filter, so only our own filters can write raw JATS.
NO_RAW_FILTER = Path(__file__).with_name("no_raw.lua")
RAW_REMOVED_MARK = "fde-raw-removed: "
# pandoc's Haskell runtime accepts a heap limit; a runaway document then fails cleanly
# instead of exhausting the machine's memory.
DEFAULT_HEAP_LIMIT = "2g"


class PandocError(RuntimeError):
    """pandoc could not be run, failed, or ran out of time."""

    def __init__(self, message: str, stderr: str = "") -> None:
        super().__init__(message)
        self.stderr = stderr


@dataclass(frozen=True)
class PandocResult:
    output: bytes
    warnings: list[str] = field(default_factory=list)
    seconds: float = 0.0


@lru_cache(maxsize=1)
def pandoc_path() -> str:
    """The pandoc binary shipped in the pypandoc-binary wheel (or on PATH as a fallback)."""
    try:
        import pypandoc

        path = pypandoc.get_pandoc_path()
    except (ImportError, OSError) as exc:  # pragma: no cover - depends on the installation
        raise PandocError(f"pandoc is not installed: {exc}") from exc
    return str(path)


@lru_cache(maxsize=1)
def pandoc_version() -> str:
    out = subprocess.run(
        [pandoc_path(), "--version"], capture_output=True, timeout=30, check=False
    ).stdout.decode("utf-8", "replace")
    return out.splitlines()[0].split()[-1] if out else "unknown"


def _rts_options(heap_limit: str | None) -> list[str]:
    return ["+RTS", f"-M{heap_limit}", "-RTS"] if heap_limit else []


def run_pandoc(
    args: Sequence[str],
    *,
    input_bytes: bytes | None = None,
    cwd: str | os.PathLike[str] | None = None,
    timeout: float = DEFAULT_TIMEOUT_SECONDS,
    sandbox: bool = True,
    heap_limit: str | None = DEFAULT_HEAP_LIMIT,
) -> PandocResult:
    """Run pandoc with ``args`` and return its standard output.

    Raises :class:`PandocError` with pandoc's own message when it exits non-zero or times out.
    pandoc's warnings (``[WARNING] ...`` lines on stderr) are returned, not printed.
    """
    command = [pandoc_path(), *_rts_options(heap_limit)]
    if sandbox:
        command.append("--sandbox")
    command.extend(args)
    started = time.perf_counter()
    try:
        completed = subprocess.run(
            command,
            input=input_bytes,
            capture_output=True,
            cwd=str(cwd) if cwd else None,
            timeout=timeout,
            check=False,
        )
    except subprocess.TimeoutExpired as exc:
        raise PandocError(f"pandoc did not finish within {timeout:g} s") from exc
    except OSError as exc:
        raise PandocError(f"pandoc could not be started: {exc}") from exc
    seconds = time.perf_counter() - started
    stderr = completed.stderr.decode("utf-8", "replace")
    if completed.returncode != 0:
        message = stderr.strip().splitlines()
        detail = message[-1] if message else f"exit status {completed.returncode}"
        raise PandocError(f"pandoc failed: {detail}", stderr)
    warnings = _group_warnings(stderr)
    return PandocResult(completed.stdout, warnings, seconds)


def _group_warnings(stderr: str) -> list[str]:
    """One string per pandoc warning; pandoc continues a warning on indented lines."""
    warnings: list[str] = []
    for line in stderr.splitlines():
        if not line.strip():
            continue
        if warnings and line[:1].isspace():
            warnings[-1] += " " + line.strip()
        else:
            warnings.append(line.strip())
    return warnings


_RAW_KINDS = {"RawBlock": "block", "RawInline": "inline"}


@dataclass(frozen=True)
class RawRemoved:
    """Report lines for the author's raw markup that :data:`NO_RAW_FILTER` removed.

    ``warnings``: raw JATS, which pandoc would have copied into the article as it stood
    (the way a script got in); ``changes``: raw HTML and TeX, which pandoc's JATS writer
    never copies anyway (a LaTeX ``\\cite`` carries its own source as raw TeX), so their
    removal changes nothing the reader sees. ``other``: pandoc's remaining warnings."""

    warnings: list[str]
    changes: list[str]
    other: list[str]


def raw_removed(warnings: Sequence[str]) -> RawRemoved:
    """Split pandoc's warnings into the report lines for removed raw markup and the rest."""
    result = RawRemoved([], [], [])
    for warning in warnings:
        mark = warning.find(RAW_REMOVED_MARK)
        if mark < 0:
            result.other.append(warning)
            continue
        kind, fmt, count = [*warning[mark + len(RAW_REMOVED_MARK) :].split(), "", "", ""][:3]
        noun = _RAW_KINDS.get(kind, kind) + ("s" if count != "1" else "")
        if fmt.lower().startswith("jats"):
            result.warnings.append(
                f"removed {count} raw {fmt} {noun} from the manuscript: an author's raw "
                "markup is never copied into the article"
            )
        else:
            result.changes.append(
                f"removed {count} raw {fmt} {noun} (pandoc writes no raw {fmt} into JATS)"
            )
    return result


def to_jats(
    source: Path,
    input_format: str,
    *,
    extra_args: Sequence[str] = (),
    cwd: Path | None = None,
    timeout: float = DEFAULT_TIMEOUT_SECONDS,
    sandbox: bool = True,
) -> PandocResult:
    """Convert one file to a standalone pandoc JATS (Journal Publishing) document.

    The author's raw blocks and spans of any format are removed first (``no_raw.lua``); the
    warnings then include one ``fde-raw-removed:`` line per kind (see :func:`raw_removed`).
    """
    args = [
        "--standalone",
        "--from",
        input_format,
        "--to",
        "jats_publishing",
        "--wrap=none",
        "--lua-filter",
        str(NO_RAW_FILTER),
        *extra_args,
        str(source),
    ]
    return run_pandoc(args, cwd=cwd, timeout=timeout, sandbox=sandbox)
