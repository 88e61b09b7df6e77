"""Running the app with uvicorn: ``eventwire serve``."""

from __future__ import annotations

import ipaddress
import logging
import os

import click

from ..config import Settings
from ..errors import EventwireError, OptionalDependencyError
from .app import ServerConfig, create_app

log = logging.getLogger(__name__)

#: the environment variable a token for writes may come from (rather than the command line,
#: where other users of the machine can read it)
TOKEN_ENV = "EVENTWIRE_TOKEN"
LOOPBACK_NAMES = ("localhost", "127.0.0.1", "::1")


class ServeError(EventwireError):
    code = "E300"


def is_loopback(host: str) -> bool:
    if host.lower() == "localhost":
        return True
    try:
        return ipaddress.ip_address(host.strip("[]")).is_loopback
    except ValueError:
        return False


def server_config(
    db: str,
    *,
    host: str = "127.0.0.1",
    token: str | None = None,
    tiles: str | None = None,
    settings: Settings | None = None,
) -> ServerConfig:
    """The app's configuration for a bind address; a ``ServeError`` when it would be unsafe.

    Beyond loopback anyone on the network can reach the server, so writes then need a token.
    """
    token = token or os.environ.get(TOKEN_ENV) or None
    loopback = is_loopback(host)
    if not loopback and not token:
        raise ServeError(
            f"binding to {host} lets other machines reach the server, so writes need a token: "
            f"give --token TOKEN or set {TOKEN_ENV} (or bind to 127.0.0.1)"
        )
    if tiles is not None and not tiles.startswith(("https://", "http://")):
        raise ServeError(
            f"--tiles takes an http(s) URL template with {{z}}/{{x}}/{{y}}, not {tiles!r}"
        )
    return ServerConfig(
        db=db,
        token=token,
        # on loopback, answer only for loopback names (DNS rebinding); elsewhere any name the
        # machine is reached by
        allowed_hosts=[*LOOPBACK_NAMES, host] if loopback else None,
        tiles=tiles,
        settings=settings,
    )


def serve(
    db: str,
    *,
    host: str = "127.0.0.1",
    port: int = 8000,
    token: str | None = None,
    tiles: str | None = None,
    settings: Settings | None = None,
) -> None:
    """Serve the store at ``db`` until interrupted."""
    try:
        import uvicorn
    except ImportError:
        raise OptionalDependencyError("eventwire serve", "serve") from None
    config = server_config(db, host=host, token=token, tiles=tiles, settings=settings)
    app = create_app(config)
    shown = f"[{host}]" if ":" in host else host
    click.echo(
        f"eventwire: serving {db} at http://{shown}:{port}/ (the API is described at /docs)"
        + ("; writes need the token" if config.token else ""),
        err=True,
    )
    uvicorn.run(app, host=host, port=port, server_header=False, proxy_headers=False)
