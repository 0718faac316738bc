"""The default SEND review framework shipped with the product: the eight areas (official wording),
prompt statements written for this product in plain English, and the rating scale.

Programmes start with a copy and may adapt it; see app.services.framework.
"""
from __future__ import annotations

from dataclasses import dataclass

DEFAULT_NAME = "SEND review framework"

# (value, label, what it means)
DEFAULT_SCALE = (
    (1, "Emerging", "Practice is starting to develop; it is not yet consistent or secure."),
    (2, "Developing", "Practice is in place in parts of the school and improving."),
    (3, "Established", "Practice is consistent across the school and makes a difference."),
    (4, "Embedded", "Practice is strong, sustained, and shared with others."),
)


@dataclass(frozen=True)
class AreaContent:
    title: str
    description: str
    mainstream: tuple[str, ...]
    specialist: tuple[str, ...]


DEFAULT_AREAS = (
    AreaContent(
        "Outcomes for pupils with SEND",
        "How well pupils with SEND achieve and progress, academically and in their wider development.",
        (
            "We know how well pupils with SEND are progressing from their starting points, in every key stage.",
            "Pupils with SEND make progress that is similar to, or better than, their peers with similar starting "
            "points.",
            "We track wider outcomes, such as independence, communication and wellbeing, not only test results.",
            "Pupils with SEND leave us well prepared for their next stage of education or training.",
        ),
        (
            "Each pupil's outcomes are measured against ambitious targets drawn from their EHC plan.",
            "We track progress in communication, independence, and social and emotional development.",
            "Pupils are prepared for adulthood, including employment, independent living and community life.",
        ),
    ),
    AreaContent(
        "Leadership of SEND",
        "How leaders and governors set the vision for SEND, hold the school to account and lead improvement.",
        (
            "Senior leaders and governors share a clear, ambitious vision for pupils with SEND.",
            "The SENCo is part of the senior team, or has direct influence on whole-school decisions.",
            "Governors understand SEND provision and challenge leaders about the outcomes it achieves.",
            "SEND improvement priorities appear in the school development plan and are checked regularly.",
        ),
        (
            "Leaders make sure every member of staff understands the needs of the pupils they work with.",
            "Governors know how well pupils achieve against their EHC plan outcomes and challenge leaders on it.",
            "Leaders work with other schools and services to share specialist expertise.",
        ),
    ),
    AreaContent(
        "The quality of teaching and learning for pupils with SEND",
        "How well everyday teaching meets the needs of pupils with SEND, including adaptive teaching and support.",
        (
            "Teachers know the needs of pupils with SEND in their classes and adapt their teaching to meet them.",
            "High-quality teaching is the first response to a pupil's needs, before additional intervention.",
            "Support staff are well trained, well deployed, and help pupils become more independent.",
            "Staff get regular training on SEND, matched to the needs of the pupils in the school.",
            "Leaders check the quality of teaching for pupils with SEND and act on what they find.",
        ),
        (
            "The curriculum is planned around pupils' individual needs, with clear steps of progress.",
            "Staff use specialist approaches consistently, such as communication systems and sensory support.",
            "Therapy advice is built into everyday teaching, not only delivered in separate sessions.",
        ),
    ),
    AreaContent(
        "Working with pupils and parents/carers of pupils with SEND",
        "How the school listens to pupils and families and involves them in planning and review.",
        (
            "Parents and carers are involved in planning, reviewing and deciding on their child's support.",
            "Pupils with SEND have a say in their own targets and the support they receive.",
            "Families know who to contact and receive clear information about the provision on offer.",
            "We ask families how well we are doing and change things in response.",
        ),
        (
            "We use each pupil's preferred way of communicating to find out their views.",
            "Families are partners in annual reviews and in planning for transition.",
            "We help families find support from other services, such as short breaks and health services.",
        ),
    ),
    AreaContent(
        "Assessment and identification",
        "How the school identifies needs early and accurately and keeps its understanding of each pupil up to date.",
        (
            "We identify pupils' needs early, using clear information from teachers, families and assessments.",
            "We follow the graduated approach: assess, plan, do and review.",
            "We use specialist advice and assessment when a pupil's needs are not well understood.",
            "The SEND register is accurate and reviewed regularly.",
        ),
        (
            "Baseline assessments on entry give a full picture of each pupil's strengths and needs.",
            "We reassess regularly and update plans as pupils' needs change.",
            "Assessment draws on advice from therapists, health professionals and families.",
        ),
    ),
    AreaContent(
        "Monitoring, tracking and evaluation",
        "How the school checks that its provision works and uses what it learns to improve.",
        (
            "We record the support each pupil receives, so we can see what is working.",
            "We evaluate the impact of interventions and stop those that do not make a difference.",
            "Leaders use tracking information to spot pupils or groups who are falling behind.",
            "Our SEND information report is accurate and up to date.",
        ),
        (
            "We track small steps of progress in a way that shows what each pupil has achieved.",
            "We review the impact of therapies and specialist approaches with the professionals involved.",
            "Leaders use what they learn from monitoring to plan staff training.",
        ),
    ),
    AreaContent(
        "The efficient use of resources",
        "How funding, staff and time are used to get the best outcomes for pupils with SEND.",
        (
            "We know how our SEND funding is spent and what difference it makes.",
            "Additional adults are deployed where they have the most impact on pupils' learning.",
            "We plan provision across the school, so support is not duplicated or missed.",
            "We make good use of outside services and specialist advice.",
        ),
        (
            "Staffing, equipment and space are matched to the needs of the pupils on roll.",
            "We review the cost and impact of specialist services we commission.",
            "We share resources and expertise with mainstream schools where it helps pupils.",
        ),
    ),
    AreaContent(
        "The quality of SEND provision",
        "The overall quality and consistency of provision for pupils with SEND across the school.",
        (
            "Provision for pupils with SEND is consistent across classes, subjects and key stages.",
            "Pupils with SEND take a full part in school life, including trips, clubs and events.",
            "Transitions, between classes and between schools, are planned well for pupils with SEND.",
            "The school environment is accessible and supports pupils' sensory and physical needs.",
        ),
        (
            "Every pupil's EHC plan provision is in place and reviewed on time.",
            "Pupils have opportunities to learn alongside others in the community.",
            "Health, care and education staff work together around each pupil.",
        ),
    ),
)
