"""Builders for the celebration of learning: learnings written and submitted through the service."""
from __future__ import annotations

from app.celebration.service import LearningInput, areas_of, save_learning, submit_celebration
from app.extensions import db
from app.models import ImpactArea, Triad, User


def learning_input(title: str = "Graduated approach checklist", areas: tuple[int, ...] = (5,),
                   impact_areas: tuple[ImpactArea, ...] = (ImpactArea.IDENTIFICATION,), triad: Triad | None = None,
                   area_ids=None, **changes) -> LearningInput:
    if area_ids is None:
        area_ids = [a.id for a in areas_of(triad) if a.position in areas] if triad else []
    values = {"title": title, "what_we_did": "Class teachers completed a checklist before every referral.",
              "impact": "Referrals to the SENCo arrive with evidence; fewer are needed.",
              "next_steps": "Share the checklist with the other schools in the cluster.",
              "area_ids": area_ids, "impact_areas": [a.value for a in impact_areas], **changes}
    return LearningInput(**values)


def add_learning(triad: Triad, title: str = "Graduated approach checklist", **changes):
    learning = save_learning(triad, None, learning_input(title, triad=triad, **changes), areas_of(triad))
    db.session.commit()
    return learning


def submitted(triad: Triad, by: User, *titles: str) -> None:
    for title in titles or ("Graduated approach checklist",):
        add_learning(triad, title)
    submit_celebration(triad, by)
    db.session.commit()
