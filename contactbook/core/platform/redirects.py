"""Redirect targets kept within this site, whatever a link, form or Referer asks for."""

from __future__ import annotations


def is_local_path(target: str) -> bool:
    """Tell whether a redirect to `target` stays on this site: "/" and a path, no host.

    Browsers read "//host", "/\\host" and "/<tab>/host" as another site's address, so a
    second slash, any backslash and any control character or space are refused.
    """
    if not target.startswith("/") or target.startswith("//"):
        return False
    return "\\" not in target and all(0x20 < ord(char) != 0x7F for char in target)
