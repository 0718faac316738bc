"""Views stay thin: they call services and never query the database themselves."""

from config import BASE_DIR


def test_views_do_not_query_the_database():
    offences = []
    for views in sorted((BASE_DIR / "app").glob("*/views.py")):
        for number, line in enumerate(views.read_text().splitlines(), start=1):
            for needle in ("db.session.", "db.paginate", "select(", ".query("):
                if needle in line:
                    offences.append(f"{views.relative_to(BASE_DIR)}:{number}: {line.strip()}")
    assert offences == []
