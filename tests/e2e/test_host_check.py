"""DNS rebinding: the served dashboard refuses requests that name another host.

A malicious page whose domain resolves to 127.0.0.1 reaches the dashboard from
the visitor's browser with ``Host: attacker.example:PORT`` (and a matching
Origin). The WebSocket carries every action of the app (the Collectors page
ingests server-side files), so that handshake must fail, while the names of
this machine still work. Raw sockets: a browser could not send these headers.
"""

from __future__ import annotations

import base64
import os
import socket
from pathlib import Path

import pytest

from tests.e2e.harness import dashboard_server


def _handshake(port: int, host: str, origin: str) -> str:
    """The status line of a WebSocket upgrade to Streamlit's stream with these headers."""
    key = base64.b64encode(os.urandom(16)).decode()
    request = (f"GET /_stcore/stream HTTP/1.1\r\nHost: {host}\r\nOrigin: {origin}\r\nUpgrade: websocket\r\n"
               f"Connection: Upgrade\r\nSec-WebSocket-Key: {key}\r\nSec-WebSocket-Version: 13\r\n"
               "Sec-WebSocket-Protocol: streamlit\r\n\r\n")
    with socket.create_connection(("127.0.0.1", port), timeout=10) as sock:
        sock.sendall(request.encode())
        return sock.recv(4096).decode("latin-1").split("\r\n", 1)[0]


@pytest.mark.slow
def test_websocket_with_a_foreign_host_header_is_refused(tmp_path: Path) -> None:
    with dashboard_server(tmp_path / "store", tmp_path / "server.log") as url:
        port = int(url.rstrip("/").rsplit(":", 1)[1])
        for name in (f"attacker.example:{port}", "attacker.example", f"127.0.0.1.attacker.example:{port}"):
            status = _handshake(port, name, f"http://{name}")
            assert " 101 " not in status, (name, status)
        for name in (f"localhost:{port}", f"127.0.0.1:{port}", f"[::1]:{port}"):
            assert " 101 " in _handshake(port, name, f"http://{name}"), name
