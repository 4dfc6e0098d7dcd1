"""HTTP handlers of the OAuth host paths (connect.remotelock.com: ``/oauth/...``).

An HTML sign-in form for the authorization code grant, the token endpoint (client
credentials in the form or HTTP Basic) and revocation. The applications, codes and
tokens live in :class:`.oauth.OAuthServer`.
"""

from __future__ import annotations

import base64
import binascii
import html
from urllib.parse import urlencode, urlsplit, urlunsplit

from aiohttp import web

from .oauth import Application, AuthorizeError, OAuthError, OAuthServer


def register(app: web.Application, oauth: OAuthServer) -> None:
    """Add the OAuth routes, served from ``oauth``, to ``app``."""
    handlers = OAuthHandlers(oauth)
    app.router.add_routes(
        [
            web.get("/oauth/authorize", handlers.authorize_page),
            web.post("/oauth/authorize", handlers.authorize_submit),
            web.post("/oauth/token", handlers.token),
            web.post("/oauth/revoke", handlers.revoke),
        ]
    )


class OAuthHandlers:
    """The aiohttp handlers of the OAuth host, bound to one :class:`OAuthServer`."""

    def __init__(self, oauth: OAuthServer) -> None:
        """Serve ``oauth``."""
        self.oauth = oauth

    async def authorize_page(self, request: web.Request) -> web.Response:
        """GET /oauth/authorize: the sign-in form."""
        params = dict(request.query)
        try:
            app, _ = self.oauth.authorize_client(params)
        except AuthorizeError as err:
            return _error_page(str(err))
        return _sign_in_page(app, params, error=None)

    async def authorize_submit(self, request: web.Request) -> web.Response:
        """POST /oauth/authorize: check e-mail/password, redirect with a code."""
        form = await request.post()
        params = {**dict(request.query), **{k: str(v) for k, v in form.items()}}
        try:
            app, redirect_uri = self.oauth.authorize_client(params)
        except AuthorizeError as err:
            return _error_page(str(err))
        code = self.oauth.sign_in(
            app, redirect_uri, params.get("email", ""), params.get("password", "")
        )
        if code is None:
            return _sign_in_page(app, params, error="Invalid e-mail or password.")
        query = {"code": code.code}
        if params.get("state"):
            query["state"] = params["state"]
        raise web.HTTPFound(_add_query(redirect_uri, query))

    async def _read_client(
        self, request: web.Request
    ) -> tuple[dict[str, str], Application | None]:
        """Read the form and the application it (or Basic auth) authenticates."""
        form = {k: str(v) for k, v in (await request.post()).items()}
        client_id = form.get("client_id", "")
        secret = form.get("client_secret", "")
        header = request.headers.get("Authorization", "")
        if header.lower().startswith("basic "):
            try:
                client_id, _, secret = (
                    base64.b64decode(header[6:]).decode().partition(":")
                )
            except binascii.Error, UnicodeDecodeError:
                return form, None
        return form, self.oauth.client(client_id, secret)

    async def token(self, request: web.Request) -> web.Response:
        """POST /oauth/token for the three supported grants."""
        self.oauth.token_requests += 1
        form, app = await self._read_client(request)
        if app is None:
            return _invalid_client()
        try:
            return web.json_response(self.oauth.grant(app, form))
        except OAuthError as err:
            return _oauth_error(err.status, err.error, err.description)

    async def revoke(self, request: web.Request) -> web.Response:
        """POST /oauth/revoke: revoke an access or refresh token at once (RFC 7009)."""
        form, app = await self._read_client(request)
        if app is None:
            return _invalid_client()
        self.oauth.revoke(app, form.get("token", ""))
        return web.json_response({})


def _invalid_client() -> web.Response:
    return _oauth_error(
        401,
        "invalid_client",
        "Client authentication failed: unknown client or wrong secret.",
    )


def _oauth_error(status: int, error: str, description: str) -> web.Response:
    return web.json_response(
        {"error": error, "error_description": description}, status=status
    )


def _add_query(uri: str, params: dict[str, str]) -> str:
    parts = urlsplit(uri)
    query = f"{parts.query}&{urlencode(params)}" if parts.query else urlencode(params)
    return urlunsplit((parts.scheme, parts.netloc, parts.path, query, parts.fragment))


_PAGE = """<!DOCTYPE html>
<html><head><meta charset="utf-8"><title>RemoteLock - Sign in</title></head>
<body>
<h1>Sign in to RemoteLock</h1>
<p>{app} wants to access your RemoteLock account.</p>
{error}
<form method="post" action="/oauth/authorize">
{hidden}
<label>E-mail <input type="email" name="email" value="{email}" autofocus></label>
<label>Password <input type="password" name="password"></label>
<button type="submit">Sign in</button>
</form>
</body></html>
"""


def _sign_in_page(
    app: Application, params: dict[str, str], error: str | None, status: int = 200
) -> web.Response:
    hidden = "\n".join(
        f'<input type="hidden" name="{name}" value="{html.escape(params[name])}">'
        for name in ("client_id", "response_type", "redirect_uri", "state")
        if params.get(name)
    )
    body = _PAGE.format(
        app=html.escape(app.name),
        error=f'<p class="error" role="alert">{html.escape(error)}</p>'
        if error
        else "",
        hidden=hidden,
        email=html.escape(params.get("email", "")),
    )
    return web.Response(text=body, content_type="text/html", status=status)


def _error_page(message: str) -> web.Response:
    body = (
        "<!DOCTYPE html><html><head><title>RemoteLock - Error</title></head><body>"
        f'<h1>An error has occurred</h1><p class="error">{html.escape(message)}</p>'
        "</body></html>"
    )
    return web.Response(text=body, content_type="text/html", status=400)
