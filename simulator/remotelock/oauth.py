"""OAuth 2.0 state of the simulated cloud: applications, codes and tokens.

Authorization code, rotating single-use refresh tokens, client credentials and
revocation. Every token lives ``TOKEN_LIFETIME`` seconds of the simulator clock and
belongs to one account. The HTTP handlers of the OAuth host paths are in
:mod:`.routes_oauth`; this module knows nothing of HTTP.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime, timedelta
import secrets
from typing import Any

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


class OAuthError(Exception):
    """A refused token request: HTTP status, ``error`` and ``error_description``."""

    def __init__(self, status: int, error: str, description: str) -> None:
        """Keep the parts of the documented error body."""
        super().__init__(description)
        self.status = status
        self.error = error
        self.description = description


class AuthorizeError(Exception):
    """An authorization request that cannot show the sign-in form (the message)."""


def _token() -> str:
    return f"1/{secrets.token_urlsafe(24)}"


class OAuthServer:
    """Applications, codes and tokens, and the grants that issue and revoke them."""

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
    def authorize_client(self, params: dict[str, str]) -> tuple[Application, str]:
        """Return the application and redirect URI of an authorization request.

        Raise :class:`AuthorizeError` for an unknown client, a redirect URI the
        application does not allow or a ``response_type`` other than ``code``.
        """
        app = self.applications.get(params.get("client_id", ""))
        if app is None:
            raise AuthorizeError(
                "Unknown client_id: this application is not registered."
            )
        redirect_uri = params.get("redirect_uri") or (
            app.redirect_uris[0] if app.redirect_uris else ""
        )
        if not redirect_uri or not app.allows(redirect_uri):
            raise AuthorizeError(
                "The redirect_uri is not registered for this application."
            )
        if params.get("response_type", "code") != "code":
            raise AuthorizeError("Only response_type=code is supported.")
        return app, redirect_uri

    def sign_in(
        self, app: Application, redirect_uri: str, email: str, password: str
    ) -> AuthCode | None:
        """Check the sign-in user's e-mail/password; return a new code (None: wrong)."""
        if email.strip().lower() != self.user_email.lower() or not (
            secrets.compare_digest(password, self.user_password)
        ):
            return None
        code = AuthCode(
            code=secrets.token_urlsafe(16),
            client_id=app.client_id,
            redirect_uri=redirect_uri,
            account_id=self.account_id,
            user_id=self.user_id,
            expires_at=self.clock.now() + timedelta(seconds=CODE_LIFETIME),
        )
        self.codes[code.code] = code
        return code

    # -- token endpoint --------------------------------------------------------------
    def client(self, client_id: str, secret: str) -> Application | None:
        """Return the application ``client_id`` when ``secret`` is its secret."""
        app = self.applications.get(client_id)
        if app is None or not secrets.compare_digest(secret, app.client_secret):
            return None
        return app

    def grant(self, app: Application, form: dict[str, str]) -> dict[str, Any]:
        """Answer a token request of the three supported grants (or raise OAuthError)."""
        grant = form.get("grant_type", "")
        if grant == "client_credentials":
            return self.issue(app.client_id, None, with_refresh=False)
        if grant == "authorization_code":
            return self._exchange_code(app, form)
        if grant == "refresh_token":
            return self._refresh(app, form)
        raise OAuthError(
            400,
            "unsupported_grant_type",
            "The authorization grant type is not supported.",
        )

    def _exchange_code(self, app: Application, form: dict[str, str]) -> dict[str, Any]:
        if not form.get("code"):
            raise OAuthError(400, "invalid_request", "The code parameter is missing.")
        code = self.codes.get(form["code"])
        invalid = OAuthError(
            400,
            "invalid_grant",
            "The provided authorization grant is invalid, expired, revoked, does not "
            "match the redirection URI used in the authorization request, or was issued "
            "to another client.",
        )
        if code is None or code.client_id != app.client_id:
            raise invalid
        if code.used:
            for access in code.issued_tokens:  # RFC 6749 4.1.2: revoke on reuse
                self._revoke_access(access)
            raise invalid
        if code.expires_at <= self.clock.now():
            raise invalid
        if form.get("redirect_uri", code.redirect_uri) != code.redirect_uri:
            raise invalid
        code.used = True
        body = self.issue(app.client_id, code.user_id, with_refresh=True)
        code.issued_tokens.append(body["access_token"])
        return body

    def _refresh(self, app: Application, form: dict[str, str]) -> dict[str, Any]:
        if not form.get("refresh_token"):
            raise OAuthError(
                400, "invalid_request", "The refresh_token parameter is missing."
            )
        refresh = self.refresh_tokens.get(form["refresh_token"])
        if (
            refresh is None
            or refresh.used
            or refresh.revoked
            or refresh.client_id != app.client_id
        ):
            raise OAuthError(
                400,
                "invalid_grant",
                "The provided authorization grant is invalid, expired, revoked, or was "
                "issued to another client.",
            )
        refresh.used = True
        self._revoke_access(refresh.access_token)
        return self.issue(app.client_id, refresh.user_id, with_refresh=True)

    def _revoke_access(self, access_token: str) -> None:
        token = self.tokens.get(access_token)
        if token is not None:
            token.revoked = True

    def revoke(self, app: Application, value: str) -> None:
        """Revoke an access or refresh token of ``app`` and its pair (RFC 7009)."""
        token = self.tokens.get(value)
        if token is not None and token.client_id == app.client_id:
            token.revoked = True
            if token.refresh_token and token.refresh_token in self.refresh_tokens:
                self.refresh_tokens[token.refresh_token].revoked = True
        refresh = self.refresh_tokens.get(value)
        if refresh is not None and refresh.client_id == app.client_id:
            refresh.revoked = True
            self._revoke_access(refresh.access_token)
