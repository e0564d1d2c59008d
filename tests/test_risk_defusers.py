"""The defusers in nlu/data/risk_defusers.yml, read as the risk screen reads them. A wrong
defuser silences "call 997 and your bank now" for someone whose money has just gone, or the
crisis lines for someone who wants to die, so each family is checked both ways."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
import yaml

from bot.nlu.cue_lists import normalise

DEFUSERS = Path(__file__).parent.parent / "nlu" / "data" / "risk_defusers.yml"


def defused(text: str, risk: str = "money_just_lost") -> bool:
    entries = yaml.safe_load(DEFUSERS.read_text(encoding="utf-8"))["nlu"]
    patterns = [
        re.compile(line.strip()[2:])
        for entry in entries
        if entry["regex"] == f"defuse_{risk}"
        for line in entry["examples"].splitlines()
        if line.strip()
    ]
    return any(p.search(normalise(text)) for p in patterns)


@pytest.mark.parametrize(
    "text",
    [
        "almost paid rm500 for a parcel fee but stopped in time, did i do right?",
        "hampir2 tf rm800 kt seller ig, nasib baik sy stop",
        "差点就转了八百给卖家，还好没付",
        "last year i got scammed rm300 on shopee, can i still report?",
        "dua tahun lepas sy kena tipu rm150, nak tau cara elak",
        "去年在网上被骗了两百，现在还可以报案吗",
        "i didn't pay the 'customs fee' they asked for, what else should i do?",
        "kena tipu rm2k masa 2019, still boleh buat report ke?",
        "2020年被骗了一千，现在报案还有用吗",
        "read in the news an uncle lost rm500k to a macau scam, how do they do it?",
        "he says he will send my video to my boss unless i pay rm2000 tonight",
        "dia ugut nk sebar gmbr sy kalau x bayar rm1k, apa patut sy buat",
        "对方说今晚不给三千就把视频发给我同事",
        "loan app demand rm800 or they post my edited photo to all contacts",
        "sms kata parcel sy tertahan, kena bayar rm5 caj kastam, scam ke?",
        "他要我转五千，不然就发给我老婆",
        "someone asked to rent my bank account for rm500 a month, i said no, can report?",
        "ada org call ckp polis suruh transfer rm10k, sy terus letak, tak bayar",
        "有人说我中奖要先付手续费RM200，我没有理他",
        "my grandfather lost money in a pyramid scheme in the 90s, same as scams now?",
    ],
)
def test_someone_who_almost_paid_or_lost_money_years_ago_is_not_sent_to_997(text: str) -> None:
    assert defused(text)


@pytest.mark.parametrize(
    "text",
    [
        "i just transferred rm4500 to a parcel scammer",
        "dah bayar rm2k tapi dia kata belum bayar",
        "我昨天被骗了五千块",
        "almost didn't notice, they already took rm3000 from my account",
        "last year i lost rm500 and yesterday again rm900 gone",
        "i didn't pay the second fee but the first rm500 is already gone",
        "nasib baik bank freeze tapi rm500 dah hilang",
        "didn't know it was a scam, paid rm800 to the seller",
        "刚刚转了三千，去年也被骗过",
        "my account was drained overnight, i never transferred anything",
        "duit dlm akaun hilang rm5k semalam, sy x pernah transfer pun",
        "户口里一夜少了五千，我根本没有转过账",
        "saw the news about parcel scams and realised i paid rm300 to the same guys just now",
        "baca berita pasal scam ni, rupanya sy pun kena, dah transfer rm1k semalam",
        "i paid him rm2000 yesterday and now he says pay rm3000 more or he posts it",
        "semalam dh transfer rm2k, hari ni dia mintak rm4k lg kalau x video smpai kt bos",
        "我已经付了一千，他说不再给两千就发出去",
        "seller minta sy bayar dulu, sy pun transfer rm450, lepas tu dia block",
        "they asked me to pay a release fee and like an idiot i did, rm3k",
        "put rm30k into a crypto app, now they want me to pay tax first before withdraw",
        "my uncle got a call, must pay rm350 admin fee for bantuan, he pay already",
        "sy x bayar apa2 pun tapi duit dlm akaun dah kena tarik rm3k",
        "i said no to the loan but they already took rm800 from my account",
        "last week bayar rm1000 via tng, today she wants rm3000 or she uploads it",
        "kalau sy x trf lg rm800 dia hantar video, sy dh bg dia rm1,500 hari sabtu",
        "kami dh trf rm10k td tp dia ugut lg",
    ],
)
def test_money_that_has_just_gone_is_never_defused(text: str) -> None:
    assert not defused(text)


@pytest.mark.parametrize(
    "text",
    [
        "my grandfather accidentally drank weed killer from a water bottle, he keeps vomiting",
        "ayah sy terminum racun rumput, skrg muntah2",
        "阿嬷吃错药，一次吃了很多颗，现在叫不醒",
        "my husband says he will kill me tonight when he gets home",
        "suami mabuk ugut nk bunuh sy, sy kunci diri dlm bilik",
        "前夫说今晚要来杀我",
    ],
)
def test_an_accident_or_someone_threatening_to_kill_is_not_read_as_self_harm(text: str) -> None:
    assert defused(text, "self_harm")


@pytest.mark.parametrize(
    "text",
    [
        "my sister swallowed her whole strip of sleeping pills after a fight, she is drowsy",
        "dia ugut nak bunuh sy, sy rasa lebih baik sy mati je",
        "he says he will kill me, honestly i want to die anyway",
        "sy sengaja telan ubat banyak2, tak nak hidup dah",
        "老公说要杀我，我宁愿去死",
        "took a whole bottle of panadol on purpose, not accidentally",
    ],
)
def test_wanting_to_die_keeps_the_self_harm_line(text: str) -> None:
    assert not defused(text, "self_harm")
