"""The head's consent for the programme lead to read the school's full self-evaluation and plan.

Consent is held per school and academic year (on the Enrolment). Permission checks read it on every
request, so withdrawing it takes effect on the lead's very next request.
"""
from __future__ import annotations

from app.common import clock
from app.extensions import db
from app.models import ProgrammeYear, School
from app.programmes.service import enrolment_of


def set_sharing(school: School, year: ProgrammeYear, shared: bool) -> bool:
    """Grant or withdraw consent. Returns True when it changed, or was decided for the first time."""
    enrolment = enrolment_of(school, year)
    first = enrolment.sharing_decided_at is None
    if first:
        enrolment.sharing_decided_at = clock.now()
    if enrolment.shared_with_lead == shared and not first:
        return False
    enrolment.shared_with_lead = shared
    db.session.flush()
    return True
