"""The one way webhooks leave askdesk: an HTTP POST with a timeout, no redirects, and no
private, loopback or link-local target (server-side request forgery).

The host is resolved once, every address is checked, and the connection goes to the checked
address (the Host header and TLS name stay the URL's), so a DNS answer that changes between
the check and the connection cannot reach an internal address.
"""

from __future__ import annotations

import http.client
import ipaddress
import socket
import ssl
from dataclasses import dataclass
from urllib.parse import urlsplit

from django.conf import settings

USER_AGENT = "askdesk-webhooks/1"
MAX_RESPONSE_BYTES = 64 * 1024


class TargetRefused(ValueError):
    """The URL may not be used as a webhook target."""


class TransportError(Exception):
    """The request did not get an HTTP answer (connection refused, timeout, TLS error...)."""


@dataclass(frozen=True)
class Answer:
    status: int
    body: str
    retry_after: str


def address_allowed(address: str) -> bool:
    ip = ipaddress.ip_address(address)
    if ip.is_loopback:
        return bool(settings.ASKDESK_WEBHOOK_ALLOW_LOOPBACK)
    return ip.is_global and not ip.is_multicast


def check_url(url: str) -> tuple[str, str, int, str]:
    """(scheme, host, port, path) of an acceptable target; TargetRefused otherwise.

    Host names are not resolved here (a registration must not wait on DNS); literal
    addresses and 'localhost' are checked at once, every address again at delivery.
    """
    parts = urlsplit(url)
    if parts.scheme not in {"http", "https"} or not parts.hostname:
        raise TargetRefused("Use an http:// or https:// URL.")
    if parts.username or parts.password:
        raise TargetRefused("A webhook URL cannot carry a user name or password.")
    host = parts.hostname
    try:
        port = parts.port or (443 if parts.scheme == "https" else 80)
    except ValueError as error:
        raise TargetRefused("The URL's port is not valid.") from error
    literal = "127.0.0.1" if host == "localhost" or host.endswith(".localhost") else host
    try:
        allowed = address_allowed(literal)
    except ValueError:
        allowed = True  # a host name: checked once resolved
    if not allowed:
        raise TargetRefused("Webhooks cannot be sent to private, loopback or link-local addresses.")
    path = parts.path or "/"
    return parts.scheme, host, port, path + (f"?{parts.query}" if parts.query else "")


def _resolve(host: str, port: int) -> str:
    try:
        infos = socket.getaddrinfo(host, port, type=socket.SOCK_STREAM)
    except OSError as error:
        raise TransportError(f"Cannot resolve {host}: {error}") from error
    addresses = [str(info[4][0]) for info in infos]
    refused = [a for a in addresses if not address_allowed(a)]
    if refused or not addresses:
        raise TargetRefused(f"{host} resolves to an address webhooks may not reach ({', '.join(refused)}).")
    return addresses[0]


class _PinnedHTTPConnection(http.client.HTTPConnection):
    def __init__(self, host: str, port: int, address: str, timeout: float) -> None:
        super().__init__(host, port, timeout=timeout)
        self.address = address

    def connect(self) -> None:
        self.sock = socket.create_connection((self.address, self.port), self.timeout)


class _PinnedHTTPSConnection(http.client.HTTPSConnection):
    def __init__(self, host: str, port: int, address: str, timeout: float) -> None:
        super().__init__(host, port, timeout=timeout, context=ssl.create_default_context())
        self.address = address

    def connect(self) -> None:
        sock = socket.create_connection((self.address, self.port), self.timeout)
        self.sock = self._context.wrap_socket(sock, server_hostname=self.host)  # type: ignore[attr-defined]


def post(url: str, body: bytes, headers: dict[str, str], *, timeout: float | None = None) -> Answer:
    """POST ``body`` to ``url``; the answer's status (redirects are not followed) and start of body."""
    scheme, host, port, path = check_url(url)
    address = _resolve(host, port)
    wait = timeout if timeout is not None else float(settings.ASKDESK_WEBHOOK_TIMEOUT_SECONDS)
    kind = _PinnedHTTPSConnection if scheme == "https" else _PinnedHTTPConnection
    connection = kind(host, port, address, wait)
    try:
        connection.request(
            "POST",
            path,
            body=body,
            headers={**headers, "Content-Type": "application/json", "User-Agent": USER_AGENT},
        )
        response = connection.getresponse()
        text = response.read(MAX_RESPONSE_BYTES).decode("utf-8", "replace")
        return Answer(status=response.status, body=text, retry_after=response.getheader("Retry-After") or "")
    except (OSError, http.client.HTTPException) as error:
        raise TransportError(f"{type(error).__name__}: {error}") from error
    finally:
        connection.close()
