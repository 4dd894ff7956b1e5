"""The schema and its documentation stay in step."""

from __future__ import annotations

import re

import pytest

from generator.content.kinds import RECORD_TYPES
from generator.content.model import Contact, Figure, FollowUp, Photo, Record
from tests.conftest import ROOT


@pytest.mark.parametrize("model", [*RECORD_TYPES.values(), Figure, FollowUp, Contact, Photo])
def test_every_field_is_described(model):
    for name, field in model.model_fields.items():
        assert field.description, f"{model.__name__}.{name} has no description"


def test_readme_documents_every_key():
    readme = (ROOT / "README.md").read_text("utf-8")
    keys = {name for model in RECORD_TYPES.values() for name in model.model_fields}
    keys |= set(Figure.model_fields) | set(FollowUp.model_fields) | set(Contact.model_fields)
    keys |= set(Photo.model_fields)
    missing = sorted(k for k in keys if not re.search(rf"`{k}(`|:)", readme))
    assert missing == []


def test_visibility_has_no_default():
    assert Record.model_fields["visibility"].is_required()
