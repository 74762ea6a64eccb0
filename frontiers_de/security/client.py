"""Which address a request comes from, as far as it can be trusted.

WebOb's own ``request.client_addr`` believes the first X-Forwarded-For entry of any request,
and any client can send that header: a throttle keyed on it would be dodged by sending a new
made-up address each time. The app replaces it (``includeme`` of ``frontiers_de.security``)
with :func:`client_address`: the connecting address (``REMOTE_ADDR``), unless that is one of
the proxies named by the setting ``fde.trusted_proxies``. Only then is X-Forwarded-For read,
from its right end (the entry the nearest proxy added) leftwards, skipping the trusted
proxies; the first address that is not one of them is the client.
"""

from __future__ import annotations

import ipaddress
from collections.abc import Iterable, Mapping
from typing import Any

IPNetwork = ipaddress.IPv4Network | ipaddress.IPv6Network
IPAddress = ipaddress.IPv4Address | ipaddress.IPv6Address

# Longer X-Forwarded-For headers are not read past this many entries (from the right).
MAX_FORWARDED_HOPS = 20


def parse_trusted_proxies(value: str | Iterable[str] | None) -> tuple[IPNetwork, ...]:
    """The networks of ``fde.trusted_proxies``: addresses or CIDR networks, separated by
    spaces, commas or new lines. A value that is not one raises ValueError naming it."""
    if value is None:
        return ()
    items = value.replace(",", " ").split() if isinstance(value, str) else list(value)
    networks: list[IPNetwork] = []
    for item in items:
        try:
            networks.append(ipaddress.ip_network(item.strip(), strict=False))
        except ValueError:
            raise ValueError(
                f"fde.trusted_proxies (FDE_TRUSTED_PROXIES): {item!r} is not an IP address "
                "or network such as 10.0.0.5 or 10.0.0.0/24"
            ) from None
    return tuple(networks)


def parse_address(text: str | None) -> IPAddress | None:
    """An IP address from a header or the environ (brackets, a port, an IPv6 zone and an
    IPv4-mapped IPv6 form allowed), or None when it is not one."""
    if not text:
        return None
    text = text.strip()
    if len(text) > 100:
        return None
    if text.startswith("["):  # [v6]:port
        text = text[1:].split("]", 1)[0]
    elif text.count(":") == 1:  # v4:port
        text = text.split(":", 1)[0]
    text = text.split("%", 1)[0]
    try:
        address = ipaddress.ip_address(text)
    except ValueError:
        return None
    if isinstance(address, ipaddress.IPv6Address) and address.ipv4_mapped is not None:
        return address.ipv4_mapped
    return address


def _trusted(address: IPAddress, proxies: tuple[IPNetwork, ...]) -> bool:
    return any(address.version == net.version and address in net for net in proxies)


def from_trusted_proxy(environ: Mapping[str, Any], proxies: tuple[IPNetwork, ...]) -> bool:
    """Whether the connecting address (``REMOTE_ADDR``) is one of the trusted proxies."""
    remote = parse_address(environ.get("REMOTE_ADDR"))
    return remote is not None and bool(proxies) and _trusted(remote, proxies)


def client_address(environ: Mapping[str, Any], proxies: tuple[IPNetwork, ...]) -> str:
    """The client's IP address as text, or "" when the connecting address is unknown."""
    remote = parse_address(environ.get("REMOTE_ADDR"))
    if remote is None:
        return ""
    if not proxies or not _trusted(remote, proxies):
        return str(remote)
    forwarded = str(environ.get("HTTP_X_FORWARDED_FOR") or "")
    hops = [h for h in (part.strip() for part in forwarded.split(",")) if h]
    client = remote
    for hop in reversed(hops[-MAX_FORWARDED_HOPS:]):
        address = parse_address(hop)
        if address is None:
            # Not written by a proxy we trust: what stands left of it cannot be believed.
            break
        client = address
        if not _trusted(address, proxies):
            break
    return str(client)


def client_key(address: str) -> str:
    """The unit a throttle counts by: the IPv4 address, or the /64 network of an IPv6
    address (one subscriber usually holds a whole /64, so single addresses are free to
    them). An unknown address is counted as one client, ``unknown``."""
    parsed = parse_address(address)
    if parsed is None:
        return "unknown"
    if isinstance(parsed, ipaddress.IPv6Address):
        return str(ipaddress.IPv6Network((parsed, 64), strict=False))
    return str(parsed)
