"""The upload checks on their own: Office archives bounded from their directory, text that is really text,
and legacy Office files by their first bytes."""
from __future__ import annotations

import io
import os
import zipfile

import pytest

from app.common.errors import DomainError
from app.common.uploads import MAX_ENTRIES, check_upload

CONTENT_TYPES = ("[Content_Types].xml", b"<Types/>")
ALLOWED = (".doc", ".docx", ".xlsx", ".txt", ".csv")


def archive(*entries: tuple[str, bytes]) -> bytes:
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as packed:
        for name, content in entries:
            packed.writestr(name, content)
    return out.getvalue()


def check(name: str, content: bytes):
    return check_upload(name, content, ALLOWED, "The selected file must be a Word, Excel, CSV or text file",
                        max_bytes=5 * 1024 * 1024)


def refusal(name: str, content: bytes) -> str:
    with pytest.raises(DomainError) as refused:
        check(name, content)
    assert refused.value.field == "file"
    return refused.value.message


def test_an_office_file_declaring_more_than_50_mb_unpacked_is_refused():
    # 51 sheets of 1 MB, each packing to about 1/80 of its size: no single entry looks like a bomb.
    sheet = os.urandom(12 * 1024) + bytes(1024 * 1024 - 12 * 1024)
    workbook = archive(CONTENT_TYPES, *((f"xl/worksheets/sheet{n}.xml", sheet) for n in range(51)))
    assert len(workbook) < 1024 * 1024
    assert refusal("big.xlsx", workbook) == "The selected file must be smaller than 50 MB when it is unpacked"


def test_an_archive_with_too_many_entries_is_not_a_real_office_file():
    crowded = archive(CONTENT_TYPES, *((f"word/part{n}.xml", b"<p/>") for n in range(MAX_ENTRIES)))
    assert refusal("crowded.docx", crowded) == "The selected file is not a real Word file"


def test_a_zip_without_the_application_s_parts_is_not_a_real_office_file():
    assert refusal("notes.docx", archive(("notes.txt", b"hello"))) == "The selected file is not a real Word file"
    assert refusal("sheet.xlsx", archive(CONTENT_TYPES, ("word/document.xml", b"<w/>"))) == (
        "The selected file is not a real Excel file")


@pytest.mark.parametrize("content", ["Notes".encode("utf-16"), b"Notes \x1b[31m in red", b"\x81\x8d\x8f\x90\x9d"],
                         ids=["utf-16", "escape-codes", "neither-utf-8-nor-windows-1252"])
def test_text_with_nul_or_control_characters_or_an_unknown_encoding_is_not_text(content):
    assert refusal("notes.txt", content) == "The selected file is not a real text file"


@pytest.mark.parametrize("start", ["<!DOCTYPE html>", "  <svg onload=alert(1)>", "\ufeff<?xml version='1.0'?>",
                                   "<!-- hi -->", "<a href=x>"])
def test_a_csv_that_starts_like_a_web_page_or_script_is_not_a_csv(start):
    assert refusal("list.csv", f"{start}\nSchool,Pupils\n".encode()) == "The selected file is not a real CSV file"


def test_a_legacy_word_file_is_known_by_its_first_bytes():
    assert check("plan.doc", b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + bytes(512)).content_type == "application/msword"
    assert refusal("plan.doc", b"MZ" + bytes(512)) == "The selected file is not a real Word file"
