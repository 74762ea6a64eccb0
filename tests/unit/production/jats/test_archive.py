"""Safe unpacking of zip inputs: bombs, traversal, too many entries, not-a-zip, empty."""

from __future__ import annotations

import io
import stat
import zipfile

import pytest

from frontiers_de.production.jats.archive import (
    ArchiveError,
    ArchiveLimits,
    inspect_zip,
    read_member,
    safe_extract,
)


def make_zip(entries: dict[str, bytes], compression: int = zipfile.ZIP_DEFLATED) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", compression) as archive:
        for name, data in entries.items():
            archive.writestr(name, data)
    return buffer.getvalue()


def test_an_ordinary_archive_is_accepted_and_measured():
    data = make_zip({"word/document.xml": b"<w:document/>" * 100, "media/a.png": b"\x89PNG"})
    info = inspect_zip(data)
    assert info.names == ("word/document.xml", "media/a.png")
    assert info.expanded_bytes == 1300 + 4
    assert info.ratio > 1


def test_an_empty_file_is_rejected():
    with pytest.raises(ArchiveError, match="empty"):
        inspect_zip(b"")


def test_a_file_that_is_not_a_zip_is_rejected():
    with pytest.raises(ArchiveError, match="not a zip archive"):
        inspect_zip(b"%PDF-1.7 this is not a zip at all")


def test_a_truncated_zip_is_rejected():
    data = make_zip({"a.txt": b"hello" * 1000})
    with pytest.raises(ArchiveError):
        inspect_zip(data[: len(data) // 2])


def test_a_zip_bomb_is_stopped_by_the_expansion_ratio():
    bomb = make_zip({"zeros.xml": b"\0" * (30 * 1024 * 1024)})
    assert len(bomb) < 100_000
    with pytest.raises(ArchiveError, match="expands"):
        inspect_zip(bomb)


def test_a_zip_bomb_is_stopped_by_the_total_size_while_decompressing():
    bomb = make_zip({f"part{i}.xml": b"\0" * (2 * 1024 * 1024) for i in range(4)})
    limits = ArchiveLimits(max_total_bytes=5 * 1024 * 1024)
    with pytest.raises(ArchiveError, match="beyond 5242880 bytes"):
        inspect_zip(bomb, limits)


def test_a_single_huge_entry_is_stopped():
    data = make_zip({"big.bin": b"x" * (3 * 1024 * 1024)})
    with pytest.raises(ArchiveError, match=r"entry 'big\.bin'"):
        inspect_zip(data, ArchiveLimits(max_entry_bytes=1024 * 1024))


def test_too_many_entries_are_rejected():
    data = make_zip({f"f{i}.txt": b"x" for i in range(11)})
    with pytest.raises(ArchiveError, match="11 entries; the limit is 10"):
        inspect_zip(data, ArchiveLimits(max_entries=10))


@pytest.mark.parametrize(
    "name", ["../evil.tex", "figures/../../evil.tex", "/etc/evil.tex", "C:/evil.tex", "..\\evil"]
)
def test_path_traversal_is_rejected(name, tmp_path):
    data = make_zip({"main.tex": b"\\documentclass{article}", name: b"owned"})
    with pytest.raises(ArchiveError, match="unsafe entry name"):
        inspect_zip(data)
    target = tmp_path / "out"
    target.mkdir()
    with pytest.raises(ArchiveError):
        safe_extract(data, target)
    assert not (tmp_path / "evil.tex").exists()


def test_symbolic_links_are_rejected():
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        link = zipfile.ZipInfo("figures/link")
        link.external_attr = (stat.S_IFLNK | 0o777) << 16
        archive.writestr(link, "/etc/passwd")
    with pytest.raises(ArchiveError, match="symbolic links"):
        inspect_zip(buffer.getvalue())


def test_safe_extract_writes_inside_the_folder_only(tmp_path):
    data = make_zip({"paper/main.tex": b"\\documentclass{article}", "paper/fig/a.png": b"png"})
    written = safe_extract(data, tmp_path)
    assert sorted(p.relative_to(tmp_path).as_posix() for p in written) == [
        "paper/fig/a.png",
        "paper/main.tex",
    ]
    assert (tmp_path / "paper" / "fig" / "a.png").read_bytes() == b"png"


def test_read_member_names_the_missing_entry():
    data = make_zip({"a.txt": b"a"})
    assert read_member(data, "a.txt") == b"a"
    with pytest.raises(ArchiveError, match=r"'word/document\.xml'"):
        read_member(data, "word/document.xml")


def test_office_parts_with_a_dtd_are_rejected_when_asked():
    bomb = (
        b'<?xml version="1.0"?><!DOCTYPE w [<!ENTITY a "aaaaaaaaaa">'
        b'<!ENTITY b "&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;">]><w:document>&b;</w:document>'
    )
    data = make_zip({"word/document.xml": bomb})
    assert inspect_zip(data).expanded_bytes == len(bomb)  # fine as a plain zip
    with pytest.raises(ArchiveError, match=r"declares a DTD.*word/document\.xml"):
        inspect_zip(data, reject_dtd=True)


def test_a_dtd_split_across_chunks_is_still_found():
    head = b"<?xml version='1.0'?>"
    padding = b" " * (64 * 1024 - 4 - len(head))  # "<!DO" ends one chunk, "CTYPE" starts the next
    data = make_zip({"content.xml": head + padding + b"<!DOCTYPE x []><x/>"})
    with pytest.raises(ArchiveError, match="declares a DTD"):
        inspect_zip(data, reject_dtd=True)
