"""The demo's previous academic year, complete and closed: every self-evaluation signed off, every plan
finalised and done, meetings 1-3 and the peer visits held, key learnings submitted and tagged. It gives
the current year its change since last year, and returning schools their starting points."""
from __future__ import annotations

from datetime import timedelta

from sqlalchemy import update

from app.demo.northbrook import (
    DEMO_LAST_ACTIONS,
    DEMO_LAST_LEARNINGS,
    DEMO_LAST_LEVELS,
    DEMO_LAST_MEETINGS,
    DEMO_LAST_MODERATED,
    DEMO_LAST_PLANS_FINALISED,
    DEMO_LAST_SIGNED_OFF,
    DEMO_LAST_SUBMITTED,
    DEMO_LAST_VISITS,
    DEMO_LAST_YEAR_TRIADS,
    DEMO_TRIADS,
    demo_email,
)
from app.demo.timeline import DemoYear
from app.demo.work import (
    People,
    head_of,
    senco_of,
    write_action_plan,
    write_celebration,
    write_events,
    write_peer_visit,
    write_qa_visit,
    write_self_evaluation,
    write_triad_meetings,
)
from app.extensions import db
from app.frameworks.service import current_areas
from app.models import Notice, OutboxEmail, ProgrammeYear, School

MEETING_NOTES = ("Each school chose its priorities from its lowest-rated areas and drafted its action plan.",
                 "Each school reported progress on its actions; the coach school shared its audit template.",
                 "The triad agreed its key learnings for the celebration and what to carry into next year.")
VISIT_NOTES = ("Interventions are well organised and reviewed each half term.",
               "How do you measure the impact of each intervention?",
               "Add entry and exit measures to the provision map.")


def write_last_year(year: DemoYear, programme_year: ProgrammeYear, schools: dict[int, School],
                    people: People) -> None:
    """Everything last year's schools did, on its day, then the year closed. Its notices were read and its
    emails sent long ago."""
    triads = {t.name: t for t in programme_year.triads}
    areas = current_areas(programme_year.programme)
    expert = people[demo_email("qa")]
    for index, demo_triad in enumerate(t for t in DEMO_TRIADS if t.name in DEMO_LAST_YEAR_TRIADS):
        triad, later = triads[demo_triad.name], timedelta(days=index)
        coach, *visited = demo_triad.schools
        sencos = [senco_of(people, demo) for demo in demo_triad.schools]
        for demo in demo_triad.schools:
            head, senco = head_of(people, demo), senco_of(people, demo)
            evaluation = write_self_evaluation(
                schools[demo.urn], programme_year, DEMO_LAST_LEVELS[demo_triad.name], head, senco,
                year.at(DEMO_LAST_SUBMITTED, 16) + later, year.at(DEMO_LAST_SIGNED_OFF, 12) + later)
            if demo.urn in DEMO_LAST_MODERATED:
                levels = tuple(min(4, level + (position == 2)) for position, level in
                               enumerate(DEMO_LAST_LEVELS[demo_triad.name], start=1))
                write_qa_visit(year, evaluation, expert, year.at(DEMO_LAST_MODERATED[demo.urn], 10), levels)
            write_action_plan(year, schools[demo.urn], programme_year, head, senco, DEMO_LAST_ACTIONS,
                              year.at(DEMO_LAST_PLANS_FINALISED, 15) + later)
        write_triad_meetings(year, triad, [schools[demo.urn] for demo in demo_triad.schools],
                             [year.at(day, 13, 30) + later for day in DEMO_LAST_MEETINGS], MEETING_NOTES, sencos)
        for demo, day in zip(visited, DEMO_LAST_VISITS, strict=True):
            write_peer_visit(year, triad, schools[demo.urn], year.at(day, 9) + later, areas[index + 2].id,
                             VISIT_NOTES, senco_of(people, coach))
    write_events(year, programme_year, ((9, 18), (7, 9)))
    db.session.flush()
    write_celebration(year, programme_year, DEMO_LAST_LEARNINGS,
                      {t.name: senco_of(people, t.schools[0]) for t in DEMO_TRIADS}, people[demo_email("lead")])
    long_ago = year.at((8, 31), 17)
    db.session.execute(update(Notice).where(Notice.user_id.in_([p.id for p in people.values()]))
                       .values(created_at=long_ago, read_at=long_ago, emailed_at=long_ago))
    db.session.execute(update(OutboxEmail).where(OutboxEmail.to_address.in_(list(people)))
                       .values(created_at=long_ago, sent_at=long_ago))
    # Closed by the lead once the year was over (it always is: this is the year before the current one).
    programme_year.is_closed, programme_year.closed_by_id = True, people[demo_email("lead")].id
    programme_year.closed_at = long_ago
    db.session.flush()
