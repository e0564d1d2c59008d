"""The real PTB Application, fed real `Update` objects, talking HTTP to a fake Bot API on 127.0.0.1.

Every row of the handler matrix runs in the three client languages Telegram reports.
"""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import pytest

from bot.core import callbacks
from bot.core.flood import FloodBudget
from bot.core.languages import Language
from bot.core.markup import to_telegram_html
from tests.fakes.doubles import FakeNlu
from tests.fakes.telegram_api import BOT_USER, STICKER, FakeTelegramApi
from tests.support.telegram_chat import ANSWERS, CLIENTS, TR, Chat, ui

pytestmark = pytest.mark.e2e
GROUP = -100555


@pytest.fixture
def api(telegram: FakeTelegramApi) -> FakeTelegramApi:
    return telegram


@pytest.fixture
def chat(api: FakeTelegramApi, tmp_path: Path) -> Chat:
    return Chat(api, tmp_path / "waspada.db")


def first_line(topic: str, lang: Language) -> str:
    answer = ANSWERS.answer(topic, lang)
    assert answer is not None
    return to_telegram_html(answer.text).splitlines()[0]


COMMAND_TOPICS = {
    "/start": "greet",
    "/help": "bot_help",
    "/menu": "bot_help",
    "/privacy": "privacy",
    "/verify": "verify",
    "/status": "report_status",
}


@pytest.mark.parametrize("client", CLIENTS)
@pytest.mark.parametrize("command", COMMAND_TOPICS)
def test_each_command_is_answered_in_the_clients_language(
    chat: Chat, client: str, command: str
) -> None:
    lang = CLIENTS[client]
    [reply] = chat.say(command, client)
    assert first_line(COMMAND_TOPICS[command], lang) in reply.text
    assert reply.parse_mode == "HTML"
    assert reply.button_data, "every answer offers a way on"


@pytest.mark.parametrize("client", CLIENTS)
def test_language_cancel_and_unknown_commands_speak_the_clients_language(
    chat: Chat, client: str
) -> None:
    lang = CLIENTS[client]
    [languages] = chat.say("/language", client)
    assert ui(lang, "Which language would you like?") in languages.text
    assert callbacks.encode("language", "zh") in languages.button_data
    [cancelled] = chat.say("/cancel", client)
    assert ui(lang, "Cancelled. What would you like to know?") in cancelled.text
    [unknown] = chat.say("/weather", client)
    expected = ui(
        lang, "Sorry, I don't know the command /{command}. Here is the menu.", command="weather"
    )
    assert expected in unknown.text


OTHER_THINGS = {
    "sticker": {"sticker": STICKER},
    "voice note": {"voice": {"file_id": "v1", "file_unique_id": "vu1", "duration": 3}},
    "photo": {"photo": [{"file_id": "p1", "file_unique_id": "pu1", "width": 90, "height": 90}]},
    "document": {"document": {"file_id": "d1", "file_unique_id": "du1", "file_name": "a.pdf"}},
    "location": {"location": {"latitude": 3.1, "longitude": 101.7}},
    "contact": {"contact": {"phone_number": "+60123456789", "first_name": "Siti"}},
}
OTHER_REPLIES = {
    "sticker": "I can only read text for now. Please type your question.",
    "voice note": "I can only read text for now. Please type your question.",
    "photo": "Please don't send photos, videos or files outside a report: I don't open or "
    'keep them. To report something harmful, press "Report this": I will ask for '
    "the link, and you can add screenshots there unless a child may be involved. "
    "Never send sexual images of a child, not even to report them: only the link "
    "is needed.",
    "location": "Please don't share your location or anyone's contact details here. "
    "I don't need them to help you.",
}
OTHER_REPLIES["document"] = OTHER_REPLIES["photo"]
OTHER_REPLIES["contact"] = OTHER_REPLIES["location"]


@pytest.mark.parametrize("client", CLIENTS)
@pytest.mark.parametrize("thing", OTHER_THINGS)
def test_stickers_voice_files_and_places_get_a_kind_reply_and_are_never_downloaded(
    chat: Chat, api: FakeTelegramApi, client: str, thing: str
) -> None:
    lang = CLIENTS[client]
    [reply] = chat.send(OTHER_THINGS[thing], client)
    assert ui(lang, OTHER_REPLIES[thing]) in reply.text
    assert "getFile" not in api.calls


@pytest.mark.parametrize("client", CLIENTS)
def test_an_edited_message_is_answered_once_with_a_hint(
    chat: Chat, api: FakeTelegramApi, client: str
) -> None:
    lang = CLIENTS[client]
    api.edit_text("edited question", language_code=client)
    update = api.updates.pop()
    del update["update_id"]
    [reply] = chat.feed(update)
    assert (
        ui(lang, "I only read new messages. Please send your corrected question as a new message.")
        in reply.text
    )


@pytest.mark.parametrize("client", CLIENTS)
def test_a_very_long_message_and_an_emoji_only_message_get_kind_answers(
    chat: Chat, client: str
) -> None:
    lang = CLIENTS[client]
    [long] = chat.say("tolong " * 1000, client)
    assert (
        ui(
            lang,
            "That message is very long. Please send a shorter one "
            "(up to {limit} characters) so I can understand it.",
            limit=4000,
        )
        in long.text
    )
    [emoji] = chat.say("😢😢😢", client)
    assert ui(lang, "I'm not sure I understood. Did you mean one of these?") in emoji.text
    assert callbacks.encode("menu") in emoji.button_data


@pytest.mark.parametrize("client", CLIENTS)
def test_sensitive_answers_cannot_be_forwarded_or_saved(chat: Chat, client: str) -> None:
    lang = CLIENTS[client]
    [answer] = chat.press(callbacks.encode("topic", "faq_sextortion"), client)
    assert first_line("faq_sextortion", lang) in answer.text
    assert answer.protect_content
    [ordinary] = chat.press(callbacks.encode("topic", "faq_phishing"), client)
    assert not ordinary.protect_content


@pytest.mark.parametrize("client", CLIENTS)
def test_choosing_a_language_edits_the_language_menu_in_place(chat: Chat, client: str) -> None:
    [menu] = chat.say("/language", client)
    [chosen] = chat.press(callbacks.encode("language", "ms"), client, on_message=menu.message_id)
    assert chosen.method == "editMessageText"
    assert chosen.message_id == menu.message_id
    assert ui("ms", "OK, I will reply in English from now on.") in chosen.text
    [after] = chat.say("/help", client)
    assert first_line("bot_help", "ms") in after.text


def test_stale_or_forged_buttons_get_the_main_menu(chat: Chat) -> None:
    for data in ("v0:t:faq_deepfake", "v1:t:<script>", "v1:zz", "x" * 64):
        [reply] = chat.press(data, "ms")
        assert ui("ms", "That menu has expired. Here is the main menu.") in reply.text
        assert callbacks.encode("topic", "faq_scam_victim") in reply.button_data


def test_quick_exit_deletes_both_sides_of_the_chat_and_leaves_a_neutral_line(
    chat: Chat, api: FakeTelegramApi
) -> None:
    chat.say("/start", "ms")
    chat.press(callbacks.encode("topic", "faq_sextortion"), "ms")
    [done] = chat.say("/exit", "ms")
    deleted = {message_id for chat_id, message_id in api.deleted if chat_id == 777}
    bot_messages = {m.message_id for m in api.sent if m is not done}
    assert bot_messages <= deleted, "every earlier bot message is deleted"
    assert len(deleted) > len(bot_messages), "the person's own messages are deleted too"
    assert done.text == TR.gettext("ms", "Done.")
    assert not done.button_data
    chat.say("/exit", "ms")
    assert len(api.deleted) == len(deleted) + 2, "nothing is deleted twice"


def test_a_dropped_connection_is_retried_and_the_answer_arrives_once(
    chat: Chat, api: FakeTelegramApi
) -> None:
    api.drop_next_sends = 2
    replies = chat.say("/verify", "en")
    assert len(replies) == 1
    assert first_line("verify", "en") in replies[0].text


# ---- groups -------------------------------------------------------------------------------
MENTION = "@" + str(BOT_USER["username"])


def test_in_a_group_the_bot_stays_quiet_unless_addressed(chat: Chat) -> None:
    assert chat.say("anyone know if this is a scam?", chat_id=GROUP, chat_type="supergroup") == []
    assert chat.say("/help@some_other_bot", chat_id=GROUP, chat_type="supergroup") == []
    [helped] = chat.say(f"/help@{BOT_USER['username']}", chat_id=GROUP, chat_type="supergroup")
    assert first_line("bot_help", "en") in helped.text


def test_a_mention_in_a_group_gets_an_answer(api: FakeTelegramApi, tmp_path: Path) -> None:
    nlu = FakeNlu({"is this a scam": ("faq_scam_identify", 0.95)})
    chat = Chat(api, tmp_path / "waspada.db", nlu)
    [answer] = chat.say(f"{MENTION} is this a scam", "ms", chat_id=GROUP, chat_type="group")
    assert answer.chat_id == GROUP
    assert first_line("faq_scam_identify", "ms") in answer.text
    assert nlu.seen == ["is this a scam"], "the mention itself is not part of the question"
    [again] = chat.say("and this one?", "ms", chat_id=GROUP, chat_type="group", reply_to_bot=True)
    assert again.chat_id == GROUP


@pytest.mark.parametrize("client", CLIENTS)
def test_reporting_from_a_group_moves_to_a_private_chat(chat: Chat, client: str) -> None:
    lang = CLIENTS[client]
    [moved] = chat.say("/report", client, chat_id=GROUP, chat_type="supergroup")
    assert moved.chat_id == GROUP
    assert ui(lang, "Open a private chat") in str(moved.buttons)
    assert moved.button_urls == [f"https://t.me/{BOT_USER['username']}?start=report"]
    [pressed] = chat.press(callbacks.encode("report"), client, chat_id=GROUP, chat_type="group")
    assert pressed.button_urls == [f"https://t.me/{BOT_USER['username']}?start=report"]


class BrokenNlu(FakeNlu):
    """An NLU that fails the way a bug would, quoting what it was given."""

    async def parse(self, text: str) -> Any:
        raise RuntimeError(f"could not parse {text!r}")


def test_a_failure_on_our_side_gets_an_apology_in_the_chosen_language_and_leaks_nothing(
    api: FakeTelegramApi, tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    chat = Chat(api, tmp_path / "waspada.db", nlu=BrokenNlu())
    chat.say("/start lang_zh", "ms")

    [apology] = chat.say("my IC 900101-14-5678 was leaked", "ms")

    incident = re.findall(r"[0-9a-f]{8}", apology.text)[-1]
    assert apology.text == TR.gettext(
        "zh",
        "Sorry, something went wrong on our side. Please try again. "
        "If it happens again, quote incident {incident}.",
        incident=incident,
    )
    assert incident in caplog.text and "RuntimeError" in caplog.text
    assert "900101" not in caplog.text, "the error's message quoted the person's words"


def test_after_forget_no_message_id_of_the_chat_is_kept(chat: Chat) -> None:
    chat.say("/start", "ms")
    chat.press(callbacks.encode("topic", "faq_sextortion"), "ms")
    assert chat_ids_kept(chat) == [777]
    chat.say("/forget", "ms")
    chat.press(callbacks.encode("forget", "yes"), "ms")
    assert chat_ids_kept(chat) == [], "not even the 'Done' reply's id"
    chat.say("/start", "ms")
    assert chat_ids_kept(chat) == [777], "a new conversation is logged as usual"


def chat_ids_kept(chat: Chat) -> list[int]:
    rows = chat.db.execute("SELECT DISTINCT chat_id FROM chat_messages").fetchall()
    return [int(row[0]) for row in rows]


def test_someone_hammering_a_button_is_slowed_like_someone_flooding_messages(
    chat: Chat, api: FakeTelegramApi
) -> None:
    """The probe: 300 presses of one topic button gave 300 replies while others waited."""
    press = callbacks.encode("topic", "faq_phishing")
    updates = [{"callback_query": api.button_update(press)} for _ in range(60)]
    answered = chat.feed(*updates)
    assert 1 <= len(answered) <= FloodBudget().presses, "only as many answers as allowed"
    assert api.calls.count("answerCallbackQuery") == 60, "every press stops its spinner"
    [other] = chat.feed({"message": api.text_update("/start", user_id=888)})
    assert other.chat_id == 888, "someone else is answered at once"


def test_person_rating_an_answer_in_malay_gets_a_pop_up_thank_you_and_one_count(
    api: FakeTelegramApi, tmp_path: Path
) -> None:
    question = "dapat sms bank kata akaun disekat, kena klik link"
    chat = Chat(
        api, tmp_path / "waspada.db", FakeNlu({question: ("faq_phishing", 0.9)}), insight=True
    )
    [answer] = chat.say(question, "ms")
    rows = [[b["text"] for b in row] for row in (answer.reply_markup or {})["inline_keyboard"]]
    assert ["👍 Membantu", "👎 Tidak membantu"] in rows
    assert rows[-1] == ["Menu utama"]
    down = callbacks.encode("helpful", "d.faq_phishing")
    before = len(api.requests)
    assert chat.press(down, "ms") == [], "a pop-up, not a new message"
    chat.press(down, "ms")
    pressed = api.requests[before:]
    answered = [params for method, params in pressed if method == "answerCallbackQuery"]
    assert [p.get("text", "") for p in answered] == [TR.gettext("ms", THANKS_DOWN)] * 2
    assert THANKS_DOWN not in TR.gettext("ms", THANKS_DOWN), "translated"
    [rating] = chat.usage.helpful_by_topic(days=1)
    assert (rating.language, rating.helpful, rating.unhelpful) == ("ms", 0, 1)


THANKS_DOWN = (
    "Thank you for telling me. Staff use this to improve the answers. "
    "Still need help? Press “Main menu” or ask in other words."
)
