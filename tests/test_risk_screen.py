"""The risk screen component on its own: trained on a little data, persisted, loaded back, and
read the way Rasa runs it. The real model's recall is measured on nlu/tests/risk/ instead."""

from __future__ import annotations

from pathlib import Path

import pytest
from rasa.engine.graph import ExecutionContext, GraphSchema
from rasa.engine.storage.local_model_storage import LocalModelStorage
from rasa.engine.storage.resource import Resource
from rasa.shared.nlu.training_data.message import Message
from rasa.shared.nlu.training_data.training_data import TrainingData

from bot.nlu.cue_lists import normalise
from bot.nlu.risk_screen import RiskScreen, risk_classes_of

pytestmark = pytest.mark.nlu

SAFE = [
    "how do i make my facebook private",
    "is this sms about my parcel a scam",
    "what is sextortion",
    "can i post my baby photos",
    "hello there",
    "thank you so much",
    "how to report a fake page",
    "what is the online safety act",
]
EXAMPLES = {
    "risk_self_harm": ["i want to end my life", "i dont want to live anymore", "better off dead"],
    "risk_money_just_lost": ["i transferred rm500 to a scammer", "scammer took all my savings"],
    "risk_danger_now__self_harm": ["my friend is on the roof about to jump"],
    "risk_danger_now": ["he is outside my door with a knife", "my husband says he will kill me"],
    "risk_child_at_risk": ["a man keeps asking my 12 year old daughter for nude photos"],
    "risk_sextortion_now": ["he will post my nudes unless i pay him"],
    "risk_none": SAFE,
}


def examples() -> list[Message]:
    return [
        Message(data={"text": text, "intent": intent})
        for intent, texts in EXAMPLES.items()
        for text in texts
    ]


def trained(tmp_path: Path) -> RiskScreen:
    storage = LocalModelStorage(tmp_path)
    resource = Resource("risk_screen")
    context = ExecutionContext(GraphSchema({}), "test")
    config = {"threshold": 0.5, "cue_gate": 0.02}
    screen = RiskScreen.create(config, storage, resource, context)
    data = TrainingData(
        training_examples=examples(),
        regex_features=[
            {"name": "cue_self_harm", "pattern": r"\bnak mati\b"},
            {"name": "cue_danger_now", "pattern": "拿着刀"},
            {"name": "cue_money_just_lost", "pattern": r"\brm ?\d+"},
            {"name": "defuse_money_just_lost", "pattern": r"\b(almost|nearly)\b"},
        ],
    )
    screen.train(data)
    return RiskScreen.load(config, storage, resource, context)


def raised(screen: RiskScreen, text: str) -> set[str]:
    [message] = screen.process([Message(data={"text": text})])
    return {r["name"] for r in message.get("risk")}


def test_a_veiled_malay_cue_fires_after_a_round_trip(tmp_path: Path) -> None:
    screen = trained(tmp_path)
    assert "self_harm" in raised(screen, "rasa nak matiii je")
    assert "danger_now" in raised(screen, "他现在拿着刀在门口")


def test_someone_who_almost_paid_is_not_told_their_money_is_gone(tmp_path: Path) -> None:
    screen = trained(tmp_path)
    assert "money_just_lost" in raised(screen, "i transferred rm900 to a seller")
    assert "money_just_lost" not in raised(screen, "i almost transferred rm900 to a seller")


def test_ordinary_questions_raise_nothing(tmp_path: Path) -> None:
    screen = trained(tmp_path)
    assert raised(screen, "how do i make my instagram private") == set()


def test_a_paraphrase_is_caught_by_the_model_not_only_the_cues(tmp_path: Path) -> None:
    assert "self_harm" in raised(trained(tmp_path), "i want to end it all, no point living")


def test_combined_intents_name_both_classes_and_none_names_none() -> None:
    assert risk_classes_of("risk_danger_now__self_harm") == ["danger_now", "self_harm"]
    assert risk_classes_of("risk_none") == []
    assert risk_classes_of("faq_scam_victim") is None
    with pytest.raises(ValueError, match="unknown risk class"):
        risk_classes_of("risk_boredom")


def test_normalising_squashes_stretched_letters_and_case() -> None:
    assert normalise("  TOLONGGGG   sy  ") == "tolong sy"


def test_a_crafted_model_file_naming_os_system_is_refused(tmp_path: Path) -> None:
    import os

    import skops.io as sio

    from bot.errors import ModelNotTrained
    from bot.nlu.safe_load import load_trusted

    crafted = tmp_path / "risk.skops"
    sio.dump({"hook": os.system}, crafted)
    with pytest.raises(ModelNotTrained, match="system"):
        load_trusted(crafted)


def test_a_loaded_model_scores_exactly_as_scikit_learn_does(tmp_path: Path) -> None:
    """Writing keeps the vocabularies beside the model, and loading readies it for one message at a
    time (bot/nlu/safe_load.py); the scores people's replies depend on must not move by more than
    rounding."""
    import numpy as np

    from bot.nlu.risk_screen import MODEL_FILE, build_model
    from bot.nlu.safe_load import dump_model, load_trusted

    texts = [normalise(m.get("text")) for m in examples()]
    labels = [[i % 5 == k for k in range(5)] for i in range(len(texts))]
    model = build_model(5.0).fit(texts, np.array(labels, dtype=int))
    path = tmp_path / MODEL_FILE
    dump_model(model, path)
    readied = load_trusted(path)
    unseen = [
        "dia ugut nak sebar gambar saya",
        "我的孩子被陌生人骗了",
        "i paid rm3000 just now",
        "hi",
    ]
    assert type(readied.steps[0][1].transformer_list[0][1]._tfidf) is not type(
        model.steps[0][1].transformer_list[0][1]._tfidf
    )
    assert model.steps[0][1].transformer_list[0][1].vocabulary_, "the model written is unchanged"
    np.testing.assert_allclose(
        readied.predict_proba(unseen), model.predict_proba(unseen), rtol=1e-12, atol=1e-12
    )


def test_a_model_whose_vocabularies_are_missing_or_from_another_model_is_refused(
    tmp_path: Path,
) -> None:
    import numpy as np

    from bot.errors import ModelNotTrained
    from bot.nlu.risk_screen import build_model
    from bot.nlu.safe_load import dump_model, load_trusted

    texts = [normalise(m.get("text")) for m in examples()]
    labels = np.array([[i % 5 == k for k in range(5)] for i in range(len(texts))], dtype=int)
    dump_model(build_model(5.0).fit(texts, labels), tmp_path / "a.skops")
    dump_model(build_model(5.0).fit(texts[::3], labels[::3]), tmp_path / "b.skops")
    (tmp_path / "a.vocabulary.json").replace(tmp_path / "b.vocabulary.json")
    with pytest.raises(ModelNotTrained, match="cannot be read"):
        load_trusted(tmp_path / "a.skops")
    with pytest.raises(ModelNotTrained, match="do not fit"):
        load_trusted(tmp_path / "b.skops")
