"""Every GET page renders for someone allowed to see it, passes the page checks, and writes nothing."""
from __future__ import annotations

from datetime import date, time

from sqlalchemy import func, select

from app.action_plans.service import OTHER_OWNER, ActionInput, areas_for, finalise_plan, save_action, start_action_plan
from app.auth.accounts import make_token
from app.celebration.service import submit_celebration
from app.clusters.service import assign_schools
from app.extensions import db
from app.frameworks.service import create_default_framework
from app.information_requests.service import answer_request, create_request
from app.meetings.service import london_time
from app.models import (
    AuditEvent,
    ClusterMeeting,
    EventKind,
    ModeratedRating,
    PackStatus,
    PeerVisit,
    PreparedPack,
    ProgrammeEvent,
    QAVisit,
    Role,
    Term,
    TriadMeeting,
)
from app.permissions import CONFIDENTIAL
from app.self_evaluations.service import save_area, start_self_evaluation, submit_self_evaluation
from tests.celebrations import add_learning
from tests.factories import make_cluster, make_triad, make_user

# Pages that answer a GET with a redirect by design.
REDIRECTS = {"auth.sign_in",  # a signed-in person is sent home
             "programmes.name_triad",  # step 2 of forming a triad, without three schools chosen: back to step 1
             "years.reopen"}  # reopening a year that is open: back to the year
DOWNLOADS = (".csv", ".xlsx", ".pdf", ".docx", ".ics", "/file")  # files, not pages


def test_every_get_page_renders_and_writes_nothing(app, client_request):
    triad = make_triad()
    year = triad.year
    cluster = make_cluster(year.programme)
    assign_schools(cluster, year, {m.school_id for m in triad.members})
    create_default_framework(year.programme)
    admin = make_user(Role.ADMIN)
    invited = make_user(password=False)
    # School A's self-evaluation is submitted, moderated and flagged on area 1; school B's is a draft.
    school, other = triad.members[0].school, triad.members[1].school
    head = make_user(Role.HEAD, school=school)
    expert = make_user(Role.QA_EXPERT, programme=year.programme)
    submitted = start_self_evaluation(school, year)
    for rating in submitted.ratings:
        save_area(rating, rating.version, {"level": 4})
    submit_self_evaluation(submitted, head)
    visit = QAVisit(year_id=year.id, school_id=school.id, expert=expert)
    first_area = min(submitted.ratings, key=lambda r: r.area.position).area_id
    visit.moderated.append(ModeratedRating(area_id=first_area, level=1))
    db.session.add(visit)
    draft = start_self_evaluation(other, year)
    plan = start_action_plan(school, year)
    areas = areas_for(plan)
    save_action(plan, None, ActionInput([areas[0].id], "Train staff in adaptive teaching", OTHER_OWNER, "Jo Smith",
                                        date(2026, 3, 27), False, "All staff trained"), areas, [])
    finalise_plan(plan, head)
    when = london_time(date(year.start_year, 10, 14), time(9, 30))
    meeting = TriadMeeting(triad_id=triad.id, number=1, starts_at=when, place="Room 4")
    peer_visit = PeerVisit(triad_id=triad.id, visited_school_id=other.id, starts_at=when, focus_area_id=areas[0].id)
    event = ProgrammeEvent(year_id=year.id, kind=EventKind.LAUNCH, starts_at=when, place="Town hall")
    visit.starts_at = when
    head.calendar_token = "feed-token-for-the-head"
    request = create_request(year, admin, "Numbers", "How many?", 10)
    recipient = next(r for r in request.recipients if r.school_id == school.id)
    answer_request(recipient, head, "Fourteen", ("numbers.txt", "text/plain", b"14"))
    cluster_meeting = ClusterMeeting(cluster_id=cluster.id, year_id=year.id, term=Term.AUTUMN, starts_at=when,
                                     place="Hall")
    db.session.add_all([meeting, peer_visit, event, cluster_meeting])
    db.session.commit()
    other_senco = make_user(Role.SENCO, school=other)
    learning = add_learning(triad, "Parent drop-ins")
    submit_celebration(triad, head)
    pack = PreparedPack(year_id=year.id, requested_by=admin, status=PackStatus.READY, content=b"%PDF-1.7 pack", pages=1)
    db.session.add(pack)
    db.session.commit()
    values = {
        "programme_id": year.programme_id, "year_id": year.id, "triad_id": triad.id,
        "school_id": school.id, "evaluation_id": submitted.id, "position": 1,
        "plan_id": plan.id, "number": 1, "meeting_id": meeting.id, "visit_id": peer_visit.id,
        "event_id": event.id, "qa_visit_id": visit.id, "kind": "launch",
        "request_id": request.id, "recipient_id": recipient.id,
        "cluster_id": cluster.id, "term": "autumn", "cluster_meeting_id": cluster_meeting.id,
        "learning_id": learning.id, "pack_id": pack.id, "assignment_id": head.roles[0].id,
        "user_id": other_senco.id,
    }
    # Who visits a school's confidential pages, and with which values.
    confidential = {"self_evaluations.moderate": (expert, {}),
                    # the administrator issued the request, so reads its answers as its issuer
                    "requests.show": (admin, {}), "requests.responses": (admin, {}),
                    "self_evaluations.area": (other_senco, {"evaluation_id": draft.id})}
    tokens = {"auth.accept_invite": make_token(invited, "invite"), "auth.reset_password": make_token(admin, "reset"),
              "calendars.feed": head.calendar_token}
    before = db.session.scalar(select(func.count()).select_from(AuditEvent))
    visited = []
    for rule in app.url_map.iter_rules():
        if "GET" not in rule.methods or rule.endpoint == "static":
            continue
        args = {name: tokens[rule.endpoint] if name == "token" else values[name] for name in rule.arguments}
        user = admin
        if app.view_functions[rule.endpoint].required_permission in CONFIDENTIAL:
            user, more = confidential.get(rule.endpoint, (head, {}))
            args.update(more)
        client_request.sign_in(user)
        if rule.rule.endswith(DOWNLOADS):
            assert client_request.client.get(client_request.url(rule.endpoint, **args)).status_code == 200
            visited.append(rule.endpoint)
            continue
        expected = 302 if rule.endpoint in REDIRECTS else 200
        client_request.get(rule.endpoint, _expected_status=expected, **args)
        visited.append(rule.endpoint)
    assert db.session.scalar(select(func.count()).select_from(AuditEvent)) == before
    assert len(visited) >= 20
