"""The guided report in the core: real answers, real SQLite report store and outbox, fake clock."""

from __future__ import annotations

from datetime import datetime, timezone
from pathlib import Path

import pytest

from bot.core import callbacks
from tests.support.reporter import USER, Person, file_a_scam_report, pseudonym


def test_a_malay_citizen_reports_a_scam_page_and_gets_a_reference_at_once() -> None:
    person = Person()
    done = file_a_scam_report(person)
    assert "[ms] **Thank you. Your report is saved.**" in done[0].text
    [summary] = person.store.summaries(USER)
    assert summary.reference in done[0].text
    assert summary.reference.startswith("WSP-")
    assert summary.delivery == "queued"
    [entry] = person.outbox.due(person.clock.now())
    body = entry.body
    assert body["category"] == "financial_fraud"
    assert body["platform"] == "facebook"
    assert body["content_urls"] == ["https://www.facebook.com/scam.page/posts/123"]
    assert body["incident_date"] == "2026-11-23"
    assert body["language"] == "ms"
    assert body["reporter"] == {
        "contact_consent": False,
        "name": None,
        "phone": None,
        "email": None,
        "telegram_user_ref": pseudonym(USER),
    }
    assert "4242" not in str(body), "the raw Telegram id never leaves the bot"


def test_money_already_transferred_gets_the_scam_hotline_before_any_question() -> None:
    person = Person()
    person.say("/report")
    first, question = person.press("tri.money")
    assert "997" in first.text
    assert "National Scam Response Centre" in first.text
    assert "What kind of content is it?" in question.text


def test_someone_in_danger_gets_999_first() -> None:
    person = Person()
    person.say("/report")
    first, _ = person.press("tri.danger")
    assert "999" in first.text.splitlines()[0]


def test_sexual_images_of_a_child_are_never_asked_for_only_the_link() -> None:
    person = Person()
    person.say("/report")
    warning, question = person.press("tri.child")
    assert "Do not download, screenshot or forward it" in warning.text
    assert warning.protect
    assert "Where did you see it?" in question.text, "no category question: it is csam"
    person.press("plt.telegram")
    [refused, again] = person.send("media", "photo")
    assert "Please don't send images when a child is involved" in refused.text
    assert "Send me the link" in again.text
    person.say("t.me/badchannel/55")
    person.say("Channel ni share gambar budak")
    person.press("whn.skip")
    [privacy] = person.last
    assert "Your privacy" in privacy.text, "no 'does it involve a child?' question: it does"
    person.press("cnt.anon")
    person.press("sum.confirm")
    body = person.outbox.due(person.clock.now())[0].body
    assert body["category"] == "csam"
    assert body["involves_child"] is True
    assert body["content_urls"] == ["https://t.me/badchannel/55"]


def test_back_goes_one_step_back_and_cancel_sends_nothing() -> None:
    person = Person()
    person.say("/report")
    person.press("tri.none")
    person.press("cat.harassment")
    [back] = person.press("plt.back")
    assert "What kind of content is it?" in back.text
    assert back.replaces_menu
    [cancelled] = person.press("cat.cancel")
    assert "Report cancelled. Nothing was sent." in cancelled.text
    assert person.store.summaries(USER) == []


def test_an_old_button_from_another_step_is_stale() -> None:
    person = Person()
    person.say("/report")
    person.press("tri.none")
    [stale] = person.press("tri.money")
    assert "That menu has expired" in stale.text


def test_a_report_in_progress_survives_a_restart(tmp_path: Path) -> None:
    database = tmp_path / "waspada.db"
    person = Person(database)
    person.say("/report")
    person.press("tri.none")
    person.press("cat.deepfake_impersonation")
    person.restart(database)
    [after] = person.press("plt.tiktok")
    assert "Send me the link" in after.text
    [note, step] = person.say("/report")
    assert "You have a report in progress" in note.text
    assert "Send me the link" in step.text


def test_a_very_long_description_is_kept_and_the_person_asked_to_shorten_it() -> None:
    person = Person()
    person.say("/report")
    person.press("tri.none")
    person.press("cat.harassment")
    person.press("plt.x")
    person.press("lnk.none")
    story = "Dia ugut saya setiap hari. " * 200
    [ask] = person.say(story)
    assert "Nothing is lost" in ask.text
    assert str(len(story.strip())) in ask.text
    [when] = person.press("dsc.trim")
    assert "When did you see it?" in when.text
    person.press("whn.today")
    person.press("chd.no")
    person.press("evd.done")
    person.press("cnt.anon")
    person.press("sum.confirm")
    description = person.outbox.due(person.clock.now())[0].body["description"]
    assert 3900 < len(description) <= 4000
    assert story.startswith(description)


def test_contact_details_go_with_the_report_only_when_the_person_agrees() -> None:
    person = Person()
    person.say("/report")
    person.press("tri.none")
    person.press("cat.personal_data")
    person.press("plt.whatsapp")
    person.press("lnk.none")
    person.say("Someone shared my IC photo in a group")
    person.say("3 days ago")
    person.press("chd.no")
    person.press("evd.done")
    person.press("cnt.contact")
    person.say("Siti Aminah")
    [hint, _] = person.say("call me maybe")
    assert "doesn't look like a phone number" in hint.text
    person.say("012-345 6789")
    person.say("siti@example.com")
    summary = person.last[-1].text
    assert "Siti Aminah, 012-345 6789, siti@example.com" in summary
    assert "2026-11-21" in summary
    person.press("sum.confirm")
    reporter = person.outbox.due(person.clock.now())[0].body["reporter"]
    assert reporter["contact_consent"] is True
    assert reporter["phone"] == "012-345 6789"
    assert reporter["email"] == "siti@example.com"


def test_editing_from_the_summary_comes_back_to_the_summary() -> None:
    person = Person()
    person.say("/report")
    for step in ("tri.none", "cat.obscene", "plt.instagram", "lnk.none"):
        person.press(step)
    person.say("Akaun ni post video lucah")
    person.press("whn.today")
    person.press("chd.no")
    person.press("evd.done")
    person.press("cnt.anon")
    [edit_menu] = person.press("sum.edit")
    assert callbacks.encode("report_step", "sum.e_plt") in [b.data for b in edit_menu.buttons]
    [platforms] = person.press("sum.e_plt")
    assert "Where did you see it?" in platforms.text
    [summary] = person.press("plt.tiktok")
    assert "Please check your report before it is sent" in summary.text
    assert "TikTok" in summary.text


def test_the_same_report_twice_is_caught_and_not_sent_again() -> None:
    person = Person()
    first = file_a_scam_report(person)
    second = file_a_scam_report(person)
    [summary] = person.store.summaries(USER)
    assert "You already sent this report" in second[0].text
    assert summary.reference in second[0].text
    assert summary.reference in first[0].text


def test_a_person_can_file_only_so_many_reports_a_day_and_keeps_their_answers() -> None:
    person = Person(per_day=1)
    file_a_scam_report(person)
    person.say("/report")
    person.press("tri.none")
    person.press("cat.harassment")
    person.press("plt.x")
    person.press("lnk.none")
    person.say("Another thing happened")
    person.press("whn.today")
    person.press("chd.no")
    person.press("evd.done")
    person.press("cnt.anon")
    [limited] = person.press("sum.confirm")
    assert "You have sent 1 reports today" in limited.text
    assert len(person.store.summaries(USER)) == 1
    person.clock.advance(days=1, minutes=1)
    [done] = person.press("sum.confirm")
    assert "Your report is saved" in done.text
    assert len(person.store.summaries(USER)) == 2


def test_status_lists_reports_and_forget_erases_them() -> None:
    person = Person()
    [empty] = person.say("/status")
    assert "You have not sent any reports yet." in empty.text
    file_a_scam_report(person)
    [status] = person.say("/status")
    reference = person.store.summaries(USER)[0].reference
    assert reference in status.text
    assert "waiting to be sent" in status.text
    [ask] = person.say("/forget")
    assert callbacks.encode("forget", "yes") in [b.data for b in ask.buttons]
    [done] = person.send("button", callbacks.encode("forget", "yes"))
    assert "1 report(s) affected" in done.text
    assert person.outbox.due(person.clock.now()) == [], "an undelivered report is withdrawn"


def test_asking_to_report_in_words_starts_the_report() -> None:
    person = Person()
    intro, triage = person.say("i want to report a tiktok video")
    assert "I will help you report harmful content" in intro.text
    assert callbacks.encode("report_step", "tri.money") in [b.data for b in triage.buttons]


@pytest.mark.parametrize(
    "step", ["tri.none", "cat.other", "plt.other", "sum.confirm", "cnt.contact"]
)
def test_report_buttons_fit_telegrams_64_bytes(step: str) -> None:
    assert len(callbacks.encode("report_step", step).encode()) <= 64
    longest = max(("cat.violence_terrorism", "cat.deepfake_impersonation"), key=len)
    assert len(callbacks.encode("report_step", longest).encode()) <= 64


def test_yesterday_means_the_malaysian_yesterday_in_the_small_hours() -> None:
    person = Person()
    person.clock.moment = datetime(2026, 11, 24, 20, 30, tzinfo=timezone.utc)  # 04:30 in KL
    file_a_scam_report(person)
    person.clock.advance(minutes=1)
    person.say("/report")
    for step in ("tri.none", "cat.harassment", "plt.x", "lnk.none"):
        person.press(step)
    person.say("Dia ugut saya pagi tadi")
    for step in ("whn.today", "chd.no", "evd.done", "cnt.anon", "sum.confirm"):
        person.press(step)
    dates = [e.body["incident_date"] for e in person.outbox.due(person.clock.now())]
    assert dates == ["2026-11-24", "2026-11-25"], "semalam and today, as the clock reads in KL"


def test_after_forget_the_data_folder_holds_no_byte_of_the_person(tmp_path: Path) -> None:
    """The probe found the name, phone and links still in the -wal file, and the session row
    saved again after the erase. A byte search of the database, WAL and SHM must find nothing."""
    from bot.storage.chat_log import SqliteChatLog

    database = tmp_path / "data" / "waspada.db"
    person = Person(database)
    chat_log = SqliteChatLog(person.db)
    chat_log.record(4242, 77)
    person.say("/report")
    person.press("tri.none")
    person.press("cat.financial_fraud")
    person.press("plt.facebook")
    person.say("https://www.facebook.com/zulkifli.rosmah.page/posts/98765")
    person.say("Penjual Zulkifli Rosmah tipu sy RM850 guna akaun Maybank")
    person.say("semalam")
    person.press("chd.no")
    person.press("evd.done")
    person.press("cnt.contact")
    person.say("Nurul Hidayah Kamaruddin")
    person.say("019-876 5432")
    person.say("nurul.hidayah.k@example.com")
    person.press("sum.confirm")
    person.say("/report")
    person.press("tri.none")
    person.press("cat.financial_fraud")
    person.press("plt.tiktok")
    person.say("https://www.tiktok.com/@half.finished.draft/video/1")
    [done] = person.send("button", callbacks.encode("forget", "yes"))
    assert done.forgets_person
    chat_log.forget_chat(4242)
    secrets_ = [
        "zulkifli.rosmah",
        "Zulkifli Rosmah",
        "Nurul Hidayah",
        "019-876",
        "nurul.hidayah.k",
        "half.finished.draft",
        str(USER),
        pseudonym(USER),
    ]
    for path in sorted(database.parent.iterdir()):
        data = path.read_bytes()
        found = [s for s in secrets_ if s.encode() in data]
        assert found == [], path.name
    assert person.db.execute("SELECT count(*) FROM chat_messages").fetchone()[0] == 0
    [welcome, *_] = person.say("/start")
    assert welcome.language == "ms", "a new user again: the language comes from the client"


def test_a_name_over_100_characters_is_asked_again_with_the_reason() -> None:
    person = Person()
    file_a_scam_report(person)
    person.clock.advance(days=1, minutes=1)
    person.say("/report")
    person.press("tri.none")
    person.press("cat.financial_fraud")
    person.press("plt.facebook")
    person.say("https://www.facebook.com/another.scam/posts/9")
    person.say("Jual telefon tak hantar")
    person.say("semalam")
    person.press("chd.no")
    person.press("evd.done")
    person.press("cnt.contact")
    hint, ask = person.say("Nurul " * 20)
    assert "[ms] That name is too long. Please use at most 100 characters." in hint.text
    [next_step] = person.say("Nurul Hidayah")
    assert next_step.text != ask.text, "a name that fits moves on to the phone number"
