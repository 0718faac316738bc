"""Inviting many people to a programme at once from a CSV file (Email, Name, Role, School URN), as the school
import does (app/programmes/school_import.py): the file is checked whole, every bad row is named by its line
and nothing is done until the file is clean; a clean file is shown as what will happen, then imported. A row
whose person already holds the role changes nothing, so importing the same file again does nothing."""
from __future__ import annotations

import csv
import io
from collections.abc import Iterator
from dataclasses import dataclass, field

from sqlalchemy import select
from sqlalchemy.orm import selectinload

from app.auth.accounts import SCHOOL_ROLES, check_email, grant_problem, invite_user, roles_ended_by_moving
from app.common.errors import DomainError
from app.common.uploads import decoded_text, text_file_problem
from app.extensions import db
from app.models import Enrolment, Programme, ProgrammeYear, Role, RoleAssignment, School, User

EMAIL, NAME, ROLE, URN = "email", "name", "role", "school urn"
COLUMNS = ("Email", "Name", "Role", "School URN")
MAX_ROWS = 5_000
ROLE_NAMES = {**{role.label.lower(): role for role in (*SCHOOL_ROLES, Role.PROGRAMME_LEAD, Role.QA_EXPERT)},
              **{role.value.replace("_", " "): role for role in (*SCHOOL_ROLES, Role.PROGRAMME_LEAD, Role.QA_EXPERT)},
              "head": Role.HEAD}
ROLES_IN_WORDS = "Headteacher, SENCo, Programme lead or QA expert"


@dataclass(frozen=True)
class InvitationRow:
    line: int
    email: str
    name: str
    role: Role
    urn: int | None  # the school's, for a headteacher or SENCo; None for a programme role


@dataclass
class ParsedInvitations:
    rows: list[InvitationRow] = field(default_factory=list)
    errors: list[tuple[int | None, str]] = field(default_factory=list)  # (line, why)
    text: str = ""  # the file as read, carried to the confirmation

    @property
    def is_clean(self) -> bool:
        return not self.errors and bool(self.rows)


def parse_invitation_csv(raw: bytes | str) -> ParsedInvitations:
    """Read and check every row on its own and against the file's other rows."""
    if problem := text_file_problem(raw, "CSV"):
        return ParsedInvitations(errors=[(None, problem)])
    text = (decoded_text(raw) or "") if isinstance(raw, bytes) else raw.lstrip("\ufeff")
    parsed = ParsedInvitations(text=text)
    reader = csv.DictReader(io.StringIO(text))
    try:
        _read_rows(parsed, reader)
    except csv.Error:
        parsed.errors.append((reader.line_num or None, "This line is not in CSV format. Save the file as CSV again"))
    if not parsed.rows and not parsed.errors:
        parsed.errors.append((None, "The file has nobody in it"))
    return parsed


def _records(parsed: ParsedInvitations, reader: csv.DictReader) -> Iterator[tuple[int, dict[str, str]]]:
    """Each non-blank row's values by lower-case column name, once the header row has the columns needed."""
    headers = [(h or "").strip().lower() for h in (reader.fieldnames or [])]
    missing = [label for label in COLUMNS[:3] if label.lower() not in headers]
    if not headers or missing:
        parsed.errors.append((1, f"The file must have the columns {', '.join(COLUMNS)}. Missing: "
                                 f"{', '.join(missing or COLUMNS)}"))
        return
    reader.fieldnames = headers
    for record in reader:
        values = {key: (value or "").strip() for key, value in record.items() if key is not None}
        if any(values.values()):
            yield reader.line_num, values


def _row_problems(values: dict[str, str]) -> tuple[InvitationRow | None, list[str]]:
    """The row as read, or what is wrong with it (line numbers added later)."""
    problems = []
    try:
        email = check_email(values.get(EMAIL, ""))
    except DomainError:
        email, problems = "", [f"Email “{values.get(EMAIL, '')}” is not an email address, like name@example.com"]
    name = values.get(NAME, "")
    if not name or len(name) > 120:
        problems.append("Name is missing" if not name else "Name must be 120 characters or fewer")
    role = ROLE_NAMES.get(" ".join(values.get(ROLE, "").lower().split()))
    raw_urn = values.get(URN, "")
    urn = int(raw_urn) if raw_urn.isascii() and raw_urn.isdigit() and len(raw_urn) <= 7 else None
    if role is None:
        problems.append(f"Role “{values.get(ROLE, '')}” is not one we know: use {ROLES_IN_WORDS}")
    elif role in SCHOOL_ROLES and not raw_urn:
        problems.append(f"A {role.label} needs a school: add its URN")
    elif role not in SCHOOL_ROLES and raw_urn:
        problems.append(f"A {role.label} is for the whole programme: leave School URN empty")
    if raw_urn and urn is None:
        problems.append(f"School URN “{raw_urn}” must be a 6 or 7 digit number")
    if problems or role is None:
        return None, problems
    return InvitationRow(0, email, name, role, urn if role in SCHOOL_ROLES else None), []


def _clash(row: InvitationRow, earlier: list[InvitationRow]) -> str | None:
    """What the row repeats or contradicts among the file's earlier rows."""
    for other in earlier:
        if other.email != row.email:
            continue
        if (other.role, other.urn) == (row.role, row.urn):
            return f"The same person, role and school as line {other.line}"
        if other.name != row.name:
            return f"{row.email} is on line {other.line} with the name {other.name}"
        if other.urn is not None and row.urn is not None and other.urn != row.urn:
            return (f"{row.email} is also on line {other.line}, at school {other.urn}: a person is staff of one school "
                    "in a programme")
    return None


def _read_rows(parsed: ParsedInvitations, reader: csv.DictReader) -> None:
    by_email: dict[str, list[InvitationRow]] = {}
    for line, values in _records(parsed, reader):
        if len(parsed.rows) + len(parsed.errors) >= MAX_ROWS:
            parsed.errors.append((line, f"The file has more than {MAX_ROWS:,} rows. Split it into smaller files"))
            return
        row, problems = _row_problems(values)
        if row is not None:
            row = InvitationRow(line, row.email, row.name, row.role, row.urn)
            if clash := _clash(row, by_email.get(row.email, [])):
                problems.append(clash)
        if problems or row is None:
            parsed.errors.append((line, "; ".join(problems)))
            continue
        by_email.setdefault(row.email, []).append(row)
        parsed.rows.append(row)


@dataclass
class PlannedInvitation:
    """One clean row and what importing it does: `outcome` is "invite" (no account yet), "add" (a new role for
    an account) or "unchanged" (they hold it already); `ends` are the roles at other schools it ends."""

    row: InvitationRow
    school: School | None
    account: User | None
    outcome: str
    ends: list[RoleAssignment] = field(default_factory=list)


@dataclass
class InvitationPlan:
    planned: list[PlannedInvitation] = field(default_factory=list)
    errors: list[tuple[int | None, str]] = field(default_factory=list)

    def count(self, outcome: str) -> int:
        return sum(1 for p in self.planned if p.outcome == outcome)


def _schools(programme: Programme, rows: list[InvitationRow]) -> tuple[dict[int, School], set[int]]:
    """The schools the rows name, by URN, and the URNs of those taking part in the programme."""
    urns = {row.urn for row in rows if row.urn is not None}
    schools = {s.urn: s for s in db.session.scalars(select(School).where(School.urn.in_(urns)))} if urns else {}
    enrolled = set(db.session.scalars(
        select(School.urn).join(Enrolment, Enrolment.school_id == School.id)
        .join(ProgrammeYear, ProgrammeYear.id == Enrolment.year_id)
        .where(ProgrammeYear.programme_id == programme.id, School.urn.in_(urns)))) if urns else set()
    return schools, enrolled


def _plan_row(row: InvitationRow, programme: Programme, school: School | None, account: User | None,
              invited_by: User) -> PlannedInvitation:
    if account is None:
        return PlannedInvitation(row, school, None, "invite")
    if problem := grant_problem(account, row.role, school, invited_by):
        raise DomainError(problem)
    held = any(r.role == row.role and (r.school_id == school.id if school else r.programme_id == programme.id)
               for r in account.roles)
    if held:
        return PlannedInvitation(row, school, account, "unchanged")
    return PlannedInvitation(row, school, account, "add", roles_ended_by_moving(account, school) if school else [])


def plan_invitations(programme: Programme, rows: list[InvitationRow], invited_by: User) -> InvitationPlan:
    """What importing the rows would do, with the problems only the database shows, each by line: a URN no
    school has, a school not in the programme, a role this person may not be given."""
    plan = InvitationPlan()
    schools, enrolled = _schools(programme, rows)
    accounts = {u.email: u for u in db.session.scalars(
        select(User).where(User.email.in_({row.email for row in rows})).options(selectinload(User.roles)))}
    for row in rows:
        school = schools.get(row.urn) if row.urn is not None else None
        if row.urn is not None and school is None:
            plan.errors.append((row.line, f"No school has the URN {row.urn}"))
            continue
        if school is not None and row.urn not in enrolled:
            plan.errors.append((row.line, f"{school.name} (URN {row.urn}) does not take part in {programme.name}"))
            continue
        try:
            plan.planned.append(_plan_row(row, programme, school, accounts.get(row.email), invited_by))
        except DomainError as error:
            plan.errors.append((row.line, error.message))
    return plan


def import_invitations(programme: Programme, rows: list[InvitationRow], invited_by: User) -> InvitationPlan:
    """Give each row's person their role and email them (as invite_user does one at a time); rows whose person
    holds the role already change nothing. All or nothing: any refusal undoes the whole file."""
    plan = plan_invitations(programme, rows, invited_by)
    if plan.errors:
        raise DomainError("The file has changed since it was checked. Upload it again")
    with db.session.begin_nested():
        for planned in plan.planned:
            if planned.outcome != "unchanged":
                row = planned.row
                invite_user(email=row.email, name=row.name, role=row.role, invited_by=invited_by,
                            school=planned.school, programme=None if planned.school else programme)
    return plan


def _people(count: int) -> str:
    return "1 person" if count == 1 else f"{count} people"


def invitation_message(plan: InvitationPlan) -> str:
    """What an import did, in words: "2 people invited, 1 given a new role." or, when it did nothing,
    "No changes: all 3 people already had these roles."."""
    invited, added, unchanged = plan.count("invite"), plan.count("add"), plan.count("unchanged")
    if not (invited or added):
        return ("No changes: the person already had this role." if unchanged == 1
                else f"No changes: all {unchanged} people already had these roles.")
    parts = [f"{_people(invited)} invited" if invited else "", f"{_people(added)} given a new role" if added else "",
             f"{unchanged} already had their role" if unchanged else ""]
    return ", ".join(part for part in parts if part) + "."
