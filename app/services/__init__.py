"""Domain rules as plain functions, testable without HTTP (their errors: app.common.errors)."""
