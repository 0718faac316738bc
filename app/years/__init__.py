"""A programme's years over its life: closing, reopening, starting the next, its arc."""
