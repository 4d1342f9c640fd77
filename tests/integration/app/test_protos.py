"""The gRPC contract is published over HTTP: a partner without the repository downloads the .proto
files and compiles them."""

from __future__ import annotations

import io
import zipfile
from importlib.resources import files
from pathlib import Path

import grpc_tools
from grpc_tools import protoc

from tests.conftest import Platform

ROOT = Path(__file__).resolve().parents[3]
SOURCES = sorted(p.relative_to(ROOT / "specs/proto").as_posix() for p in (ROOT / "specs/proto").rglob("*.proto"))


async def test_each_proto_is_served_at_its_import_path(platform: Platform) -> None:
    index = (await platform.client.get("/protos")).json()
    assert index == {"files": [f"/protos/{name}" for name in SOURCES], "archive": "/protos.zip"}
    assert "darca/ledger/v1/ledger.proto" in SOURCES
    for name in SOURCES:
        served = await platform.client.get(f"/protos/{name}")
        assert served.status_code == 200 and served.headers["content-type"].startswith("text/plain")
        assert served.text == (ROOT / "specs/proto" / name).read_text()


async def test_nothing_else_is_served_from_there(platform: Platform) -> None:
    for path in ("/protos/buf.yaml", "/protos/../../pyproject.toml", "/protos/darca/%2e%2e/%2e%2e/buf.yaml",
                 "/protos/darca/nothing.proto"):
        refused = await platform.client.get(path)
        assert refused.status_code == 404, path
        assert refused.headers["content-type"] == "application/problem+json"


async def test_the_archive_compiles_with_protoc(platform: Platform, tmp_path: Path) -> None:
    archive = await platform.client.get("/protos.zip")
    assert archive.headers["content-type"] == "application/zip"
    with zipfile.ZipFile(io.BytesIO(archive.content)) as unpacked:
        assert sorted(unpacked.namelist()) == SOURCES
        unpacked.extractall(tmp_path / "protos")
    out = tmp_path / "out"
    out.mkdir()
    well_known = files(grpc_tools) / "_proto"  # google/protobuf/*.proto, as protoc ships them
    status = protoc.main(["protoc", f"-I{tmp_path / 'protos'}", f"-I{well_known}", f"--python_out={out}",
                          *(str(tmp_path / "protos" / name) for name in SOURCES)])
    assert status == 0
    assert (out / "darca/ledger/v1/ledger_pb2.py").is_file()
