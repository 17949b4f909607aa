"""Connections to addresses people give us go to public addresses only, checked where the
connection is made: a receiver on this machine, a private network, or a name that answers
the check one way and the connection another (DNS rebinding) is never reached."""

from __future__ import annotations

import http.server
import socket
import threading
from collections.abc import Iterator

import pytest

from services.common import public_http
from services.common.public_http import AddressRule, ForbiddenAddress, check_host, public_session


class Recorder(http.server.BaseHTTPRequestHandler):
    hits: list[str] = []

    def do_GET(self) -> None:  # noqa: N802 (the standard library's name)
        Recorder.hits.append(self.path)
        self.send_response(200)
        self.send_header("Content-Length", "2")
        self.end_headers()
        self.wfile.write(b"ok")

    def log_message(self, *_args) -> None:  # noqa: ANN002
        pass


@pytest.fixture
def local_server() -> Iterator[int]:
    Recorder.hits = []
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Recorder)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield server.server_address[1]
    server.shutdown()
    server.server_close()


def test_a_receiver_on_this_machine_is_never_reached(local_server):
    session = public_session()
    for host in ("127.0.0.1", "localhost"):
        with pytest.raises(ForbiddenAddress, match="private or local"):
            session.get(f"http://{host}:{local_server}/hook", timeout=2)
    assert Recorder.hits == []


def test_development_may_allow_loopback(local_server):
    session = public_session(AddressRule(allow_loopback=True))
    assert session.get(f"http://localhost:{local_server}/hook", timeout=2).text == "ok"
    assert Recorder.hits == ["/hook"]


def test_the_connection_goes_to_the_address_that_was_checked(local_server, monkeypatch):
    """A rebinding name answers the first lookup with a public address and every later one
    with this machine. The check and the connection share one lookup, so the connection
    goes to the public address (unreachable here), never to the local server."""
    public = "8.8.8.8"
    lookups: list[str] = []
    real = socket.getaddrinfo

    def rebinding(host, port, *args, **kwargs):  # noqa: ANN001, ANN002, ANN003
        if host != "rebind.example":
            return real(host, port, *args, **kwargs)
        lookups.append(host)
        address = public if len(lookups) == 1 else "127.0.0.1"
        return [(socket.AF_INET, socket.SOCK_STREAM, 6, "", (address, port))]

    monkeypatch.setattr(public_http.socket, "getaddrinfo", rebinding)
    session = public_session()
    with pytest.raises(Exception) as raised:
        session.get(f"http://rebind.example:{local_server}/hook", timeout=0.5)
    assert not isinstance(raised.value, ForbiddenAddress)  # it passed the check...
    assert lookups == ["rebind.example"]  # ...with the one lookup its connection used
    assert Recorder.hits == []


def test_a_name_with_one_private_address_among_public_ones_is_refused(monkeypatch):
    def mixed(host, port, *args, **kwargs):  # noqa: ANN001, ANN002, ANN003
        return [
            (socket.AF_INET, socket.SOCK_STREAM, 6, "", ("8.8.8.8", port)),
            (socket.AF_INET, socket.SOCK_STREAM, 6, "", ("10.0.0.7", port)),
        ]

    monkeypatch.setattr(public_http.socket, "getaddrinfo", mixed)
    with pytest.raises(ForbiddenAddress, match="10.0.0.7"):
        check_host("mixed.example")
    with pytest.raises(ForbiddenAddress, match="10.0.0.7"):
        public_session().get("http://mixed.example/hook", timeout=0.5)


@pytest.mark.parametrize(
    "host", ["169.254.169.254", "10.1.2.3", "192.168.0.1", "::1", "no-such-host.invalid"]
)
def test_metadata_private_local_and_unknown_hosts_are_refused(host):
    with pytest.raises(ForbiddenAddress):
        check_host(host)
