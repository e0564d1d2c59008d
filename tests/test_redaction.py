"""Personal details come out of a message before staff read it, in Malay, English, Chinese and
the mixes people really type."""

from __future__ import annotations

import pytest

from bot.core.redaction import redact

CASES = {
    # phones, Malaysian and international
    "call me at 012-345 6789 tonight": "call me at [phone] tonight",
    "nombor dia +60 12-345 6789 atau 6012 3456789": "nombor dia [phone] atau [phone]",
    "scammer guna 011-2345 6789, dia kata dari bank": "scammer guna [phone], dia kata dari bank",
    "office line 03-2345 6789 or 082-123456": "office line [phone] or [phone]",
    "uk number +44 20 7946 0958 called me": "uk number [phone] called me",
    "dia wasap dari +62 812 3456 7890 semalam": "dia wasap dari [phone] semalam",
    "我的电话是0123456789，请回电": "我的电话是[phone]，请回电",
    "他用０１２－３４５６７８９打给我": "他用[phone]打给我",
    # MyKad
    "IC saya 900101-14-5678, boleh ke dia guna": "IC saya [mykad], boleh ke dia guna",
    "my ic 900101145678 leaked": "my ic [mykad] leaked",
    "身份证号码 850612 10 5123 被人拿去用了": "身份证号码 [mykad] 被人拿去用了",
    # accounts
    "transfer ke akaun 5123-4567-8901-23 tadi": "transfer ke akaun [account] tadi",
    "maybank 1620 1234 5678 and cimb 8001234567": "maybank [account] and cimb [account]",
    "我转了RM3000到账户 7012345678901 了": "我转了RM3000到账户 [account] 了",
    # emails and links
    "email me at ali.bin-abu@gmail.com ok": "email me at [email] ok",
    "dia suruh klik bit.ly/abc123.": "dia suruh klik [link].",
    "see www.maybank2u.com.my/login or https://x.com/a?b=1)": "see [link] or [link])",
    "点这个链接https://shopee-my.xyz/promo就有奖": "点这个链接[link]就有奖",
    "whatsapp wa.me/60123456789 for refund": "whatsapp [link] for refund",
    # names
    "nama saya Ahmad Faizal, saya kena tipu": "nama saya [name], saya kena tipu",
    "saya bernama Tan Ah Kow dan saya nak report": "saya bernama [name] dan saya nak report",
    "Nama saya Siti binti Abu": "Nama saya [name]",
    "my name is John Lee and I was scammed": "my name is [name] and I was scammed",
    "hi, I am called Priya. help": "hi, I am called [name]. help",
    "我叫陈小明，我被骗了": "我叫[name]，我被骗了",
    "我的名字是李四,他一直打给我": "我的名字是[name],他一直打给我",
    # rojak with everything at once
    "bro nama saya Ravi, my no 019-876 5432, IC 880808-08-8888, akaun 1234567890123 kena hack": (
        "bro nama saya [name], my no [phone], IC [mykad], akaun [account] kena hack"
    ),
}

KEPT = [
    "my name is being used by scammers",
    "nama saya digunakan oleh scammer",
    "dia minta RM500 on 12/11/2026 at 3pm, e.g. Mr.Tan said file.txt",
    "i lost RM 25000 last year",
    "我被骗了5000块",
    "call 997 or 999 now",
    "wait 15 minutes",
]


@pytest.mark.parametrize(("text", "expected"), CASES.items(), ids=list(CASES))
def test_personal_details_become_placeholders(text: str, expected: str) -> None:
    assert redact(text) == expected


@pytest.mark.parametrize("text", KEPT)
def test_ordinary_words_and_small_numbers_are_kept(text: str) -> None:
    assert redact(text) == text


def test_redacting_twice_changes_nothing() -> None:
    for text in CASES:
        once = redact(text)
        assert redact(once) == once
