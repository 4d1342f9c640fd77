"""The error catalogue served at /docs/errors (HTML, one anchor per code) and /docs/errors.json.

Both are rendered here from `generated/problems.py` (built from `specs/problems.yaml`), so they need no
docs build and no Node.js. Every problem's `type` links to `<API base URL>/docs/errors#<CODE>`
(app/problems.py). All catalogue text is escaped: it is data, not markup; only `back-quoted` words
become <code>.
"""

from __future__ import annotations

import re
from html import escape
from typing import Any

from fastapi import APIRouter
from fastapi.responses import HTMLResponse, JSONResponse

from generated.problems import (
    DOCS_PATH,
    FIELD_PROBLEM_FAMILIES,
    FIELD_PROBLEMS,
    GRPC_STATUS,
    PROBLEMS,
    FieldProblemInfo,
    ProblemInfo,
    Retry,
)

from .problems import problem_type

FIELD_SECTION = "field-problems"

RETRY_TEXT = {
    Retry.NO: "No: the same request fails again; change it, or stop.",
    Retry.AFTER_DELAY: "Yes, after the Retry-After delay, with the same request and Idempotency-Key.",
    Retry.AFTER_FIX: "Yes, once the operations below (or the action above) have succeeded.",
    Retry.SAFE: "Yes: nothing was done, and sending the same request again is safe.",
}

_CODE_SPAN = re.compile(r"`([^`]+)`")

STYLE = """
body { font-family: system-ui, sans-serif; max-width: 60em; margin: 2em auto; padding: 0 1em; line-height: 1.5; color: #1d1d1f }
h1 { margin-bottom: .2em } h2 { margin: 1.6em 0 .3em; font-size: 1.15em }
section { border-top: 1px solid #ddd; padding-top: .4em } section:target { background: #fff8d6 }
code { background: #f2f2f2; padding: 0 .25em; border-radius: 3px }
dl { display: grid; grid-template-columns: 9em 1fr; gap: .2em 1em; margin: .4em 0 }
dt { font-weight: 600; color: #555 } dd { margin: 0 }
nav ul { columns: 3; list-style: none; padding: 0; font-size: .9em }
a { color: #0b57d0 }
"""


def _text(value: str) -> str:
    return _CODE_SPAN.sub(r"<code>\1</code>", escape(value))


def _problem(info: ProblemInfo) -> str:
    code = escape(info.code)
    grpc = sorted({GRPC_STATUS.get(s, "INTERNAL") for s in info.status})
    rows = [
        ("HTTP status", ", ".join(str(s) for s in info.status)),
        ("gRPC status", ", ".join(escape(g) for g in grpc) + f" (ErrorInfo.reason <code>{code}</code>)"),
        ("Meaning", _text(info.meaning)),
        ("What to do", _text(info.action)),
        ("Retry", escape(RETRY_TEXT[info.retry])),
    ]
    if info.fix:
        rows.append(("Resolved by", ", ".join(f"<code>{escape(op)}</code>" for op in info.fix)))
    if info.reserved:
        rows.append(("Reserved", _text(info.reserved)))
    cells = "".join(f"<dt>{label}</dt><dd>{value}</dd>" for label, value in rows)
    return (f'<section id="{code}"><h2><a href="#{code}">{code}</a> — {escape(info.title)}</h2>'
            f"<dl>{cells}</dl></section>")


def _field(info: FieldProblemInfo, anchor: str) -> str:
    return (f'<section id="{escape(anchor)}"><h2><a href="#{escape(anchor)}">{escape(info.code)}</a></h2><dl>'
            f"<dt>Meaning</dt><dd>{_text(info.meaning)}</dd><dt>What to do</dt><dd>{_text(info.action)}</dd>"
            "</dl></section>")


def render_html() -> str:
    index = "".join(f'<li><a href="#{escape(c)}">{escape(c)}</a></li>' for c in PROBLEMS)
    problems = "".join(_problem(info) for info in PROBLEMS.values())
    fields = "".join(_field(info, f"field-{info.code}") for info in FIELD_PROBLEMS.values())
    families = "".join(_field(info, f"field-family-{name}") for name, info in FIELD_PROBLEM_FAMILIES.items())
    return f"""<!doctype html>
<html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
<title>DARCA error catalogue</title><style>{STYLE}</style></head>
<body>
<h1>DARCA error catalogue</h1>
<p>Every refusal of the API is an RFC 9457 <code>application/problem+json</code> document with a stable
<code>code</code>; its <code>type</code> links here, to <code>{escape(DOCS_PATH)}#&lt;code&gt;</code>. gRPC calls carry
the same code as <code>google.rpc.ErrorInfo.reason</code> (domain <code>darca</code>). Codes never change meaning;
new codes may be added, so treat an unknown one by its HTTP status. The same catalogue as JSON:
<a href="{escape(DOCS_PATH)}.json">{escape(DOCS_PATH)}.json</a>.</p>
<nav><h2>Problem codes</h2><ul>{index}</ul>
<p><a href="#{FIELD_SECTION}">Field-level codes</a> (<code>errors[].code</code>)</p></nav>
<main>{problems}
<h1 id="{FIELD_SECTION}">Field-level codes</h1>
<p>A validation problem lists each offending value in <code>errors[]</code>: <code>field</code> names it
(<code>body.amount</code>, <code>query.limit</code>), <code>code</code> is one of these, <code>message</code> is for people.</p>
{fields}{families}</main>
</body></html>"""


def catalogue_json() -> dict[str, Any]:
    return {
        "docs_path": DOCS_PATH,
        "problems": [
            {"code": info.code, "type": problem_type(info.code), "status": list(info.status),
             "grpc_status": sorted({GRPC_STATUS.get(s, "INTERNAL") for s in info.status}),
             "title": info.title, "meaning": info.meaning, "action": info.action, "retry": info.retry.value,
             "fix": list(info.fix), **({"reserved": info.reserved} if info.reserved else {})}
            for info in PROBLEMS.values()
        ],
        "field_problems": [{"code": i.code, "meaning": i.meaning, "action": i.action} for i in FIELD_PROBLEMS.values()],
        "field_problem_families": [{"family": name, "meaning": i.meaning, "action": i.action}
                                   for name, i in FIELD_PROBLEM_FAMILIES.items()],
    }


def errors_router() -> APIRouter:
    router = APIRouter()
    page = render_html()  # the catalogue is fixed for the process: render once

    async def errors_page() -> HTMLResponse:
        return HTMLResponse(page)

    async def errors_json() -> JSONResponse:
        return JSONResponse(catalogue_json())  # its `type` links depend on the request's API base URL

    router.add_api_route(DOCS_PATH, errors_page, methods=["GET"], include_in_schema=False, name="docs:errors")
    router.add_api_route(f"{DOCS_PATH}.json", errors_json, methods=["GET"], include_in_schema=False,
                         name="docs:errors.json")
    return router
