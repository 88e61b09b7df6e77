"""``eventwire serve``: an HTTP API and a web page over the event store.

    from eventwire.server import create_app
    app = create_app("events.db")          # any ASGI server runs it; `eventwire serve` uses uvicorn

Needs the ``serve`` extra (FastAPI, uvicorn): ``pip install 'eventwire[serve]'``.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from ..errors import OptionalDependencyError

if TYPE_CHECKING:
    from .app import ServerConfig, create_app
    from .run import serve

__all__ = ["ServerConfig", "create_app", "serve"]


def __getattr__(name: str) -> Any:
    if name not in __all__:
        raise AttributeError(name)
    try:
        import fastapi  # noqa: F401
    except ImportError:
        raise OptionalDependencyError("eventwire serve", "serve") from None
    from . import app, run

    return {"ServerConfig": app.ServerConfig, "create_app": app.create_app, "serve": run.serve}[
        name
    ]
