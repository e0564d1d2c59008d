"""Screenshots with a report: received only where no child can be in them, kept in SQLite until
the complaint has its official id, then uploaded once each and erased here."""

from __future__ import annotations

import asyncio
import random
from dataclasses import dataclass
from datetime import timedelta

import pytest

from bot.complaint_api.client import ComplaintApiClient
from bot.core import callbacks
from bot.core.messages import Attachment, Incoming, Reply
from bot.core.secret import Secret
from bot.delivery.dispatcher import Dispatcher
from tests.fakes.complaint_api import TOKEN, ComplaintApiServer
from tests.support.delivery import RecordingAlerts
from tests.support.reporter import USER, Person

PNG = b"\x89PNG\r\n\x1a\n" + bytes(300)
JPEG = b"\xff\xd8\xff\xe0" + bytes(500)


@dataclass
class Picture:
    """A file on the person's phone; `downloads` counts how often the bot fetched it."""

    data: bytes
    content_type: str | None = "image/jpeg"
    declared_size: int | None = None
    downloads: int = 0

    async def fetch(self) -> bytes:
        self.downloads += 1
        return self.data

    def attachment(self) -> Attachment:
        size = len(self.data) if self.declared_size is None else self.declared_size
        return Attachment(self.content_type, size, self.fetch)


def send_picture(person: Person, picture: Picture) -> list[Reply]:
    incoming = Incoming(USER, "media", "photo", "en", attachment=picture.attachment())
    person.last = asyncio.run(person.dialogue.handle(incoming))
    return person.last


def up_to_screenshots(person: Person, category: str = "harassment") -> None:
    person.say("/report")
    for step in ("tri.none", f"cat.{category}", "plt.instagram", "lnk.none"):
        person.press(step)
    person.say("This account sends me threats every night")
    person.press("whn.yesterday")
    person.press("chd.no")


def held(person: Person) -> list[dict[str, object]]:
    return list(person.db.query("SELECT state, size, data IS NOT NULL AS has_bytes FROM evidence"))


@pytest.fixture
def api(complaint_api: ComplaintApiServer) -> ComplaintApiServer:
    return complaint_api


def dispatcher(person: Person, client: ComplaintApiClient, alerts: RecordingAlerts) -> Dispatcher:
    return Dispatcher(
        person.outbox,
        client,
        person.clock,
        alerts,
        notify=_ignore,
        alert_after=timedelta(minutes=30),
        poll_every=timedelta(minutes=5),
        rng=random.Random(3),  # noqa: S311 - repeatable jitter
        evidence=person.evidence,
    )


def deliver(person: Person, api: ComplaintApiServer, alerts: RecordingAlerts) -> int:
    async def run() -> int:
        async with ComplaintApiClient(api.base_url, Secret(TOKEN), timeout=5) as client:
            return await dispatcher(person, client, alerts).run_once()

    return asyncio.run(run())


async def _ignore(change: object) -> None:
    return None


def test_screenshots_of_harassment_reach_the_officer_once_and_are_then_erased_here(
    api: ComplaintApiServer,
) -> None:
    person = Person()
    up_to_screenshots(person)
    [question] = person.last
    assert "Do you have screenshots of it?" in question.text
    first, second = Picture(JPEG), Picture(PNG, "image/png")
    [added] = send_picture(person, first)
    assert "Screenshot 1 of 3 added." in added.text
    assert "Send another, or press Continue." in added.text
    [added] = send_picture(person, second)
    assert "Screenshot 2 of 3 added." in added.text
    assert [b.data for b in added.buttons][:2] == [
        callbacks.encode("report_step", "evd.done"),
        callbacks.encode("report_step", "evd.clear"),
    ], "one short message per image, with Continue and Remove"
    person.press("evd.done")
    [summary] = person.press("cnt.anon")
    assert "Screenshots:** 2" in summary.text
    person.press("sum.confirm")
    report_id = person.outbox.due(person.clock.now())[0].report_id

    alerts = RecordingAlerts()
    assert deliver(person, api, alerts) == 1
    assert deliver(person, api, alerts) == 0

    complaint = api.complaint_for(report_id)
    assert complaint is not None
    received = api.evidence(complaint["complaint_id"])
    assert [(e["content_type"], e["size"]) for e in received] == [
        ("image/jpeg", len(JPEG)),
        ("image/png", len(PNG)),
    ]
    assert (first.downloads, second.downloads) == (1, 1)
    assert held(person) == [
        {"state": "uploaded", "size": len(JPEG), "has_bytes": 0},
        {"state": "uploaded", "size": len(PNG), "has_bytes": 0},
    ], "the images are erased here once the officer has them"
    assert alerts.texts == []


def test_a_screenshot_waits_for_an_api_that_is_down_and_is_attached_once_when_it_is_back(
    api: ComplaintApiServer,
) -> None:
    person = Person()
    up_to_screenshots(person)
    send_picture(person, Picture(JPEG))
    for step in ("evd.done", "cnt.anon", "sum.confirm"):
        person.press(step)
    report_id = person.outbox.due(person.clock.now())[0].report_id
    alerts = RecordingAlerts()
    assert deliver(person, api, alerts) == 1
    complaint_id = str(api.complaint_for(report_id)["complaint_id"])  # type: ignore[index]
    # The complaint got through; pretend its screenshot did not, then the API fails twice.
    person.db.execute("UPDATE evidence SET state = 'attached', data = ?", [JPEG])
    api.faults.fail_next = [503, 503]
    for _ in range(3):
        deliver(person, api, alerts)
        person.clock.advance(minutes=15)

    assert len(api.evidence(complaint_id)) == 1, "the same Idempotency-Key attaches it once"
    assert held(person)[0]["state"] == "uploaded"


@pytest.mark.parametrize(
    ("answers", "reason"),
    [
        (("tri.child",), "Please don't send images when a child is involved"),
        (("tri.none", "cat.csam"), "Please don't send images when a child is involved"),
        (("tri.none", "cat.harassment", "plt.x", "lnk.none", "whn", "chd.yes"), "a child is"),
        (("tri.none", "cat.obscene", "plt.x", "lnk.none", "whn", "chd.unsure"), "child may be"),
    ],
    ids=["child at triage", "csam category", "child involved", "unsure about a child, sexual"],
)
def test_no_image_is_downloaded_when_a_child_may_be_in_it(
    answers: tuple[str, ...], reason: str
) -> None:
    person = Person()
    person.say("/report")
    for answer in answers:
        if answer == "whn":
            person.say("Someone posted this")
            person.press("whn.today")
        else:
            person.press(answer)
    picture = Picture(JPEG)

    refused, question = send_picture(person, picture)

    assert reason in refused.text
    assert picture.downloads == 0
    assert held(person) == []
    assert "screenshots" not in question.text.lower()


def test_saying_a_child_is_involved_after_adding_screenshots_deletes_them() -> None:
    person = Person()
    up_to_screenshots(person, category="obscene")
    send_picture(person, Picture(JPEG))
    person.press("evd.done")
    person.press("cnt.anon")
    person.press("sum.edit")
    person.press("sum.e_chd")

    deleted, summary = person.press("chd.yes")

    assert "I deleted the screenshots you added" in deleted.text
    assert held(person) == []
    assert "Screenshots" not in summary.text
    person.press("sum.confirm")
    assert person.outbox.due(person.clock.now())[0].body["involves_child"] is True


def test_too_many_too_large_or_not_images_are_refused_kindly_and_nothing_is_kept() -> None:
    person = Person()
    up_to_screenshots(person)
    huge = Picture(JPEG, declared_size=6 * 1024 * 1024)
    [too_large, _] = send_picture(person, huge)
    assert "larger than 5 MB" in too_large.text
    assert huge.downloads == 0, "a file declared too large is never downloaded"
    pdf = Picture(b"%PDF-1.7 pretending", "image/jpeg")
    [not_image, _] = send_picture(person, pdf)
    assert "Only images" in not_image.text
    [video, _] = send_picture(person, Picture(b"\x00\x00\x00\x18ftypmp42", "video/mp4"))
    assert "Only images" in video.text
    for _ in range(3):
        send_picture(person, Picture(JPEG))
    fourth = Picture(PNG, "image/png")
    [full, _] = send_picture(person, fourth)
    assert "already has 3 screenshots" in full.text
    assert fourth.downloads == 0
    assert len(held(person)) == 3


def test_a_picture_sent_before_the_screenshot_step_is_not_downloaded_yet() -> None:
    person = Person()
    person.say("/report")
    person.press("tri.none")
    person.press("cat.financial_fraud")
    picture = Picture(JPEG)

    wait, question = send_picture(person, picture)

    assert "I will ask for them in a moment" in wait.text
    assert "Where did you see it?" in question.text
    assert picture.downloads == 0


def test_removing_cancelling_or_forgetting_deletes_the_screenshots() -> None:
    person = Person()
    up_to_screenshots(person)
    send_picture(person, Picture(JPEG))
    [again] = person.press("evd.clear")
    assert "Added so far" not in again.text
    assert held(person) == []
    send_picture(person, Picture(JPEG))
    person.press("evd.cancel")
    assert held(person) == []

    up_to_screenshots(person)
    send_picture(person, Picture(JPEG))
    for step in ("evd.done", "cnt.anon", "sum.confirm"):
        person.press(step)
    assert held(person) == [{"state": "attached", "size": len(JPEG), "has_bytes": 1}]
    person.say("/forget")
    person.send("button", person.last[-1].buttons[0].data)
    assert held(person) == [], "a report withdrawn by /forget takes its screenshots with it"


def test_screenshots_of_a_report_never_confirmed_are_deleted_after_a_week(
    api: ComplaintApiServer,
) -> None:
    person = Person()
    up_to_screenshots(person)
    send_picture(person, Picture(JPEG))
    person.clock.advance(days=8)

    async def purge() -> int:
        async with ComplaintApiClient(api.base_url, Secret(TOKEN)) as client:
            dispatcher(person, client, RecordingAlerts()).erase_expired()
            return len(held(person))

    assert asyncio.run(purge()) == 0


@pytest.mark.parametrize("leave", ["/cancel", "/exit", "/start photos"])
def test_leaving_a_report_half_way_leaves_no_screenshots_behind(leave: str) -> None:
    person = Person()
    up_to_screenshots(person)
    send_picture(person, Picture(JPEG))
    assert len(held(person)) == 1

    person.say(leave)

    assert held(person) == []
