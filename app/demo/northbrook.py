"""The fictional Northbrook demo programme as facts: its schools, triads and people, the password
every demo account shares, and how its years stand: the current academic year, open, and the one
before, closed. Dates are (month, day) of an academic year (app.demo.timeline), never a calendar year.
Every organisation, school and person here is invented; there are no pupils, ever. app.demo.programme
writes it to the database."""
from __future__ import annotations

from dataclasses import dataclass
from functools import cache

from werkzeug.security import generate_password_hash

from app.demo.timeline import YearDay
from app.models import ImpactArea, Role, SettingType

# Public on purpose: it only opens fictional demo accounts.
DEMO_PASSWORD = "demo-password-2025"
DEMO_ORGANISATION = "Northbrook Borough Council"
DEMO_PROGRAMME = "Northbrook SEND Triads"
DEMO_DOMAIN = "northbrook.example"
DEMO_PLANNED_YEARS = 3  # the current year is the second

Login = tuple[str, str, str]  # (role label, name, email)


@cache
def demo_password_hash() -> str:
    """Hashed once per process and shared by every demo and scale account, which keeps loading fast."""
    return generate_password_hash(DEMO_PASSWORD)


@dataclass(frozen=True)
class DemoSchool:
    urn: int
    name: str
    slug: str
    phase: str
    head: str
    senco: str
    setting_type: SettingType = SettingType.MAINSTREAM


@dataclass(frozen=True)
class DemoTriad:
    name: str
    cluster: str
    schools: tuple[DemoSchool, ...]  # the first is the coach school


DEMO_TRIADS = (
    DemoTriad("Triad A", "North cluster", (
        DemoSchool(700101, "Alder Grove Primary School", "aldergrove", "Primary", "Helen Marsh", "Tom Okafor"),
        DemoSchool(700102, "Birchwood Lane Primary School", "birchwoodlane", "Primary", "Rajesh Patel", "Claire Dunn"),
        DemoSchool(700103, "Catkin Hill Primary School", "catkinhill", "Primary", "Sophie Leigh", "Daniel Ward"),
    )),
    DemoTriad("Triad B", "North cluster", (
        DemoSchool(700104, "Hawthorn Rise High School", "hawthornrise", "Secondary", "Marcus Bell", "Aisha Rahman"),
        DemoSchool(700105, "Juniper Vale Academy", "junipervale", "Secondary", "Fiona Grant", "Owen Price"),
        DemoSchool(700106, "Kestrel Heath School", "kestrelheath", "Secondary", "Grace Adeyemi", "Luke Harding"),
    )),
    DemoTriad("Triad C", "South cluster", (
        DemoSchool(700107, "Damson Hill Primary School", "damsonhill", "Primary", "Nadia Hussain", "Ben Fairley"),
        DemoSchool(700108, "Elmstead Green Primary School", "elmsteadgreen", "Primary", "Peter Quinn", "Hannah Cole"),
        DemoSchool(700109, "Foxglove Meadow Primary School", "foxglovemeadow", "Primary", "Ruth Ellison", "Sam Kaur"),
    )),
    DemoTriad("Triad D", "South cluster", (
        DemoSchool(700110, "Larchmere High School", "larchmere", "Secondary", "Simon Achebe", "Laura Pym"),
        DemoSchool(700111, "Millbeck Academy", "millbeck", "Secondary", "Joanna Frost", "Imran Sheikh"),
        DemoSchool(700112, "Oakridge Brook School", "oakridgebrook", "All-through", "Catherine Moss", "Ravi Nair",
                setting_type=SettingType.SPECIALIST),
    )),
)
DEMO_SCHOOLS = tuple(school for triad in DEMO_TRIADS for school in triad.schools)
# Triad D's schools are new this year; the others took part last year too.
DEMO_LAST_YEAR_TRIADS = ("Triad A", "Triad B", "Triad C")
DEMO_DESCRIPTION = (f"{DEMO_ORGANISATION}, {DEMO_PROGRAMME}: this academic year open with {len(DEMO_SCHOOLS)} "
                    f"schools in {len(DEMO_TRIADS)} triads, last year closed with {len(DEMO_LAST_YEAR_TRIADS) * 3}")

# (role, name, email local part, cluster name for a cluster lead)
DEMO_PROGRAMME_PEOPLE = (
    (Role.ADMIN, "Ada Whitcombe", "admin", None),
    (Role.PROGRAMME_LEAD, "Lena Fairbrother", "lead", None),
    (Role.QA_EXPERT, "Victor Ashdown", "qa", None),
    (Role.CLUSTER_LEAD, "Maya Thornton", "clusterlead.north", "North cluster"),
)


def demo_email(local_part: str) -> str:
    return f"{local_part}@{DEMO_DOMAIN}"


def demo_logins() -> list[Login]:
    """Who can sign in to the demo (all with DEMO_PASSWORD), in the order worth trying them."""
    logins = [(role.label, name, demo_email(local)) for role, name, local, _cluster in DEMO_PROGRAMME_PEOPLE]
    for school in DEMO_SCHOOLS:
        logins.append((f"{Role.HEAD.label}, {school.name}", school.head, demo_email(f"head.{school.slug}")))
        logins.append((f"{Role.SENCO.label}, {school.name}", school.senco, demo_email(f"senco.{school.slug}")))
    return logins


# How the current year stands -------------------------------------------------------------------

# Triad A: one signed off and moderated, one submitted, one part-way through; the other triads have
# submitted, so the lead's dashboard has counts to show (groups of fewer than 3 are hidden: each area has
# 0 or 3 or more of the submitted schools at each level, so its average and its change show). Each
# self-evaluation is submitted on its day (and signed off a week later); until then it is a draft.
DEMO_LEVELS = {700101: (3, 2, 3, 4, 2, 3, 3, 4), 700102: (2, 2, 3, 3, 2, 2, 3, 3), 700103: (2, 1, 2),
               700104: (3, 3, 2, 3, 4, 2, 3, 3), 700105: (2, 3, 2, 2, 3, 3, 3, 2), 700106: (1, 2, 2, 3, 2, 2, 2, 2),
               700107: (3, 3, 3, 4, 4, 3, 3, 4), 700108: (3, 3, 3, 2, 3, 3, 2, 3), 700109: (1, 2, 2, 3, 2, 2, 2, 2),
               700110: (2, 2, 3, 3, 4, 3, 3, 3), 700111: (1, 2, 3, 2, 2, 2, 3, 2), 700112: (3, 3, 3, 4, 3, 3, 2, 4)}
DEMO_SUBMITTED: dict[int, YearDay] = {
    700101: (9, 26), 700102: (10, 2), 700104: (9, 29), 700105: (10, 1), 700106: (10, 6), 700107: (9, 24),
    700108: (10, 3), 700109: (10, 9), 700110: (9, 30), 700111: (10, 7), 700112: (10, 10)}
DEMO_SIGNED_OFF = {700101, 700104, 700105, 700107, 700108, 700110, 700112}
SIGN_OFF_DAYS = 7  # after submitting
# Each moderated school's QA visit (month, day) and the ratings given there, once the visit has happened.
DEMO_MODERATED: dict[int, tuple[YearDay, tuple[int, ...]]] = {
    700101: ((11, 18), (3, 4, 3, 3, 2, 3, 2, 3)),  # area 2 is two levels from Alder Grove's own rating
    700104: ((11, 25), (3, 3, 2, 3, 3, 2, 3, 3)),
    700107: ((12, 2), (3, 4, 3, 3, 3, 3, 3, 3)),
    700110: ((1, 20), (3, 2, 3, 3, 2, 3, 3, 3)),  # area 5 is two levels below Larchmere's own
}
# Heads who share their school's work with the programme lead (so the dashboard can name them).
DEMO_SHARED = {700101, 700104, 700107, 700110, 700112}


@dataclass(frozen=True)
class DemoAction:
    """An action of a demo plan; its progress notes (status, note, day) are written once their day has come."""

    area: int
    description: str
    owner: str  # "head", "senco" or a named person
    due: YearDay
    success_criteria: str
    progress: tuple[tuple[str, str, YearDay], ...] = ()


# Alder Grove's plan (Birchwood Lane's draft has the first two): drafted at meeting 1, finalised on
# PLAN_FINALISED; the first action is overdue from December until it is done in January.
DEMO_ACTIONS = (
    DemoAction(2, "Governor training on the SEND Code of Practice", "head", (11, 27),
               "Every governor has been trained and asks about SEND outcomes at meetings",
               (("on_track", "Two governors trained in November; the rest are booked for January", (11, 20)),
                ("complete", "All governors trained", (1, 22)))),
    DemoAction(5, "Introduce a graduated approach checklist for class teachers", "senco", (3, 27),
               "Every referral to the SENCo comes with a completed checklist",
               (("at_risk", "Staff absence has delayed the launch", (2, 10)),
                ("complete", "Every class teacher now uses the checklist", (5, 14)))),
    DemoAction(8, "Review the provision map each half term with class teachers", "Jo Smith, deputy head", (7, 17),
               "Interventions that are not working are stopped within a half term",
               (("on_track", "Reviewed with every year group in January", (1, 15)),)),
)
PLAN_FINALISED: YearDay = (10, 20)

# Years before the current year's start of each school's last Whole School SEND Review (month, day), None for
# not recorded: some are overdue, some due this year, some up to date.
DEMO_REVIEWS = {700101: (5, 11, 10), 700102: (3, 3, 16), 700103: (2, 6, 24), 700104: (2, 12, 3), 700105: (1, 5, 12),
                700106: None, 700107: (0, 10, 1), 700108: (1, 2, 2), 700109: (4, 1, 20), 700110: (2, 9, 29),
                700111: (3, 12, 3), 700112: (1, 11, 18)}

# Key learnings are written from LEARNINGS_WRITTEN, submitted on LEARNINGS_SUBMITTED and tagged by the lead on
# LEARNINGS_TAGGED, in both years.
LEARNINGS_WRITTEN: YearDay = (5, 20)
LEARNINGS_SUBMITTED: YearDay = (6, 24)
LEARNINGS_TAGGED: YearDay = (7, 1)
DemoLearning = tuple[str, str, str, str, str, tuple[int, ...], tuple[ImpactArea, ...], bool, tuple[int, int] | None]
# (triad, title, what we did, impact, next steps, framework areas, impact areas, submitted, (strength, breadth))
DEMO_LEARNINGS: tuple[DemoLearning, ...] = (
    ("Triad A", "A graduated approach checklist before every referral",
     "Class teachers in Years 3 and 4 completed a one-page checklist of what they had tried before referring to "
     "the SENCo, after the coach school's peer visit suggested it.",
     "Referrals now arrive with evidence of adaptive teaching, and teachers say they feel more confident trying "
     "strategies first.", "Use the checklist in every year group and share it across the North cluster.",
     (5, 3), (ImpactArea.IDENTIFICATION, ImpactArea.STAFF), True, (3, 2)),
    ("Triad A", "Half-termly drop-ins for parents and carers",
     "Each school's SENCo held an informal drop-in after school every half term, with the family support worker.",
     "More parents and carers came to review meetings, and fewer concerns were raised as complaints.",
     "Offer an online drop-in for working parents.", (4,), (ImpactArea.INCLUSION,), True, None),
    ("Triad C", "Precision teaching for early reading",
     "Teaching assistants were trained to run short daily precision teaching sessions.",
     "Teachers report faster progress in word reading for the groups taking part.",
     "Train a second teaching assistant in each school.", (3, 1), (ImpactArea.EDUCATIONAL_OUTCOMES,), True, None),
    ("Triad B", "Transition passports for Year 7", "Draft: written at meeting 2.", "To follow.", "To follow.",
     (8,), (ImpactArea.INCLUSION,), False, None),
)

# How last year ended (closed) ------------------------------------------------------------------

# Every self-evaluation signed off, every plan finalised and done, meetings 1-3 and the peer visits
# held, the key learnings submitted and tagged. A triad's three schools rated each area alike, so the
# dashboard's counts (held back at 1 or 2 schools) and the change since last year show.
DEMO_LAST_LEVELS = {"Triad A": (2, 2, 2, 3, 1, 2, 2, 2), "Triad B": (2, 2, 2, 2, 2, 1, 3, 2),
                    "Triad C": (3, 3, 2, 3, 2, 2, 2, 3)}
DEMO_LAST_SUBMITTED: YearDay = (9, 30)
DEMO_LAST_SIGNED_OFF: YearDay = (10, 10)
DEMO_LAST_PLANS_FINALISED: YearDay = (10, 23)
DEMO_LAST_MODERATED: dict[int, YearDay] = {700101: (1, 14), 700104: (1, 21), 700107: (1, 28)}
DEMO_LAST_ACTIONS = (
    DemoAction(5, "Audit interventions for impact", "senco", (11, 28),
               "Every intervention has an entry and exit measure",
               (("on_track", "Audit started with the Year 5 and 6 groups", (11, 14)),
                ("complete", "Audit done; two interventions stopped", (3, 20)))),
    DemoAction(3, "Train staff in adaptive teaching", "head", (5, 22),
               "Learning walks show adaptive teaching in every class",
               (("complete", "Every teacher trained; seen in the summer learning walks", (5, 19)),)),
)
# (month, day) of meetings 1 to 3 and of the coach's two peer visits, for the first triad; each next triad a day later.
DEMO_LAST_MEETINGS: tuple[YearDay, ...] = ((10, 7), (2, 3), (6, 9))
DEMO_LAST_VISITS: tuple[YearDay, ...] = ((11, 11), (3, 3))
DEMO_LAST_LEARNINGS: tuple[DemoLearning, ...] = (
    ("Triad A", "Sensory circuits before school",
     "Pupils who find the start of the day hard took part in a ten-minute sensory circuit, run by a teaching "
     "assistant.",
     "Calmer starts to lessons and fewer pupils needing time out in the first hour.",
     "Train a second adult so the circuit runs every day.", (6,), (ImpactArea.INCLUSION,), True, (2, 1)),
    ("Triad B", "Pupil voice in SEND reviews",
     "Pupils prepared a one-page profile with their key worker before each review meeting.",
     "Pupils spoke at every review, and targets now use their own words.",
     "Use the profiles when pupils move to a new class.", (4, 7), (ImpactArea.INCLUSION, ImpactArea.STAFF), True,
     (3, 2)),
    ("Triad C", "Adaptive teaching coaching",
     "Each teacher had three short coaching sessions on adapting tasks, with a follow-up visit.",
     "Learning walks found adapted tasks in most lessons, and fewer pupils were withdrawn from class.",
     "Pair new staff with a coach in their first term.", (3,), (ImpactArea.STAFF, ImpactArea.EDUCATIONAL_OUTCOMES),
     True, (2, 2)),
)
