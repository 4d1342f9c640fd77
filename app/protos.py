"""Publishes the gRPC contract: the .proto files of specs/proto, one by one and as a zip archive.

A partner without the repository gets what `protoc` or `buf` needs: `GET /protos` lists the files,
`GET /protos/darca/ledger/v1/ledger.proto` is one file at its import path, `GET /protos.zip` all of
them (unpack and pass the folder to `protoc -I`). `google/protobuf/*` imports come with protoc.
The running server answers gRPC reflection too (app/grpc_server.py).
"""

from __future__ import annotations

import io
import zipfile
from pathlib import Path

from fastapi import APIRouter, HTTPException
from fastapi.responses import JSONResponse, PlainTextResponse, Response


def proto_files(root: Path) -> list[str]:
    """Import paths of every .proto under `root`, sorted."""
    return sorted(path.relative_to(root).as_posix() for path in root.rglob("*.proto"))


def protos_router(root: Path) -> APIRouter:
    router = APIRouter()
    files = proto_files(root)  # the contract ships with the code: read once

    def archive() -> bytes:
        buffer = io.BytesIO()
        with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as out:
            for name in files:
                # fixed timestamps: the same contract gives the same bytes
                out.writestr(zipfile.ZipInfo(name, date_time=(2020, 1, 1, 0, 0, 0)), (root / name).read_bytes())
        return buffer.getvalue()

    zipped = archive()

    @router.get("/protos", include_in_schema=False)
    async def index() -> JSONResponse:
        return JSONResponse({"files": [f"/protos/{name}" for name in files], "archive": "/protos.zip"})

    @router.get("/protos.zip", include_in_schema=False)
    async def everything() -> Response:
        return Response(zipped, media_type="application/zip",
                        headers={"Content-Disposition": 'attachment; filename="darca-protos.zip"'})

    @router.get("/protos/{name:path}", include_in_schema=False)
    async def one(name: str) -> PlainTextResponse:
        if name not in files:  # only listed files: no path leaves the folder
            raise HTTPException(404)
        return PlainTextResponse((root / name).read_text(encoding="utf-8"))

    return router
