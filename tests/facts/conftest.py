"""Helpers for the facts tests: documents built in memory, and the contract JSON of a text."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest

from sightline.documents.model import Block, Document, Location
from sightline.facts import contract_json, extract


def _document(*texts: str, location: Location | None = None) -> Document:
    where = location or Location(part="body")
    return Document(source="test", blocks=[Block(text, where) for text in texts])


@pytest.fixture
def document() -> Callable[..., Document]:
    """``document(text, ...)``: a Document with one body block per text."""
    return _document


@pytest.fixture
def facts() -> Callable[..., dict[str, Any]]:
    """``facts(text, ...)``: the extract-file JSON of a reply made of these texts."""

    def run(*texts: str) -> dict[str, Any]:
        return contract_json(extract(_document(*texts)), "reply.txt")

    return run


@pytest.fixture
def owned() -> Callable[[str], dict[str, str]]:
    """``owned(text)``: vendor id -> owned value for a one-block reply."""

    def run(text: str) -> dict[str, str]:
        result = contract_json(extract(_document(text)), "reply.txt")
        return {vendor: facts["owned"] for vendor, facts in result["vendors"].items()}

    return run
