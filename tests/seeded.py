"""A seeded programme year with every record a URL can name, and the people who look at it.

`seed_year()` builds, mostly through the real services: a programme (default framework) and its
2025/26 year; triad T (coach school C, school D with a draft self-evaluation and draft plan, school S
whose self-evaluation is submitted, moderated by its QA expert and shared with the lead, with a
finalised plan); triad U in the same year (coach U1, U2 submitted and not shared, U3); and a second
programme with its own lead, year, triad and schools. `rolled_back(session)` undoes whatever a
request writes, so requests made in a loop do not affect each other.
"""
from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import date, time
from typing import Any

from app.action_plans.service import OTHER_OWNER, ActionInput, areas_for, finalise_plan, save_action, start_action_plan
from app.auth.accounts import make_token
from app.celebration.service import submit_celebration
from app.clusters.service import assign_schools
from app.extensions import db
from app.frameworks.service import create_default_framework
from app.information_requests.service import answer_request, create_request
from app.meetings.service import london_time
from app.models import (
    ActionPlan,
    CelebrationSubmission,
    ClosureDay,
    Cluster,
    ClusterMeeting,
    EventKind,
    InformationRequest,
    Learning,
    ModeratedRating,
    Notice,
    NoticeKind,
    PackStatus,
    PeerVisit,
    PreparedPack,
    Programme,
    ProgrammeEvent,
    ProgrammeYear,
    QAVisit,
    RequestRecipient,
    Role,
    School,
    SelfEvaluation,
    Term,
    Triad,
    TriadMeeting,
    User,
)
from app.self_evaluations.consent import set_sharing
from app.self_evaluations.moderation import assign_qa_expert
from app.self_evaluations.service import save_area, start_self_evaluation, submit_self_evaluation
from tests.celebrations import add_learning
from tests.factories import make_cluster, make_programme, make_triad, make_user, make_year

# The roles the access matrix asks about; "anonymous" is nobody signed in.
ROLES = ("admin", "lead", "qa", "cluster_lead", "head", "senco", "coach", "other_triad", "other_lead", "anonymous")


@dataclass
class SeededYear:
    """The seeded records. `ids` holds their ids (read once, so reading one never loads a record the
    session has forgotten); `url_values()` and `values_for(rule)` give the values URLs take."""

    programme: Programme
    year: ProgrammeYear
    cluster: Cluster
    triad: Triad  # T: coach C, draft D, submitted S
    coach_school: School  # C
    draft_school: School  # D
    submitted_school: School  # S: submitted, moderated, shared with the lead, plan finalised
    other_triad: Triad  # U, same year
    other_triad_schools: list[School]  # U1 (coach), U2 (submitted, not shared), U3
    other_programme: Programme
    other_year: ProgrammeYear
    other_programme_triad: Triad
    other_programme_school: School
    draft_evaluation: SelfEvaluation  # D's
    submitted_evaluation: SelfEvaluation  # S's
    unshared_evaluation: SelfEvaluation  # U2's: submitted, not shared with the lead
    draft_plan: ActionPlan  # D's, never finalised
    finalised_plan: ActionPlan  # S's, version 1 finalised
    meeting: TriadMeeting  # T's meeting 1
    peer_visit: PeerVisit  # C's visit to D
    qa_visit: QAVisit  # the QA expert's visit to S
    event: ProgrammeEvent  # the launch
    request: InformationRequest  # the lead's, to every school of the year
    recipient: RequestRecipient  # D's, answered with a file
    cluster_meeting: ClusterMeeting  # autumn
    submission: CelebrationSubmission  # T's, submitted
    learning: Learning  # in T's submission
    pack: PreparedPack  # a ready celebration pack
    notice: Notice  # D's head's, unread
    closure_day: ClosureDay
    users: dict[str, User | None]  # by role name (ROLES); "anonymous" is None
    head_of_submitted: User  # head of S (not one of the matrix's roles)
    tokens: dict[str, str] = field(default_factory=dict)  # endpoint -> the <token> its URL takes

    def __post_init__(self) -> None:
        # Ids read once: after each rolled-back request the session has forgotten the records, and
        # reading an expired record's id would load it again.
        self.ids: dict[str, Any] = {name: value.id for name, value in vars(self).items() if isinstance(value, db.Model)}
        self.ids["other_triad_schools"] = [school.id for school in self.other_triad_schools]
        self.ids["users"] = {role: user.id for role, user in self.users.items() if user is not None}
        self.ids["assignments"] = {role: user.roles[0].id for role, user in self.users.items() if user is not None}

    def url_values(self, **overrides: Any) -> dict[str, Any]:
        """A value for every argument name a URL in app.url_map takes (`token` is the calendar feed's;
        see `tokens` and `values_for`)."""
        ids = self.ids
        values = {
            "programme_id": ids["programme"], "year_id": ids["year"], "triad_id": ids["triad"],
            "school_id": ids["submitted_school"], "evaluation_id": ids["submitted_evaluation"], "position": 1,
            "plan_id": ids["finalised_plan"], "number": 1, "meeting_id": ids["meeting"],
            "visit_id": ids["peer_visit"], "event_id": ids["event"], "qa_visit_id": ids["qa_visit"],
            "kind": "launch", "request_id": ids["request"], "recipient_id": ids["recipient"],
            "cluster_id": ids["cluster"], "term": "autumn", "cluster_meeting_id": ids["cluster_meeting"],
            "learning_id": ids["learning"], "pack_id": ids["pack"], "submission_id": ids["submission"],
            "notice_id": ids["notice"],
            "closure_day_id": ids["closure_day"], "user_id": ids["head_of_submitted"],
            "assignment_id": ids["assignments"]["senco"],  # the SENCo of D's place at D
            "token": self.tokens["calendars.feed"],
        }
        values.update(overrides)
        return values

    def values_for(self, rule, **overrides: Any) -> dict[str, Any]:
        """The values for one werkzeug Rule's arguments, with the token its endpoint takes."""
        values = self.url_values(**overrides)
        if "token" in rule.arguments and "token" not in overrides:
            values["token"] = self.tokens[rule.endpoint]
        return {name: values[name] for name in rule.arguments}


def _submitted_evaluation(school: School, year: ProgrammeYear, head: User) -> SelfEvaluation:
    evaluation = start_self_evaluation(school, year)
    for rating in evaluation.ratings:
        save_area(rating, rating.version, {"level": 3})
    submit_self_evaluation(evaluation, head)
    db.session.commit()
    return evaluation


def seed_year() -> SeededYear:
    programme = make_programme()
    create_default_framework(programme)
    db.session.commit()
    year = make_year(programme)
    triad = make_triad(year, name="Triad T")
    coach_school, draft_school, submitted_school = (m.school for m in sorted(triad.members, key=lambda m: m.position))
    other_triad = make_triad(year, name="Triad U")
    other_triad_schools = [m.school for m in sorted(other_triad.members, key=lambda m: m.position)]
    cluster = make_cluster(programme)
    assign_schools(cluster, year, {m.school_id for m in triad.members})
    db.session.commit()

    other_programme = make_programme(programme.organisation)
    create_default_framework(other_programme)
    db.session.commit()
    other_year = make_year(other_programme)
    other_programme_triad = make_triad(other_year, name="Triad O")
    other_programme_school = other_programme_triad.members[0].school

    users: dict[str, User | None] = {
        "admin": make_user(Role.ADMIN, name="Ada Admin"),
        "lead": make_user(Role.PROGRAMME_LEAD, programme=programme, name="Lee Lead"),
        "qa": make_user(Role.QA_EXPERT, programme=programme, name="Quinn Expert"),
        "cluster_lead": make_user(Role.CLUSTER_LEAD, cluster=cluster, name="Cleo Clusterlead"),
        "head": make_user(Role.HEAD, school=draft_school, name="Hana Head"),
        "senco": make_user(Role.SENCO, school=draft_school, name="Sam Senco"),
        "coach": make_user(Role.HEAD, school=coach_school, name="Cal Coach"),
        "other_triad": make_user(Role.HEAD, school=other_triad_schools[0], name="Una Othertriad"),
        "other_lead": make_user(Role.PROGRAMME_LEAD, programme=other_programme, name="Olu Otherlead"),
        "anonymous": None,
    }
    head_of_submitted = make_user(Role.HEAD, school=submitted_school, name="Sol Head")
    head_of_unshared = make_user(Role.HEAD, school=other_triad_schools[1], name="Uma Head")

    # S: submitted, moderated by its assigned QA expert, shared with the lead; its plan finalised.
    submitted_evaluation = _submitted_evaluation(submitted_school, year, head_of_submitted)
    qa_visit = assign_qa_expert(year, submitted_school, users["qa"].id)
    first_area = min(submitted_evaluation.ratings, key=lambda r: r.area.position).area_id
    qa_visit.moderated.append(ModeratedRating(area_id=first_area, level=1))
    when = london_time(date(year.start_year, 10, 14), time(9, 30))
    qa_visit.starts_at = when
    set_sharing(submitted_school, year, True)
    finalised_plan = start_action_plan(submitted_school, year)
    areas = areas_for(finalised_plan)
    save_action(finalised_plan, None, ActionInput([areas[0].id], "Train staff in adaptive teaching", OTHER_OWNER,
                                                  "Jo Smith", date(2026, 3, 27), False, "All staff trained"),
                areas, [])
    finalise_plan(finalised_plan, head_of_submitted)
    db.session.commit()

    # D: a draft self-evaluation and a draft plan with one action.
    draft_evaluation = start_self_evaluation(draft_school, year)
    draft_plan = start_action_plan(draft_school, year)
    save_action(draft_plan, None, ActionInput([areas[0].id], "Audit the SEND register", OTHER_OWNER, "Jo Smith",
                                              date(2026, 2, 27), False, "Register audited"), areas_for(draft_plan), [])
    db.session.commit()

    # U2: submitted, not shared with the lead.
    unshared_evaluation = _submitted_evaluation(other_triad_schools[1], year, head_of_unshared)

    meeting = TriadMeeting(triad_id=triad.id, number=1, starts_at=when, place="Room 4")
    peer_visit = PeerVisit(triad_id=triad.id, visited_school_id=draft_school.id, starts_at=when,
                           focus_area_id=areas[0].id)
    event = ProgrammeEvent(year_id=year.id, kind=EventKind.LAUNCH, starts_at=when, place="Town hall")
    cluster_meeting = ClusterMeeting(cluster_id=cluster.id, year_id=year.id, term=Term.AUTUMN, starts_at=when,
                                     place="Hall")
    closure_day = ClosureDay(programme_id=programme.id, day=date(2025, 11, 3), reason="INSET day")
    db.session.add_all([meeting, peer_visit, event, cluster_meeting, closure_day])
    db.session.commit()

    request = create_request(year, users["lead"], "Numbers", "How many pupils have an EHCP?", 10)
    recipient = next(r for r in request.recipients if r.school_id == draft_school.id)
    answer_request(recipient, users["head"], "Fourteen", ("numbers.txt", "text/plain", b"14"))
    db.session.commit()

    learning = add_learning(triad, "Parent drop-ins")
    submission = submit_celebration(triad, head_of_submitted)
    pack = PreparedPack(year_id=year.id, requested_by=users["lead"], status=PackStatus.READY,
                        content=b"%PDF-1.7 pack", pages=1)
    db.session.add(pack)
    users["head"].calendar_token = "feed-token-for-the-head-of-d"
    notice = Notice(user_id=users["head"].id, kind=NoticeKind.SUBMITTED,
                    summary="Sam Senco submitted a self-evaluation", action="Read it", path="/",
                    dedupe_key="seeded-notice")
    db.session.add(notice)
    invited = make_user(password=False, name="Ivy Invited")
    db.session.commit()

    tokens = {"auth.accept_invite": make_token(invited, "invite"),
              "auth.reset_password": make_token(users["lead"], "reset"),
              "calendars.feed": users["head"].calendar_token}
    return SeededYear(
        programme=programme, year=year, cluster=cluster, triad=triad, coach_school=coach_school,
        draft_school=draft_school, submitted_school=submitted_school, other_triad=other_triad,
        other_triad_schools=other_triad_schools, other_programme=other_programme, other_year=other_year,
        other_programme_triad=other_programme_triad, other_programme_school=other_programme_school,
        draft_evaluation=draft_evaluation, submitted_evaluation=submitted_evaluation,
        unshared_evaluation=unshared_evaluation, draft_plan=draft_plan, finalised_plan=finalised_plan,
        meeting=meeting, peer_visit=peer_visit, qa_visit=qa_visit, event=event, request=request,
        recipient=recipient, cluster_meeting=cluster_meeting, submission=submission, learning=learning,
        pack=pack, notice=notice, closure_day=closure_day,
        users=users, head_of_submitted=head_of_submitted, tokens=tokens,
    )


@contextmanager
def rolled_back() -> Iterator[None]:
    """Whatever happens inside (a request that commits, say) is rolled back afterwards.

    A SAVEPOINT on the test's connection is begun before and rolled back after; the session then
    forgets every record it loaded, so hold ids (or load records again) from one request to the next."""
    real = db.session()
    if real.in_transaction():
        real.commit()  # the session's own savepoint must end inside ours, so what it holds is kept
    savepoint = real.get_bind().begin_nested()
    try:
        yield
    finally:
        real.rollback()  # ends the session's own savepoint, if a request left one open
        if savepoint.is_active:
            savepoint.rollback()
        real.expunge_all()
