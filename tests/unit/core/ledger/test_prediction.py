"""The process's memory of account rows: copies in, never changed after, all or nothing, bounded."""

from __future__ import annotations

from core.ledger.prediction import AccountStates


def _row(account_id: str, posted: int = 0) -> dict[str, object]:
    return {"id": account_id, "posted": posted, "version": posted}


def test_predicts_only_when_every_account_is_remembered() -> None:
    states = AccountStates()
    states.remember([_row("a", 1), _row("b", 2)])
    assert states.predict(["a", "b"]) == {"a": _row("a", 1), "b": _row("b", 2)}
    assert states.predict(["a", "c"]) is None
    states.forget(["a"])
    assert states.predict(["a"]) is None and states.predict(["b"]) == {"b": _row("b", 2)}


def test_rows_are_copied_in_and_never_changed_once_remembered() -> None:
    states = AccountStates()
    left = _row("a", 1)
    states.remember([left])
    left["posted"] = 99  # the unit goes on changing its own rows
    predicted = states.predict(["a"])
    assert predicted == {"a": _row("a", 1)}
    states.remember([_row("a", 2)])  # replaced, not updated: what a unit predicted on stays as it was
    assert predicted == {"a": _row("a", 1)}
    assert states.predict(["a"]) == {"a": _row("a", 2)}


def test_the_oldest_rows_go_first_beyond_the_limit() -> None:
    states = AccountStates(limit=2)
    states.remember([_row("a"), _row("b")])
    states.remember([_row("a", 1)])  # a is now the newest
    states.remember([_row("c")])
    assert states.predict(["b"]) is None
    assert states.predict(["a", "c"]) == {"a": _row("a", 1), "c": _row("c")}
