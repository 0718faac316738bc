"""School phases as the clusters' lead SENCos divide them: primary, secondary, both (all-through schools)
or other, read from the phase GIAS writes."""
from __future__ import annotations

PRIMARY = "primary"
SECONDARY = "secondary"
BOTH = "both"  # all-through schools count as primary and as secondary
OTHER = "other"
_PRIMARY_WORDS = ("primary", "infant", "junior", "nursery")
_SECONDARY_WORDS = ("secondary", "16 plus")


def phase_group(phase: str | None) -> str:
    """Which lead SENCo a school's phase (as GIAS writes it) comes under: primary, secondary, both or other."""
    text = (phase or "").lower()
    if "all-through" in text or "all through" in text:
        return BOTH
    if any(word in text for word in _PRIMARY_WORDS):
        return PRIMARY
    if any(word in text for word in _SECONDARY_WORDS):
        return SECONDARY
    return OTHER


def serves_phase(phase: str | None, group: str) -> bool:
    """Does a school of this phase count as a `group` (PRIMARY or SECONDARY) school?"""
    return phase_group(phase) in (group, BOTH)
