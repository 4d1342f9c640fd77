"""The gRPC port speaks TLS when configured; PRODUCTION never carries tokens in clear text unannounced."""

from __future__ import annotations

import datetime as dt
import ipaddress
import json
import os
import socket
import subprocess
import sys
from pathlib import Path

import grpc
import pytest
from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec
from cryptography.x509.oid import NameOID

from app.grpc_server import start_grpc_server
from app.grpc_tls import GrpcTransportNotConfigured
from app.runtime import build_runtime
from generated.proto.darca.platform.v1 import assets_pb2, assets_pb2_grpc
from tests.conftest import make_settings
from tests.running import free_port
from tests.support.grpc_callers import CALLERS, PAYMENTS_TOKEN, service_channel

ROOT = Path(__file__).resolve().parents[3]


def self_signed(directory: Path) -> tuple[Path, Path]:
    """A server certificate for localhost and 127.0.0.1 (its own issuer) and its key, as PEM files."""
    key = ec.generate_private_key(ec.SECP256R1())
    name = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, "localhost")])
    now = dt.datetime.now(dt.UTC)
    certificate = (
        x509.CertificateBuilder().subject_name(name).issuer_name(name).public_key(key.public_key())
        .serial_number(x509.random_serial_number()).not_valid_before(now - dt.timedelta(minutes=5))
        .not_valid_after(now + dt.timedelta(days=1))
        .add_extension(x509.SubjectAlternativeName([x509.DNSName("localhost"),
                                                    x509.IPAddress(ipaddress.ip_address("127.0.0.1"))]), critical=False)
        .add_extension(x509.BasicConstraints(ca=True, path_length=None), critical=True)
        .sign(key, hashes.SHA256())
    )
    cert_file, key_file = directory / "grpc.crt", directory / "grpc.key"
    cert_file.write_bytes(certificate.public_bytes(serialization.Encoding.PEM))
    key_file.write_bytes(key.private_bytes(serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8,
                                           serialization.NoEncryption()))
    return cert_file, key_file


async def test_a_tls_port_serves_callers_over_tls_and_nothing_in_clear(database_url: str, tmp_path: Path) -> None:
    cert_file, key_file = self_signed(tmp_path)
    runtime = build_runtime(make_settings(database_url, environment="PRODUCTION", grpc_tls_cert_file=str(cert_file),
                                          grpc_tls_key_file=str(key_file), relay_enabled=False))
    server = await start_grpc_server(runtime, 0, host="127.0.0.1")
    try:
        port = server.bound_port
        trust = grpc.ssl_channel_credentials(root_certificates=cert_file.read_bytes())
        calls = grpc.composite_channel_credentials(trust, grpc.access_token_call_credentials(PAYMENTS_TOKEN))
        async with grpc.aio.secure_channel(f"localhost:{port}", calls) as channel:
            reply = await assets_pb2_grpc.AssetRegistryServiceStub(channel).GetAsset(assets_pb2.GetAssetRequest(code="EUR"))
            assert reply.asset.scale == 2
        async with service_channel(port) as plaintext:  # the same token in clear text: no handshake, no call
            with pytest.raises(grpc.aio.AioRpcError) as refused:
                await assets_pb2_grpc.AssetRegistryServiceStub(plaintext).GetAsset(assets_pb2.GetAssetRequest(code="EUR"),
                                                                                   timeout=5)
            assert refused.value.code() == grpc.StatusCode.UNAVAILABLE
        untrusted = grpc.ssl_channel_credentials()  # the system's roots do not know this certificate
        async with grpc.aio.secure_channel(f"localhost:{port}", untrusted) as channel:
            with pytest.raises(grpc.aio.AioRpcError) as refused:
                await assets_pb2_grpc.AssetRegistryServiceStub(channel).GetAsset(assets_pb2.GetAssetRequest(code="EUR"),
                                                                                 timeout=5)
            assert refused.value.code() == grpc.StatusCode.UNAVAILABLE
    finally:
        await server.stop(None)
        await runtime.db.dispose()


async def test_production_without_tls_never_serves_unless_told_the_network_encrypts(database_url: str) -> None:
    port = free_port()
    runtime = build_runtime(make_settings(database_url, environment="PRODUCTION", grpc_port=port, relay_enabled=False,
                                          ledger_expiry_poll_ms=0, kyc_poll_ms=0))
    try:
        with pytest.raises(GrpcTransportNotConfigured, match="DARCA_GRPC_TLS_CERT_FILE"):
            await runtime.start()
        assert runtime.grpc_server is None
        with socket.socket() as probe:  # nothing listens
            assert probe.connect_ex(("127.0.0.1", port)) != 0
    finally:
        await runtime.stop()
    runtime = build_runtime(make_settings(database_url, environment="PRODUCTION", grpc_plaintext=True,
                                          relay_enabled=False))
    server = await start_grpc_server(runtime, 0, host="127.0.0.1")
    try:
        async with service_channel(server.bound_port) as channel:
            reply = await assets_pb2_grpc.AssetRegistryServiceStub(channel).GetAsset(assets_pb2.GetAssetRequest(code="EUR"))
            assert reply.asset.scale == 2
    finally:
        await server.stop(None)
        await runtime.db.dispose()


@pytest.mark.parametrize("files", [("missing.crt", "missing.key"), ("not-pem.crt", "not-pem.key")])
async def test_unreadable_tls_files_stop_the_start(database_url: str, tmp_path: Path, files: tuple[str, str]) -> None:
    for name in files:
        if name.startswith("not-pem"):
            (tmp_path / name).write_text("not a certificate")
    runtime = build_runtime(make_settings(database_url, environment="PRODUCTION", relay_enabled=False,
                                          grpc_tls_cert_file=str(tmp_path / files[0]),
                                          grpc_tls_key_file=str(tmp_path / files[1])))
    try:
        with pytest.raises(GrpcTransportNotConfigured):
            await start_grpc_server(runtime, 0, host="127.0.0.1")
    finally:
        await runtime.db.dispose()


def test_run_refuses_production_without_tls(tmp_path: Path) -> None:
    callers = json.dumps([caller.model_dump(mode="json") for caller in CALLERS])
    env = {**os.environ, "DARCA_DATABASE_URL": f"sqlite:///{tmp_path / 'darca.db'}", "DARCA_ENVIRONMENT": "PRODUCTION",
           "DARCA_GRPC_CALLERS": callers, "DARCA_GRPC_PORT": "50998"}
    result = subprocess.run([sys.executable, "-m", "app", "run"], cwd=ROOT, env=env, capture_output=True, text=True,
                            timeout=60, check=False)
    assert result.returncode == 2
    assert "DARCA_GRPC_TLS_CERT_FILE" in result.stderr and "DARCA_GRPC_PLAINTEXT=true" in result.stderr
    assert not (tmp_path / "darca.db").exists()  # refused before doing anything

