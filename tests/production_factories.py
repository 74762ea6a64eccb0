"""Test data for production: an accepted submission whose database rows say what
``tests/data/submission-metadata.json`` says, with a real manuscript file in storage."""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from frontiers_de.accounts.models import User
from frontiers_de.journals.models import Journal, Section
from frontiers_de.storage import FileStorage
from frontiers_de.submissions.models import (
    Funding,
    ManuscriptFile,
    Submission,
    SubmissionState,
)
from tests.submission_factories import ManuscriptFileFactory, SubmissionFactory

METADATA_PATH = Path(__file__).parent / "data" / "submission-metadata.json"


def sample_metadata() -> dict[str, Any]:
    return json.loads(METADATA_PATH.read_text(encoding="utf-8"))


def _at(day: str) -> dt.datetime:
    return dt.datetime.fromisoformat(day).replace(hour=9, tzinfo=dt.UTC)


def make_accepted_submission(
    db: Session,
    journal: Journal,
    submitter: User,
    *,
    state: SubmissionState = SubmissionState.ACCEPTED,
    metadata: dict[str, Any] | None = None,
) -> Submission:
    """A submission in ``state`` whose rows carry the sample metadata."""
    meta = metadata or sample_metadata()
    section = db.scalar(
        select(Section).where(
            Section.journal_id == journal.id, Section.article_type == meta["article_type"]
        )
    )
    abstracts = {a["lang"]: a["text"] for a in meta.get("abstracts", [])}
    keywords = {k["lang"]: k["terms"] for k in meta.get("keywords", [])}
    translations: dict[str, Any] = {}
    for t in meta.get("trans_titles", []):
        translations.setdefault(t["lang"], {})["title"] = t["title"]
    for lang, text in abstracts.items():
        if lang != meta["language"]:
            translations.setdefault(lang, {})["abstract"] = text
    for lang, terms in keywords.items():
        if lang != meta["language"]:
            translations.setdefault(lang, {})["keywords"] = terms
    affiliations = {a["id"]: a for a in meta.get("affiliations", [])}
    submission = SubmissionFactory(
        db=db,
        journal=journal,
        section=section,
        submitter=submitter,
        state=state,
        language=meta["language"],
        title=meta["title"],
        subtitle=meta.get("subtitle", ""),
        abstract=abstracts.get(meta["language"], ""),
        keywords=keywords.get(meta["language"], []),
        translations=translations,
        acknowledgements=meta.get("acknowledgements", ""),
        data_availability=meta.get("data_availability", ""),
        competing_interests=meta.get("competing_interests", ""),
        doi=meta.get("doi"),
        submitted_at=_at(meta["history"]["received"]),
        accepted_at=_at(meta["history"]["accepted"]),
        authors=[_contributor(person, affiliations) for person in meta.get("contributors", [])],
    )
    for position, grant in enumerate(meta.get("funding", [])):
        submission.funding.append(
            Funding(
                position=position,
                funder_name=grant["funder_name"],
                funder_doi=grant.get("funder_doi", ""),
                award_ids=grant.get("award_ids", []),
            )
        )
    db.flush()
    return submission


def _contributor(person: dict[str, Any], affiliations: dict[str, Any]) -> dict[str, Any]:
    """A contributor of the sample metadata as Contributor fields."""
    native = person.get("native_name")
    return {
        "given_name": person.get("given_names", ""),
        "family_name": person["family_names"],
        "native_name": (
            f"{native['family_names']} {native.get('given_names', '')}".strip() if native else ""
        ),
        "native_name_lang": native["lang"] if native else "",
        "email": person.get("email", ""),
        # The column keeps the bare iD (19 characters), as the account forms do.
        "orcid": (person.get("orcid") or "").removeprefix("https://orcid.org/") or None,
        "affiliations": [
            {
                "name": affiliations[a]["institution"],
                "department": affiliations[a].get("department", ""),
                "ror": affiliations[a].get("ror", ""),
                "city": affiliations[a].get("city", ""),
                "country": affiliations[a].get("country_code", ""),
            }
            for a in person.get("affiliations", [])
        ],
        "credit_roles": person.get("credit_roles", []),
        "is_corresponding": person.get("corresponding", False),
    }


def add_manuscript(
    db: Session,
    storage: FileStorage,
    submission: Submission,
    path: Path,
    *,
    round_number: int = 1,
    data: bytes | None = None,
    filename: str | None = None,
) -> ManuscriptFile:
    """Store a manuscript file for ``submission`` (content-addressed, like an upload)."""
    return ManuscriptFileFactory(
        db=db,
        submission=submission,
        round_number=round_number,
        filename=filename or path.name,
        media_type="application/octet-stream",
        data=data if data is not None else path.read_bytes(),
        storage=storage,
    )


# --- figure files, made here (nothing copied) --------------------------------------------


def image_bytes(fmt: str = "PNG", size: tuple[int, int] = (120, 80), color=(30, 110, 200)) -> bytes:
    """A small picture in ``fmt`` (any format Pillow writes: PNG, JPEG, TIFF, GIF)."""
    import io

    from PIL import Image, ImageDraw

    image = Image.new("RGB", size, (255, 255, 255))
    w, h = size
    ImageDraw.Draw(image).rectangle((w // 8, h // 8, w - 1 - w // 8, h - 1 - h // 8), fill=color)
    buffer = io.BytesIO()
    image.save(buffer, fmt)
    return buffer.getvalue()


SVG_WITH_SCRIPT = (
    b'<svg xmlns="http://www.w3.org/2000/svg" width="40" height="20">'
    b'<rect width="40" height="20" fill="teal"/><script>alert(1)</script></svg>'
)


def docx_with_image(tmp_dir: Path, image: bytes, caption: str = "Figure 1. A chart.") -> bytes:
    """A DOCX holding one captioned image, written by pandoc from Markdown."""
    import subprocess

    import pypandoc

    (tmp_dir / "chart.png").write_bytes(image)
    (tmp_dir / "paper.md").write_text(
        f"# Introduction\n\nThe chart shows the trend.\n\n![{caption}](chart.png)\n",
        encoding="utf-8",
    )
    subprocess.run(
        [pypandoc.get_pandoc_path(), "paper.md", "-o", "paper.docx"],
        cwd=tmp_dir,
        check=True,
        timeout=60,
    )
    return (tmp_dir / "paper.docx").read_bytes()


def pdf_figure_bytes(label: str = "Retention 2024") -> bytes:
    """A vector figure as a one-page PDF (bars, an axis and a text label), as matplotlib or
    TikZ would give a LaTeX author; drawn here by WeasyPrint."""
    import weasyprint

    html = f"""<style>@page {{ size: 120mm 80mm; margin: 0 }}</style>
<svg width="120mm" height="80mm" viewBox="0 0 120 80">
<rect x="10" y="20" width="15" height="50" fill="#2a6"/>
<rect x="35" y="40" width="15" height="30" fill="#26a"/>
<line x1="5" y1="70" x2="110" y2="70" stroke="black" stroke-width="0.5"/>
<text x="10" y="78" font-size="5">{label}</text></svg>"""
    return weasyprint.HTML(string=html).write_pdf()


def zip_of(files: dict[str, bytes]) -> bytes:
    import io
    import zipfile

    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        for name, data in files.items():
            archive.writestr(name, data)
    return buffer.getvalue()


LATEX_WITH_FIGURES = rb"""\documentclass{article}
\usepackage{graphicx}
\graphicspath{{figures/}}
\begin{document}
\section{Introduction}
The trend is clear.
\begin{figure}
\centering
\includegraphics[width=0.8\textwidth]{trend}
\caption{The trend over time.}\label{fig:trend}
\end{figure}
\begin{figure}
\includegraphics{forgotten}
\caption{A figure the author forgot to include.}
\end{figure}
\end{document}
"""
