"""Meetings, peer and QA visits, events, and calendars (.ics and feeds)."""
