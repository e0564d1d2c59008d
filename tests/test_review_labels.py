"""Staff teach the bot from the review queue: labels go into Rasa training files (a temporary
copy here, never the repository's), the held-out set stays held out, similar messages are
grouped, and labelled messages the model still gets wrong are listed."""

from __future__ import annotations

import asyncio
from datetime import date
from pathlib import Path

import pytest
import yaml

from bot.core.identity import UserKey
from bot.core.review import LabelOutcome, StaffReview, still_wrong
from bot.core.review_entry import ReviewEntry, ReviewItem
from bot.core.review_groups import group_entries
from bot.nlu.evaluation import load_cases
from bot.nlu.review_files import NluReviewFiles
from bot.settings import PROJECT_ROOT
from bot.storage.database import open_database
from bot.storage.review import SqliteReviewQueue
from tests.fakes.clock import FakeClock
from tests.fakes.doubles import FakeNlu

NLU = PROJECT_ROOT / "nlu"
OWNER = UserKey("telegram", "1")
TRAINED = "my data leaked in the breach, what do i change first"
HELD_OUT = "hey waspada"


class Desk:
    """The review queue in a SQLite file and the training files under `tmp_path/review`."""

    def __init__(self, tmp_path: Path) -> None:
        self.queue = SqliteReviewQueue(open_database(tmp_path / "waspada.db"), FakeClock())
        self.folder = tmp_path / "review"
        self.review = StaffReview(self.queue, NluReviewFiles(NLU, self.folder))

    def keep(self, text: str, language: str = "en") -> int:
        item = ReviewItem(
            OWNER, language, "did_you_mean", text, (("greet", 0.3),), (), date.today()
        )
        return self.queue.keep(item)

    def file(self, language: str) -> dict[str, object]:
        loaded: dict[str, object] = yaml.safe_load((self.folder / f"{language}.yml").read_text())
        return loaded


@pytest.fixture(scope="module")
def heldout_line() -> str:
    case = next(c for c in load_cases(NLU / "tests") if c.text.lower() == HELD_OUT)
    return case.text


def test_staff_label_appends_to_the_review_file_in_rasa_format(tmp_path: Path) -> None:
    desk = Desk(tmp_path)
    first = desk.keep("got sms say my [account] blocked, click [link]")
    second = desk.keep("bank sms says update details at [link](now)")
    done = desk.review.label(first, "faq_phishing", "Aisyah")
    assert (done.outcome, done.file) == (LabelOutcome.LABELLED, "en.yml")
    desk.review.label(second, "faq_phishing", "Aisyah")
    text = (desk.folder / "en.yml").read_text(encoding="utf-8")
    assert text == (
        'version: "3.1"\n'
        "nlu:\n"
        "- intent: faq_phishing\n"
        "  examples: |\n"
        "    - bank sms says update details at [link] (now)\n"
        "    - got sms say my [account] blocked, click [link]\n"
    )
    [labelled, _] = desk.queue.labelled()
    assert (labelled.label, labelled.labelled_by) == ("faq_phishing", "Aisyah")
    assert desk.queue.pending() == []


def test_rasa_reads_the_review_file_without_entities_from_placeholders(tmp_path: Path) -> None:
    from rasa.shared.nlu.training_data.formats.rasa_yaml import RasaYAMLReader

    desk = Desk(tmp_path)
    desk.review.label(
        desk.keep("我的 shopee [account] 被 hack 了", "mixed"), "faq_account_hacked", "Wei"
    )
    desk.review.label(desk.keep("transfer to [account](now) pls"), "faq_scam_victim", "Wei")
    for language in ("mixed", "en"):
        data = RasaYAMLReader().reads((desk.folder / f"{language}.yml").read_text())
        assert [m.get("entities") for m in data.training_examples] == [None]


def test_each_language_has_its_own_file_and_labels_of_one_intent_stay_together(
    tmp_path: Path,
) -> None:
    desk = Desk(tmp_path)
    for text, language, intent in [
        ("akaun [account] kena hack semalam", "ms", "faq_account_hacked"),
        ("nak tanya pasal cuaca esok", "ms", "out_of_scope"),
        ("fb saya kena godam, tak boleh login", "ms", "faq_account_hacked"),
        ("我的脸书被盗了", "zh", "faq_account_hacked"),
    ]:
        assert desk.review.label(desk.keep(text, language), intent, "Siva").outcome == (
            LabelOutcome.LABELLED
        )
    assert sorted(p.name for p in desk.folder.iterdir()) == ["ms.yml", "zh.yml"]
    blocks = desk.file("ms")["nlu"]
    assert [b["intent"] for b in blocks] == ["faq_account_hacked", "out_of_scope"]  # type: ignore[index]


def test_label_refuses_a_line_from_the_held_out_set(tmp_path: Path, heldout_line: str) -> None:
    desk = Desk(tmp_path)
    entry = desk.keep(heldout_line.upper() + "  ")
    assert desk.review.label(entry, "greet", "Aisyah").outcome == LabelOutcome.HELD_OUT
    assert not desk.folder.exists()
    assert desk.queue.pending()[0].label is None, "still waiting for a usable label"


def test_label_refuses_a_line_already_in_the_training_data(tmp_path: Path) -> None:
    desk = Desk(tmp_path)
    entry = desk.keep(TRAINED)
    assert desk.review.label(entry, "faq_personal_data", "Aisyah").outcome == (
        LabelOutcome.ALREADY_TRAINED
    )
    again = desk.keep("fb saya kena godam lagi")
    desk.review.label(again, "faq_account_hacked", "Aisyah")
    twice = desk.keep("FB saya kena godam lagi")
    assert desk.review.label(twice, "faq_account_hacked", "Aisyah").outcome == (
        LabelOutcome.ALREADY_TRAINED
    ), "a review file line counts as training data too"


@pytest.mark.parametrize("label", ["faq_phising", "risk_danger_now", "scam_urgency", ""])
def test_label_refuses_an_intent_the_training_data_does_not_define(
    tmp_path: Path, label: str
) -> None:
    desk = Desk(tmp_path)
    entry = desk.keep("something new")
    assert desk.review.label(entry, label, "Aisyah").outcome == LabelOutcome.UNKNOWN_INTENT


def test_new_topic_needed_is_kept_in_sqlite_only(tmp_path: Path) -> None:
    desk = Desk(tmp_path)
    entry = desk.keep("how do i report a fake charity on carousell")
    assert desk.review.label(entry, "new_topic_needed", "Siva").outcome == LabelOutcome.NOTED
    assert not desk.folder.exists()
    assert desk.queue.labelled()[0].label == "new_topic_needed"
    assert desk.review.label(entry, "faq_scam_identify", "Siva").outcome == (
        LabelOutcome.ALREADY_LABELLED
    )
    assert desk.review.label(999, "faq_scam_identify", "Siva").outcome == (
        LabelOutcome.NO_SUCH_ENTRY
    )


def test_still_wrong_lists_labelled_entries_the_model_places_elsewhere(tmp_path: Path) -> None:
    desk = Desk(tmp_path)
    right = desk.keep("my fb got hacked what now")
    wrong = desk.keep("someone took over my ig")
    noted = desk.keep("fake charity on carousell")
    desk.review.label(right, "faq_account_hacked", "Wei")
    desk.review.label(wrong, "faq_account_hacked", "Wei")
    desk.review.label(noted, "new_topic_needed", "Wei")
    nlu = FakeNlu({"my fb got hacked what now": ("faq_account_hacked", 0.9)})
    found = asyncio.run(still_wrong(desk.queue, nlu))
    assert [(w.entry.text, w.predicted) for w in found] == [
        ("someone took over my ig", "out_of_scope")
    ]
    assert "fake charity on carousell" not in nlu.seen


def entry(entry_id: int, text: str) -> ReviewEntry:
    return ReviewEntry(entry_id, "en", "did_you_mean", text, (), (), date(2026, 11, 24))


def test_similar_messages_are_grouped_with_a_representative() -> None:
    entries = [
        entry(1, "how to get back my money from shopee seller"),
        entry(2, "我的脸书被盗了怎么办"),
        entry(3, "how to get my money back from the shopee seller"),
        entry(4, "can i get back my money from shopee seller?"),
        entry(5, "我的脸书被盗了，怎么办"),
        entry(6, "weather tomorrow"),
    ]
    groups = group_entries(entries)
    assert [[m.entry_id for m in g.members] for g in groups] == [[1, 3, 4], [2, 5], [6]]
    assert groups[0].representative.entry_id == 1
    assert groups[2].representative.entry_id == 6


def test_a_labelled_line_makes_the_model_stale_and_goes_into_the_next_training(
    tmp_path: Path,
) -> None:
    """`waspada nlu train` hands Rasa all of nlu/data/ and fingerprints every file under it, so
    the default review folder needs no wiring of its own."""
    import shutil

    from bot.nlu.training import fingerprint, training_inputs

    nlu = tmp_path / "nlu"
    shutil.copytree(NLU, nlu)
    before = fingerprint(nlu)
    queue = SqliteReviewQueue(open_database(tmp_path / "waspada.db"), FakeClock())
    entry = queue.keep(
        ReviewItem(OWNER, "ms", "out_of_scope", "fb saya kena godam", (), (), date.today())
    )
    review = StaffReview(queue, NluReviewFiles(nlu))
    assert review.label(entry, "faq_account_hacked", "Aisyah").file == "ms.yml"
    assert nlu / "data" / "review" / "ms.yml" in training_inputs(nlu)
    assert fingerprint(nlu) != before
