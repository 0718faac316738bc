"""Two people press Save on the same area at the same moment, each from a page opened at version 1:
one save lands, the other is shown both texts, and nothing is overwritten. Real concurrent requests
on their own database (SQLite or PostgreSQL), not the shared test transaction."""
from __future__ import annotations

import threading
import time

from tests.databases import migrated_app


def test_two_concurrent_saves_of_the_same_area_lose_nothing():
    from app.extensions import db
    from app.frameworks.service import create_default_framework
    from app.models import AreaRating, Role
    from app.self_evaluations.service import start_self_evaluation
    from tests.factories import enrol, make_programme, make_school, make_user, make_year
    from tests.pages import ClientRequest

    with migrated_app("race") as app:
        with app.app_context():
            programme = make_programme()
            create_default_framework(programme)
            db.session.commit()
            year = make_year(programme)
            [school] = enrol(year, make_school())
            evaluation = start_self_evaluation(school, year)
            db.session.commit()
            evaluation_id = evaluation.id
            people = [make_user(Role.SENCO, school=school), make_user(Role.HEAD, school=school)]
            clients = []
            for person in people:
                request = ClientRequest(app.test_client())
                request.sign_in(person)
                clients.append(request)
            db.session.remove()

        texts = ["SENCo: tracked through the provision map", "Head: seen in every learning walk"]
        forms = []
        for request, text in zip(clients, texts, strict=True):
            page = request.get("self_evaluations.area", evaluation_id=evaluation_id, position=1)
            forms.append({"csrf_token": page.select_one("input[name=csrf_token]")["value"],
                          "version": page.select_one("input[name=version]")["value"], "level": "3",
                          "evidence": text, "not_evaluated_reason": "", "strengths": "", "development": ""})
        assert [form["version"] for form in forms] == ["1", "1"]

        start = threading.Barrier(2)
        answers: dict[int, object] = {}

        def save(n: int) -> None:
            request = clients[n]
            target = request.url("self_evaluations.area", evaluation_id=evaluation_id, position=1)
            start.wait()
            answers[n] = request.client.post(target, data=forms[n])

        threads = [threading.Thread(target=save, args=(n,)) for n in range(2)]
        began = time.monotonic()
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join(timeout=60)
        assert time.monotonic() - began < 60

        statuses = sorted(answer.status_code for answer in answers.values())
        assert statuses == [200, 302]
        [winner] = [n for n, answer in answers.items() if answer.status_code == 302]
        loser = answers[1 - winner].get_data(as_text=True)
        assert "Someone else saved area 1" in loser
        assert texts[0] in loser and texts[1] in loser  # both texts shown to choose from
        with app.app_context():
            rating = db.session.scalars(
                db.select(AreaRating).where(AreaRating.self_evaluation_id == evaluation_id)).all()
            first = next(r for r in rating if r.version > 1)
            assert (first.evidence, first.version) == (texts[winner], 2)
