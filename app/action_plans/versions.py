"""A plan's versions: the snapshot a finalised version keeps (ActionSnapshot rows), what everyone but the
school's own staff reads (the last finalised version), and what changed between two versions."""
from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import Any

from app.common import dates
from app.models import Action, ActionPlan, PlanStatus
from app.models.action_plan import ActionSnapshot

# Actions as a version keeps them: snapshots, or a version's stored content (its JSON rows).
Kept = Iterable[ActionSnapshot | Mapping[str, Any]]


def owner_label(action: Action) -> str:
    return action.owner.name if action.owner else action.owner_name


def snapshot(actions: Iterable[Action]) -> list[ActionSnapshot]:
    """The plan's actions as plain values: what versions keep, what exports write, what diffs compare."""
    rows = []
    for action in sorted(actions, key=lambda a: a.number):
        latest = action.updates[-1] if action.updates else None
        rows.append(ActionSnapshot(
            number=action.number, areas=tuple(f"{area.position}. {area.title}" for area in action.areas),
            description=action.description, owner=owner_label(action), due_on=action.due_on,
            success_criteria=action.success_criteria, status=action.status,
            latest_note=latest.note if latest else "", latest_note_on=latest.noted_on if latest else None))
    return rows


def as_snapshots(rows: Kept) -> list[ActionSnapshot]:
    """The rows typed: stored JSON rows are read (ActionSnapshot.from_json), snapshots stay as they are."""
    return [row if isinstance(row, ActionSnapshot) else ActionSnapshot.from_json(row) for row in rows]


def shared_actions(plan: ActionPlan | None) -> list[ActionSnapshot]:
    """The one answer to "which of this school's actions may others see": the last finalised version's.
    While the plan stands finalised that is the live plan (the same content, with its progress since);
    while the school drafts the next version it is the version as kept, statuses as they were then, so
    a draft-only action or a draft edit never shows. Nothing before the first version is finalised."""
    if plan is None or not plan.versions:
        return []
    if plan.status == PlanStatus.FINALISED:
        return snapshot(plan.actions)
    return plan.versions[-1].actions


def actions_seen(plan: ActionPlan | None, staff: bool) -> list[ActionSnapshot]:
    """The plan's actions as a reader sees them: the live plan for the school's own staff, and for
    everyone else (pages, digests, counts, reports, exports) the last finalised version."""
    if plan is None:
        return []
    return snapshot(plan.actions) if staff else shared_actions(plan)


# --- Comparing versions --------------------------------------------------------------------------

FIELD_LABELS = {"areas": "Areas", "description": "What will be done", "owner": "Owner", "due_on": "Due date",
                "success_criteria": "Success criteria"}


@dataclass
class ActionChange:
    number: int
    kind: str  # "added", "removed" or "changed"
    fields: list[tuple[str, str, str]]  # (label, before, after)


def compare_versions(before: Kept, after: Kept) -> list[ActionChange]:
    """What changed in the plan's content between two versions (status and notes are progress, not content)."""
    old = {row.number: row for row in as_snapshots(before)}
    new = {row.number: row for row in as_snapshots(after)}
    changes = []
    for number in sorted(old.keys() | new.keys()):
        if number not in old:
            changes.append(ActionChange(number, "added", _fields(None, new[number])))
        elif number not in new:
            changes.append(ActionChange(number, "removed", _fields(old[number], None)))
        else:
            fields = [f for f in _fields(old[number], new[number]) if f[1] != f[2]]
            if fields:
                changes.append(ActionChange(number, "changed", fields))
    return changes


def _shown(row: ActionSnapshot | None) -> dict[str, str]:
    if row is None:
        return dict.fromkeys(FIELD_LABELS, "")
    return {"areas": "; ".join(row.areas), "description": row.description, "owner": row.owner,
            "due_on": dates.day(row.due_on), "success_criteria": row.success_criteria}


def _fields(before: ActionSnapshot | None, after: ActionSnapshot | None) -> list[tuple[str, str, str]]:
    old, new = _shown(before), _shown(after)
    return [(label, old[name], new[name]) for name, label in FIELD_LABELS.items()]
