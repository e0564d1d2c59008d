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
        "收到短信叫我按链接付关税 我冇按 是不是骗子",
        "卖家要我先给订金 幸好冇给",
        "他一直叫我付手续费 我冇理他",
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
        "我冇按那个链接 但是户口里少了两千",
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


@pytest.mark.parametrize(
    ("text", "risk"),
    [
        ("assignment ni killing me, nak mati dah 😩", "self_harm"),
        ("这个project累死我了，老板还要加", "self_harm"),
        ("how much paracetamol per day for a 5 year old with fever", "self_harm"),
        ("friend had suicidal thoughts years ago but recovered, how to support her", "self_harm"),
        ("my wife says she'll kill me for eating her cake 🤣", "danger_now"),
        ("kaki aku dying lepas hiking gunung semalam 😂", "danger_now"),
        ("semalam anak hilang 3 jam tapi dah balik selamat, nak pasang tracker", "danger_now"),
        ("berapa dos panadol untuk budak 6 tahun demam", "danger_now"),
        ("cousin was blackmailed in 2022, police caught him, case closed", "sextortion_now"),
        ("如果以后收到那种说有你私密视频的勒索电邮，要怎么办", "sextortion_now"),
        ("anak jiran hilang semalam tapi dah balik safe, app tracking ok?", "child_at_risk"),
        ("bank blocked the transaction before any money went out", "money_just_lost"),
        ("dapat sms menang hadiah rm5k, sy tak klik pun, selamat ke?", "money_just_lost"),
        ("我还没转账，卖家一直催我先付订金", "money_just_lost"),
        ("kena tipu thn 2015 rm300 beli kasut, boleh report lagi?", "money_just_lost"),
        ("saya mangsa scam 2012 hilang rm20k, boleh tuntut?", "money_just_lost"),
        ("x bg TAC pun, duit semua ada lg, selamat ke", "money_just_lost"),
        ("kawan kena ugut bulan lepas, org tu dah kena tangkap, skrg dia ok", "sextortion_now"),
        ("bos aku ckp nak bunuh aku kalau report x siap, sambil gelak", "danger_now"),
    ],
)
def test_hyperbole_a_case_that_is_over_or_a_dose_question_raises_no_crisis_line(
    text: str, risk: str
) -> None:
    assert defused(text, risk)


@pytest.mark.parametrize(
    ("text", "risk"),
    [
        ("deadline esok tapi aku dah tak nak hidup, penat hidup sangat", "self_harm"),
        ("exam gagal lagi, rasa nak mati je, semua org kecewa dgn aku", "self_harm"),
        ("老板逼到我不想活了", "self_harm"),
        ("i recovered from depression last year but now i want to die again", "self_harm"),
        ("how many panadol would be lethal for me", "self_harm"),
        ("berapa biji pil tidur supaya tak bangun", "self_harm"),
        ("lol i'm so tired of everything, nobody would miss me", "self_harm"),
        ("haha he is outside my door with a parang, im scared", "danger_now"),
        ("suami ugut nak bunuh aku 😂 tapi dia pegang pisau", "danger_now"),
        ("polis dah tangkap dia tapi kawan dia pulak datang rumah nak pukul aku", "danger_now"),
        ("anak sy makan ubat demam 10 biji td, berapa dos yg bahaya", "danger_now"),
        ("he was arrested but now his friend threatens to post my photos again", "sextortion_now"),
        ("case closed tapi dia ugut lagi nak sebar video aku", "sextortion_now"),
        ("bank block my card but before that rm3k already gone", "money_just_lost"),
        ("i didn't click anything but rm500 was deducted from my account", "money_just_lost"),
        ("aku tak click pun, tapi duit dalam akaun dah hilang rm2k", "money_just_lost"),
        ("sy sudah bayar rm800 tp seller tak reply dah", "money_just_lost"),
        ("dah transfer rm 2015 kat scammer tu, macam mana nak dapat balik", "money_just_lost"),
        ("transfer RM600 kat dia, now dia ckp kalau tak bayar lagi he'll leak", "money_just_lost"),
        ("我已经先给了2000，他说不给剩下的就发视频", "money_just_lost"),
        ("dia ckp nak bunuh aku, bukan gurau, aku takut", "danger_now"),
    ],
)
def test_a_crisis_behind_a_joke_an_old_case_or_a_dose_keeps_its_line(text: str, risk: str) -> None:
    assert not defused(text, risk)


@pytest.mark.parametrize(
    ("text", "risk"),
    [
        ("bateri phone dah nak mati, nanti sambung", "self_harm"),
        ("my laptop battery almost dead, will reply later", "self_harm"),
        (
            "writing a short story where a character takes his own life, how to do it sensitively",
            "self_harm",
        ),
        ("我在写小说 角色最后自杀 这样写会不会有问题", "self_harm"),
        ("in the movie the guy blackmails her with photos, can that happen here", "sextortion_now"),
        (
            "planning a workshop for my uni club about sextortion, what should i cover",
            "sextortion_now",
        ),
        ("how do i set up my 12 year old's tiktok so strangers can't message her", "child_at_risk"),
        ("macam mana nak ajar anak 9 tahun jaga privacy dalam roblox", "child_at_risk"),
        ("女儿十岁要用平板 要怎样设定才安全", "child_at_risk"),
    ],
)
def test_a_dying_battery_fiction_a_workshop_or_a_parents_set_up_question_raises_no_line(
    text: str, risk: str
) -> None:
    assert defused(text, risk)


@pytest.mark.parametrize(
    ("text", "risk"),
    [
        ("phone nak mati dah, aku pun nak mati, penat hidup", "self_harm"),
        ("my friend posted a goodbye story on IG and now won't answer", "self_harm"),
        ("my student wrote in her essay she wants to sleep and never wake up", "self_harm"),
        ("i'm writing a novel but honestly i want to die, nobody reads it", "self_harm"),
        ("saya kena ugut dengan gambar, macam dalam movie tu, dia minta rm2k", "sextortion_now"),
        ("how do i protect my daughter, a man asked her for photos on tiktok", "child_at_risk"),
        ("macam mana nak lindungi anak, ada orang ajak dia jumpa kat mall", "child_at_risk"),
        ("要怎样保护我女儿 有个男人一直要求她发照片", "child_at_risk"),
    ],
)
def test_a_real_crisis_mentioning_a_story_a_battery_or_protection_keeps_its_line(
    text: str, risk: str
) -> None:
    assert not defused(text, risk)
