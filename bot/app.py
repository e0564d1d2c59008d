"""The composition root: the one place that builds real services from `Settings`."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from bot.content.answer_book import FileAnswerBook
from bot.core.dialogue import Dialogue
from bot.i18n.translator import BabelTranslator
from bot.nlu.language_id import LinguaDetector
from bot.nlu.rasa_agent import RasaAgentNlu
from bot.nlu.training import current_model
from bot.settings import Settings
from bot.storage.database import open_database
from bot.storage.sessions import SqliteSessionStore


@dataclass
class Services:
    dialogue: Dialogue
    translator: BabelTranslator
    nlu: RasaAgentNlu


def load_nlu(settings: Settings, say: Callable[[str], None]) -> RasaAgentNlu:
    model = current_model(settings.nlu_dir, settings.models_dir)
    say(f"Loading the language model {model.name} (about 10 seconds)…")
    return RasaAgentNlu.load(model)


def build_services(settings: Settings, *, say: Callable[[str], None] = print) -> Services:
    nlu = load_nlu(settings, say)
    translator = BabelTranslator(settings.locales_dir)
    dialogue = Dialogue(
        nlu=nlu,
        detector=LinguaDetector(),
        answers=FileAnswerBook.load(settings.responses_dir),
        translator=translator,
        sessions=SqliteSessionStore(open_database(settings.db_path)),
    )
    return Services(dialogue=dialogue, translator=translator, nlu=nlu)
