"""Real network faults for tests: a TCP forwarder between the services and the broker.

The broker is shared by everyone who runs tests on the machine, so a test never stops it.
It puts this proxy between its own processes and the broker instead: `down()` drops every
connection through it (both ends see the socket close, as when a broker dies: the broker
requeues what was unacknowledged) and refuses new ones (nothing listens on the port any
more); `up()` listens on the same port again. The services reconnect on their own, as they
would to a restarted broker.
"""

from __future__ import annotations

import contextlib
import socket
import threading
from urllib.parse import urlsplit, urlunsplit


class TcpProxy:
    def __init__(self, upstream_url: str) -> None:
        parts = urlsplit(upstream_url)
        self._upstream_url = parts
        self.upstream = (parts.hostname or "127.0.0.1", parts.port or 5672)
        self._lock = threading.Lock()
        self._connections: set[socket.socket] = set()
        self._listener: socket.socket | None = None
        self._threads: list[threading.Thread] = []
        self.port = 0
        # Connections cut by `down()`, counted on both ends.
        self.dropped = 0

    @property
    def url(self) -> str:
        """The upstream URL with the proxy's address in place of the broker's."""
        parts = self._upstream_url
        credentials = parts.netloc.rsplit("@", 1)[0] + "@" if "@" in parts.netloc else ""
        netloc = f"{credentials}127.0.0.1:{self.port}"
        return urlunsplit((parts.scheme, netloc, parts.path, parts.query, parts.fragment))

    def __enter__(self) -> TcpProxy:
        self.up()
        return self

    def __exit__(self, *_exc: object) -> None:
        self.down()

    @property
    def is_up(self) -> bool:
        return self._listener is not None

    def up(self) -> None:
        """Listen (again, on the same port) and forward every connection to the broker."""
        listener = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
        listener.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        listener.bind(("127.0.0.1", self.port))
        listener.listen(64)
        self.port = listener.getsockname()[1]
        self._listener = listener
        self._spawn(self._accept, listener)

    def down(self) -> None:
        """Drop every connection and refuse new ones, as a dead broker would."""
        listener, self._listener = self._listener, None
        if listener is not None:
            _close(listener)
        with self._lock:
            connections, self._connections = self._connections, set()
        for sock in connections:
            _close(sock)
        self.dropped += len(connections)

    def _accept(self, listener: socket.socket) -> None:
        while True:
            try:
                client, _ = listener.accept()
            except OSError:
                return  # the listener was closed: the broker is "down"
            try:
                server = socket.create_connection(self.upstream, timeout=5)
            except OSError:
                _close(client)
                continue
            server.settimeout(None)
            with self._lock:
                if self._listener is not listener:  # went down meanwhile
                    _close(client)
                    _close(server)
                    return
                self._connections.update((client, server))
            self._spawn(self._pump, client, server)
            self._spawn(self._pump, server, client)

    def _pump(self, source: socket.socket, target: socket.socket) -> None:
        try:
            while data := source.recv(65536):
                target.sendall(data)
        except OSError:
            pass
        # One side ended: end the other as well, as a broken TCP connection does.
        for sock in (source, target):
            _close(sock)
        with self._lock:
            self._connections.discard(source)
            self._connections.discard(target)

    def _spawn(self, target, *args: object) -> None:
        thread = threading.Thread(target=target, args=args, daemon=True)
        thread.start()
        self._threads.append(thread)


def _close(sock: socket.socket) -> None:
    with contextlib.suppress(OSError):
        sock.shutdown(socket.SHUT_RDWR)
    with contextlib.suppress(OSError):
        sock.close()
