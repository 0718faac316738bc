"""Record ids as they arrive in forms and addresses: a UUID, or None for anything else."""
from __future__ import annotations

import uuid


def parse_uuid(value: str | None) -> uuid.UUID | None:
    try:
        return uuid.UUID(value) if value else None
    except ValueError:
        return None
