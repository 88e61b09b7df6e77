"""``eventwire serve``: the bind address, the token, and the hand-over to uvicorn."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner

from eventwire.cli import main
from eventwire.server.run import ServeError, is_loopback, server_config


@pytest.mark.parametrize(
    ("host", "loopback"),
    [
        ("127.0.0.1", True),
        ("localhost", True),
        ("::1", True),
        ("127.0.0.2", True),
        ("0.0.0.0", False),
        ("192.0.2.7", False),
        ("example.org", False),
    ],
)
def test_loopback(host: str, loopback: bool) -> None:
    assert is_loopback(host) is loopback


def test_beyond_loopback_needs_a_token(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("EVENTWIRE_TOKEN", raising=False)
    with pytest.raises(ServeError, match="--token"):
        server_config("x.db", host="0.0.0.0")
    assert server_config("x.db", host="0.0.0.0", token="t").token == "t"
    monkeypatch.setenv("EVENTWIRE_TOKEN", "from-env")
    config = server_config("x.db", host="0.0.0.0")
    assert config.token == "from-env" and config.allowed_hosts is None
    # on loopback writes are open unless a token is given, and only loopback names are answered
    monkeypatch.delenv("EVENTWIRE_TOKEN")
    local = server_config("x.db")
    assert local.token is None and "localhost" in (local.allowed_hosts or [])


def test_tiles_must_be_a_url() -> None:
    with pytest.raises(ServeError, match="URL"):
        server_config("x.db", tiles="javascript:alert(1)")


def test_cli_serve_hands_the_app_to_uvicorn(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    import uvicorn

    calls: list[dict[str, Any]] = []
    monkeypatch.setattr(uvicorn, "run", lambda app, **kw: calls.append({"app": app, **kw}))
    db = tmp_path / "events.db"
    result = CliRunner().invoke(main, ["serve", "--db", str(db), "--port", "8123"])
    assert result.exit_code == 0, result.output
    (call,) = calls
    assert (call["host"], call["port"]) == ("127.0.0.1", 8123)
    assert db.is_file()  # the store is made on start, so that articles can be posted
    assert "http://127.0.0.1:8123/" in result.output


def test_cli_serve_refuses_an_open_bind_without_token(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.delenv("EVENTWIRE_TOKEN", raising=False)
    result = CliRunner().invoke(
        main, ["serve", "--db", str(tmp_path / "e.db"), "--host", "0.0.0.0"]
    )
    assert result.exit_code == 1
    assert "EVENTWIRE_TOKEN" in result.output


def test_cli_serve_refuses_a_file_that_is_no_store(tmp_path: Path) -> None:
    bad = tmp_path / "notes.txt"
    bad.write_text("not a database")
    result = CliRunner().invoke(main, ["serve", "--db", str(bad)])
    assert result.exit_code == 1 and "not a SQLite database" in result.output
