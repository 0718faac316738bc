"""Who may open each route: the expected outcome for every (endpoint, method), written from the rules
(README "Rules worth knowing", DESIGN section 3), not from the code, on the year tests/seeded.py seeds.

Each row names the roles ALLOWED. Every other signed-in role expects 403, or 404 when the row names it
in `not_found` (a URL naming records that do not belong together: there is no such page); nobody
signed in is sent to sign in, except on public rows. Where a route's record can be one of several
seeded records with different rules (a draft or a submitted self-evaluation, a shared or an unshared
school), there is a row per variant; `values` gives the URL values that differ from
`SeededYear.url_values()` (S's evaluation, S's finalised plan, T, C's peer visit to D, D's answer...).

The roles (tests.seeded.ROLES): admin; lead (this programme's lead); qa (S's QA expert); cluster_lead
(of the cluster holding T's schools); head and senco (of D, a triad school); coach (head of C, T's
coach school); other_triad (head of U's coach school); other_lead (another programme's lead);
anonymous.
"""
from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from tests.seeded import ROLES, SeededYear

SIGNED_IN = frozenset(ROLES) - {"anonymous"}
EVERYONE = frozenset(ROLES)
# Administrators run the service: everything except schools' confidential work.
ADMIN = frozenset({"admin"})
# The programme's management (programme.manage): its lead, and administrators.
MANAGERS = ADMIN | {"lead"}
# Who oversees the programme (programme.view): its lead and QA experts, and administrators.
OVERSEERS = MANAGERS | {"qa"}
# Staff of T's schools among the roles.
TRIAD_STAFF = frozenset({"head", "senco", "coach"})
D_STAFF = frozenset({"head", "senco"})
COACH = frozenset({"coach"})
# Who sees triad T: the programme's overseers and T's staff (cluster leads do not open triads).
TRIAD_VIEWERS = OVERSEERS | TRIAD_STAFF
# S's submitted or finalised work: T's other schools, S's QA expert, the lead while S shares.
# Never administrators.
S_READERS = TRIAD_STAFF | {"qa", "lead"}
# Everyone taking part in the year: its people, enrolled schools' staff, cluster leads.
YEAR_PEOPLE = OVERSEERS | {"cluster_lead"} | TRIAD_STAFF | {"other_triad"}
# The cluster's leads (and the programme's), and administrators.
CLUSTER_LEADS = MANAGERS | {"cluster_lead"}
# A cluster meeting: the cluster's leads and the staff of the cluster's schools (T's).
CLUSTER_PEOPLE = CLUSTER_LEADS | TRIAD_STAFF
# The coach school arranges T's meetings; the programme lead can too.
SCHEDULERS = MANAGERS | COACH
# Anyone who leads a programme may start one.
PROGRAMME_LEADS = MANAGERS | {"other_lead"}
NOBODY: frozenset[str] = frozenset()


@dataclass(frozen=True)
class Row:
    endpoint: str
    method: str
    allowed: frozenset[str]
    variant: str = ""
    values: Callable[[SeededYear], dict[str, Any]] = lambda s: {}
    not_found: frozenset[str] = frozenset()  # refused with 404 rather than 403
    public: bool = False  # no sign-in needed: anonymous is allowed too
    redirects: bool = False  # an allowed GET answers 302 by design

    @property
    def name(self) -> str:
        return f"{self.method} {self.endpoint}" + (f" [{self.variant}]" if self.variant else "")


def _rows(endpoint: str, methods: str, allowed: frozenset[str], **more: Any) -> list[Row]:
    return [Row(endpoint, method, allowed, **more) for method in methods.split(",")]


def _public(endpoint: str, methods: str, **more: Any) -> list[Row]:
    return _rows(endpoint, methods, EVERYONE, public=True, **more)


# Variants: the URL values naming a record other than the default one.
def _draft_evaluation(s: SeededYear) -> dict[str, Any]:
    return {"evaluation_id": s.ids["draft_evaluation"]}


def _unshared_evaluation(s: SeededYear) -> dict[str, Any]:
    return {"evaluation_id": s.ids["unshared_evaluation"]}


def _draft_plan(s: SeededYear) -> dict[str, Any]:
    return {"plan_id": s.ids["draft_plan"]}


def _draft_school(s: SeededYear) -> dict[str, Any]:
    return {"school_id": s.ids["draft_school"]}


def _unshared_school(s: SeededYear) -> dict[str, Any]:
    return {"school_id": s.ids["other_triad_schools"][1]}


def _draft_school_other_year(s: SeededYear) -> dict[str, Any]:
    return {"school_id": s.ids["draft_school"], "year_id": s.ids["other_year"]}


def _other_programme_school(s: SeededYear) -> dict[str, Any]:
    return {"school_id": s.ids["other_programme_school"]}


def _school_outside_cluster(s: SeededYear) -> dict[str, Any]:
    return {"school_id": s.ids["other_triad_schools"][0]}


def _other_triad_visiting_d(s: SeededYear) -> dict[str, Any]:
    return {"triad_id": s.ids["other_triad"], "school_id": s.ids["draft_school"]}


def _d_visited(s: SeededYear) -> dict[str, Any]:
    return {"school_id": s.ids["draft_school"]}


def _access_of_senco(s: SeededYear) -> dict[str, Any]:
    return {"school_id": s.ids["draft_school"], "assignment_id": s.ids["assignments"]["senco"]}


def _access_elsewhere(s: SeededYear) -> dict[str, Any]:
    return {"school_id": s.ids["draft_school"], "assignment_id": s.ids["assignments"]["other_triad"]}


PLAN_READ = ("action_plans.show", "action_plans.compare", "action_plans.export_csv", "action_plans.export_pdf",
             "action_plans.export_xlsx")
PLAN_EDIT = ("action_plans.edit_action", "action_plans.progress", "action_plans.remove", "action_plans.new_action")

TABLE: list[Row] = [
    # Public pages.
    *_public("auth.sign_in", "GET", redirects=True),  # a signed-in person is sent home
    *_public("auth.sign_in", "POST"),
    *_public("auth.forgot_password", "GET,POST"),
    *_public("auth.check_email", "GET"),
    *_public("auth.accept_invite", "GET,POST"),
    *_public("auth.reset_password", "GET,POST"),
    *_public("main.healthz", "GET"),
    # The footer's pages: the same for everyone, signed in or not.
    *_public("main.help", "GET"),
    *_public("main.accessibility", "GET"),
    *_public("main.privacy", "GET"),
    *_public("main.cookies", "GET"),
    *_public("calendars.feed", "GET"),  # the token is the only key
    # Anyone signed in.
    *_rows("main.home", "GET", SIGNED_IN),
    *_rows("auth.sign_out", "POST", SIGNED_IN),
    *_rows("auth.keep_alive", "POST", SIGNED_IN),
    *_rows("auth.kept_form", "GET", SIGNED_IN),
    *_rows("calendars.account", "GET,POST", SIGNED_IN),
    *_rows("calendars.make_link", "POST", SIGNED_IN),
    *_rows("notices.index", "GET", SIGNED_IN),
    *_rows("notices.read_all", "POST", SIGNED_IN),
    *_rows("notices.settings", "GET,POST", SIGNED_IN),
    # A notice is its person's alone (the seeded one is D's head's): not even administrators open another's.
    *_rows("notices.open_one", "POST", frozenset({"head"})),
    # Administration.
    *_rows("admin.index", "GET", ADMIN),
    *_rows("admin.new_organisation", "GET,POST", ADMIN),
    *_rows("admin.outbox", "GET", ADMIN),
    *_rows("admin.people", "GET", ADMIN),
    *_rows("admin.change_active", "POST", ADMIN),
    *_rows("admin.deactivate", "GET,POST", ADMIN),
    # Programmes, years, frameworks.
    *_rows("programmes.index", "GET", PROGRAMME_LEADS),
    *_rows("programmes.new", "GET,POST", PROGRAMME_LEADS),
    *_rows("programmes.show", "GET", OVERSEERS),
    *_rows("programmes.closure_days", "GET,POST", MANAGERS),
    # The organisation's logo on the printed documents: the lead of any of its programmes sets it.
    *_rows("programmes.logo", "GET,POST", MANAGERS),
    *_rows("programmes.remove_logo_page", "POST", MANAGERS),
    *_rows("programmes.remove_closure_day", "POST", MANAGERS),
    *_rows("programmes.invite", "GET,POST", MANAGERS),
    *_rows("programmes.new_year", "GET,POST", MANAGERS),
    *_rows("frameworks.show", "GET", OVERSEERS),
    *_rows("frameworks.edit_area", "GET,POST", MANAGERS),
    *_rows("frameworks.edit_scale", "GET,POST", MANAGERS),
    # The blank framework to print: everyone taking part in the programme, schools' staff too.
    *_rows("frameworks.blank", "GET", YEAR_PEOPLE),
    *_rows("celebration.library", "GET", YEAR_PEOPLE),
    *_rows("programmes.year", "GET", OVERSEERS),
    *_rows("programmes.triads", "GET", OVERSEERS),
    *_rows("programmes.new_triad", "GET", MANAGERS),
    # Step 2 of forming a triad: without three schools chosen, it sends the lead back to step 1.
    *_rows("programmes.name_triad", "GET", MANAGERS, redirects=True),
    *_rows("programmes.name_triad", "POST", MANAGERS),
    *_rows("programmes.triad_suggestions", "GET", MANAGERS),
    *_rows("programmes.accept_suggestion", "POST", MANAGERS),
    *_rows("programmes.import_schools", "GET,POST", MANAGERS),
    *_rows("programmes.confirm_import", "POST", MANAGERS),
    *_rows("action_plans.year", "GET", OVERSEERS),
    *_rows("self_evaluations.summary", "GET", OVERSEERS),
    *_rows("dashboard.show", "GET", MANAGERS),
    *_rows("dashboard.download", "GET", MANAGERS),
    *_rows("dashboard.download_xlsx", "GET", MANAGERS),
    # Deadlines: the lead sets them and chases whoever has not done one (naming the schools, as the summary does).
    *_rows("deadlines.edit", "GET,POST", MANAGERS),
    *_rows("deadlines.chase", "GET,POST", MANAGERS),
    *_rows("scheduling.event", "GET,POST", MANAGERS),
    # A year's life: the lead closes it, an administrator reopens it (the seeded year is open, so its page
    # sends them back to the year), the lead starts the next and sets the programme's length.
    *_rows("years.close", "GET,POST", MANAGERS),
    *_rows("years.reopen", "GET,POST", ADMIN, redirects=True),
    *_rows("years.next_year", "GET,POST", MANAGERS),
    *_rows("years.length", "GET,POST", MANAGERS),
    *_rows("scheduling.autosave_event", "POST", MANAGERS),
    *_rows("calendars.event_ics", "GET", YEAR_PEOPLE),
    *_rows("self_evaluations.qa_expert", "GET,POST", MANAGERS),
    *_rows("self_evaluations.qa_expert", "GET,POST", NOBODY, variant="a school of another programme",
           values=_other_programme_school, not_found=MANAGERS),
    *_rows("scheduling.qa_visit", "GET,POST", MANAGERS),
    *_rows("scheduling.qa_visit", "GET,POST", NOBODY, variant="a school of another programme",
           values=_other_programme_school, not_found=MANAGERS),
    *_rows("calendars.qa_visit_ics", "GET", frozenset({"qa", "lead"})),  # the expert, S's staff, the lead
    # Schools.
    *_rows("programmes.school", "GET", OVERSEERS | {"cluster_lead"}),  # S's page
    *_rows("programmes.school", "GET", OVERSEERS | {"cluster_lead"} | D_STAFF, variant="D", values=_draft_school),
    *_rows("programmes.remove_access", "GET,POST", frozenset({"head"}), variant="D's SENCo",
           values=_access_of_senco),
    *_rows("programmes.remove_access", "GET,POST", NOBODY, variant="someone not at D", values=_access_elsewhere,
           not_found=frozenset({"head"})),
    # A school's people: its heads manage them (not administrators: it is the school's own list); S's head is
    # none of the roles. The lead and administrators invite in bulk to the programme.
    *[row for endpoint, methods in (("people.index", "GET"), ("people.invite", "GET,POST")) for row in (
        *_rows(endpoint, methods, NOBODY),
        *_rows(endpoint, methods, frozenset({"head"}), variant="D", values=_draft_school),
    )],
    *[row for endpoint, methods in (("people.end_role", "GET,POST"), ("people.resend", "POST"),
                                    ("people.successor", "GET,POST")) for row in (
        *_rows(endpoint, methods, frozenset({"head"}), variant="D's SENCo", values=_access_of_senco),
        *_rows(endpoint, methods, NOBODY, variant="someone not at D", values=_access_elsewhere,
               not_found=frozenset({"head"})),
    )],
    *_rows("people.bulk_invite", "GET,POST", MANAGERS),
    *_rows("people.confirm_bulk_invite", "POST", MANAGERS),
    # Triads.
    *_rows("programmes.triad", "GET", TRIAD_VIEWERS),
    *_rows("programmes.edit_triad", "GET", MANAGERS),
    *_rows("programmes.edit_triad_details", "GET,POST", MANAGERS),
    *_rows("programmes.dissolve", "GET,POST", MANAGERS),
    *_rows("action_plans.triad", "GET", TRIAD_VIEWERS),
    *_rows("reports.triad_report", "GET", TRIAD_VIEWERS),
    *_rows("scheduling.meeting", "GET,POST", SCHEDULERS),
    *_rows("scheduling.autosave_meeting", "POST", SCHEDULERS),
    *_rows("scheduling.record", "GET,POST", SCHEDULERS),
    *_rows("scheduling.autosave_record", "POST", SCHEDULERS),  # as the notes form it autosaves
    *_rows("calendars.meeting_ics", "GET", TRIAD_VIEWERS),
    # Peer visits: booked by the coach school; notes for the visited school (D) and the coach only.
    *_rows("scheduling.peer_visit", "GET,POST", COACH),  # to S
    *_rows("scheduling.peer_visit", "GET,POST", COACH, variant="to D", values=_d_visited),
    *_rows("scheduling.peer_visit", "GET,POST", NOBODY, variant="triad U, a school of T",
           values=_other_triad_visiting_d, not_found=frozenset({"other_triad"})),
    *_rows("scheduling.show_visit", "GET", COACH | D_STAFF),
    *_rows("calendars.peer_visit_ics", "GET", COACH | D_STAFF),
    *_rows("scheduling.visit_notes", "GET,POST", COACH),
    *_rows("scheduling.autosave_visit_notes", "POST", COACH),
    # Self-evaluations: S's is submitted, moderated and shared; D's a draft; U2's submitted, not shared.
    *[row for endpoint in ("self_evaluations.show", "self_evaluations.answers", "self_evaluations.compare") for row in (
        *_rows(endpoint, "GET", S_READERS),
        *_rows(endpoint, "GET", D_STAFF, variant="draft", values=_draft_evaluation),
        *_rows(endpoint, "GET", frozenset({"other_triad"}), variant="not shared", values=_unshared_evaluation),
    )],
    # The whole self-evaluation to download: read as the page is.
    *[row for endpoint in ("self_evaluations.export_pdf", "self_evaluations.export_docx") for row in (
        *_rows(endpoint, "GET", S_READERS),
        *_rows(endpoint, "GET", D_STAFF, variant="draft", values=_draft_evaluation),
        *_rows(endpoint, "GET", frozenset({"other_triad"}), variant="not shared", values=_unshared_evaluation),
    )],
    *_rows("self_evaluations.start", "POST", D_STAFF, variant="D", values=_draft_school),
    *_rows("self_evaluations.start", "POST", NOBODY, variant="D, another programme's year",
           values=_draft_school_other_year, not_found=D_STAFF),
    *[row for endpoint in ("self_evaluations.area", "self_evaluations.autosave", "self_evaluations.submit")
      for methods in [{"self_evaluations.area": "GET,POST"}.get(endpoint, "POST")] for row in (
        *_rows(endpoint, methods, NOBODY),  # S's: only S's own staff
        *_rows(endpoint, methods, D_STAFF, variant="draft", values=_draft_evaluation),
    )],
    *_rows("self_evaluations.respond", "GET,POST", NOBODY),  # S's flagged area: only S's own staff
    *_rows("self_evaluations.autosave_response", "POST", NOBODY),  # as the response form whose draft it keeps
    *_rows("self_evaluations.moderate", "GET,POST", frozenset({"qa"})),
    *_rows("self_evaluations.moderate", "GET,POST", NOBODY, variant="draft", values=_draft_evaluation),
    *_rows("self_evaluations.autosave_moderation", "POST", frozenset({"qa"})),
    *_rows("self_evaluations.autosave_moderation", "POST", NOBODY, variant="draft", values=_draft_evaluation),
    *[row for endpoint, methods in (("self_evaluations.reopen", "GET,POST"), ("self_evaluations.sharing", "POST"),
                                    ("self_evaluations.sign_off", "GET,POST")) for row in (
        *_rows(endpoint, methods, NOBODY),  # S's: only S's head
        *_rows(endpoint, methods, frozenset({"head"}), variant="draft", values=_draft_evaluation),
    )],
    # Action plans: S's is finalised (and shared); D's a draft.
    *[row for endpoint in PLAN_READ for row in (
        *_rows(endpoint, "GET", S_READERS),
        *_rows(endpoint, "GET", D_STAFF, variant="draft", values=_draft_plan),
    )],
    *_rows("action_plans.version", "GET", S_READERS),
    *[row for endpoint in PLAN_EDIT for row in (
        *_rows(endpoint, "GET,POST", NOBODY),  # S's: only S's own staff
        *_rows(endpoint, "GET,POST", D_STAFF, variant="draft", values=_draft_plan),
    )],
    *_rows("action_plans.autosave_action", "POST", NOBODY),  # S's: only S's own staff, as its edit form
    *_rows("action_plans.autosave_action", "POST", D_STAFF, variant="draft", values=_draft_plan),
    *[row for endpoint in ("action_plans.autosave_new_action", "action_plans.autosave_progress") for row in (
        *_rows(endpoint, "POST", NOBODY),  # S's: only S's own staff, as the forms whose drafts they keep
        *_rows(endpoint, "POST", D_STAFF, variant="draft", values=_draft_plan),
    )],
    *_rows("action_plans.finalise", "POST", NOBODY),
    *_rows("action_plans.finalise", "POST", frozenset({"head"}), variant="draft", values=_draft_plan),
    *_rows("action_plans.start", "POST", D_STAFF, variant="D", values=_draft_school),
    *_rows("action_plans.start", "POST", NOBODY, variant="D, another programme's year",
           values=_draft_school_other_year, not_found=D_STAFF),
    # School reports: as the reader may read the school's work that year.
    *_rows("reports.school_report", "GET", S_READERS),
    *_rows("reports.school_report", "GET", D_STAFF, variant="D (drafts only)", values=_draft_school),
    *_rows("reports.school_report", "GET", frozenset({"other_triad"}), variant="U2 (not shared)",
           values=_unshared_school),
    *_rows("reports.school_report", "GET", NOBODY, variant="D, another programme's year",
           values=_draft_school_other_year, not_found=D_STAFF),
    # Information requests: the lead asked every school; D answered with a file. Answers are for the
    # issuer (and the programme's lead) and the answering school, never administrators.
    *_rows("requests.index", "GET", MANAGERS),
    *_rows("requests.new", "GET,POST", MANAGERS),
    *_rows("requests.autosave_new", "POST", MANAGERS),
    *_rows("requests.show", "GET", frozenset({"lead"})),
    *_rows("requests.responses", "GET", frozenset({"lead"})),
    *_rows("requests.answer", "GET,POST", D_STAFF),
    *_rows("requests.autosave_answer", "POST", D_STAFF),
    *_rows("requests.file", "GET", D_STAFF | {"lead"}),
    # Clusters: T's schools are in the cluster; U's are not.
    *_rows("clusters.index", "GET,POST", MANAGERS),
    *_rows("clusters.show", "GET", CLUSTER_LEADS),
    *_rows("clusters.leads", "GET,POST", MANAGERS),
    *_rows("clusters.schools", "GET,POST", MANAGERS),
    *_rows("scheduling.cluster_meeting", "GET,POST", CLUSTER_LEADS),
    *_rows("scheduling.autosave_cluster_meeting", "POST", CLUSTER_LEADS),
    *_rows("requests.new_cluster_request", "GET,POST", CLUSTER_LEADS),
    *_rows("requests.autosave_new_cluster_request", "POST", CLUSTER_LEADS),
    *_rows("clusters.send_review", "GET,POST", CLUSTER_LEADS),
    *_rows("clusters.send_review", "GET,POST", NOBODY, variant="a school outside the cluster",
           values=_school_outside_cluster, not_found=CLUSTER_LEADS),
    *_rows("scheduling.show_cluster_meeting", "GET", CLUSTER_PEOPLE),
    *_rows("calendars.cluster_meeting_ics", "GET", CLUSTER_PEOPLE),
    *_rows("scheduling.record_cluster", "GET,POST", CLUSTER_LEADS),
    *_rows("scheduling.autosave_record_cluster", "POST", CLUSTER_LEADS),  # as the notes form it autosaves
    # Celebration of learning: T's learnings are submitted.
    *_rows("celebration.show", "GET", TRIAD_VIEWERS),
    *_rows("celebration.new_learning", "GET,POST", TRIAD_STAFF),
    *_rows("celebration.autosave_new_learning", "POST", TRIAD_STAFF),
    *_rows("celebration.submit", "POST", TRIAD_STAFF),
    *_rows("celebration.edit_learning", "GET,POST", TRIAD_STAFF),
    *_rows("celebration.autosave_learning", "POST", TRIAD_STAFF),
    *_rows("celebration.remove", "GET,POST", TRIAD_STAFF),
    *_rows("celebration.tag", "GET,POST", MANAGERS),
    *_rows("celebration.return_for_changes", "POST", MANAGERS),
    *_rows("celebration.year", "GET", MANAGERS),
    *_rows("celebration.pack", "GET", MANAGERS),
    *_rows("celebration.prepare", "POST", MANAGERS),
    *_rows("celebration.prepared", "GET", MANAGERS),
]


def rows_for(endpoint: str, method: str) -> list[Row]:
    return [row for row in TABLE if row.endpoint == endpoint and row.method == method]


def expected_status(row: Row, role: str) -> str:
    """'allowed', 'sign-in', '403' or '404'."""
    if role in row.allowed or row.public:
        return "allowed"
    if role == "anonymous":
        return "sign-in"
    return "404" if role in row.not_found else "403"
