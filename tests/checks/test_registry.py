"""The check registry: ids are the names everything else uses, so they must be sound."""

from __future__ import annotations

import pytest

from mlops_conformance.checks import FAMILIES, REGISTRY, register


def test_every_check_id_names_its_family_and_is_documented():
    for check in REGISTRY.all():
        assert check.id.split(".")[0] == check.family in FAMILIES
        assert check.doc, f"{check.id} has no docstring"


def test_every_family_has_checks():
    assert {c.family for c in REGISTRY.all()} == set(FAMILIES)


def test_registering_an_id_twice_is_refused():
    with pytest.raises(ValueError, match="registered twice"):
        register("schema.not_a_server_error", subject="positive")(lambda ctx, subject: None)


def test_an_id_outside_the_families_is_refused():
    with pytest.raises(ValueError, match="must start with a family"):
        register("speed.fast", subject="positive")
