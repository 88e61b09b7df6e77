from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest

from eventwire.config import Settings, load_settings
from eventwire.records import Article, Document

ROOT = Path(__file__).resolve().parent.parent
SHARED = ROOT.parent / "shared"


@pytest.fixture(scope="session")
def settings() -> Settings:
    return load_settings()


@pytest.fixture(scope="session")
def nlp(settings: Settings):
    from eventwire.nlp import load_model

    return load_model(settings.nlp.model)


@pytest.fixture(scope="session")
def shared_dir() -> Path:
    """``../shared`` beside the repository; tests that need it skip cleanly where it is absent."""
    if not SHARED.is_dir():
        pytest.skip("../shared is absent")
    return SHARED


@pytest.fixture
def make_doc(nlp):
    """A parsed Document from text, as the parse stage leaves it."""

    def make(text: str, published: date | None = None) -> Document:
        doc = Document(article=Article(text=text, published=published))
        doc.doc = nlp(text)
        return doc

    return make
