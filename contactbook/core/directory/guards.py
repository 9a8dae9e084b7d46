"""Who may reach a page or route at all, before the services behind it check objects.

Every route needs a signed-in reader unless its view is `public` (default deny: see
`core.platform.public_routes`); signed out, the sign-in page, or a 401 on the API.

A module's menu entry names a permission; the page it opens is refused to whoever may not see
the entry, without the module repeating the check. Other views say what they need with
`permission_required`. Either way: signed out, the sign-in page (a 401 on the API); signed in
without the permission at any school, a 404, as if the page did not exist.
"""

from __future__ import annotations

from collections.abc import Callable
from functools import wraps
from typing import Any, TypeVar

from flask import Flask, abort, current_app, request
from flask.typing import ResponseReturnValue
from flask_login import current_user

from contactbook.core.directory.access import has_permission
from contactbook.core.platform.module_contract import ModuleError, core_module, registry
from contactbook.core.platform.public_routes import is_public
from contactbook.extensions import login_manager

View = TypeVar("View", bound=Callable[..., Any])
# The attribute a guarded view carries, so start-up can check the keys it names.
REQUIRED = "contactbook_permission"
MENU_GUARDS = "contactbook_menu_guards"


def permission_required(key: str) -> Callable[[View], View]:
    """Guard a view with a declared permission (`"<module>.<thing>.<action>"`).

    For pages and flask-smorest API routes alike; put it under the route decorators. It asks
    whether a role the user holds anywhere carries the permission: which objects the user may
    touch is still for the service to check (`access.require`).
    """

    def guard(view: View) -> View:
        @wraps(view)
        def guarded(*args: Any, **kwargs: Any) -> Any:
            if refusal := _refusal(key):
                return refusal
            return view(*args, **kwargs)

        setattr(guarded, REQUIRED, key)
        return guarded  # type: ignore[return-value]

    return guard


def _refusal(*keys: str) -> ResponseReturnValue | None:
    """What to answer instead of the view, if the reader holds none of the permissions."""
    if not current_user.is_authenticated:
        return login_manager.unauthorized()
    if not any(has_permission(current_user, key) for key in keys):
        abort(404)
    return None


def deny_by_default(app: Flask) -> None:
    """Send strangers to sign in from every route not declared public.

    Call it before anything else reads the request, so a signed-out request is refused before
    its body is parsed or its CSRF token checked: the answer is the same whatever it sent.
    """
    app.before_request(_require_sign_in)


def _require_sign_in() -> ResponseReturnValue | None:
    endpoint = request.endpoint
    if endpoint is None or is_public(current_app, endpoint) or current_user.is_authenticated:
        return None
    return login_manager.unauthorized()


def init_app(app: Flask) -> None:
    """Guard every module's menu pages with their entry's permission, once modules are loaded.

    Start-up also refuses a `permission_required` naming a permission no module declares, and
    a link under the sign-in form to a page that is not public.
    """
    declared = registry(app).permissions
    for endpoint, view in app.view_functions.items():
        key = getattr(view, REQUIRED, None)
        if key is not None and key not in declared:
            raise ModuleError(
                f"View {endpoint!r} requires the unknown permission {key!r}; declare it in a "
                "loaded module's permissions."
            )
    guards: dict[str, list[str]] = {}
    for module in registry(app).modules.values():
        for link in module.signin_links:
            if not is_public(app, link.endpoint):
                raise ModuleError(
                    f"Module {module.name!r}: sign-in link {link.endpoint!r} opens a page "
                    "strangers cannot open; mark its view `public`."
                )
        if module is not core_module:
            for item in module.menu:
                guards.setdefault(item.endpoint, []).append(item.permission)
    app.extensions[MENU_GUARDS] = guards
    app.before_request(_guard_menu_page)


def _guard_menu_page() -> ResponseReturnValue | None:
    """Refuse a module's menu page to whoever its entries are hidden from.

    Several entries may open one page (one per role, each with its own label): holding any
    of their permissions lets the reader in.
    """
    keys = current_app.extensions[MENU_GUARDS].get(request.endpoint)
    return _refusal(*keys) if keys else None
