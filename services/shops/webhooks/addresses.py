"""Server-side request forgery: a webhook must not make this service call its own network.

An address is checked when the endpoint is registered and again before every delivery (a
name may resolve elsewhere later). Development allows loopback, so a shop's developer can
receive deliveries on their own machine.
"""

from __future__ import annotations

import ipaddress
import socket


class ForbiddenAddress(Exception):
    pass


def check_host(host: str, *, allow_loopback: bool) -> None:
    """Raise ForbiddenAddress unless every address `host` resolves to is public."""
    try:
        infos = socket.getaddrinfo(host, None, proto=socket.IPPROTO_TCP)
    except (OSError, UnicodeError) as error:
        raise ForbiddenAddress(f"{host} does not resolve") from error
    for info in infos:
        address = ipaddress.ip_address(info[4][0].split("%")[0])
        if address.is_loopback and allow_loopback:
            continue
        if not address.is_global:
            raise ForbiddenAddress(f"{host} points at a private or local address ({address})")
