"""Email (the outbox and SMTP), reminders, and the scheduler's jobs."""
