"""Which push services the app talks to: the rule behind CONTACTBOOK_PUSH_SERVICE_HOSTS.

A subscription's endpoint is an address a browser hands us, so whoever is signed in chooses
where the notify worker connects. Only the browsers' own push services are accepted, reached
at public addresses only; a push service on this machine or the school's network (tests,
development) must be listed by its IP address.
"""

from __future__ import annotations

import enum
import ipaddress
import re
from collections.abc import Mapping
from dataclasses import dataclass
from functools import lru_cache
from typing import Any
from urllib.parse import urlsplit

SETTING = "CONTACTBOOK_PUSH_SERVICE_HOSTS"

IPAddress = ipaddress.IPv4Address | ipaddress.IPv6Address

LABEL = re.compile(r"^(?!-)[a-z0-9-]{1,63}(?<!-)$")
NAT64 = ipaddress.ip_network("64:ff9b::/96")
NAT64_LOCAL = ipaddress.ip_network("64:ff9b:1::/48")


class Refusal(enum.Enum):
    """Why an endpoint is not one we connect to (the value is the worker's wording)."""

    PLAIN_HTTP = f"plain http goes only to a loopback address listed in {SETTING}"
    UNKNOWN_SERVICE = f"not a push service listed in {SETTING}"


@dataclass(frozen=True)
class PushServices:
    """The setting, read: host-name suffixes matched on a label boundary, and exact addresses.

    A name entry ("fcm.googleapis.com") accepts that host and its subdomains over https, at
    public (or listed) addresses only. An address entry ("127.0.0.1") accepts that address
    exactly, even a private one, and plain http too when it is a loopback address.
    """

    suffixes: tuple[str, ...]
    addresses: frozenset[IPAddress]

    def check(self, url: str) -> Refusal | None:
        """Say why we would not send to `url`, or None when it is a listed push service."""
        try:
            parts = urlsplit(url)
            host = parts.hostname
        except ValueError:
            return Refusal.UNKNOWN_SERVICE
        if not host:
            return Refusal.UNKNOWN_SERVICE
        if parts.scheme != "https" and not (
            parts.scheme == "http" and self._is_listed_loopback(host)
        ):
            return Refusal.PLAIN_HTTP
        if not self.allows_host(host):
            return Refusal.UNKNOWN_SERVICE
        return None

    def allows_host(self, host: str) -> bool:
        """Whether `host` is a listed address, or a name on a listed suffix."""
        host = host.rstrip(".").lower()
        address = _address(host)
        if address is not None:
            return address in self.addresses
        if not _is_name(host):
            return False
        return any(host == suffix or host.endswith("." + suffix) for suffix in self.suffixes)

    def allows_address(self, text: str) -> bool:
        """Whether we may connect to the address a listed name resolved to."""
        address = _address(text)
        return address is not None and (address in self.addresses or is_public(address))

    def _is_listed_loopback(self, host: str) -> bool:
        address = _address(host)
        return address is not None and address.is_loopback and address in self.addresses


def is_public(address: IPAddress) -> bool:
    """Whether an address is on the public internet: not loopback, private, link-local,
    multicast or reserved, also when it hides inside an IPv6 address (mapped, 6to4, NAT64)."""
    if isinstance(address, ipaddress.IPv6Address):
        embedded = _embedded_ipv4(address)
        if embedded is not None:
            return is_public(embedded)
        if address.is_site_local or address in NAT64_LOCAL:
            return False
    return address.is_global and not (
        address.is_multicast
        or address.is_loopback
        or address.is_link_local
        or address.is_private
        or address.is_reserved
        or address.is_unspecified
    )


def push_services(config: Mapping[str, Any]) -> PushServices:
    """The app's push services, from its config (read once per distinct setting)."""
    value = config[SETTING]
    return parse(value if isinstance(value, str) else ",".join(value))


@lru_cache(maxsize=16)
def parse(setting: str) -> PushServices:
    """Read the comma-separated setting; a malformed entry stops start-up with its name."""
    suffixes: list[str] = []
    addresses: set[IPAddress] = set()
    for raw in setting.split(","):
        entry = raw.strip().rstrip(".").lower()
        if not entry:
            continue
        address = _address(entry)
        if address is not None:
            addresses.add(address)
        elif _is_name(entry):
            suffixes.append(entry)
        else:
            raise ValueError(
                f"{SETTING}: {raw.strip()!r} is neither a host name (such as "
                "fcm.googleapis.com) nor an IP address"
            )
    return PushServices(tuple(suffixes), frozenset(addresses))


def _address(text: str) -> IPAddress | None:
    try:
        address = ipaddress.ip_address(text.strip("[]").split("%")[0])
    except ValueError:
        return None
    if isinstance(address, ipaddress.IPv6Address) and address.ipv4_mapped is not None:
        return address.ipv4_mapped
    return address


def _is_name(host: str) -> bool:
    """A DNS name with a top-level label that is not all digits (so never an address)."""
    labels = host.split(".")
    return all(LABEL.match(label) for label in labels) and not labels[-1].isdigit()


def _embedded_ipv4(address: ipaddress.IPv6Address) -> ipaddress.IPv4Address | None:
    if address.ipv4_mapped is not None:
        return address.ipv4_mapped
    if address.sixtofour is not None:
        return address.sixtofour
    if address.teredo is not None:
        return address.teredo[1]
    if address in NAT64:
        return ipaddress.IPv4Address(int(address) & 0xFFFFFFFF)
    return None
