"""Pictures people upload to be printed (an organisation's logo): a PNG or JPEG that really decodes, within a
size a printed page needs, or an SVG drawing that is only a drawing (no scripts, no event handlers, nothing
fetched from elsewhere), each checked from its content; and a checked picture as a data: URL, which is how
the printed documents and the pages show it without another request."""
from __future__ import annotations

import base64
import io
import re
import warnings
from pathlib import PurePath
from xml.etree import ElementTree

from PIL import Image

from app.common.errors import DomainError
from app.common.uploads import check_upload

MAX_IMAGE_BYTES = 1024 * 1024
MAX_PIXELS_A_SIDE = 5000  # a logo on A4 needs far fewer; more is a picture that would flood memory when decoded
PNG, JPEG, SVG = "image/png", "image/jpeg", "image/svg+xml"
IMAGE_TYPES = (PNG, JPEG, SVG)
WRONG_KIND = "The selected file must be a PNG, JPG or SVG image"

_SVG_NAMESPACE = "{http://www.w3.org/2000/svg}"
# Elements that run code, embed another document or change the drawing over time: not in a printed logo.
_ACTIVE = {"script", "foreignobject", "iframe", "embed", "object", "handler", "listener", "animate", "set",
           "animatemotion", "animatetransform", "discard"}
# A reference to anything but a part of the drawing itself or a picture embedded in it.
_OUTSIDE = re.compile(r"url\(\s*['\"]?\s*(?!#|data:image/(?:png|jpeg);)|@import", re.IGNORECASE)
_EMBEDDED = re.compile(r"\s*(?:#|data:image/(?:png|jpeg);base64,)", re.IGNORECASE)


def _local_name(name: str) -> str:
    return name.rsplit("}", 1)[-1].lower()


def _is_plain_drawing(content: bytes) -> bool:
    """An SVG document whose every part only draws: parsed without a document type (so no entities), with
    an <svg> root, and no active element, event handler or reference outside itself."""
    try:
        text = content.decode("utf-8-sig")
    except UnicodeDecodeError:
        return False
    if re.search(r"<!DOCTYPE|<!ENTITY", text, re.IGNORECASE):
        return False
    try:
        root = ElementTree.fromstring(text)
    except ElementTree.ParseError:
        return False
    if root.tag != f"{_SVG_NAMESPACE}svg":
        return False
    for element in root.iter():
        if _local_name(str(element.tag)) in _ACTIVE or _OUTSIDE.search(element.text or ""):
            return False
        for name, value in element.attrib.items():
            local = _local_name(name)
            if local.startswith("on") or _OUTSIDE.search(value):
                return False
            if local in ("href", "src") and not _EMBEDDED.match(value):
                return False
    return True


def _decodes_as(content: bytes, image_format: str) -> bool:
    """A whole PNG or JPEG of that format, no larger a side than a page needs (read from its header first,
    so an image made to flood memory is refused before it is decoded). It is verified to its end as well as
    decoded, as WeasyPrint has Pillow fill in whatever a truncated image lacks."""
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("error", Image.DecompressionBombWarning)
            with Image.open(io.BytesIO(content)) as image:
                if image.format != image_format or max(image.size) > MAX_PIXELS_A_SIDE:
                    return False
                image.verify()
            with Image.open(io.BytesIO(content)) as image:
                image.load()
    except (OSError, SyntaxError, ValueError, Image.DecompressionBombWarning, Image.DecompressionBombError):
        return False
    return True


def check_image(name: str | None, content: bytes, max_bytes: int = MAX_IMAGE_BYTES) -> str:
    """The content type of an uploaded PNG, JPEG or SVG whose content is what its name says. Otherwise a
    DomainError on the field "file" saying what to do."""
    if PurePath(name or "").suffix.lower() == ".svg":
        if not content:
            raise DomainError("The selected file is empty", field="file")
        if len(content) > max_bytes:
            raise DomainError(f"The selected file must be smaller than {max_bytes // (1024 * 1024)} MB", field="file")
        if not _is_plain_drawing(content):
            raise DomainError("The selected file is not an SVG image we can print. Save it as a plain SVG, or "
                              "upload a PNG or JPG instead", field="file")
        return SVG
    kind = check_upload(name, content, (".png", ".jpg", ".jpeg"), WRONG_KIND, max_bytes)
    if not _decodes_as(content, "PNG" if kind.content_type == PNG else "JPEG"):
        raise DomainError(f"The selected file is not a {kind.label} image we can print. It may be damaged, or "
                          f"more than {MAX_PIXELS_A_SIDE:,} pixels wide or high", field="file")
    return kind.content_type


def data_url(content_type: str, content: bytes | None) -> str:
    """The picture as a data: URL for an <img> in a page or a printed document ("" when there is none)."""
    if not content or content_type not in IMAGE_TYPES:
        return ""
    return f"data:{content_type};base64,{base64.b64encode(content).decode('ascii')}"
