"""The composition root: the one place that builds real services from `Settings`."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import yaml

from bot.content.live import LiveAnswerBook
from bot.core.dialogue import ConfidencePolicy, Dialogue
from bot.i18n.translator import BabelTranslator
from bot.nlu.language_id import TrainedDetector
from bot.nlu.rasa_agent import RasaAgentNlu
from bot.nlu.training import current_model
from bot.settings import Settings
from bot.storage.chat_log import SqliteChatLog
from bot.storage.database import open_database
from bot.storage.sessions import SqliteSessionStore


@dataclass
class Services:
    dialogue: Dialogue
    translator: BabelTranslator
    nlu: RasaAgentNlu
    answers: LiveAnswerBook
    chat_log: SqliteChatLog


def load_nlu(settings: Settings, say: Callable[[str], None]) -> RasaAgentNlu:
    model = current_model(settings.nlu_dir, settings.models_dir)
    say(f"Loading the language model {model.name} (about 10 seconds)…")
    return RasaAgentNlu.load(model)


def load_thresholds(settings: Settings) -> dict[str, Any]:
    data: dict[str, Any] = yaml.safe_load(settings.thresholds_file.read_text(encoding="utf-8"))
    return data


def build_services(settings: Settings, *, say: Callable[[str], None] = print) -> Services:
    answers = LiveAnswerBook(settings.responses_dir, nlu_dir=settings.nlu_dir)
    nlu = load_nlu(settings, say)
    translator = BabelTranslator(settings.locales_dir)
    db = open_database(settings.db_path)
    dialogue = Dialogue(
        nlu=nlu,
        detector=TrainedDetector.from_nlu_data(settings.nlu_dir),
        answers=answers,
        translator=translator,
        sessions=SqliteSessionStore(db),
        policy=ConfidencePolicy.from_mapping(load_thresholds(settings)["confidence"]),
    )
    return Services(
        dialogue=dialogue,
        translator=translator,
        nlu=nlu,
        answers=answers,
        chat_log=SqliteChatLog(db),
    )
