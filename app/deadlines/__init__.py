"""Programme deadlines: the lead's dates for each academic year, and chasers to whoever has not done it."""
