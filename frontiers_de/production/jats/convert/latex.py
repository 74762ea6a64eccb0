"""LaTeX sources made self-contained for pandoc, which runs sandboxed: includes and the
author's own packages inlined, ``\\ifnum`` template switches evaluated, ``.bbl`` and
``.bib`` bibliographies turned into what pandoc and references.py read."""

from __future__ import annotations

import json
import re
from dataclasses import dataclass
from pathlib import Path, PurePosixPath
from typing import Any

from frontiers_de.production.jats import archive, assets, pandoc
from frontiers_de.production.jats.convert.common import (
    CITATIONS_FILTER,
    ConversionError,
    ConversionReport,
)

MAX_TEX_INCLUDE_DEPTH = 8


_TEX_INCLUDE = re.compile(r"\\(?:input|include)\s*\{([^}]+)\}")
_TEX_BIBLIOGRAPHY = re.compile(r"\\bibliography\s*\{([^}]+)\}")


@dataclass(frozen=True)
class LatexFolder:
    """Where a LaTeX source's own files are: the unpacked root (nothing outside it is read),
    the main file's folder, and its ``\\graphicspath`` folders."""

    root: Path
    base: Path
    graphics_folders: list[str]
    usable: bool


def _prepare_latex(
    data: bytes,
    name: str,
    kind: str,
    workdir: Path,
    limits: archive.ArchiveLimits | None,
    report: ConversionReport,
    source_dir: Path | None = None,
    citation_labels: dict[str, str] | None = None,
) -> tuple[Path, list[str], Path | None, LatexFolder]:
    """A single self-contained .tex (includes inlined, .bbl substituted), pandoc args, the
    same source without the author's packages inlined (None when it has none), and where
    the source's own files (figures) are.

    pandoc runs with ``--sandbox``, so it cannot read ``\\input`` files itself; we inline
    them here, resolving only inside the unpacked folder, so a manuscript cannot pull in
    files from elsewhere on the machine.
    """
    citation_labels = {} if citation_labels is None else citation_labels
    root, base, main, text = _latex_source(data, name, kind, workdir, limits, source_dir)
    text = _inline_includes(text, base, root, report, depth=0)
    text = resolve_tex_conditionals(text, report)
    # Bytes alone (no folder) have no figure files to find.
    has_folder = kind == "latex-zip" or source_dir is not None
    folder = LatexFolder(root, base, assets.graphics_folders(text), has_folder)
    text = drop_wrapped_environment_redefinitions(text, report)
    text = unwrap_scaling_boxes(text, report)
    text, bibliography_args = _latex_bibliography(
        text, main, base, root, workdir, report, citation_labels
    )
    extra: list[str] = ["--lua-filter", str(CITATIONS_FILTER), *bibliography_args]
    source = workdir / "manuscript.tex"
    source.write_text(text, encoding="utf-8")
    with_macros = inline_local_packages(text, base, root)
    if with_macros != text:
        # The author's own packages define the macros their formulas use; pandoc reads
        # \newcommand but cannot open a .sty under --sandbox. If their content trips
        # pandoc up, the plain source is converted instead.
        fallback = workdir / "manuscript-without-packages.tex"
        source.rename(fallback)
        source.write_text(with_macros, encoding="utf-8")
        return source, extra, fallback, folder
    return source, extra, None, folder


def _latex_source(
    data: bytes,
    name: str,
    kind: str,
    workdir: Path,
    limits: archive.ArchiveLimits | None,
    source_dir: Path | None,
) -> tuple[Path, Path, Path, str]:
    """The source's root folder (nothing outside it is read), the main file's folder, the
    main file, and its text: unpacked from a zip, or the .tex given."""
    if kind == "latex-zip":
        try:
            archive.safe_extract(data, workdir / "src", limits)
        except archive.ArchiveError as exc:
            raise ConversionError("archive", str(exc), name) from exc
        root = workdir / "src"
        main = _main_tex(root)
        if main is None:
            raise ConversionError("input", "the zip holds no .tex file with \\documentclass", name)
        text = main.read_bytes().decode("utf-8", "replace")
        base = main.parent
    else:
        # A .tex file given by path may use files beside it (includes, .bbl, .bib);
        # bytes alone have no folder.
        root = base = source_dir or workdir
        text = data.decode("utf-8", "replace")
        main = root / PurePosixPath(name).name
    return root, base, main, text


def _latex_bibliography(
    text: str,
    main: Path,
    base: Path,
    root: Path,
    workdir: Path,
    report: ConversionReport,
    citation_labels: dict[str, str],
) -> tuple[str, list[str]]:
    """The source with its ``\\bibliography`` resolved, and the pandoc arguments it needs:
    the author's ``.bbl`` as a References section (its labels into ``citation_labels``),
    else the ``.bib`` files for citeproc."""
    extra: list[str] = []
    bib_match = _TEX_BIBLIOGRAPHY.search(text)
    bbl = main.with_suffix(".bbl")
    if bib_match and bbl.is_file():
        # The author's own resolved bibliography: reference strings for references.py.
        bbl_text = bbl.read_text(encoding="utf-8", errors="replace")
        section, keys, labels = bibliography_section(bbl_text)
        text = text[: bib_match.start()] + section + text[bib_match.end() :]
        citation_labels.update(zip(keys, labels, strict=True))
        report.changes.append(f"bibliography taken from {bbl.name} ({len(keys)} entries)")
    elif bib_match:
        bibs = []
        for stem in bib_match.group(1).split(","):
            candidate = _inside(base / (stem.strip().removesuffix(".bib") + ".bib"), root)
            if candidate is not None and candidate.is_file():
                bibs.append(candidate)
        if bibs:
            # BibTeX is already structured: pandoc's citeproc turns it into element-citations
            # and the \cite commands into xrefs, with no string parsing in between.
            references = _bibtex_as_csl(bibs)
            metadata_file = workdir / "references.json"
            metadata_file.write_text(json.dumps({"references": references}), encoding="utf-8")
            # --bibliography is not readable under --sandbox; a metadata file is. The
            # \bibliography command goes, or pandoc would look for the file itself.
            text = text[: bib_match.start()] + text[bib_match.end() :]
            extra += ["--to", "jats_publishing+element_citations"]
            extra += [f"--metadata-file={metadata_file}", "--citeproc"]
            report.changes.append(
                f"{len(references)} references from " + ", ".join(b.name for b in bibs)
            )
        else:
            report.warnings.append(
                f"\\bibliography{{{bib_match.group(1)}}} names no .bib or .bbl file present; "
                "citations are left as keys"
            )
    return text, extra


_TEX_COMMENT = re.compile(r"(?<!\\)%.*$", re.MULTILINE)
_TEX_CONDITIONAL = re.compile(r"\\(if[A-Za-z@]*|else|fi)(?![A-Za-z@])")
_TEX_NUMBER_DEF = re.compile(r"\\def\\([A-Za-z@]+)\s*\{\s*(-?\d+)\s*\}")
_TEX_IFNUM_TEST = re.compile(r"\s*(\\[A-Za-z@]+|-?\d+)\s*([<=>])\s*(\\[A-Za-z@]+|-?\d+)\s*")
# \if... commands that take braced arguments instead of ending in \fi (etoolbox, ifthen).
_NOT_PRIMITIVE_IF = {"ifthenelse", "iff"}


def resolve_tex_conditionals(text: str, report: ConversionReport | None = None) -> str:
    """Evaluate ``\\ifnum\\flag=1 ... \\else ... \\fi`` where the flag is a number set by
    ``\\def``, as TeX would, and drop comments.

    Submission templates switch layouts with such flags, often around ``\\begin``/``\\end``
    pairs, which pandoc's LaTeX reader cannot parse inside unevaluated conditionals. We do
    not run TeX: any other conditional (``\\ifx``, ``\\ifcsname`` ...) is kept as written.
    """
    text = _TEX_COMMENT.sub("", text)
    numbers: dict[str, int] = {}
    for name, value in _TEX_NUMBER_DEF.findall(text):
        numbers.setdefault(name, int(value))

    def operand(token: str) -> int | None:
        return numbers.get(token[1:]) if token.startswith("\\") else int(token)

    out: list[str] = []
    # Each frame: (evaluated, condition value, in else branch)
    stack: list[list[Any]] = []
    resolved = 0

    def active() -> bool:
        return all(not f[0] or (f[1] != f[2]) for f in stack)

    pos = 0
    for match in _TEX_CONDITIONAL.finditer(text):
        if match.start() < pos:
            continue
        name = match.group(1)
        if name.startswith("if"):
            following = text[match.end() : match.end() + 40].lstrip()
            if name in _NOT_PRIMITIVE_IF or following.startswith("{"):
                continue
        chunk = text[pos : match.start()]
        if active():
            out.append(chunk)
        pos = match.end()
        if name.startswith("if"):
            evaluated, value = False, False
            if name == "ifnum":
                test = _TEX_IFNUM_TEST.match(text, match.end())
                if test:
                    left, op, right = operand(test.group(1)), test.group(2), operand(test.group(3))
                    if left is not None and right is not None:
                        evaluated = True
                        value = {"<": left < right, "=": left == right, ">": left > right}[op]
                        pos = test.end()
                        resolved += 1
            if not evaluated and active():
                out.append(match.group(0))
            stack.append([evaluated, value, False])
        elif name == "else":
            if stack and stack[-1][0]:
                stack[-1][2] = True
            elif active():
                out.append(match.group(0))
        else:  # fi
            frame = stack.pop() if stack else None
            if (frame is None or not frame[0]) and active():
                out.append(match.group(0))
    if active():
        out.append(text[pos:])
    if resolved and report is not None:
        report.changes.append(f"{resolved} TeX \\ifnum switches evaluated")
    return "".join(out)


_TEX_LET = re.compile(r"\\let\s*\\([A-Za-z@]+)\s*=?\s*\\([A-Za-z@]+)")
_TEX_RENEWENV = re.compile(r"\\renewenvironment\s*\{([A-Za-z@*]+)\}")


def _braced_groups(text: str, start: int, count: int) -> int | None:
    """The index just after ``count`` consecutive brace groups starting at ``start``."""
    pos = start
    for _ in range(count):
        while pos < len(text) and text[pos].isspace():
            pos += 1
        if pos >= len(text) or text[pos] != "{":
            return None
        depth = 0
        while pos < len(text):
            char = text[pos]
            if char == "\\":
                pos += 2
                continue
            depth += char == "{"
            depth -= char == "}"
            pos += 1
            if depth == 0:
                break
        else:
            return None
    return pos


def drop_wrapped_environment_redefinitions(
    text: str, report: ConversionReport | None = None
) -> str:
    """Remove ``\\renewenvironment{proof}{\\begin{oldproof}}{...}`` after
    ``\\let\\oldproof\\proof``: a presentation tweak that wraps the old environment, which
    pandoc cannot follow (it does not copy environments with ``\\let``). The environment
    keeps its standard meaning, which is what the JATS needs."""
    aliases = {new: old for new, old in _TEX_LET.findall(text)}
    if not aliases:
        return text
    pieces: list[str] = []
    pos = 0
    for match in _TEX_RENEWENV.finditer(text):
        if match.start() < pos:
            continue
        end = _braced_groups(text, match.end(), 2)
        if end is None:
            continue
        definition = text[match.end() : end]
        wrapped = any(
            aliases.get(alias) == match.group(1)
            for alias in re.findall(r"\\begin\s*\{([A-Za-z@]+)\}", definition)
        )
        if wrapped:
            pieces.append(text[pos : match.start()])
            pos = end
            if report is not None:
                report.changes.append(
                    f"\\renewenvironment{{{match.group(1)}}} wrapping itself dropped"
                )
    pieces.append(text[pos:])
    return "".join(pieces)


_BIBITEM = re.compile(r"\\bibitem\s*(?:\[((?:[^\[\]]|\{[^}]*\})*)\])?\s*\{([^}]+)\}")
_BEGIN_BIBLIOGRAPHY = re.compile(r"\\begin\s*\{thebibliography\}")
_END_BIBLIOGRAPHY = re.compile(r"\\end\s*\{thebibliography\}")


def bibliography_section(bbl_text: str) -> tuple[str, list[str], list[str]]:
    """A BibTeX-made ``thebibliography`` as a plain "References" section, one paragraph per
    item, with the cite keys and labels in order.

    pandoc's LaTeX reader folds a whole ``thebibliography`` into one box and drops the
    ``\\cite`` commands that point into it; as separate paragraphs under a References
    heading the entries become reference strings for references.py instead.
    """
    begin = _BEGIN_BIBLIOGRAPHY.search(bbl_text)
    items_start = _braced_groups(bbl_text, begin.end(), 1) if begin else None
    finish = _END_BIBLIOGRAPHY.search(bbl_text, items_start or 0)
    if begin is None or items_start is None or finish is None:
        return bbl_text, [], []
    preamble = bbl_text[: begin.start()]
    entries = bbl_text[items_start : finish.start()]
    items = list(_BIBITEM.finditer(entries))
    keys, labels, paragraphs = [], [], []
    for number, item in enumerate(items, 1):
        end = items[number].start() if number < len(items) else len(entries)
        entry = entries[item.end() : end].replace("\\newblock", " ").strip()
        keys.append(item.group(2).strip())
        label = re.sub(r"\\[A-Za-z@]+|[{}]", "", item.group(1) or "") or str(number)
        labels.append(label)
        paragraphs.append(" ".join(entry.split()))
    section = preamble + "\n\\section*{References}\n\n" + "\n\n".join(paragraphs) + "\n"
    return section, keys, labels


_TEX_SCALING_BOX = re.compile(r"\\(resizebox|scalebox)\*?(?![A-Za-z@])")


def unwrap_scaling_boxes(text: str, report: ConversionReport | None = None) -> str:
    """``\\resizebox{w}{h}{X}`` and ``\\scalebox{s}{X}`` become ``X``.

    They only scale what they hold for print, but pandoc drops a tabular inside them, and
    with it the whole table.
    """
    pieces: list[str] = []
    pos = 0
    unwrapped = 0
    for match in _TEX_SCALING_BOX.finditer(text):
        if match.start() < pos:
            continue
        size_args = 2 if match.group(1) == "resizebox" else 1
        after = match.end()
        if match.group(1) == "scalebox" and text[after:].lstrip().startswith("["):
            continue
        content_start = _braced_groups(text, after, size_args)
        content_end = _braced_groups(text, content_start, 1) if content_start else None
        if content_start is None or content_end is None:
            continue
        inner_start = text.index("{", content_start) + 1
        pieces.append(text[pos : match.start()])
        pieces.append(text[inner_start : content_end - 1])
        pos = content_end
        unwrapped += 1
    pieces.append(text[pos:])
    if unwrapped and report is not None:
        report.changes.append(f"{unwrapped} \\resizebox/\\scalebox wrappers removed")
    return "".join(pieces)


def _bibtex_as_csl(bibs: list[Path]) -> list[Any]:
    """BibTeX files as CSL JSON items, through pandoc's own BibTeX reader (sandboxed)."""
    items: list[Any] = []
    for bib in bibs:
        try:
            output = pandoc.run_pandoc(["--from", "bibtex", "--to", "csljson", str(bib)]).output
            items.extend(json.loads(output or b"[]"))
        except (pandoc.PandocError, ValueError) as exc:
            raise ConversionError("bibliography", str(exc), bib.name) from exc
    return items


_TEX_USEPACKAGE = re.compile(r"\\usepackage\s*(?:\[[^\]]*\])?\s*\{([^}]+)\}")
_STY_BOILERPLATE = re.compile(
    r"\\(?:makeatletter|makeatother|ProvidesPackage|NeedsTeXFormat|endinput)(?:\[[^\]]*\])?"
    r"(?:\{[^}]*\})?(?:\[[^\]]*\])?"
)


def inline_local_packages(text: str, base: Path, root: Path) -> str:
    """``\\usepackage{macros}`` replaced by ``macros.sty`` when that file is the author's
    own (inside the source folder); other packages stay as they are."""

    def replace(match: re.Match[str]) -> str:
        kept, inlined = [], []
        for name in (n.strip() for n in match.group(1).split(",")):
            candidate = _inside(base / f"{name}.sty", root)
            if candidate is not None and candidate.is_file():
                sty = _TEX_COMMENT.sub("", candidate.read_text(encoding="utf-8", errors="replace"))
                inlined.append(_STY_BOILERPLATE.sub("", sty))
            elif name:
                kept.append(name)
        if not inlined:
            return match.group(0)
        prefix = f"\\usepackage{{{','.join(kept)}}}\n" if kept else ""
        return prefix + "\n".join(inlined)

    return _TEX_USEPACKAGE.sub(replace, text)


def _main_tex(root: Path) -> Path | None:
    candidates = sorted(root.rglob("*.tex"), key=lambda p: (len(p.parts), p.name))
    for path in candidates:
        head = path.read_bytes()[:200_000]
        if b"\\documentclass" in head and b"\\begin{document}" in head:
            return path
    return candidates[0] if candidates else None


def _inside(path: Path, root: Path) -> Path | None:
    resolved = path.resolve()
    return resolved if resolved == root.resolve() or root.resolve() in resolved.parents else None


def _inline_includes(
    text: str, base: Path, root: Path, report: ConversionReport, depth: int
) -> str:
    def replace(match: re.Match[str]) -> str:
        target = match.group(1).strip()
        candidate = base / target
        if candidate.suffix != ".tex":
            candidate = candidate.with_name(candidate.name + ".tex")
        inside = _inside(candidate, root)
        if inside is None:
            report.warnings.append(f"\\input{{{target}}} points outside the source folder; dropped")
            return ""
        if not inside.is_file():
            report.warnings.append(f"\\input{{{target}}}: file not found; dropped")
            return ""
        if depth >= MAX_TEX_INCLUDE_DEPTH:
            report.warnings.append(f"\\input{{{target}}}: includes nested too deeply; dropped")
            return ""
        included = inside.read_text(encoding="utf-8", errors="replace")
        return _inline_includes(included, inside.parent, root, report, depth + 1)

    return _TEX_INCLUDE.sub(replace, text)
