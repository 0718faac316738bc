"""Logos are checked by their content: a PNG or JPEG that really decodes and is no larger than a page needs,
or an SVG that only draws (no script, no event handler, nothing fetched from elsewhere, no entities)."""
from __future__ import annotations

import base64
import io
import struct
import zlib

import pytest
from PIL import Image, ImageFile
from pypdf import PdfReader

from app.common.errors import DomainError
from app.common.images import JPEG, MAX_IMAGE_BYTES, PNG, SVG, check_image, data_url
from app.common.pdf import render_pdf
from tests.conftest import FailedToLoad


def picture(kind: str, size: tuple[int, int] = (300, 90)) -> bytes:
    out = io.BytesIO()
    Image.new("RGB", size, "#1d70b8").save(out, kind)
    return out.getvalue()


def huge_png_header(width: int, height: int) -> bytes:
    """The start of a PNG that says it is width x height: enough to be refused before anything is decoded."""
    header = struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0)
    chunk = b"IHDR" + header
    return b"\x89PNG\r\n\x1a\n" + struct.pack(">I", len(header)) + chunk + struct.pack(">I", zlib.crc32(chunk))


DRAWING = (b'<svg xmlns="http://www.w3.org/2000/svg" xmlns:xlink="http://www.w3.org/1999/xlink" viewBox="0 0 10 10">'
           b'<defs><linearGradient id="g"><stop offset="0" stop-color="#fff"/></linearGradient></defs>'
           b'<rect width="10" height="10" fill="url(#g)" style="stroke: url(#g)"/><use xlink:href="#g"/></svg>')


@pytest.mark.parametrize(("name", "content", "kind"), [
    ("crest.png", picture("PNG"), PNG),
    ("crest.JPG", picture("JPEG"), JPEG),
    ("crest.jpeg", picture("JPEG"), JPEG),
    ("crest.svg", DRAWING, SVG),
    ("crest.svg", b'<?xml version="1.0" encoding="UTF-8"?>\n' + DRAWING.replace(
        b"<use", b'<image href="data:image/png;base64,' + base64.b64encode(picture("PNG", (4, 4))) + b'"/><use'), SVG),
], ids=["png", "jpg", "jpeg", "svg", "svg-with-an-embedded-png"])
def test_a_real_picture_is_accepted_as_its_kind(name, content, kind):
    assert check_image(name, content) == kind


@pytest.mark.parametrize(("name", "content", "message"), [
    ("crest.gif", b"GIF89a" + bytes(20), "The selected file must be a PNG, JPG or SVG image"),
    ("crest.pdf", b"%PDF-1.7", "The selected file must be a PNG, JPG or SVG image"),
    ("crest", picture("PNG"), "The selected file must be a PNG, JPG or SVG image"),
    ("crest.png", b"", "The selected file is empty"),
    ("crest.png", b"MZ\x90\x00 a program", "The selected file is not a real PNG file"),
    ("crest.png", picture("JPEG"), "The selected file is not a real PNG file"),
    ("crest.jpg", picture("PNG"), "The selected file is not a real JPG file"),
    ("crest.png", picture("PNG")[:60], "The selected file is not a PNG image we can print. It may be damaged, or more "
                                       "than 5,000 pixels wide or high"),
    ("crest.png", huge_png_header(60_000, 60_000), "The selected file is not a PNG image we can print. It may be "
                                                   "damaged, or more than 5,000 pixels wide or high"),
    ("crest.png", picture("PNG", (5001, 2)), "The selected file is not a PNG image we can print. It may be damaged, "
                                             "or more than 5,000 pixels wide or high"),
    ("crest.png", b"\x89PNG\r\n\x1a\n" + bytes(MAX_IMAGE_BYTES), "The selected file must be smaller than 1 MB"),
    ("crest.svg", b"<svg xmlns='http://www.w3.org/2000/svg'>" + b" " * MAX_IMAGE_BYTES + b"</svg>",
     "The selected file must be smaller than 1 MB"),
], ids=["gif", "pdf", "no-extension", "empty", "program-as-png", "jpeg-as-png", "png-as-jpg", "truncated",
        "pixel-bomb", "too-wide", "over-1-mb", "svg-over-1-mb"])
def test_a_file_that_is_not_a_printable_picture_is_refused_with_what_to_do(name, content, message, monkeypatch):
    monkeypatch.setattr(ImageFile, "LOAD_TRUNCATED_IMAGES", True)  # as WeasyPrint sets it for every render
    with pytest.raises(DomainError) as refused:
        check_image(name, content)
    assert (refused.value.message, refused.value.field) == (message, "file")


SVG_REFUSED = ("The selected file is not an SVG image we can print. Save it as a plain SVG, or upload a PNG or JPG "
               "instead")


@pytest.mark.parametrize("content", [
    b'<svg xmlns="http://www.w3.org/2000/svg"><script>alert(1)</script></svg>',
    b'<svg xmlns="http://www.w3.org/2000/svg" onload="alert(1)"><rect width="1" height="1"/></svg>',
    b'<svg xmlns="http://www.w3.org/2000/svg"><foreignObject><p xmlns="http://www.w3.org/1999/xhtml">Hi</p>'
    b'</foreignObject></svg>',
    b'<svg xmlns="http://www.w3.org/2000/svg"><image href="http://127.0.0.1:9/crest.png"/></svg>',
    b'<svg xmlns="http://www.w3.org/2000/svg" xmlns:xlink="http://www.w3.org/1999/xlink">'
    b'<image xlink:href="file:///etc/passwd"/></svg>',
    b'<svg xmlns="http://www.w3.org/2000/svg"><use href="other.svg#part"/></svg>',
    b'<svg xmlns="http://www.w3.org/2000/svg"><rect style="fill: url(http://127.0.0.1:9/x)"/></svg>',
    b'<svg xmlns="http://www.w3.org/2000/svg"><style>@import "http://127.0.0.1:9/x.css";</style></svg>',
    b'<svg xmlns="http://www.w3.org/2000/svg"><a href="javascript:alert(1)"><rect/></a></svg>',
    b'<svg xmlns="http://www.w3.org/2000/svg"><set attributeName="href" to="javascript:alert(1)"/></svg>',
    b'<?xml version="1.0"?><!DOCTYPE svg [<!ENTITY lol "lol">]><svg xmlns="http://www.w3.org/2000/svg">&lol;</svg>',
    b'<html><body>Not a drawing</body></html>',
    b'<svg>no namespace, so not SVG</svg>',
    b'<svg xmlns="http://www.w3.org/2000/svg"><rect></svg>',
    b"\xff\xfe\x00 not text",
], ids=["script", "event-handler", "foreign-object", "external-image", "file-image", "external-use", "css-url",
        "css-import", "javascript-link", "animation", "entity", "web-page", "no-namespace", "broken-xml", "binary"])
def test_an_svg_that_does_more_than_draw_is_refused(content):
    with pytest.raises(DomainError) as refused:
        check_image("crest.svg", content)
    assert (refused.value.message, refused.value.field) == (SVG_REFUSED, "file")


def test_a_picture_becomes_a_data_url_and_no_picture_none():
    assert data_url(PNG, b"\x89PNG") == "data:image/png;base64,iVBORw=="
    assert data_url("", None) == "" and data_url("text/html", b"<p>") == ""


def test_a_report_prints_an_embedded_picture_but_fetches_nothing_else_from_a_data_url():
    png = data_url(PNG, picture("PNG", (40, 20)))
    [image] = PdfReader(io.BytesIO(render_pdf(f'<img src="{png}" alt="Crest">'))).pages[0].images
    assert image.image.size == (40, 20)
    gif = base64.b64encode(picture("GIF", (40, 20))).decode()  # a picture WeasyPrint could draw, but not a logo's kind
    with pytest.raises(FailedToLoad):
        render_pdf(f'<img src="data:image/gif;base64,{gif}" alt="">')
