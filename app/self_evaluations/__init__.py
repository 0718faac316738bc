"""Self-evaluation pages: completing, submitting, signing off, moderating and comparing."""
