"""Scheduling pages: triad meetings, peer visits, QA visit bookings and programme events."""
