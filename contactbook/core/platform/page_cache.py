"""Whole pages kept by the server under their entity tag, so a reader asking again for a page
that has not changed gets it without the view running.

Only views answering conditional GETs keep their answers (see `conditional.py`): their tag
already names everything such a page is made of (the reader and their session's CSRF token,
language, deploy, address, day, the data's change stamp and the menu badges), so a kept page is
never shown to anyone else, nor after anything on it changed. Pages are kept in the worker's
memory (a bounded number, each for a few minutes), or in Redis when
`CONTACTBOOK_PAGE_CACHE_URL` names one, shared by every worker; `CONTACTBOOK_PAGE_CACHE_PAGES=0`
keeps none. A kept page holds a child's records, so it is kept no longer than a session would
show it and never on disk.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass

import redis
from cachelib import BaseCache, NullCache, RedisCache, SimpleCache
from flask import Flask, Response, current_app

EXTENSION = "contactbook_page_cache"
KEY_PREFIX = "contactbook:page:"
logger = logging.getLogger(__name__)


@dataclass(frozen=True)
class KeptPage:
    """What is kept of an answer: its body and its type; headers are made anew on every use."""

    body: bytes
    content_type: str


def init_app(app: Flask) -> None:
    """Make the store the settings ask for: none, the worker's memory, or a Redis server."""
    pages = int(app.config["CONTACTBOOK_PAGE_CACHE_PAGES"])
    seconds = int(app.config["CONTACTBOOK_PAGE_CACHE_SECONDS"])
    url = str(app.config["CONTACTBOOK_PAGE_CACHE_URL"])
    store: BaseCache
    if pages <= 0:
        store = NullCache()
    elif url:
        store = RedisCache(
            host=redis.Redis.from_url(url), key_prefix=KEY_PREFIX, default_timeout=seconds
        )
    else:
        store = SimpleCache(threshold=pages, default_timeout=seconds)
    app.extensions[EXTENSION] = store


def kept(tag: str) -> Response | None:
    """The answer kept under this tag, as a new response, or None."""
    try:
        page = _store().get(tag)
    except redis.RedisError as error:
        logger.warning("page cache unreachable, building the page: %s", error)
        return None
    if not isinstance(page, KeptPage):
        return None
    return Response(page.body, content_type=page.content_type)


def keep(tag: str, response: Response) -> None:
    """Keep a successful, whole answer under its tag (a streamed one is not kept)."""
    if response.status_code != 200 or response.is_streamed:
        return
    try:
        _store().set(tag, KeptPage(response.get_data(), response.content_type or ""))
    except redis.RedisError as error:
        logger.warning("page cache unreachable, page not kept: %s", error)


def _store() -> BaseCache:
    return current_app.extensions[EXTENSION]
