"""`waspada faq check` and `waspada faq show`, as forum staff use them."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

from bot.settings import PROJECT_ROOT

WASPADA = str(Path(sys.executable).with_name("waspada"))


def faq(*args: str, responses: Path | None = None) -> subprocess.CompletedProcess[str]:
    env = dict(os.environ)
    if responses:
        env["WASPADA_RESPONSES_DIR"] = str(responses)
    return subprocess.run(
        [WASPADA, "faq", *args], env=env, capture_output=True, text=True, timeout=120
    )


def test_check_passes_on_the_repo() -> None:
    result = faq("check")
    assert result.returncode == 0, result.stdout
    assert "answers are fine in en, ms, zh" in result.stdout


def test_check_names_file_line_and_fix_and_exits_non_zero(tmp_path: Path) -> None:
    responses = tmp_path / "responses"
    shutil.copytree(PROJECT_ROOT / "responses", responses)
    path = responses / "faq_grooming.yml"
    path.write_text(path.read_text("utf-8").replace("\n  zh: |\n", "\n  zz: |\n", 1), "utf-8")
    result = faq("check", responses=responses)
    assert result.returncode == 1
    assert "faq_grooming.yml:" in result.stdout
    assert "`answer: zh:` is missing or empty — write the zh text under `answer:`" in result.stdout
    assert "the bot keeps serving the last good answers" in result.stdout


def test_show_prints_an_answer_as_a_citizen_sees_it() -> None:
    result = faq("show", "faq_scam_victim", "--lang", "ms")
    assert result.returncode == 0
    assert result.stdout.splitlines()[0].startswith("Hubungi NSRC")
    assert "997" in result.stdout.splitlines()[0]
    assert "**" not in result.stdout
    assert "--- More ---" in result.stdout


def test_show_an_unknown_topic_lists_the_known_ones() -> None:
    result = faq("show", "faq_nothing")
    assert result.returncode == 1
    assert "faq_phishing" in result.stderr
