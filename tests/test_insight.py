"""What people ask, as staff will see it: 👍/👎 under answers, counts without words, and the
messages the bot could not place kept (redacted) for review. Real answers and a SQLite file,
fake NLU and clock."""

from __future__ import annotations

import json
from pathlib import Path

from bot.app import retention
from bot.core import callbacks
from bot.settings import Settings
from tests.support.insight import InsightBot, rating_data

PHISHING = "got sms from bank say my account blocked, must click link"
PHISHING_MS = "dapat sms bank kata akaun saya disekat, kena klik link"
PHISHING_ZH = "收到银行短信说我的户口被冻结，要点链接"
LOST = "nama saya Ahmad Faizal, dia call dari 012-345 6789 minta duit, apa saya nak buat"
OFF_TOPIC = "what is the best nasi lemak in PJ"
PARCEL = "i just transferred RM4,500 to 5123 4567 8901 23 and now he blocked me"
TABLE = {
    PHISHING: ("faq_phishing", 0.93),
    PHISHING_MS: ("faq_phishing", 0.91),
    PHISHING_ZH: ("faq_phishing", 0.9),
    OFF_TOPIC: ("out_of_scope", 0.95),
    "hello": ("greet", 0.99),
}


def bot_in(tmp_path: Path, **options: object) -> InsightBot:
    return InsightBot(tmp_path / "waspada.db", TABLE, **options)  # type: ignore[arg-type]


# ---- 👍/👎 -------------------------------------------------------------------------------------
def test_a_topic_answer_asks_whether_it_helped_on_one_row_above_the_main_menu(
    tmp_path: Path,
) -> None:
    bot = bot_in(tmp_path)
    [answer] = bot.say(PHISHING_ZH, "zh")
    labels = [b.label for b in answer.buttons]
    assert labels[-3:] == ["👍 [zh] Helpful", "👎 [zh] Not helpful", "[zh] Main menu"]
    assert answer.buttons[-2].same_row and not answer.buttons[-3].same_row
    assert rating_data(answer) == [
        callbacks.encode("helpful", "u.faq_phishing"),
        callbacks.encode("helpful", "d.faq_phishing"),
    ]


def test_no_rating_under_greetings_menus_did_you_mean_or_crisis_cards(tmp_path: Path) -> None:
    bot = bot_in(tmp_path, risks={PARCEL: ("money_just_lost",)})
    assert rating_data(bot.say("hello")[0]) == []
    assert rating_data(bot.say("/menu")[0]) == []
    [guess] = bot.say("hmm what about that thing")
    assert guess.guessing and rating_data(guess) == []
    crisis, *_ = bot.say(PARCEL)
    assert crisis.protect and rating_data(crisis) == []
    [more] = bot.press(callbacks.encode("more", "faq_phishing"))
    assert rating_data(more) == []


def test_person_pressing_thumbs_down_in_malay_is_thanked_and_counted_once(tmp_path: Path) -> None:
    bot = bot_in(tmp_path)
    bot.say(PHISHING_MS, "ms")
    [thanks] = bot.rate("faq_phishing", helpful=False, lang="ms")
    assert thanks.notice and thanks.text.startswith("[ms] Thank you")
    [again] = bot.rate("faq_phishing", helpful=False, lang="ms")
    assert again.notice and again.text.startswith("[ms] Thank you"), "still thanked kindly"
    [rating] = bot.usage.helpful_by_topic(days=1)
    assert (rating.topic, rating.language, rating.helpful, rating.unhelpful) == (
        "faq_phishing",
        "ms",
        0,
        1,
    )


def test_an_answer_shown_again_can_be_rated_again(tmp_path: Path) -> None:
    bot = bot_in(tmp_path)
    bot.say(PHISHING)
    bot.rate("faq_phishing", helpful=True)
    bot.press(callbacks.encode("topic", "faq_phishing"))
    bot.rate("faq_phishing", helpful=True)
    bot.rate("faq_phishing", helpful=True)
    assert [(r.helpful, r.unhelpful) for r in bot.usage.helpful_by_topic(days=1)] == [(2, 0)]


def test_a_press_on_an_answer_never_shown_is_thanked_but_not_counted(tmp_path: Path) -> None:
    bot = bot_in(tmp_path)
    [thanks] = bot.rate("faq_deepfake", helpful=True)
    assert thanks.notice
    assert bot.usage.helpful_by_topic(days=1) == []


def test_a_forged_rating_button_gets_the_expired_menu(tmp_path: Path) -> None:
    bot = bot_in(tmp_path)
    [reply] = bot.press("v1:hp:x.faq_phishing")
    assert "expired" in reply.text


def test_thumbs_down_keeps_the_typed_question_for_review_redacted(tmp_path: Path) -> None:
    question = "my name is Lim Wei Jie, got sms to 0123456789 from bank, click bit.ly/x"
    bot = bot_in(tmp_path)
    bot.nlu.table[question] = ("faq_phishing", 0.8)
    bot.say(question)
    bot.rate("faq_phishing", helpful=False)
    [entry] = bot.queue.pending()
    assert entry.reason == "thumbs_down"
    assert entry.text == "my name is [name], got sms to [phone] from bank, click [link]"
    assert entry.guesses[0] == ("faq_phishing", 0.8)
    saved = bot.db.execute("select answered from sessions").fetchone()[0]
    assert saved is None or "Lim" not in saved, "the session never holds the raw words"


def test_thumbs_up_keeps_nothing_for_review(tmp_path: Path) -> None:
    bot = bot_in(tmp_path)
    bot.say(PHISHING)
    bot.rate("faq_phishing", helpful=True)
    assert bot.queue.pending() == []


# ---- counts ----------------------------------------------------------------------------------
def test_counts_by_topic_language_and_how_each_question_was_met(tmp_path: Path) -> None:
    bot = bot_in(tmp_path)
    bot.say(PHISHING)
    bot.say(PHISHING_MS, "ms")
    bot.say(PHISHING_MS, "ms")
    bot.say(OFF_TOPIC)
    bot.clock.advance(minutes=30)  # not a follow-up to the phishing answer any more
    bot.say("something the model cannot place")
    counts = {(c.topic, c.language): c.count for c in bot.usage.counts_by_topic(days=7)}
    assert counts == {("faq_phishing", "en"): 1, ("faq_phishing", "ms"): 2}
    share = bot.usage.direct_share(days=7)
    assert share.counts == {"direct": 3, "follow_up": 0, "did_you_mean": 1, "out_of_scope": 1}
    assert share.share("direct") == 0.6
    assert bot.usage.direct_share(days=7, language="ms").counts["direct"] == 2


def test_a_short_follow_up_is_counted_under_the_recent_topic(tmp_path: Path) -> None:
    bot = bot_in(tmp_path)
    bot.say(PHISHING)
    [follow_up] = bot.say("what now")
    assert not follow_up.guessing
    assert bot.usage.direct_share(days=1).counts["follow_up"] == 1
    [count] = bot.usage.counts_by_topic(days=1)
    assert (count.topic, count.count) == ("faq_phishing", 2)
    assert bot.queue.pending() == [], "placed in context: nothing to review"


def test_risk_classes_are_counted_per_day(tmp_path: Path) -> None:
    bot = bot_in(tmp_path, risks={PARCEL: ("money_just_lost",)})
    bot.say(PARCEL)
    bot.clock.advance(days=1)
    bot.say(PARCEL)
    risks = [(r.day.isoformat(), r.risk, r.count) for r in bot.usage.risk_counts(days=7)]
    assert risks == [("2026-11-25", "money_just_lost", 1), ("2026-11-24", "money_just_lost", 1)]
    assert bot.usage.risk_counts(days=1)[0].day.isoformat() == "2026-11-25"


def test_counts_hold_no_message_text(tmp_path: Path) -> None:
    bot = bot_in(tmp_path, risks={PARCEL: ("money_just_lost",)})
    for text in (PHISHING, OFF_TOPIC, PARCEL, LOST):
        bot.say(text, "ms")
    bot.rate("faq_phishing", helpful=False)
    for table in ("usage_questions", "usage_risks", "usage_ratings"):
        columns = {c.name for c in bot.db[table].columns}
        assert not columns & {"text", "user_key", "owner"}, table
        dumped = json.dumps(list(bot.db[table].rows))
        for words in ("sms", "nasi", "RM4,500", "Ahmad", "012", "telegram:1"):
            assert words not in dumped, (table, words)


# ---- the review queue --------------------------------------------------------------------------
def test_did_you_mean_message_is_kept_for_review_with_phone_and_name_redacted(
    tmp_path: Path,
) -> None:
    bot = bot_in(tmp_path)
    [reply] = bot.say(LOST, "ms")
    assert reply.guessing
    [entry] = bot.queue.pending()
    assert entry.text == "nama saya [name], dia call dari [phone] minta duit, apa saya nak buat"
    assert (entry.reason, entry.language) == ("did_you_mean", "ms")
    assert [name for name, _ in entry.guesses] == [
        "out_of_scope",
        "faq_child_photos",
        "faq_scam_victim",
    ]
    stored = json.dumps(list(bot.db["review_entries"].rows))
    assert "Ahmad" not in stored and "345" not in stored


def test_out_of_scope_message_is_kept_and_greetings_are_not(tmp_path: Path) -> None:
    bot = bot_in(tmp_path)
    bot.say("hello")
    bot.say(PHISHING)
    bot.say(OFF_TOPIC)
    assert [(e.reason, e.text) for e in bot.queue.pending()] == [("out_of_scope", OFF_TOPIC)]


def test_a_message_with_a_risk_is_kept_redacted_with_its_risk_classes(tmp_path: Path) -> None:
    bot = bot_in(tmp_path, risks={PARCEL: ("money_just_lost",)})
    bot.say(PARCEL)
    [entry] = bot.queue.pending()
    assert entry.text == "i just transferred RM4,500 to [account] and now he blocked me"
    assert entry.risks == ("money_just_lost",)


def test_chinese_with_english_words_goes_to_the_mixed_review_file(tmp_path: Path) -> None:
    bot = bot_in(tmp_path)
    bot.say("我的 shopee account 被 hack 了怎么办", "zh")
    bot.say("我的账号被盗了怎么办", "zh")
    bot.say("我叫陈小明，他从0123456789打来", "zh")
    pending = bot.queue.pending()
    assert [e.language for e in pending] == ["mixed", "zh", "zh"], "placeholders are no English"
    assert pending[2].text == "我叫[name]，他从[phone]打来"


def test_forget_removes_the_persons_review_entries(tmp_path: Path) -> None:
    bot = bot_in(tmp_path)
    bot.say(LOST, "ms")
    bot.user = bot.user.__class__("telegram", "2")
    bot.say(OFF_TOPIC)
    bot.user = bot.user.__class__("telegram", "1")
    bot.say("/forget")
    bot.press(callbacks.encode("forget", "yes"))
    assert [e.text for e in bot.queue.pending()] == [OFF_TOPIC], "only the other person's is left"
    assert bot.usage.direct_share(days=1).total == 2, "the anonymous counts stay"


def test_review_entries_older_than_30_days_are_dropped(tmp_path: Path) -> None:
    bot = bot_in(tmp_path)
    bot.say(OFF_TOPIC)
    bot.clock.advance(days=20)
    bot.say("another thing the model cannot place")
    sweeps = retention(bot.db, Settings(data_dir=tmp_path))
    [review] = [s for s in sweeps if "review" in s.name]
    assert review.run(bot.clock.advance(days=11)) == 1
    assert [e.text for e in bot.queue.pending()] == ["another thing the model cannot place"]
    assert review.run(bot.clock.advance(days=30)) == 1
    assert bot.queue.pending() == []
