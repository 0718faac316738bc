"""Reading a GIAS CSV file, and importing it so that a second import changes nothing."""
from __future__ import annotations

from sqlalchemy import func, select

from app.extensions import db
from app.models import AuditEvent, Cluster, Enrolment, School, SettingType
from app.programmes.school_import import import_schools, parse_school_csv, preview_import
from tests.factories import make_school, make_year

HEADER = "URN,EstablishmentName,TypeOfEstablishment (name),PhaseOfEducation (name),LA (name),Cluster,Street\n"
CLEAN = HEADER + (
    "610001,Willow Brook Primary School,Community school,Primary,Northbrook,North,1 High St\n"
    "610002,Kestrel High School,Academy converter,Secondary,Northbrook,South,2 Low Rd\n"
    "610003,Heron Bank Special School,Community special school,Not applicable,Northbrook,North,3 Lane\n"
)


def table_counts():
    return {model.__name__: db.session.scalar(select(func.count()).select_from(model))
            for model in (School, Enrolment, Cluster, AuditEvent)}


def test_a_clean_file_gives_one_row_per_school():
    parsed = parse_school_csv(CLEAN.encode("utf-8-sig"))
    assert parsed.is_clean
    assert [(r.line, r.urn, r.name, r.cluster) for r in parsed.rows] == [
        (2, 610001, "Willow Brook Primary School", "North"),
        (3, 610002, "Kestrel High School", "South"),
        (4, 610003, "Heron Bank Special School", "North"),
    ]
    assert parsed.rows[2].setting_type == SettingType.SPECIALIST


def test_bad_rows_are_listed_with_their_line_numbers():
    parsed = parse_school_csv(HEADER + (
        "610001,Willow Brook Primary School,,Primary,Northbrook,,\n"
        "abc,Kestrel High School,,Secondary,Northbrook,,\n"
        "610003,,,Primary,Northbrook,,\n"
        "610001,Copy Of Willow,,Primary,Northbrook,,\n"
    ))
    assert not parsed.is_clean
    assert parsed.errors == [
        (3, "URN “abc” must be a 6 or 7 digit number"),
        (4, "School name (EstablishmentName) is missing"),
        (5, "URN 610001 is also on line 2"),
    ]


def test_a_file_without_the_gias_columns_names_what_is_missing():
    parsed = parse_school_csv("URN,Name\n610001,Willow\n")
    assert parsed.errors == [(1, "The file must have the columns URN, EstablishmentName, PhaseOfEducation (name), "
                                 "LA (name). Missing: EstablishmentName, PhaseOfEducation (name), LA (name)")]


def test_an_empty_file_is_refused():
    assert not parse_school_csv(b"").is_clean
    assert parse_school_csv(HEADER).errors == [(None, "The file has no schools in it")]


def test_a_windows_1252_file_is_read():
    parsed = parse_school_csv((HEADER + "610009,St Mary’s C of E Primary,,Primary,Northbrook,,\n").encode("cp1252"))
    assert parsed.rows[0].name == "St Mary’s C of E Primary"


def test_importing_adds_schools_enrols_them_and_makes_clusters(session):
    year = make_year()
    summary = import_schools(year, parse_school_csv(CLEAN).rows)
    assert (summary.added, summary.updated, summary.unchanged, summary.enrolled,
            summary.clusters_added) == (3, 0, 0, 3, 2)
    enrolled = db.session.scalars(select(Enrolment).where(Enrolment.year_id == year.id)).all()
    assert sorted((e.school.urn, e.cluster.name) for e in enrolled) == [
        (610001, "North"), (610002, "South"), (610003, "North")]


def test_importing_the_same_file_again_changes_nothing(session):
    year = make_year()
    rows = parse_school_csv(CLEAN).rows
    import_schools(year, rows)
    db.session.commit()
    before = table_counts()
    summary = import_schools(year, parse_school_csv(CLEAN).rows)
    db.session.commit()
    assert table_counts() == before
    assert (summary.added, summary.updated, summary.unchanged, summary.enrolled) == (0, 0, 3, 0)


def test_a_school_already_known_by_urn_is_updated_not_duplicated(session):
    make_school(name="Willow Brook Infants", urn=610001)
    year = make_year()
    preview = preview_import(year, parse_school_csv(CLEAN).rows)
    assert (preview.added, preview.updated) == (2, 1)
    import_schools(year, parse_school_csv(CLEAN).rows)
    assert db.session.scalar(select(School.name).where(School.urn == 610001)) == "Willow Brook Primary School"
    assert db.session.scalar(select(func.count()).select_from(School).where(School.urn == 610001)) == 1


def test_a_closed_year_takes_no_schools(session):
    import pytest

    from app.common.errors import DomainError

    year = make_year()
    year.is_closed = True
    with pytest.raises(DomainError, match="2025/26 is closed"):
        import_schools(year, parse_school_csv(CLEAN).rows)
