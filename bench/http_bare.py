"""The baseline of the HTTP bench: a bare FastAPI endpoint served with the platform's own server
configuration (app/server.py), so a change of event loop or HTTP parser applies to both.

    .venv/bin/python -m bench.http_bare PORT
"""

from __future__ import annotations

import sys

import uvicorn
from fastapi import FastAPI

from app.server import server_config
from core.platform.settings import Settings

app = FastAPI()


@app.get("/hello")
async def hello() -> dict[str, str]:
    return {"hello": "world"}


def main() -> None:
    settings = Settings(http_host="127.0.0.1", http_port=int(sys.argv[1]))
    uvicorn.Server(server_config(app, settings)).run()


if __name__ == "__main__":
    main()
