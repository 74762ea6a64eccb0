"""Content-addressed file storage."""

from __future__ import annotations

import pytest

from frontiers_de.storage import FileNotStored, LocalFileStorage, sha256_hex


def test_same_bytes_are_stored_once_under_their_digest(tmp_path):
    storage = LocalFileStorage(tmp_path)
    first = storage.put(b"manuscript")
    second = storage.put(b"manuscript")
    assert first == second == sha256_hex(b"manuscript")
    assert storage.get(first) == b"manuscript"
    assert len([p for p in tmp_path.rglob("*") if p.is_file()]) == 1


@pytest.mark.parametrize(
    "digest", ["../../etc/passwd", "A" * 64, "0" * 63, "/" + "0" * 63, "0" * 64 + "/x"]
)
def test_digests_that_are_not_hex_never_become_paths(tmp_path, digest):
    storage = LocalFileStorage(tmp_path)
    with pytest.raises(FileNotStored):
        storage.get(digest)
    assert storage.exists(digest) is False


def test_missing_file_is_a_clear_error(tmp_path):
    with pytest.raises(FileNotStored):
        LocalFileStorage(tmp_path).get("0" * 64)
