"""Figure files: found without extension, brought to print resolution, refused when unsafe."""

from __future__ import annotations

import base64
import io
from pathlib import Path

import pytest
from PIL import Image

from frontiers_de.production.typesetting.images import (
    MAX_PIXEL_WIDTH,
    ImageProblem,
    ImageStore,
    find_image,
    prepare_image,
)


def _decode(uri: str) -> Image.Image:
    return Image.open(io.BytesIO(base64.b64decode(uri.split(",", 1)[1])))


def test_href_without_extension_is_found(assets: Path) -> None:
    assert find_image("fig-png", assets) == assets / "fig-png.png"
    assert find_image("fig-jpeg.jpg", assets) == assets / "fig-jpeg.jpg"
    assert find_image("nothere", assets) is None


@pytest.mark.parametrize(
    "href", ["../secret.png", "/etc/passwd", "http://example.org/a.png", "data:x"]
)
def test_nothing_outside_the_assets_folder_is_read(assets: Path, href: str) -> None:
    (assets.parent / "secret.png").write_bytes((assets / "fig-png.png").read_bytes())
    assert find_image(href, assets) is None


def test_no_assets_folder_means_no_image(assets: Path) -> None:
    assert find_image("fig-png", None) is None


def test_png_and_jpeg_of_print_size_are_embedded_as_they_are(assets: Path) -> None:
    png = prepare_image(assets / "fig-png.png")
    assert png.uri.startswith("data:image/png;base64,")
    assert base64.b64decode(png.uri.split(",", 1)[1]) == (assets / "fig-png.png").read_bytes()
    jpeg = prepare_image(assets / "fig-jpeg.jpg")
    assert jpeg.uri.startswith("data:image/jpeg;base64,") and not jpeg.downsampled


def test_tiff_becomes_png(assets: Path) -> None:
    tiff = prepare_image(assets / "fig-tiff.tif")
    assert tiff.uri.startswith("data:image/png;base64,")
    assert _decode(tiff.uri).size == (500, 500)


def test_huge_image_is_downsampled_to_print_resolution(assets: Path) -> None:
    huge = prepare_image(assets / "fig-huge.png")
    assert huge.downsampled
    assert _decode(huge.uri).size == (MAX_PIXEL_WIDTH, round(2500 * MAX_PIXEL_WIDTH / 5000))


def test_cmyk_becomes_rgb(assets: Path) -> None:
    cmyk = prepare_image(assets / "fig-cmyk.jpg")
    assert _decode(cmyk.uri).mode == "RGB"


def test_svg_is_kept_as_vector(assets: Path) -> None:
    svg = prepare_image(assets / "fig-svg.svg")
    assert svg.uri.startswith("data:image/svg+xml;base64,") and svg.pixel_size is None


def test_corrupt_image_is_a_clear_error(assets: Path) -> None:
    with pytest.raises(ImageProblem, match=r"broken\.png: not a readable image"):
        prepare_image(assets / "broken.png")


def test_store_prepares_each_file_once(assets: Path) -> None:
    store = ImageStore()
    assert store.get(assets / "fig-huge.png") is store.get(assets / "fig-huge.png")
