"""Importing schools from a CSV file in the DfE "Get Information About Schools" (GIAS) layout.

The file is checked whole first: bad rows are listed with their line numbers and nothing is
imported until it is clean. Importing the same file again changes nothing.
"""
from __future__ import annotations

import csv
import io
from dataclasses import dataclass, field

from sqlalchemy import select

from app.common.uploads import decoded_text, text_file_problem
from app.extensions import db
from app.models import Cluster, Enrolment, ProgrammeYear, School, SettingType

URN = "URN"
NAME = "EstablishmentName"
PHASE = "PhaseOfEducation (name)"
LA = "LA (name)"
TYPE = "TypeOfEstablishment (name)"  # optional: marks special schools
CLUSTER = "Cluster"  # optional: assigns the school to a cluster of the programme
REQUIRED = (URN, NAME, PHASE, LA)
MAX_ROWS = 30_000


@dataclass(frozen=True)
class SchoolRow:
    line: int
    urn: int
    name: str
    phase: str
    local_authority: str
    setting_type: SettingType
    cluster: str | None


@dataclass
class ParsedFile:
    rows: list[SchoolRow] = field(default_factory=list)
    errors: list[tuple[int | None, str]] = field(default_factory=list)  # (line, why)
    text: str = ""  # the file as read, to carry to the confirmation (decoded once, the one way)

    @property
    def is_clean(self) -> bool:
        return not self.errors and bool(self.rows)


@dataclass
class ImportSummary:
    added: int = 0
    updated: int = 0  # details or, for a school already in the year, its cluster
    unchanged: int = 0
    enrolled: int = 0
    clusters_added: int = 0

    @property
    def total(self) -> int:
        return self.added + self.updated + self.unchanged


def parse_school_csv(raw: bytes | str) -> ParsedFile:
    """Read and check every row; report problems as (line number, reason)."""
    if problem := text_file_problem(raw, "CSV"):  # a program, or a web page renamed .csv
        return ParsedFile(errors=[(None, problem)])
    text = (decoded_text(raw) or "") if isinstance(raw, bytes) else raw.lstrip("\ufeff")
    parsed = ParsedFile(text=text)
    reader = csv.DictReader(io.StringIO(text))
    try:
        return _read_rows(parsed, reader)
    except csv.Error:  # a field longer than the csv module takes, or a broken quote
        parsed.errors.append((reader.line_num or None, "This line is not in CSV format or has a value that is too "
                                                       "long. Export the file again from Get Information About "
                                                       "Schools"))
        return parsed


def _check_headers(parsed: ParsedFile, reader: csv.DictReader) -> bool:
    """Tidy the header row; False (with the problem recorded) when the file has none or lacks a column."""
    headers = [h.strip() for h in (reader.fieldnames or [])]
    if not headers:
        parsed.errors.append((None, "The file is empty. Choose a CSV file exported from Get Information About "
                                    "Schools"))
        return False
    reader.fieldnames = headers
    missing = [column for column in REQUIRED if column not in headers]
    if missing:
        parsed.errors.append((1, f"The file must have the columns {', '.join(REQUIRED)}. "
                                 f"Missing: {', '.join(missing)}"))
        return False
    return True


def _urn_problems(values: dict[str, str], first_line_of: dict[int, int]) -> tuple[int | None, list[str]]:
    """The row's URN, and what is wrong with it."""
    raw_urn = values.get(URN, "")
    urn = int(raw_urn) if raw_urn.isdigit() else None
    if not raw_urn:
        return urn, ["URN is missing"]
    if urn is None or not 100000 <= urn <= 9999999:
        return urn, [f"URN “{raw_urn}” must be a 6 or 7 digit number"]
    if urn in first_line_of:
        return urn, [f"URN {urn} is also on line {first_line_of[urn]}"]
    return urn, []


def _value_problems(values: dict[str, str]) -> list[str]:
    """What is missing or too long among the row's other values."""
    problems = []
    for column, label in ((NAME, "School name (EstablishmentName)"), (PHASE, "Phase (PhaseOfEducation (name))"),
                          (LA, "Local authority (LA (name))")):
        if not values.get(column):
            problems.append(f"{label} is missing")
    if len(values.get(NAME, "")) > 200:
        problems.append("School name must be 200 characters or fewer")
    return problems


def _school_row(line: int, urn: int, values: dict[str, str]) -> SchoolRow:
    specialist = "special" in values.get(TYPE, "").lower()
    return SchoolRow(
        line=line, urn=urn, name=values[NAME], phase=values[PHASE][:60], local_authority=values[LA][:100],
        setting_type=SettingType.SPECIALIST if specialist else SettingType.MAINSTREAM,
        cluster=values.get(CLUSTER) or None,
    )


def _read_rows(parsed: ParsedFile, reader: csv.DictReader) -> ParsedFile:
    if not _check_headers(parsed, reader):
        return parsed
    first_line_of: dict[int, int] = {}
    for record in reader:
        line = reader.line_num
        if len(parsed.rows) + len(parsed.errors) >= MAX_ROWS:
            parsed.errors.append((line, f"The file has more than {MAX_ROWS:,} schools. Split it into smaller files"))
            break
        values = {key: (value or "").strip() for key, value in record.items() if key is not None}
        if not any(values.values()):
            continue  # blank line
        urn, problems = _urn_problems(values, first_line_of)
        problems += _value_problems(values)
        if problems or urn is None:  # a URN is there whenever nothing is wrong with it
            parsed.errors.append((line, "; ".join(problems)))
            continue
        first_line_of[urn] = line
        parsed.rows.append(_school_row(line, urn, values))
    if not parsed.rows and not parsed.errors:
        parsed.errors.append((None, "The file has no schools in it"))
    return parsed


def _wanted(row: SchoolRow) -> dict:
    return {"name": row.name, "phase": row.phase, "local_authority": row.local_authority,
            "setting_type": row.setting_type}


def _differences(school: School, row: SchoolRow) -> dict:
    return {key: value for key, value in _wanted(row).items() if getattr(school, key) != value}


def _moves_cluster(row: SchoolRow, enrolled_in: str | None) -> bool:
    """Does the row put a school already in the year into another cluster? (No cluster given keeps it.)"""
    return row.cluster is not None and row.cluster != enrolled_in


def _plural(count: int, noun: str) -> str:
    return f"{count} {noun}" if count == 1 else f"{count} {noun}s"


def import_message(summary: ImportSummary, year: ProgrammeYear) -> str:
    """What an import did, in words: "3 schools added, 2 changed, 105 unchanged." or, when it did
    nothing, "No changes: all 110 schools were already up to date"."""
    if not (summary.added or summary.updated or summary.enrolled or summary.clusters_added):
        if summary.total == 1:
            return "No changes: the school was already up to date."
        return f"No changes: all {summary.total} schools were already up to date."
    counts = [(n, what) for n, what in ((summary.added, "added"), (summary.updated, "changed"),
                                        (summary.unchanged, "unchanged")) if n]
    first, what = counts[0]
    parts = [f"{_plural(first, 'school')} {what}", *(f"{n} {what}" for n, what in counts[1:])]
    message = ", ".join(parts) + "."
    if summary.enrolled != summary.added:  # schools already known, joining the year
        message += f" {summary.enrolled} enrolled in {year.label}."
    if summary.clusters_added:
        message += f" {_plural(summary.clusters_added, 'cluster')} added."
    return message


def preview_import(year: ProgrammeYear, rows: list[SchoolRow]) -> ImportSummary:
    """What importing these rows would do, without writing anything."""
    summary = ImportSummary()
    schools = {s.urn: s for s in db.session.scalars(select(School).where(School.urn.in_([r.urn for r in rows])))}
    enrolled = dict(db.session.execute(
        select(Enrolment.school_id, Cluster.name).outerjoin(Cluster, Cluster.id == Enrolment.cluster_id)
        .where(Enrolment.year_id == year.id)).all())
    clusters = set(db.session.scalars(select(Cluster.name).where(Cluster.programme_id == year.programme_id)))
    for row in rows:
        school = schools.get(row.urn)
        if school is None:
            summary.added += 1
        elif _differences(school, row) or (school.id in enrolled and _moves_cluster(row, enrolled[school.id])):
            summary.updated += 1
        else:
            summary.unchanged += 1
        if school is None or school.id not in enrolled:
            summary.enrolled += 1
    summary.clusters_added = len({r.cluster for r in rows if r.cluster} - clusters)
    return summary


def import_schools(year: ProgrammeYear, rows: list[SchoolRow]) -> ImportSummary:
    """Add or update each school by URN, enrol it in the year and put it in its cluster.

    Only values that differ are assigned, so a file imported twice writes nothing the second time.
    Queries are per table, not per row.
    """
    year.require_open("no schools can be added to it")
    summary = ImportSummary()
    urns = [row.urn for row in rows]
    schools = {s.urn: s for s in db.session.scalars(select(School).where(School.urn.in_(urns)))} if urns else {}
    clusters = {c.name: c for c in db.session.scalars(select(Cluster).where(Cluster.programme_id == year.programme_id))}
    enrolments = {e.school_id: e for e in db.session.scalars(select(Enrolment).where(Enrolment.year_id == year.id))}
    for row in rows:
        cluster = None
        if row.cluster:
            cluster = clusters.get(row.cluster)
            if cluster is None:
                cluster = Cluster(programme_id=year.programme_id, name=row.cluster)
                db.session.add(cluster)
                clusters[row.cluster] = cluster
                summary.clusters_added += 1
        school = schools.get(row.urn)
        enrolment = enrolments.get(school.id) if school is not None else None
        moved = enrolment is not None and cluster is not None and enrolment.cluster is not cluster
        if school is None:
            school = School(urn=row.urn, **_wanted(row))
            db.session.add(school)
            schools[row.urn] = school
            summary.added += 1
        else:
            changed = _differences(school, row)
            for key, value in changed.items():
                setattr(school, key, value)
            if changed or moved:
                summary.updated += 1
            else:
                summary.unchanged += 1
        if enrolment is None:
            db.session.add(Enrolment(year_id=year.id, school=school, cluster=cluster))
            summary.enrolled += 1
        elif moved:
            enrolment.cluster = cluster
    db.session.flush()
    return summary
