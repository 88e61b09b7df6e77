"""One validated settings object: shipped defaults, then the user's file, then flags."""

from __future__ import annotations

import tomllib
from importlib import resources
from pathlib import Path
from typing import Any

from pydantic import BaseModel, ConfigDict, Field, ValidationError

from .errors import ConfigError


class _Section(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class NLPSettings(_Section):
    model: str
    batch_size: int = Field(ge=1)


class PipelineSettings(_Section):
    stages: list[str]
    workers: int = Field(ge=0)


class InputSettings(_Section):
    max_bytes: int = Field(ge=1)
    min_chars: int = Field(ge=1)
    languages: list[str]
    language_min_words: int = Field(ge=1)
    language_min_confidence: float = Field(default=0.5, ge=0.0, le=1.0)


class GeoSettings(_Section):
    min_population: int = Field(ge=0)


class ExtractSettings(_Section):
    min_confidence: float = Field(ge=0.0, le=1.0)
    classifier_weight: float = Field(ge=0.0)


class StoreSettings(_Section):
    path: str


class Settings(_Section):
    nlp: NLPSettings
    pipeline: PipelineSettings
    input: InputSettings
    geo: GeoSettings
    extract: ExtractSettings
    store: StoreSettings

    def replace(self, overrides: dict[str, Any]) -> Settings:
        """A copy with ``{"section.key": value}`` or nested ``{"section": {...}}`` overrides."""
        return _validate(_merge(self.model_dump(), _nest(overrides)), "overrides")


def _nest(flat: dict[str, Any]) -> dict[str, Any]:
    out: dict[str, Any] = {}
    for key, value in flat.items():
        if value is None:
            continue
        node = out
        *parents, leaf = key.split(".")
        for p in parents:
            node = node.setdefault(p, {})
        if isinstance(value, dict) and isinstance(node.get(leaf), dict):
            node[leaf] = _merge(node[leaf], value)
        else:
            node[leaf] = value
    return out


def _merge(base: dict[str, Any], over: dict[str, Any]) -> dict[str, Any]:
    merged = dict(base)
    for key, value in over.items():
        if isinstance(value, dict) and isinstance(merged.get(key), dict):
            merged[key] = _merge(merged[key], value)
        else:
            merged[key] = value
    return merged


def _validate(data: dict[str, Any], where: str) -> Settings:
    try:
        return Settings.model_validate(data)
    except ValidationError as exc:
        problems = "; ".join(
            f"{'.'.join(str(p) for p in err['loc'])}: {err['msg']}" for err in exc.errors()
        )
        raise ConfigError(f"invalid settings in {where}: {problems}") from None


def default_settings_text() -> str:
    return resources.files("eventwire").joinpath("defaults.toml").read_text(encoding="utf-8")


def load_settings(
    path: str | Path | None = None, overrides: dict[str, Any] | None = None
) -> Settings:
    """Shipped defaults, then the TOML file at ``path``, then ``overrides`` ("section.key")."""
    data = tomllib.loads(default_settings_text())
    if path is not None:
        p = Path(path)
        try:
            user = tomllib.loads(p.read_text(encoding="utf-8"))
        except FileNotFoundError:
            raise ConfigError(f"config file {p} does not exist") from None
        except (tomllib.TOMLDecodeError, UnicodeDecodeError) as exc:
            raise ConfigError(f"config file {p} is not valid TOML: {exc}") from None
        data = _merge(data, user)
        _validate(data, str(p))
    if overrides:
        data = _merge(data, _nest(overrides))
    return _validate(data, "overrides" if overrides else "defaults")
