"""`zongjie train` rebuilds every shipped model from corpora/ with the metrics on its card."""
from __future__ import annotations

import json

import pytest
from typer.testing import CliRunner

import cli
from pipeline import training
from pipeline.resources import MODELS


@pytest.fixture(scope="module")
def retrained(tmp_path_factory):
    models = tmp_path_factory.mktemp("models")
    result = CliRunner().invoke(cli.app, ["train", "--models", str(models)])
    assert result.exit_code == 0, result.output
    return models, result.output


@pytest.mark.parametrize("name", sorted(training.TRAINERS))
def test_a_rebuild_reproduces_the_shipped_metrics(retrained, name):
    models, _ = retrained
    card = training.read_card(name)
    if training.TRAINERS[name].cpu_dependent and card["machine"] != training.machine():
        pytest.skip(f"{name} was trained on a processor with other vector instructions than this one")
    shipped = training.numeric_leaves(card["metrics"])
    rebuilt = training.numeric_leaves(training.read_card(name, models)["metrics"])
    assert shipped.keys() == rebuilt.keys()
    for key, value in shipped.items():
        assert rebuilt[key] == pytest.approx(value, abs=0.01), key


@pytest.mark.parametrize("name", sorted(training.TRAINERS))
def test_every_model_has_a_card_naming_its_data(name):
    card = training.read_card(name)
    data = MODELS.parent / card["data"]
    assert card["seed"] == 0 and card["versions"]["scikit-learn"] and card["machine"]["arch"]
    assert training.hashlib.sha256(data.read_bytes()).hexdigest() == card["data_sha256"]


def test_train_prints_headline_metrics_and_cards(retrained):
    models, output = retrained
    for name in training.TRAINERS:
        assert f"  card: {models / name / 'card.json'}" in output
    assert json.loads((models / "topic" / "card.json").read_text(encoding="utf-8"))["metrics"]["macro_f1"] >= 0.8


def test_unknown_model_names_are_refused():
    result = CliRunner().invoke(cli.app, ["train", "--only", "nonsense"])
    assert result.exit_code == 1
    assert "no model named nonsense" in result.output
