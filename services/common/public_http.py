"""HTTP to addresses that people give us (a shop's webhook receiver, a photo's address),
never into the network this service runs in.

The check is made where the connection is made: the name is resolved once, every address
it resolves to must be public (loopback, or any address, where development allows it), and
the socket is opened to an address that was checked. Checking a name first and letting the
HTTP library resolve it again to connect would let a name that answers the check with a
public address and the connection with a private one (DNS rebinding) through.
Proxies from the environment are not used: they would make the connection instead.
"""

from __future__ import annotations

import ipaddress
import socket
from dataclasses import dataclass

import requests
from requests.adapters import HTTPAdapter
from urllib3.connection import HTTPConnection, HTTPSConnection
from urllib3.connectionpool import HTTPConnectionPool, HTTPSConnectionPool
from urllib3.exceptions import ConnectTimeoutError, NewConnectionError
from urllib3.util import connection


class ForbiddenAddress(Exception):
    """The name resolves to an address of this machine or of a private network, or to
    nothing at all."""


@dataclass(frozen=True)
class AddressRule:
    # Development: a developer's receiver on their own machine.
    allow_loopback: bool = False
    # Tests and local runs only: every address, private networks included.
    allow_private: bool = False

    def permits(self, address: ipaddress.IPv4Address | ipaddress.IPv6Address) -> bool:
        if self.allow_private or address.is_global:
            return True
        return self.allow_loopback and address.is_loopback


PUBLIC_ONLY = AddressRule()


def resolve(host: str, port: int, rule: AddressRule = PUBLIC_ONLY) -> list[tuple]:
    """The addresses `host` resolves to, as getaddrinfo gives them; ForbiddenAddress unless
    the rule permits every one of them."""
    try:
        infos = socket.getaddrinfo(host, port, type=socket.SOCK_STREAM)
    except (OSError, UnicodeError) as error:
        raise ForbiddenAddress(f"{host} does not resolve") from error
    if not infos:
        raise ForbiddenAddress(f"{host} does not resolve")
    for info in infos:
        address = ipaddress.ip_address(str(info[4][0]).split("%")[0])
        if not rule.permits(address):
            raise ForbiddenAddress(f"{host} points at a private or local address ({address})")
    return infos


def check_host(host: str, rule: AddressRule = PUBLIC_ONLY) -> None:
    """Raise ForbiddenAddress unless `host` resolves, now, to permitted addresses only: an
    early answer for a person registering an address. Connections check again themselves."""
    resolve(host, 0, rule)


class _CheckedConnection(HTTPConnection):
    rule: AddressRule = PUBLIC_ONLY

    def _new_conn(self) -> socket.socket:
        last_error: OSError | None = None
        for *_, address in resolve(self._dns_host, self.port, self.rule):
            try:
                # An address literal: connected to as it is, with no second lookup.
                return connection.create_connection(
                    (address[0], self.port),
                    self.timeout,
                    source_address=self.source_address,
                    socket_options=self.socket_options,
                )
            except TimeoutError as error:
                raise ConnectTimeoutError(
                    self, f"Connection to {self.host} timed out (timeout={self.timeout})"
                ) from error
            except OSError as error:
                last_error = error
        raise NewConnectionError(self, f"Failed to establish a new connection: {last_error}")


class _CheckedHTTPSConnection(_CheckedConnection, HTTPSConnection):
    pass


def _pools(rule: AddressRule) -> dict[str, type]:
    http = type("CheckedHTTPConnection", (_CheckedConnection,), {"rule": rule})
    https = type("CheckedHTTPSConnection", (_CheckedHTTPSConnection,), {"rule": rule})
    return {
        "http": type("CheckedHTTPPool", (HTTPConnectionPool,), {"ConnectionCls": http}),
        "https": type("CheckedHTTPSPool", (HTTPSConnectionPool,), {"ConnectionCls": https}),
    }


class _CheckedAdapter(HTTPAdapter):
    def __init__(self, rule: AddressRule, **kwargs) -> None:  # noqa: ANN003
        self._rule = rule
        super().__init__(**kwargs)

    def init_poolmanager(self, *args, **kwargs) -> None:  # noqa: ANN002, ANN003
        super().init_poolmanager(*args, **kwargs)
        self.poolmanager.pool_classes_by_scheme = _pools(self._rule)


def public_session(rule: AddressRule = PUBLIC_ONLY, *, pool_size: int = 10) -> requests.Session:
    """A requests session whose every connection goes to addresses `rule` permits; a
    forbidden one raises ForbiddenAddress from the request."""
    session = requests.Session()
    session.trust_env = False
    adapter = _CheckedAdapter(rule, pool_connections=pool_size, pool_maxsize=pool_size)
    session.mount("http://", adapter)
    session.mount("https://", adapter)
    return session
