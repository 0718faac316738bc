"""The fictional Northbrook demo programme as facts: its schools, triads and people, the password
every demo account shares, and how the 2025/26 year stands. Every organisation, school and person
here is invented; there are no pupils, ever. app.demo.programme writes it to the database."""
from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from functools import cache

from werkzeug.security import generate_password_hash

from app.models import ImpactArea, Role, SettingType

# Public on purpose: it only opens fictional demo accounts.
DEMO_PASSWORD = "demo-password-2025"
DEMO_ORGANISATION = "Northbrook Borough Council"
DEMO_PROGRAMME = "Northbrook SEND Triads"
DEMO_START_YEAR = 2025
DEMO_DOMAIN = "northbrook.example"

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
DEMO_DESCRIPTION = (f"{DEMO_ORGANISATION}, {DEMO_PROGRAMME} {DEMO_START_YEAR}/{(DEMO_START_YEAR + 1) % 100:02d}, "
                    f"{len(DEMO_SCHOOLS)} schools in {len(DEMO_TRIADS)} triads")

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


# How the demo year stands ----------------------------------------------------------------------

# Triad A: one signed off and moderated, one submitted, one part-way through; the other triads have
# submitted, so the lead's dashboard has counts to show (groups of fewer than 3 are hidden).
DEMO_LEVELS = {700101: (3, 2, 3, 4, 2, 3, 3, 2), 700102: (2, 2, 3, 3, 2, 2, 3, 3), 700103: (2, 1, 2),
               700104: (3, 3, 2, 3, 3, 2, 4, 3), 700105: (2, 3, 2, 2, 3, 3, 3, 2), 700106: (1, 2, 2, 3, 2, 1, 2, 2),
               700107: (4, 4, 3, 4, 3, 3, 3, 4), 700108: (3, 3, 3, 2, 2, 3, 2, 3), 700109: (2, 2, 2, 3, 1, 2, 2, 2),
               700110: (3, 2, 3, 3, 4, 3, 3, 3), 700111: (2, 2, 3, 2, 2, 2, 3, 2), 700112: (3, 3, 4, 4, 3, 3, 2, 4)}
DEMO_SIGNED_OFF = {700101, 700104, 700105, 700107, 700108, 700110, 700112}
DEMO_MODERATED = {
    700101: (3, 4, 3, 3, 2, 3, 2, 2),  # area 2 is two levels from Alder Grove's own rating
    700104: (3, 3, 2, 3, 2, 2, 3, 3),
    700107: (3, 4, 3, 3, 3, 3, 3, 3),
    700110: (3, 2, 3, 3, 2, 3, 3, 3),  # area 5 is two levels below Larchmere's own
}
# Heads who share their school's work with the programme lead (so the dashboard can name them).
DEMO_SHARED = {700101, 700104, 700107, 700110, 700112}

# (area number, what will be done, owner: "head", "senco" or a name, due date, success criteria, progress)
DEMO_ACTIONS: tuple[tuple[int, str, str, date, str, list[tuple[str, str, date]]], ...] = (
    (2, "Governor training on the SEND Code of Practice", "head", date(2026, 1, 30),
     "Every governor has been trained and asks about SEND outcomes at meetings",
     [("on_track", "Two governors trained in November; the rest are booked for January", date(2025, 11, 20)),
      ("complete", "All governors trained", date(2026, 2, 10))]),
    (5, "Introduce a graduated approach checklist for class teachers", "senco", date(2026, 3, 27),
     "Every referral to the SENCo comes with a completed checklist",
     [("at_risk", "Staff absence has delayed the launch", date(2026, 2, 10))]),
    (8, "Review the provision map each half term with class teachers", "Jo Smith, deputy head", date(2026, 7, 17),
     "Interventions that are not working are stopped within a half term", []),
)

# Years before DEMO_START_YEAR of each school's last Whole School SEND Review (month, day), None for
# not recorded: some are overdue, some due in the demo year, some up to date.
DEMO_REVIEWS = {700101: (5, 11, 10), 700102: (3, 3, 16), 700103: (2, 6, 24), 700104: (2, 12, 3), 700105: (1, 5, 12),
                700106: None, 700107: (0, 10, 1), 700108: (1, 2, 2), 700109: (4, 1, 20), 700110: (2, 9, 29),
                700111: (3, 12, 3), 700112: (1, 11, 18)}

# (triad, title, what we did, impact, next steps, framework areas, impact areas, submitted, (strength, breadth))
DEMO_LEARNINGS = (
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
