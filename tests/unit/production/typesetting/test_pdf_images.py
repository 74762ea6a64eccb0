"""PNG figures reach the PDF without being decoded and encoded again, with the same pixels."""

from __future__ import annotations

import base64
import io
import zlib

import pikepdf
import pytest
from PIL import Image, ImageDraw

from frontiers_de.production.typesetting.pdf import png_idat_passthrough, render_pdf


def _png(mode: str, size: tuple[int, int] = (40, 24), **save) -> bytes:
    image = Image.new(mode, size, "white" if mode != "P" else 0)
    draw = ImageDraw.Draw(image)
    draw.rectangle((3, 3, 30, 15), fill="red" if mode in ("RGB", "RGBA") else 90)
    buffer = io.BytesIO()
    image.save(buffer, "PNG", **save)
    return buffer.getvalue()


@pytest.mark.parametrize(("mode", "channels"), [("RGB", 3), ("L", 1)])
def test_grey_and_rgb_png_give_their_idat_as_is(mode: str, channels: int) -> None:
    data = _png(mode)
    idat = png_idat_passthrough(data, mode)
    assert idat is not None
    # One filter byte per scanline, then the samples: what /Predictor 15 expects.
    assert len(zlib.decompress(idat)) == 24 * (1 + 40 * channels)


@pytest.mark.parametrize(
    ("data", "mode"),
    [
        (_png("P"), "RGB"),  # palette: PDF would need /Indexed
        (_png("RGBA"), "RGBA"),  # alpha goes to an SMask
        (_png("RGB"), "L"),  # colour space WeasyPrint declares does not match
        (b"", "RGB"),
        (b"GIF89a" + b"\0" * 40, "RGB"),
    ],
)
def test_other_images_are_left_to_weasyprint(data: bytes, mode: str) -> None:
    assert png_idat_passthrough(data, mode) is None


def test_sixteen_bit_interlaced_and_corrupt_png_are_refused() -> None:
    data = bytearray(_png("RGB"))
    sixteen = bytes(data[:24]) + b"\x10" + bytes(data[25:])
    interlaced = bytes(data[:28]) + b"\x01" + bytes(data[29:])
    assert png_idat_passthrough(sixteen, "RGB") is None
    assert png_idat_passthrough(interlaced, "RGB") is None
    idat_at = data.index(b"IDAT")
    data[idat_at + 6] ^= 0xFF  # CRC no longer matches
    assert png_idat_passthrough(bytes(data), "RGB") is None
    assert png_idat_passthrough(_png("RGB")[:60], "RGB") is None  # truncated


@pytest.mark.parametrize("mode", ["RGB", "L", "P", "RGBA"])
def test_pdf_image_has_the_figure_pixels(mode: str) -> None:
    data = _png(mode)
    uri = "data:image/png;base64," + base64.b64encode(data).decode("ascii")
    rendered = render_pdf(f'<html lang="en"><body><p><img src="{uri}" alt="box"></p></body></html>')
    pdf = pikepdf.open(io.BytesIO(rendered.pdf))
    images = [
        pikepdf.PdfImage(obj)
        for obj in pdf.objects
        if isinstance(obj, pikepdf.Stream) and obj.get("/Subtype") == "/Image"
    ]
    assert images
    expected = Image.open(io.BytesIO(data)).convert("RGB" if mode != "L" else "L")
    assert any(
        image.as_pil_image().convert(expected.mode).tobytes() == expected.tobytes()
        for image in images
    )
