"""`waspada chat --jsonl` as a subprocess: what a newcomer sees after `make run`."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

import pytest

from bot.content.answer_book import FileAnswerBook
from bot.core import callbacks
from bot.settings import PROJECT_ROOT
from tests.fakes.complaint_api import TOKEN, ComplaintApiServer

pytestmark = [pytest.mark.e2e, pytest.mark.nlu, pytest.mark.usefixtures("nlu_as_a_service")]
ANSWERS = FileAnswerBook.load(PROJECT_ROOT / "responses")
WASPADA = str(Path(sys.executable).with_name("waspada"))
PNG = b"\x89PNG\r\n\x1a\n" + bytes(300)


def chat(
    data_dir: Path, *lines: str, jsonl: bool = True, model_inside: bool = False, **extra: str
) -> subprocess.CompletedProcess[str]:
    """`waspada chat`; with `model_inside`, as `make run` starts it, else on the shared server."""
    env = {**os.environ, "WASPADA_DATA_DIR": str(data_dir), **extra}
    env.pop("TELEGRAM_BOT_TOKEN", None)
    if model_inside:
        env.pop("WASPADA_NLU_URL", None)
    args = [WASPADA, "chat"] + (["--jsonl"] if jsonl else [])
    return subprocess.run(
        args,
        input="".join(f"{line}\n" for line in lines),
        env=env,
        capture_output=True,
        text=True,
        timeout=180,
        check=True,
    )


def replies(data_dir: Path, *lines: str, model_inside: bool = False) -> list[dict[str, Any]]:
    out = chat(data_dir, *lines, model_inside=model_inside).stdout.splitlines()
    assert len(out) == len(lines), out
    return [json.loads(line) for line in out]


def plain(topic: str, lang: str) -> str:
    answer = ANSWERS.answer(topic, lang)  # type: ignore[arg-type]
    assert answer is not None
    return answer.text.replace("**", "")


def test_each_message_is_answered_in_the_language_it_was_written_in(data_dir: Path) -> None:
    hello, malay, chinese = replies(
        data_dir,
        "hello",
        "saya takut nak post gambar anak kat facebook",
        "孩子的照片可以发到网上吗？",
        model_inside=True,
    )
    assert hello["replies"][0]["text"] == plain("greet", "en")
    assert malay["replies"][0]["text"] == plain("faq_child_photos", "ms")
    assert chinese["replies"][0]["text"] == plain("faq_child_photos", "zh")


def test_people_in_danger_get_the_right_number_first_in_their_language(data_dir: Path) -> None:
    """The issue's own examples, through the real trained model: the first line of the first
    reply is the action, never a bare "did you mean…?"."""
    cases = [
        ("kawan sy kat atas bumbung flat nk terjun skrg", "999"),
        ("my ex is outside my house and says he will kill me tonight", "999"),
        ("不想活了", "15555"),
        ("suami sy ugut nk bunuh sy, dia bawak parang", "999"),
        ("i just transferred RM4,500 to the parcel delivery guy and now he blocked me", "997"),
    ]
    answered = replies(data_dir, *(text for text, _ in cases))
    for (text, number), reply in zip(cases, answered, strict=True):
        first = reply["replies"][0]["text"]
        assert not first.startswith("I'm not sure"), text
        assert number in first.split("\n\n")[0] or (number == "15555" and number in first), (
            text,
            first,
        )
    assert answered[2]["replies"][0]["text"].startswith("请"), "answered in Chinese"
    assert answered[0]["replies"][0]["text"].startswith("Hubungi"), "answered in Malay"


def test_commands_and_button_presses_work_like_on_telegram(data_dir: Path) -> None:
    start, language_menu, chose_malay, scam = replies(
        data_dir,
        "/start",
        "/language",
        "#button Bahasa Melayu",
        f"#button {callbacks.encode('topic', 'faq_scam_victim')}",
    )
    assert start["input"] == "/start"
    assert {"label": "Bahasa Melayu", "data": "v1:l:ms"} in language_menu["replies"][0]["buttons"]
    assert "Bahasa Melayu" in chose_malay["replies"][0]["text"]
    assert scam["replies"][0]["text"] == plain("faq_scam_victim", "ms")


def test_plain_output_reads_like_a_conversation(data_dir: Path) -> None:
    out = chat(data_dir, "/help", jsonl=False).stdout
    assert out.startswith("Waspada: ")
    assert "[1] " in out


def test_every_topic_answers_in_all_three_languages_through_the_chat(data_dir: Path) -> None:
    topics = sorted(t for t in ANSWERS.topics() if t not in ("greet",))
    lines: list[str] = []
    expected: list[str] = []
    for lang, label in (("en", "English"), ("ms", "Bahasa Melayu"), ("zh", "中文")):
        lines += ["/language", f"#button {label}"]
        expected += ["", ""]
        for topic in topics:
            lines.append(f"#button {callbacks.encode('topic', topic)}")
            expected.append(plain(topic, lang))
    for line, exchange, answer in zip(lines, replies(data_dir, *lines), expected, strict=True):
        if answer:
            assert exchange["replies"][0]["text"] == answer, line


def test_the_running_chat_keeps_answering_through_every_kind_of_broken_edit(
    data_dir: Path, tmp_path: Path
) -> None:
    import re
    import shutil
    import time

    from tests.support.breakages import BREAKAGES

    responses = tmp_path / "responses"
    shutil.copytree(PROJECT_ROOT / "responses", responses)
    log_path = tmp_path / "bot.log"
    env = {**os.environ, "WASPADA_DATA_DIR": str(data_dir), "WASPADA_RESPONSES_DIR": str(responses)}
    with log_path.open("w") as log_file:
        process = subprocess.Popen(
            [WASPADA, "chat", "--jsonl"],
            env=env,
            text=True,
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            stderr=log_file,
        )
    assert process.stdin and process.stdout

    def ask() -> str:
        assert process.stdin and process.stdout
        process.stdin.write(f"#button {callbacks.encode('topic', 'faq_phishing')}\n")
        process.stdin.flush()
        text: str = json.loads(process.stdout.readline())["replies"][0]["text"]
        return text

    path = responses / "faq_phishing.yml"
    good = path.read_text(encoding="utf-8")
    try:
        original = ask()
        for name, (edit, expected) in sorted(BREAKAGES.items()):
            path.write_text(edit(good), encoding="utf-8")
            deadline = time.monotonic() + 30  # the watcher polls; a busy machine is slower
            while not re.search(expected, log_path.read_text(encoding="utf-8")):
                assert time.monotonic() < deadline, f"{name}: the staff were never told"
                time.sleep(0.2)
            assert ask() == original, name
            reloads = log_path.read_text(encoding="utf-8").count("answer files reloaded")
            path.write_text(good, encoding="utf-8")
            deadline = time.monotonic() + 30
            while log_path.read_text(encoding="utf-8").count("answer files reloaded") == reloads:
                assert time.monotonic() < deadline, f"{name}: the good file was never reloaded"
                time.sleep(0.1)
        path.write_text(good.replace("  en: |\n", "  en: |\n    Edited by staff.\n", 1), "utf-8")
        deadline = time.monotonic() + 30
        while "Edited by staff." not in ask():
            assert time.monotonic() < deadline, "the fixed edit was never served"
            time.sleep(0.5)
    finally:
        process.communicate(timeout=30)
    assert "previous answers keep serving" in log_path.read_text(encoding="utf-8")


REPORTS = {
    "en": ("This account keeps posting threats about me", "yesterday", "Thank you."),
    "ms": ("Akaun ni asyik post ugutan pasal saya", "semalam", "Terima kasih."),
    "zh": ("这个账号一直发帖威胁我", "昨天", "谢谢你。"),
}


@pytest.mark.parametrize("lang", REPORTS)
def test_a_report_made_in_the_terminal_reaches_the_complaint_api_and_the_person_hears_back(
    data_dir: Path, tmp_path: Path, lang: str
) -> None:
    description, when, thanks = REPORTS[lang]
    screenshot = tmp_path / "my screenshot.png"
    screenshot.write_bytes(PNG)
    api = ComplaintApiServer(tmp_path / "complaint-api.db").start()
    stderr_path = tmp_path / "stderr.log"

    def press(*steps: str) -> list[str]:
        return [f"#button {callbacks.encode('report_step', s)}" for s in steps]

    steps = [
        f"/start lang_{lang}",
        "/report",
        *press("tri.none", "cat.harassment", "plt.tiktok"),
        "https://www.tiktok.com/@someone/video/7300000000",
        description,
        when,
        *press("chd.no"),
        f"'{screenshot}'",
        *press("evd.done", "cnt.anon", "sum.confirm"),
    ]
    script = "".join(f"{line}\n" for line in steps)
    stderr_file = stderr_path.open("w")
    try:
        process = subprocess.Popen(
            [WASPADA, "chat", "--jsonl"],
            env={
                **os.environ,
                "WASPADA_DATA_DIR": str(data_dir),
                "COMPLAINT_API_URL": api.base_url,
                "COMPLAINT_API_TOKEN": TOKEN,
            },
            text=True,
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            stderr=stderr_file,
        )
        assert process.stdin is not None
        process.stdin.write(script)
        process.stdin.flush()
        deadline = time.monotonic() + 120
        while not api.all_evidence() and time.monotonic() < deadline:
            time.sleep(0.2)
        [complaint] = api.all_complaints()
        while complaint["complaint_id"] not in stderr_path.read_text(encoding="utf-8"):
            assert time.monotonic() < deadline, "the person never heard the official number"
            time.sleep(0.1)
        output, _ = process.communicate("", timeout=60)
        [evidence] = api.all_evidence()
    finally:
        stderr_file.close()
        api.stop()
    errors = stderr_path.read_text(encoding="utf-8")
    turns = [json.loads(line) for line in output.splitlines()]
    added = turns[steps.index(f"'{screenshot}'")]["replies"][0]["text"]
    assert "1" in added and "3" in added, "the person sees their screenshot was added"
    confirmed = turns[-1]["replies"][0]["text"]
    assert confirmed.startswith(thanks), "the whole report is in the person's language"
    assert "WSP-" in confirmed
    assert json.loads(complaint["body"])["language"] == lang
    assert json.loads(complaint["body"])["description"] == description
    assert (evidence["complaint_id"], evidence["size"]) == (complaint["complaint_id"], len(PNG))
    assert complaint["complaint_id"] in errors, "the person is told the official number"
    assert description not in errors, "the logs never carry what the person wrote"


def test_the_terminal_says_staff_cannot_be_reached_from_it_and_gives_the_hotlines(
    data_dir: Path,
) -> None:
    """A staff group is configured for Telegram, but a case opened here could never hear back."""
    done = chat(data_dir, "/human", "nak cakap dengan orang", WASPADA_STAFF_CHAT_ID="-100123")
    assert "terminal cannot reach" in done.stderr
    slash, malay = (json.loads(line) for line in done.stdout.splitlines())
    assert slash["replies"][0]["text"] == plain("human_handoff", "en")
    assert malay["replies"][0]["text"] == plain("human_handoff", "ms")
    consent = callbacks.encode("handoff", "yes")
    assert consent not in json.dumps([slash, malay]), "no case can be opened from here"
