"""A school's people (who holds a role, inviting, ending a role, naming a successor) and invitations in bulk."""
