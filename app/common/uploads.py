"""Checking that an uploaded file is the kind its name says, from its content: text that is really text
(and does not start like a web page), Office files that are real zip archives of a bounded size (read
from the archive's directory, never unpacked), and the first bytes of everything else."""
from __future__ import annotations

import io
import re
import struct
import zipfile
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from pathlib import PurePath

from app.common.errors import DomainError

MAX_UNPACKED_BYTES = 50 * 1024 * 1024  # an Office file's entries, added up as the archive declares them
MAX_ENTRIES = 1_000  # a real document or workbook has tens
MAX_RATIO = 100  # a large entry that unpacks to more than 100 times its packed size is a zip bomb
RATIO_CHECKED_FROM = 1024 * 1024  # small entries (repetitive XML) may pack tighter, harmlessly

# C0 control characters other than tab, line feed, form feed and carriage return: binary, not text.
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0e-\x1f]")
# How a browser recognises a page or script (the WHATWG sniffing patterns, with SVG and XML).
_MARKUP = re.compile(r"<(?:!doctype html|html|head|script|iframe|h1|div|font|table|a|style|title|b|body|br|p|svg"
                     r"|object|embed|meta|link|img|form)[\s/>]|<!--|<\?xml", re.IGNORECASE)


def decoded_text(content: bytes) -> str | None:
    """The file's text, read as UTF-8 (with or without a byte-order mark) or else Windows-1252; None if neither."""
    for encoding in ("utf-8-sig", "cp1252"):
        try:
            return content.decode(encoding)
        except UnicodeDecodeError:
            continue
    return None


def is_plain_text(content: bytes | str) -> bool:
    """UTF-8 or Windows-1252 text with no NUL or other control characters, not starting like HTML or a script."""
    text = content if isinstance(content, str) else decoded_text(content)
    if text is None or _CONTROL.search(text):
        return False
    return not _MARKUP.match(text.lstrip("\ufeff \t\r\n\f"))


def text_file_problem(content: bytes | str, label: str = "CSV") -> str | None:
    """What is wrong with a file that should be text, in words for the person who chose it, or None."""
    return None if is_plain_text(content) else f"The selected file is not a real {label} file"


def _starts_with(magic: bytes) -> Callable[[bytes], bool]:
    return lambda content: content.startswith(magic)


def _office_archive(folder: str) -> Callable[[bytes], bool]:
    """An Office Open XML file: a zip with its content types and a part in the application's folder."""
    def check(content: bytes) -> bool:
        entries = _zip_entries(content)
        names = {entry.filename for entry in entries or []}
        return bool(entries) and "[Content_Types].xml" in names and any(n.startswith(folder) for n in names)
    return check


def _zip_entries(content: bytes) -> list[zipfile.ZipInfo] | None:
    """The archive's entries from its central directory, or None when it is not a zip we can trust."""
    if not content.startswith(b"PK\x03\x04"):
        return None
    try:
        with zipfile.ZipFile(io.BytesIO(content)) as archive:
            entries = archive.infolist()
    except (zipfile.BadZipFile, zipfile.LargeZipFile, ValueError, OSError, EOFError, struct.error):
        return None
    if not entries or len(entries) > MAX_ENTRIES:
        return None
    for entry in entries:
        if entry.file_size > RATIO_CHECKED_FROM and entry.file_size > MAX_RATIO * max(entry.compress_size, 1):
            return None
    return entries


def unpacked_size(content: bytes) -> int:
    """What a zip archive's entries add up to when unpacked, as its directory declares (0 if not a zip)."""
    return sum(entry.file_size for entry in _zip_entries(content) or [])


@dataclass(frozen=True)
class Kind:
    label: str  # the word people know it by: "Excel", "CSV"
    content_type: str
    is_real: Callable[[bytes], bool]
    archive: bool = False


OLE = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"  # the legacy Office container
KINDS = {
    ".pdf": Kind("PDF", "application/pdf", _starts_with(b"%PDF")),
    ".doc": Kind("Word", "application/msword", _starts_with(OLE)),
    ".docx": Kind("Word", "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
                  _office_archive("word/"), archive=True),
    ".xls": Kind("Excel", "application/vnd.ms-excel", _starts_with(OLE)),
    ".xlsx": Kind("Excel", "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
                  _office_archive("xl/"), archive=True),
    ".csv": Kind("CSV", "text/csv", is_plain_text),
    ".txt": Kind("text", "text/plain", is_plain_text),
    ".png": Kind("PNG", "image/png", _starts_with(b"\x89PNG\r\n\x1a\n")),
    ".jpg": Kind("JPG", "image/jpeg", _starts_with(b"\xff\xd8\xff")),
    ".jpeg": Kind("JPG", "image/jpeg", _starts_with(b"\xff\xd8\xff")),
}


def check_upload(name: str | None, content: bytes, allowed: Iterable[str], wrong_kind: str,
                 max_bytes: int) -> Kind:
    """The kind of an uploaded file whose extension is one of `allowed` and whose content is that kind.
    Otherwise DomainError: `wrong_kind` for an extension not allowed, or what is wrong with the content."""
    extension = PurePath(name or "").suffix.lower()
    if extension not in set(allowed) or extension not in KINDS:
        raise DomainError(wrong_kind, field="file")
    if not content:
        raise DomainError("The selected file is empty", field="file")
    if len(content) > max_bytes:
        raise DomainError(f"The selected file must be smaller than {max_bytes // (1024 * 1024)} MB", field="file")
    kind = KINDS[extension]
    if not kind.is_real(content):
        raise DomainError(f"The selected file is not a real {kind.label} file", field="file")
    if kind.archive and unpacked_size(content) > MAX_UNPACKED_BYTES:
        raise DomainError(f"The selected file must be smaller than {MAX_UNPACKED_BYTES // (1024 * 1024)} MB "
                          "when it is unpacked", field="file")
    return kind
