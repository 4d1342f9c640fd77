"""Strict decoding of JSON request bodies, the same for every operation.

A body is refused with a 400 problem before any model sees it when it is not UTF-8 JSON, when an
object repeats a key (a proxy or signature check reading the first key would see another request
than the one we run), or when it nests deeper than `MAX_DEPTH` (deep nesting only costs CPU and
stack: no schema of the contract goes beyond a few levels). U+0000 is refused as a validation
problem, since no database text column can store it. The size limit is the middleware's (413).
"""

from __future__ import annotations

import json
from typing import Any

from core.platform.problems import FieldProblem, ProblemError, validation_failed

MAX_DEPTH = 32


def _malformed(detail: str) -> ProblemError:
    return ProblemError(400, "MALFORMED_JSON", "Malformed JSON", detail)


def _too_deep() -> ProblemError:
    return ProblemError(400, "JSON_TOO_DEEP", "JSON nested too deeply",
                        f"The body nests objects and arrays more than {MAX_DEPTH} levels deep.")


def _object_without_duplicates(pairs: list[tuple[str, Any]]) -> dict[str, Any]:
    result: dict[str, Any] = {}
    for key, value in pairs:
        if key in result:
            raise ProblemError(400, "DUPLICATE_JSON_KEY", "Duplicate JSON key",
                               f"The key {key!r} appears more than once in one object; send it once.",
                               extensions={"key": key})
        result[key] = value
    return result


def _check_shape(document: Any) -> None:
    """Depth and NUL characters, walked without recursion (the document may be ~1,000 levels deep)."""
    stack: list[tuple[Any, tuple[str, ...]]] = [(document, ("body",))]
    while stack:
        value, path = stack.pop()
        if isinstance(value, str):
            if "\x00" in value:
                raise validation_failed([FieldProblem(".".join(path), "NUL_CHARACTER",
                                                      "Text must not contain the NUL character (U+0000).")])
            continue
        if isinstance(value, dict):
            children = [(item, path + (key,)) for key, item in value.items()]
            for key in value:
                if "\x00" in key:
                    raise validation_failed([FieldProblem(".".join(path + (key,)), "NUL_CHARACTER",
                                                          "Text must not contain the NUL character (U+0000).")])
        elif isinstance(value, list):
            children = [(item, path + (str(index),)) for index, item in enumerate(value)]
        else:
            continue
        if len(path) > MAX_DEPTH:  # path = "body" + one step per level entered
            raise _too_deep()
        stack.extend(children)


def decode_json(raw: bytes) -> Any:
    """The body as Python values, or a ProblemError (400 malformed/duplicate/too deep, 422 NUL)."""
    try:
        document = json.loads(raw, object_pairs_hook=_object_without_duplicates)
    except RecursionError:
        raise _too_deep() from None
    except (json.JSONDecodeError, UnicodeDecodeError) as exc:
        raise _malformed(f"The body is not valid JSON: {exc}.") from None
    _check_shape(document)
    return document
