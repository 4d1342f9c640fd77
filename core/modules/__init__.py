"""Module Registry: which product modules this deployment has and which are switched on."""
