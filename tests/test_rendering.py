"""What reaches Telegram: our Markdown subset as HTML, everything else escaped, long answers
split where a reader expects a break."""

from __future__ import annotations

import re

from bot.core.markup import to_plain, to_telegram_html
from bot.core.messages import Button, Reply
from bot.telegram_adapter.render import MAX_MESSAGE_CHARS, render, split_for_telegram


def test_bold_becomes_html_and_user_text_cannot_inject_tags() -> None:
    html = to_telegram_html("**Call 997** <script>alert(1)</script> & <b>not bold</b>")
    assert html == (
        "<b>Call 997</b> &lt;script&gt;alert(1)&lt;/script&gt; &amp; &lt;b&gt;not bold&lt;/b&gt;"
    )
    assert to_plain("**Call 997** now") == "Call 997 now"


def test_long_answers_are_split_at_paragraphs_under_telegrams_limit() -> None:
    paragraphs = [f"Paragraph {i}. " + "word " * 300 for i in range(6)]
    parts = split_for_telegram("\n\n".join(paragraphs))
    assert len(parts) > 1
    assert all(len(part) <= MAX_MESSAGE_CHARS for part in parts)
    assert all(part.startswith("Paragraph") for part in parts)
    assert "".join(parts).count("Paragraph") == 6


def test_a_single_huge_paragraph_is_still_split_safely() -> None:
    text = "x" * (MAX_MESSAGE_CHARS * 2 + 10)
    parts = split_for_telegram(text)
    assert len(parts) == 3
    assert all(len(p) <= MAX_MESSAGE_CHARS for p in parts)
    assert "".join(parts) == text


def test_a_description_full_of_ampersands_is_never_cut_inside_an_entity() -> None:
    """The probe: about 25 `&` in a report description; the HTML was cut inside `&amp;`."""
    description = "Tom & Jerry & co " * 400
    parts = [html for html, _ in render(Reply(description))]
    assert len(parts) > 1
    for html in parts:
        assert len(html) <= MAX_MESSAGE_CHARS
        assert re.fullmatch(r"([^&]|&amp;|&lt;|&gt;)*", html), html[-20:]
    assert "".join(h.replace("&amp;", "&") for h in parts).replace(" ", "") == description.replace(
        " ", ""
    )


def test_a_long_bold_span_is_closed_and_reopened_across_parts() -> None:
    parts = [html for html, _ in render(Reply("**" + "Call 997 now. " * 600 + "**"))]
    assert len(parts) > 1
    for html in parts:
        assert len(html) <= MAX_MESSAGE_CHARS
        assert html.startswith("<b>") and html.endswith("</b>")
        assert html.count("<b>") == html.count("</b>") == 1


def test_buttons_go_under_the_last_part_and_links_open_directly() -> None:
    reply = Reply(
        "a\n\n" + "b" * (MAX_MESSAGE_CHARS - 8),
        (Button("Menu", "v1:m"), Button("MCMC", url="https://aduan.mcmc.gov.my")),
    )
    [(first, no_keyboard), (_, keyboard)] = render(reply)
    assert first == "a"
    assert no_keyboard is None
    assert keyboard is not None
    menu, link = (row[0] for row in keyboard.inline_keyboard)
    assert menu.callback_data == "v1:m"
    assert link.url == "https://aduan.mcmc.gov.my"


def test_thumbs_up_and_down_share_one_row_under_the_answer() -> None:
    reply = Reply(
        "Answer",
        buttons=(
            Button("More ▸", "v1:mo:faq_phishing"),
            Button("👍 Helpful", "v1:hp:u.faq_phishing"),
            Button("👎 Not helpful", "v1:hp:d.faq_phishing", same_row=True),
            Button("Main menu", "v1:m"),
        ),
    )
    [(_, keyboard)] = render(reply)
    assert keyboard is not None
    rows = [[b.text for b in row] for row in keyboard.inline_keyboard]
    assert rows == [["More ▸"], ["👍 Helpful", "👎 Not helpful"], ["Main menu"]]
