"""OAuth 2.0 server of the simulated cloud (connect.remotelock.com paths).

Authorization code (HTML sign-in form), rotating single-use refresh tokens, client
credentials and revocation. Every token lives ``TOKEN_LIFETIME`` seconds of the
simulator clock and belongs to one account.
"""

from __future__ import annotations

import base64
import binascii
from dataclasses import dataclass, field
from datetime import datetime, timedelta
import html
import secrets
from typing import Any
from urllib.parse import urlencode, urlsplit, urlunsplit

from aiohttp import web

from .common_types import ClockLike
from .const import CODE_LIFETIME, TOKEN_LIFETIME


@dataclass
class Application:
    """A registered OAuth application (client)."""

    client_id: str
    client_secret: str
    name: str = "Application"
    redirect_uris: list[str] = field(default_factory=list)  # empty: any URI

    def allows(self, redirect_uri: str) -> bool:
        """Return whether ``redirect_uri`` may receive codes."""
        return not self.redirect_uris or redirect_uri in self.redirect_uris


@dataclass
class AuthCode:
    """An authorization code waiting for its exchange."""

    code: str
    client_id: str
    redirect_uri: str
    account_id: str
    user_id: str
    expires_at: datetime
    used: bool = False
    issued_tokens: list[str] = field(default_factory=list)


@dataclass
class Token:
    """An access token (and the refresh token issued with it, if any)."""

    access_token: str
    client_id: str
    account_id: str
    user_id: str | None
    expires_at: datetime
    refresh_token: str | None = None
    revoked: bool = False


@dataclass
class RefreshToken:
    """A single-use refresh token."""

    token: str
    client_id: str
    account_id: str
    user_id: str | None
    access_token: str
    used: bool = False
    revoked: bool = False


def _token() -> str:
    return f"1/{secrets.token_urlsafe(24)}"


class OAuthServer:
    """Applications, codes and tokens, with the aiohttp handlers of the OAuth host."""

    def __init__(self, clock: ClockLike) -> None:
        """Start with nothing registered."""
        self.clock = clock
        self.applications: dict[str, Application] = {}
        self.codes: dict[str, AuthCode] = {}
        self.tokens: dict[str, Token] = {}
        self.refresh_tokens: dict[str, RefreshToken] = {}
        self.account_id = ""
        self.user_id = ""
        self.user_email = ""
        self.user_password = ""
        self.token_requests = 0

    def reset(
        self,
        applications: list[dict[str, Any]],
        account_id: str,
        user_id: str,
        email: str,
        password: str,
    ) -> None:
        """Replace applications and the sign-in user; forget every code and token."""
        self.applications = {
            app["client_id"]: Application(
                client_id=app["client_id"],
                client_secret=app["client_secret"],
                name=app.get("name", "Application"),
                redirect_uris=list(app.get("redirect_uris") or []),
            )
            for app in applications
        }
        self.codes.clear()
        self.tokens.clear()
        self.refresh_tokens.clear()
        self.account_id = account_id
        self.user_id = user_id
        self.user_email = email
        self.user_password = password

    def routes(self) -> list[web.RouteDef]:
        """Return the OAuth routes."""
        return [
            web.get("/oauth/authorize", self.authorize_page),
            web.post("/oauth/authorize", self.authorize_submit),
            web.post("/oauth/token", self.token),
            web.post("/oauth/revoke", self.revoke),
        ]

    # -- tokens --------------------------------------------------------------------
    def issue(
        self, client_id: str, user_id: str | None, *, with_refresh: bool
    ) -> dict[str, Any]:
        """Create an access token (and a refresh token) and return the JSON answer."""
        token = Token(
            access_token=_token(),
            client_id=client_id,
            account_id=self.account_id,
            user_id=user_id,
            expires_at=self.clock.now() + timedelta(seconds=TOKEN_LIFETIME),
        )
        self.tokens[token.access_token] = token
        body: dict[str, Any] = {
            "access_token": token.access_token,
            "expires_in": TOKEN_LIFETIME,
            "token_type": "Bearer",
        }
        if with_refresh:
            refresh = RefreshToken(
                token=_token(),
                client_id=client_id,
                account_id=self.account_id,
                user_id=user_id,
                access_token=token.access_token,
            )
            token.refresh_token = refresh.token
            self.refresh_tokens[refresh.token] = refresh
            body["refresh_token"] = refresh.token
        return body

    def validate_bearer(self, header: str | None) -> Token | None:
        """Return the live token named by an ``Authorization`` header, or None."""
        if not header or not header.lower().startswith("bearer "):
            return None
        token = self.tokens.get(header[7:].strip())
        if token is None or token.revoked or token.expires_at <= self.clock.now():
            return None
        return token

    # -- authorize -------------------------------------------------------------------
    def _check_client(
        self, params: dict[str, str]
    ) -> tuple[Application, str] | web.Response:
        app = self.applications.get(params.get("client_id", ""))
        if app is None:
            return _error_page("Unknown client_id: this application is not registered.")
        redirect_uri = params.get("redirect_uri") or (
            app.redirect_uris[0] if app.redirect_uris else ""
        )
        if not redirect_uri or not app.allows(redirect_uri):
            return _error_page(
                "The redirect_uri is not registered for this application."
            )
        if params.get("response_type", "code") != "code":
            return _error_page("Only response_type=code is supported.")
        return app, redirect_uri

    async def authorize_page(self, request: web.Request) -> web.Response:
        """GET /oauth/authorize: the sign-in form."""
        params = dict(request.query)
        checked = self._check_client(params)
        if isinstance(checked, web.Response):
            return checked
        return _sign_in_page(checked[0], params, error=None)

    async def authorize_submit(self, request: web.Request) -> web.Response:
        """POST /oauth/authorize: check e-mail/password, redirect with a code."""
        form = await request.post()
        params = {**dict(request.query), **{k: str(v) for k, v in form.items()}}
        checked = self._check_client(params)
        if isinstance(checked, web.Response):
            return checked
        app, redirect_uri = checked
        email = params.get("email", "").strip().lower()
        if email != self.user_email.lower() or not secrets.compare_digest(
            params.get("password", ""), self.user_password
        ):
            return _sign_in_page(app, params, error="Invalid e-mail or password.")
        code = AuthCode(
            code=secrets.token_urlsafe(16),
            client_id=app.client_id,
            redirect_uri=redirect_uri,
            account_id=self.account_id,
            user_id=self.user_id,
            expires_at=self.clock.now() + timedelta(seconds=CODE_LIFETIME),
        )
        self.codes[code.code] = code
        query = {"code": code.code}
        if params.get("state"):
            query["state"] = params["state"]
        raise web.HTTPFound(_add_query(redirect_uri, query))

    # -- token endpoint --------------------------------------------------------------
    async def _read_client(
        self, request: web.Request
    ) -> tuple[dict[str, str], Application | None]:
        """Read the form and the application it (or Basic auth) authenticates."""
        form = {k: str(v) for k, v in (await request.post()).items()}
        return form, self._client(request, form)

    def _client(self, request: web.Request, form: dict[str, str]) -> Application | None:
        client_id = form.get("client_id", "")
        secret = form.get("client_secret", "")
        header = request.headers.get("Authorization", "")
        if header.lower().startswith("basic "):
            try:
                client_id, _, secret = (
                    base64.b64decode(header[6:]).decode().partition(":")
                )
            except binascii.Error, UnicodeDecodeError:
                return None
        app = self.applications.get(client_id)
        if app is None or not secrets.compare_digest(secret, app.client_secret):
            return None
        return app

    async def token(self, request: web.Request) -> web.Response:
        """POST /oauth/token for the three supported grants."""
        self.token_requests += 1
        form, app = await self._read_client(request)
        if app is None:
            return _invalid_client()
        grant = form.get("grant_type", "")
        if grant == "client_credentials":
            return web.json_response(
                self.issue(app.client_id, None, with_refresh=False)
            )
        if grant == "authorization_code":
            return self._exchange_code(app, form)
        if grant == "refresh_token":
            return self._refresh(app, form)
        return _oauth_error(
            400,
            "unsupported_grant_type",
            "The authorization grant type is not supported.",
        )

    def _exchange_code(self, app: Application, form: dict[str, str]) -> web.Response:
        if not form.get("code"):
            return _oauth_error(
                400, "invalid_request", "The code parameter is missing."
            )
        code = self.codes.get(form["code"])
        invalid = _oauth_error(
            400,
            "invalid_grant",
            "The provided authorization grant is invalid, expired, revoked, does not "
            "match the redirection URI used in the authorization request, or was issued "
            "to another client.",
        )
        if code is None or code.client_id != app.client_id:
            return invalid
        if code.used:
            for access in code.issued_tokens:  # RFC 6749 4.1.2: revoke on reuse
                self._revoke_access(access)
            return invalid
        if code.expires_at <= self.clock.now():
            return invalid
        if form.get("redirect_uri", code.redirect_uri) != code.redirect_uri:
            return invalid
        code.used = True
        body = self.issue(app.client_id, code.user_id, with_refresh=True)
        code.issued_tokens.append(body["access_token"])
        return web.json_response(body)

    def _refresh(self, app: Application, form: dict[str, str]) -> web.Response:
        if not form.get("refresh_token"):
            return _oauth_error(
                400, "invalid_request", "The refresh_token parameter is missing."
            )
        refresh = self.refresh_tokens.get(form["refresh_token"])
        if (
            refresh is None
            or refresh.used
            or refresh.revoked
            or refresh.client_id != app.client_id
        ):
            return _oauth_error(
                400,
                "invalid_grant",
                "The provided authorization grant is invalid, expired, revoked, or was "
                "issued to another client.",
            )
        refresh.used = True
        self._revoke_access(refresh.access_token)
        return web.json_response(
            self.issue(app.client_id, refresh.user_id, with_refresh=True)
        )

    def _revoke_access(self, access_token: str) -> None:
        token = self.tokens.get(access_token)
        if token is not None:
            token.revoked = True

    async def revoke(self, request: web.Request) -> web.Response:
        """POST /oauth/revoke: revoke an access or refresh token at once (RFC 7009)."""
        form, app = await self._read_client(request)
        if app is None:
            return _invalid_client()
        value = form.get("token", "")
        token = self.tokens.get(value)
        if token is not None and token.client_id == app.client_id:
            token.revoked = True
            if token.refresh_token and token.refresh_token in self.refresh_tokens:
                self.refresh_tokens[token.refresh_token].revoked = True
        refresh = self.refresh_tokens.get(value)
        if refresh is not None and refresh.client_id == app.client_id:
            refresh.revoked = True
            self._revoke_access(refresh.access_token)
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
