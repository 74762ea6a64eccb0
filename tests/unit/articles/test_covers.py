"""An issue's cover: any picture that is not a sensible PNG, JPEG or WebP is refused with a
reason; what is kept is written again (no metadata, at most 1,600 px wide)."""

from __future__ import annotations

import io

import pytest
from PIL import Image

from frontiers_de.articles import covers
from frontiers_de.articles.issues import IssueError
from frontiers_de.storage import LocalFileStorage
from tests.factories import make_journal
from tests.publishing_factories import make_issue


def _picture(kind: str, size=(40, 30), mode="RGB", **save) -> bytes:
    out = io.BytesIO()
    Image.new(mode, size, (200, 30, 30) if mode == "RGB" else (200, 30, 30, 128)).save(
        out, kind, **save
    )
    return out.getvalue()


def test_a_jpeg_with_exif_is_written_again_without_it(dbsession, tmp_path):
    journal = make_journal(dbsession)
    issue = make_issue(dbsession, journal)
    exif = Image.Exif()
    exif[0x010F] = "PhoneMaker"  # Make
    data = _picture("JPEG", size=(3200, 1600), exif=exif.tobytes())
    storage = LocalFileStorage(tmp_path)
    covers.set_cover(dbsession, storage, issue, data, None)
    assert issue.cover_type == "image/jpeg"
    kept = storage.get(issue.cover_sha256)
    with Image.open(io.BytesIO(kept)) as image:
        assert image.size == (1600, 800)
        assert not image.getexif()
    assert b"PhoneMaker" not in kept


def test_transparency_is_kept_as_png(dbsession, tmp_path):
    journal = make_journal(dbsession)
    issue = make_issue(dbsession, journal)
    covers.set_cover(
        dbsession, LocalFileStorage(tmp_path), issue, _picture("PNG", mode="RGBA"), None
    )
    assert issue.cover_type == "image/png"
    covers.remove_cover(dbsession, issue, None)
    assert issue.cover_sha256 is None and issue.cover_type == ""


@pytest.mark.parametrize(
    "data",
    [
        b"",
        b"<svg xmlns='http://www.w3.org/2000/svg'><script>alert(1)</script></svg>",
        b"GIF89a" + b"\x00" * 40,
        b"\x89PNG\r\n\x1a\n" + b"garbage" * 10,
        b"x" * (covers.MAX_BYTES + 1),
    ],
    ids=["empty", "svg", "gif", "broken-png", "too-large"],
)
def test_what_is_not_a_usable_picture_is_refused(dbsession, tmp_path, data):
    journal = make_journal(dbsession)
    issue = make_issue(dbsession, journal)
    with pytest.raises(IssueError):
        covers.set_cover(dbsession, LocalFileStorage(tmp_path), issue, data, None)
    assert issue.cover_sha256 is None


def test_a_decompression_bomb_is_refused(dbsession, tmp_path, monkeypatch):
    monkeypatch.setattr(covers, "MAX_PIXELS", 100)
    journal = make_journal(dbsession)
    issue = make_issue(dbsession, journal)
    with pytest.raises(IssueError):
        covers.set_cover(
            dbsession, LocalFileStorage(tmp_path), issue, _picture("PNG", size=(20, 20)), None
        )
