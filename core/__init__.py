"""DARCA Core: the invariants every module relies on."""
