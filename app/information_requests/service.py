"""Information requests: who is asked, the due date in working days (fixed when the request is
written), answers with an optional file, who is late, and the responses as CSV."""
from __future__ import annotations

import re
import uuid
from datetime import date
from pathlib import PurePath

from sqlalchemy import select
from sqlalchemy.orm import selectinload

from app.common import clock
from app.common.clock import in_london
from app.common.errors import DomainError, raise_all
from app.common.exports import csv_text
from app.common.uploads import check_upload
from app.common.versions import checked_update
from app.common.working_days import add_working_days
from app.extensions import db
from app.information_requests import handoffs
from app.models import ClosureDay, Cluster, Enrolment, InformationRequest, ProgrammeYear, RequestRecipient, School, User

DEFAULT_WORKING_DAYS = 10
MAX_FILE_BYTES = 5 * 1024 * 1024
# What schools may attach: documents, spreadsheets and images, each checked by its content (app/common/uploads.py).
ALLOWED_FILES = (".pdf", ".doc", ".docx", ".xls", ".xlsx", ".csv", ".txt", ".png", ".jpg", ".jpeg")
WRONG_KIND = "The selected file must be a PDF, Word, Excel, CSV, text or image file"
ANSWER_CLASH = "Someone else at your school saved this answer while you were writing it. Choose which text to keep."


def closures_for(programme_id: uuid.UUID) -> set[date]:
    return set(db.session.scalars(select(ClosureDay.day).where(ClosureDay.programme_id == programme_id)))


def due_date(year: ProgrammeYear, issued_on: date, working_days: int) -> date:
    return add_working_days(issued_on, working_days, closures_for(year.programme_id))


def create_request(year: ProgrammeYear, by: User, title: str, details: str, working_days: int | None,
                   school_ids: set[uuid.UUID] | None = None, cluster: Cluster | None = None,
                   issued_on: date | None = None) -> InformationRequest:
    """Ask the chosen schools (all enrolled ones when none are chosen, or a cluster's) for information."""
    year.require_open("no new requests can be sent")
    title, details = (title or "").strip(), (details or "").strip()
    query = select(Enrolment.school_id).where(Enrolment.year_id == year.id)
    if cluster is not None:
        query = query.where(Enrolment.cluster_id == cluster.id)
    enrolled = set(db.session.scalars(query))
    chosen = enrolled if school_ids is None else enrolled & set(school_ids)
    raise_all([DomainError(message, field=name) for name, wrong, message in (
        ("title", not title, "Enter a title for the request"),
        ("details", not details, "Enter what you are asking schools for"),
        ("working_days", not 1 <= (working_days or 0) <= 60,
         "Enter the number of working days schools have, from 1 to 60"),
        ("schools", not chosen, "Choose at least one school taking part in the year")) if wrong])
    working_days = working_days or 0  # checked above: from 1 to 60
    issued_on = issued_on or clock.today()
    request = InformationRequest(year=year, cluster_id=cluster.id if cluster else None, issued_by=by, title=title,
                                 details=details, working_days=working_days, issued_on=issued_on,
                                 due_on=due_date(year, issued_on, working_days))
    request.recipients = [RequestRecipient(school_id=school_id) for school_id in sorted(chosen)]
    db.session.add(request)
    db.session.flush()
    handoffs.sent(request, by)
    return request


def answer_request(recipient: RequestRecipient, by: User, answer: str, file: tuple[str, str, bytes] | None = None,
                   expected_version: int | None = None, *, keep_theirs: tuple[str, ...] = (),
                   autosave: bool = False) -> RequestRecipient:
    """A school's answer: text, and optionally a file (name, type sent, content) of an allowed kind; refused when
    someone else saved the text since `expected_version` (VersionConflict; `keep_theirs` ("answer",) when the
    clash page chose the text saved). `autosave`: the text kept as it is typed, a draft the issuer does not
    see until the answer is sent; only an answer not yet sent is autosaved."""
    recipient.request.year.require_open("answers to its requests can no longer be changed")
    answer = (answer or "").strip()
    if not answer:
        raise DomainError("Enter your answer", field="answer")
    if autosave and recipient.answered_at is not None:
        raise DomainError("Your answer has been sent, so changes are not saved as you type. "
                          "Select Send your answer to send them")
    kind = None
    if file is not None:
        kind = check_upload(file[0], file[2], ALLOWED_FILES, WRONG_KIND, MAX_FILE_BYTES)
    checked_update(recipient, expected_version, {"answer": answer}, keep_theirs=keep_theirs, message=ANSWER_CLASH)
    if autosave:
        return recipient
    if file is not None and kind is not None:
        name, _sent_type, content = file
        # Only plain characters: the name goes into a download header.
        recipient.file_name = re.sub(r"[^A-Za-z0-9._ -]", "_", PurePath(name).name)[-200:]
        recipient.file_type = kind.content_type
        recipient.file_data = content
    recipient.answered_by = by
    recipient.answered_at = clock.now()
    db.session.flush()
    return recipient


def is_late(recipient: RequestRecipient, today: date) -> bool:
    return recipient.answered_at is None and today > recipient.request.due_on


def load_request(request_id: uuid.UUID) -> InformationRequest | None:
    return db.session.scalar(
        select(InformationRequest).where(InformationRequest.id == request_id)
        .options(selectinload(InformationRequest.recipients).selectinload(RequestRecipient.school),
                 selectinload(InformationRequest.recipients).selectinload(RequestRecipient.answered_by)))


def responses_csv(request: InformationRequest, today: date) -> str:
    rows: list[list[object]] = [["School", "URN", "Status", "Answered by", "Answered on", "Answer", "File"]]
    for recipient in sorted(request.recipients, key=lambda r: r.school.name):
        status = "Answered" if recipient.answered_at else ("Late" if is_late(recipient, today) else "Waiting")
        rows.append([recipient.school.name, recipient.school.urn, status,
                     recipient.answered_by.name if recipient.answered_by else "",
                     in_london(recipient.answered_at).date().isoformat() if recipient.answered_at else "",
                     recipient.answer if recipient.answered_at else "", recipient.file_name])
    return csv_text(rows)



def requests_for_year(year: ProgrammeYear) -> list[InformationRequest]:
    return list(db.session.scalars(
        select(InformationRequest).where(InformationRequest.year_id == year.id)
        .options(selectinload(InformationRequest.recipients)).order_by(InformationRequest.issued_on.desc())))


def open_requests_for(school_ids: set[uuid.UUID]) -> list[RequestRecipient]:
    """What the schools have been asked and not yet answered, soonest due first."""
    if not school_ids:
        return []
    return list(db.session.scalars(
        select(RequestRecipient).join(InformationRequest, RequestRecipient.request_id == InformationRequest.id)
        .where(RequestRecipient.school_id.in_(school_ids), RequestRecipient.answered_at.is_(None))
        .options(selectinload(RequestRecipient.request), selectinload(RequestRecipient.school))
        .order_by(InformationRequest.due_on)))


def file_of(recipient: RequestRecipient) -> bytes | None:
    """The attached file's content (loaded only now)."""
    return recipient.file_data


def enrolled_schools_of(year: ProgrammeYear) -> list[School]:
    return list(db.session.scalars(select(School).join(Enrolment, Enrolment.school_id == School.id)
                                   .where(Enrolment.year_id == year.id).order_by(School.name)))
