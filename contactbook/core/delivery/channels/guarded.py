"""The aiohttp session Web Push goes through: it connects only to listed push services.

Endpoints come from browsers, so a hostile one could name an internal address, or a listed
name whose DNS answer points inside. Every request (each redirect too) is checked against
CONTACTBOOK_PUSH_SERVICE_HOSTS before it leaves, and names resolve through a resolver that
drops non-public addresses, so the address checked is the address connected to.
"""

from __future__ import annotations

import socket

import aiohttp
from aiohttp.abc import AbstractResolver, ResolveResult
from aiohttp.client_middlewares import ClientHandlerType
from aiohttp.resolver import DefaultResolver

from contactbook.core.delivery.push_services import SETTING, PushServices


class Refused(aiohttp.ClientError):
    """We will not connect there: not a listed push service, or not a public address.

    Sending again will not help, so a delivery that meets this is a configuration error."""


class GuardedResolver(AbstractResolver):
    """aiohttp's default resolver, keeping only addresses the push services setting allows."""

    def __init__(self, services: PushServices) -> None:
        self._services = services
        self._resolver = DefaultResolver()

    async def resolve(
        self, host: str, port: int = 0, family: socket.AddressFamily = socket.AF_INET
    ) -> list[ResolveResult]:
        """Resolve `host`; refuse it when none of its addresses is public or listed."""
        found = await self._resolver.resolve(host, port, family)
        kept = [result for result in found if self._services.allows_address(result["host"])]
        if not kept:
            addresses = ", ".join(sorted({result["host"] for result in found}))
            raise Refused(
                f"{host} resolves to {addresses}, not a public address; list the address "
                f"in {SETTING} to allow it"
            )
        return kept

    async def close(self) -> None:
        """Release the wrapped resolver."""
        await self._resolver.close()


def guarded_session(services: PushServices, limit: int) -> aiohttp.ClientSession:
    """A session that refuses every request outside `services` (call on the sender loop)."""

    async def only_push_services(
        request: aiohttp.ClientRequest, handler: ClientHandlerType
    ) -> aiohttp.ClientResponse:
        refusal = services.check(str(request.url))
        if refusal is not None:
            raise Refused(f"{request.url.host}: {refusal.value}")
        return await handler(request)

    connector = aiohttp.TCPConnector(limit=limit, resolver=GuardedResolver(services))
    return aiohttp.ClientSession(connector=connector, middlewares=(only_push_services,))
