"""The policy decision point: business permissions decided by versioned Cedar policies, every decision
logged (facade: api.py)."""
