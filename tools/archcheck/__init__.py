"""`python -m tools.archcheck`: the house rules a tool can check (run by `make check`)."""
