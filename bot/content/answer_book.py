"""Answers come from the YAML files forum staff edit. A book is built only from files that all
pass their checks, so a citizen never sees a half-edited answer or a broken placeholder."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import yaml

from bot.content.checklists import load_checklists
from bot.content.contacts import CONTACTS_FILE, ContactBook, load_contacts
from bot.content.crisis import CRISIS_FILE, CrisisCard, load_crisis_cards
from bot.content.languages import LANGUAGES_FILE, load_languages
from bot.content.menu import MENU_FILE, load_menu
from bot.content.problems import ContentProblem
from bot.content.topics import TopicFile, load_topic_file
from bot.core.commands import COMMAND_TOPICS
from bot.core.content import Answer, Checklist, ContactCard
from bot.core.labels import is_topic_label
from bot.core.languages import Language, Languages
from bot.core.risk import RiskClass
from bot.errors import ContentError

# Intents the dialogue handles itself, without an answer file.
HANDLED_IN_CODE = frozenset({"set_language"})


def answer_files(directory: Path) -> list[Path]:
    special = (CONTACTS_FILE, CRISIS_FILE, MENU_FILE, LANGUAGES_FILE)
    return sorted(p for p in directory.glob("*.yml") if p.name not in special)


def nlu_intents(nlu_dir: Path) -> set[str]:
    """With libyaml when PyYAML has it: the pure-Python parser took 2.7 s of every start-up."""
    intents: set[str] = set()
    loader: Any = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
    for path in (nlu_dir / "data").rglob("*.yml"):
        data = yaml.load(path.read_text(encoding="utf-8"), Loader=loader) or {}  # noqa: S506 - safe
        for block in data.get("nlu", []):
            # risk_* and scam_* examples train screens (crisis cards, scam signals), not topics.
            if "intent" in block and is_topic_label(str(block["intent"])):
                intents.add(str(block["intent"]))
    return intents


def check_catalogue(topics: Iterable[str], intents: set[str]) -> list[ContentProblem]:
    """Every intent the model can predict has an answer, and every answer an intent."""
    names = set(topics)
    problems = [
        ContentProblem(
            f"{intent}.yml",
            None,
            f"the NLU knows `{intent}` but it has no answer",
            f"create responses/{intent}.yml (copy another answer file)",
        )
        for intent in sorted(intents - names - HANDLED_IN_CODE)
    ]
    problems += [
        ContentProblem(
            f"{name}.yml",
            None,
            f"no NLU intent `{name}` leads to this answer",
            f"add examples for `{name}` in nlu/data/, or rename the file",
        )
        for name in sorted(names - intents - COMMAND_TOPICS)
    ]
    return problems


def _broken_next_steps(
    topics: dict[str, TopicFile],
    crisis: dict[RiskClass, CrisisCard],
    names: set[str],
    checklists: dict[str, dict[Language, Checklist]],
) -> list[ContentProblem]:
    """A button under an answer or a crisis card must lead somewhere that exists."""
    problems = [
        ContentProblem(
            f"{topic.name}.yml",
            None,
            f"next step `{step.value}` is not a topic",
            "use the file name of another answer",
        )
        for topic in topics.values()
        for step in topic.next_steps
        if step.kind == "topic" and step.value not in names
    ]
    problems += [
        ContentProblem(
            CRISIS_FILE,
            None,
            f"card `{card.risk}` has next step `{step.value}`, which is not a topic",
            "use the file name of another answer",
        )
        for card in crisis.values()
        for step in card.next_steps
        if step.kind == "topic" and step.value not in names
    ]
    problems += [
        ContentProblem(
            f"{topic.name}.yml",
            None,
            f"next step `check: {step.value}` has no responses/flows/{step.value}.yml",
            "create the checklist file or remove the step",
        )
        for topic in topics.values()
        for step in topic.next_steps
        if step.kind == "check" and step.value not in checklists
    ]
    return problems


@dataclass(frozen=True)
class FileAnswerBook:
    topic_files: dict[str, TopicFile]
    contact_book: ContactBook
    checklists: dict[str, dict[Language, Checklist]]
    crisis_cards: dict[RiskClass, CrisisCard]
    menu_topics: tuple[str, ...] = ()

    @classmethod
    def load(cls, directory: Path, *, nlu_dir: Path | None = None) -> FileAnswerBook:
        book, problems = cls.check(directory, nlu_dir=nlu_dir)
        if problems or book is None:
            raise ContentError("\n".join(str(p) for p in problems) or "no answers found")
        return book

    @classmethod
    def check(
        cls, directory: Path, *, nlu_dir: Path | None = None
    ) -> tuple[FileAnswerBook | None, list[ContentProblem]]:
        book, problems = cls.draft(directory, nlu_dir=nlu_dir)
        return (book if not problems else None), problems

    @classmethod
    def draft(
        cls, directory: Path, *, nlu_dir: Path | None = None
    ) -> tuple[FileAnswerBook | None, list[ContentProblem]]:
        """Every file that passes, with every problem: for previews of a working copy. Only
        `check` (no problems at all) may build a book that serves people."""
        languages, problems = load_languages(directory)
        if languages is None:
            return None, problems
        contacts, problems = load_contacts(directory, languages)
        topics: dict[str, TopicFile] = {}
        files = answer_files(directory)
        if not files:
            problems.append(
                ContentProblem(
                    directory.name, None, "no answer files", "add topic files such as greet.yml"
                )
            )
        for path in files:
            topic, found = load_topic_file(path, contacts)
            problems += found
            if topic:
                topics[topic.name] = topic
        names = {path.stem for path in files}
        checklists, found = load_checklists(directory, languages)
        problems += found
        crisis, found = load_crisis_cards(directory, contacts)
        problems += found
        problems += _broken_next_steps(topics, crisis, names, checklists)
        menu, found = load_menu(directory, names)
        problems += found
        if nlu_dir is not None:
            problems += check_catalogue([p.stem for p in files], nlu_intents(nlu_dir))
        return cls(topics, contacts, checklists, crisis, menu), problems

    @property
    def languages(self) -> Languages:
        return self.contact_book.languages

    def topics(self) -> frozenset[str]:
        return frozenset(self.topic_files)

    def menu(self) -> tuple[str, ...]:
        return self.menu_topics

    def sensitive_topics(self) -> frozenset[str]:
        """The one definition of sensitivity: `sensitive: true` in the answer file."""
        return frozenset(name for name, topic in self.topic_files.items() if topic.sensitive)

    def title(self, topic: str, language: Language) -> str:
        found = self.topic_files.get(topic)
        if found and found.title:
            return found.title[language]
        return topic.removeprefix("faq_").replace("_", " ").capitalize()

    def answer(self, topic: str, language: Language) -> Answer | None:
        found = self.topic_files.get(topic)
        if found is None:
            return None
        text = found.first_screen(language)
        more = found.more[language] if found.more else None
        if found.generated == "contacts":
            # The full directory, built from contacts.yml, sits behind "More" so the first screen
            # stays a short "who to call for what".
            more = "\n\n".join([*([more] if more else []), *self._contact_list(language)])
        return Answer(
            topic=topic,
            text=text,
            more=more,
            next_steps=found.next_steps,
            sensitive=found.sensitive,
            reviewed=found.reviewed,
            urgent=found.urgent[language] if found.urgent else None,
        )

    def crisis(self, risk: RiskClass, language: Language) -> Answer | None:
        card = self.crisis_cards.get(risk)
        if card is None:
            return None
        return Answer(
            topic=f"crisis_{risk}",
            text=card.text[language],
            next_steps=card.next_steps,
            sensitive=True,
        )

    def contact(self, key: str, language: Language) -> ContactCard | None:
        labels = self.languages.info(language).contact_labels
        return self.contact_book.card(key, language, labels)

    def checklist(self, name: str, language: Language) -> Checklist | None:
        found = self.checklists.get(name)
        return found[language] if found else None

    def _contact_list(self, language: Language) -> list[str]:
        cards = (self.contact(key, language) for key in self.contact_book.contacts)
        return [card.text for card in cards if card]
