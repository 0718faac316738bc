"""Importing schools from a CSV file in the DfE "Get Information About Schools" (GIAS) layout.

The file is checked whole first: bad rows are listed with their line numbers and nothing is
imported until it is clean. Importing the same file again changes nothing.
"""
from __future__ import annotations

import csv
import io
from dataclasses import dataclass, field

from sqlalchemy import select

from app.extensions import db
from app.models import Cluster, Enrolment, ProgrammeYear, School, SettingType
from app.services import DomainError

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

    @property
    def is_clean(self) -> bool:
        return not self.errors and bool(self.rows)


@dataclass
class ImportSummary:
    added: int = 0
    updated: int = 0
    unchanged: int = 0
    enrolled: int = 0
    clusters_added: int = 0

    @property
    def total(self) -> int:
        return self.added + self.updated + self.unchanged


def _decode(raw: bytes) -> str:
    for encoding in ("utf-8-sig", "cp1252"):
        try:
            return raw.decode(encoding)
        except UnicodeDecodeError:
            continue
    return raw.decode("latin-1")


def parse_school_csv(raw: bytes | str) -> ParsedFile:
    """Read and check every row; report problems as (line number, reason)."""
    text = _decode(raw) if isinstance(raw, bytes) else raw.lstrip("\ufeff")
    parsed = ParsedFile()
    reader = csv.DictReader(io.StringIO(text))
    headers = [h.strip() for h in (reader.fieldnames or [])]
    if not headers:
        parsed.errors.append((None, "The file is empty. Choose a CSV file exported from Get Information About Schools"))
        return parsed
    reader.fieldnames = headers
    missing = [column for column in REQUIRED if column not in headers]
    if missing:
        parsed.errors.append((1, f"The file must have the columns {', '.join(REQUIRED)}. Missing: {', '.join(missing)}"))
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
        problems = []
        raw_urn = values.get(URN, "")
        urn = int(raw_urn) if raw_urn.isdigit() else None
        if not raw_urn:
            problems.append("URN is missing")
        elif urn is None or not 100000 <= urn <= 9999999:
            problems.append(f"URN “{raw_urn}” must be a 6 or 7 digit number")
        elif urn in first_line_of:
            problems.append(f"URN {urn} is also on line {first_line_of[urn]}")
        for column, label in ((NAME, "School name (EstablishmentName)"), (PHASE, "Phase (PhaseOfEducation (name))"),
                              (LA, "Local authority (LA (name))")):
            if not values.get(column):
                problems.append(f"{label} is missing")
        if len(values.get(NAME, "")) > 200:
            problems.append("School name must be 200 characters or fewer")
        if problems:
            parsed.errors.append((line, "; ".join(problems)))
            continue
        first_line_of[urn] = line
        parsed.rows.append(SchoolRow(
            line=line, urn=urn, name=values[NAME], phase=values[PHASE][:60], local_authority=values[LA][:100],
            setting_type=SettingType.SPECIALIST if "special" in values.get(TYPE, "").lower() else SettingType.MAINSTREAM,
            cluster=values.get(CLUSTER) or None,
        ))
    if not parsed.rows and not parsed.errors:
        parsed.errors.append((None, "The file has no schools in it"))
    return parsed


def _wanted(row: SchoolRow) -> dict:
    return {"name": row.name, "phase": row.phase, "local_authority": row.local_authority,
            "setting_type": row.setting_type}


def _differences(school: School, row: SchoolRow) -> dict:
    return {key: value for key, value in _wanted(row).items() if getattr(school, key) != value}


def preview_import(year: ProgrammeYear, rows: list[SchoolRow]) -> ImportSummary:
    """What importing these rows would do, without writing anything."""
    summary = ImportSummary()
    schools = {s.urn: s for s in db.session.scalars(select(School).where(School.urn.in_([r.urn for r in rows])))}
    enrolled = set(db.session.scalars(select(Enrolment.school_id).where(Enrolment.year_id == year.id)))
    clusters = set(db.session.scalars(select(Cluster.name).where(Cluster.programme_id == year.programme_id)))
    for row in rows:
        school = schools.get(row.urn)
        if school is None:
            summary.added += 1
        elif _differences(school, row):
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
    if year.is_closed:
        raise DomainError(f"{year.label} is closed, so no schools can be added to it")
    summary = ImportSummary()
    urns = [row.urn for row in rows]
    schools = {s.urn: s for s in db.session.scalars(select(School).where(School.urn.in_(urns)))} if urns else {}
    clusters = {c.name: c for c in db.session.scalars(select(Cluster).where(Cluster.programme_id == year.programme_id))}
    enrolments = {e.school_id: e for e in db.session.scalars(select(Enrolment).where(Enrolment.year_id == year.id))}
    for row in rows:
        school = schools.get(row.urn)
        if school is None:
            school = School(urn=row.urn, **_wanted(row))
            db.session.add(school)
            schools[row.urn] = school
            summary.added += 1
        else:
            changed = _differences(school, row)
            for key, value in changed.items():
                setattr(school, key, value)
            if changed:
                summary.updated += 1
            else:
                summary.unchanged += 1
        cluster = None
        if row.cluster:
            cluster = clusters.get(row.cluster)
            if cluster is None:
                cluster = Cluster(programme_id=year.programme_id, name=row.cluster)
                db.session.add(cluster)
                clusters[row.cluster] = cluster
                summary.clusters_added += 1
        enrolment = enrolments.get(school.id) if school.id else None
        if enrolment is None:
            db.session.add(Enrolment(year_id=year.id, school=school, cluster=cluster))
            summary.enrolled += 1
        elif row.cluster and enrolment.cluster_id != cluster.id:
            enrolment.cluster = cluster
    db.session.flush()
    return summary
