"""Two bot replicas behind a round-robin proxy, sharing PostgreSQL and one NLU server, end to
end on loopback (issue #15): whichever replica Telegram's updates reach, a person is answered
once and in order, a report survives the replica that was sending it, and the crisis line
survives the NLU server. The topology is `tests/support/replicas.py`; the stories share it, in
this order, the last one killing a replica."""

from __future__ import annotations

import time
from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.fakes.complaint_api import ComplaintApiServer
from tests.fakes.telegram_api import FakeTelegramApi, SentMessage
from tests.support.postgres import PostgresCluster
from tests.support.replicas import LEASE_SECONDS, Topology, connected_to
from tests.support.telegram_chat import ANSWERS, ui
from tests.support.telegram_reporter import Person, file_report, told, wait_for
from tests.support.waiting import eventually

pytestmark = [pytest.mark.e2e, pytest.mark.nlu]


@pytest.fixture(scope="module")
def topology(
    postgres_cluster: PostgresCluster, models_dir: Path, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[Topology]:
    root = tmp_path_factory.mktemp("replicas")
    data = root / "nlu-data"
    data.mkdir()
    (data / "models").symlink_to(models_dir.resolve(), target_is_directory=True)
    telegram = FakeTelegramApi().start()
    api = ComplaintApiServer(root / "complaint-api" / "complaints.db").start()
    world = Topology(telegram, api, postgres_cluster.new_database(), data)
    try:
        world.start_nlu()
        world.start_replica("a")
        world.start_replica("b")
        yield world
    finally:
        world.close()
        api.stop()
        telegram.stop()


def answered(telegram: FakeTelegramApi, user_id: int, before: int, what: str) -> SentMessage:
    """Waits for the bot's next message to the person; returns the first of them."""
    eventually(lambda: len(telegram.sent_to(user_id)) > before, what, 60)
    return telegram.sent_to(user_id)[before]


def test_one_persons_twenty_quick_messages_are_answered_in_order(topology: Topology) -> None:
    telegram, user = topology.telegram, 20001
    # What each command answers, learnt one at a time.
    learnt: dict[str, str] = {}
    for command in ("/verify", "/privacy"):
        before = len(telegram.sent_to(user))
        telegram.send_text(command, user_id=user)
        learnt[command] = answered(telegram, user, before, f"{command} answered").text

    before = len(telegram.sent_to(user))
    sent = ["/verify" if n % 2 == 0 else "/privacy" for n in range(20)]
    for command in sent:  # each posted once the last was answered, as Telegram does per chat
        telegram.send_text(command, user_id=user)
    eventually(lambda: len(telegram.sent_to(user)) >= before + 20, "all twenty answered", 60)

    hooks = {url for url, *_ in telegram.posts[-20:]}
    assert len(hooks) == 2, "the proxy spread them over both replicas"
    answers = [m.text for m in telegram.sent_to(user)[before:]]
    assert answers == [learnt[command] for command in sent], "in the order they were sent"


def test_an_update_redelivered_to_the_other_replica_is_answered_once(topology: Topology) -> None:
    telegram, user = topology.telegram, 20002
    update = {"update_id": 90001, "message": telegram.text_update("/verify", user_id=user)}
    first = telegram.post_update(update)
    again = telegram.post_update(update)  # Telegram's retry after a timeout, via the proxy
    assert first != again, "the copy reached the other replica"

    # Each post is answered once its update was handled, so what was sent is final.
    verify = [m for m in telegram.sent_to(user) if "OTP" in m.text]
    assert len(verify) == 1, [m.text[:50] for m in telegram.sent_to(user)]


def test_the_crisis_line_still_comes_first_on_both_replicas_while_the_nlu_server_is_down(
    topology: Topology,
) -> None:
    telegram, user = topology.telegram, 20003
    output = topology.stop_nlu()
    assert "penat dah hidup" not in output
    card = ANSWERS.crisis("self_harm", "ms")
    assert card is not None
    for _replica in topology.replicas:
        before = len(telegram.sent_to(user))
        telegram.send_text("nak mati je rasa, penat dah hidup", user_id=user, language_code="ms")
        first = answered(telegram, user, before, "an answer while the NLU server is down")
        assert first.protect_content, "the crisis card, protected"
        assert ui("ms", card.text.splitlines()[0]) in first.text, "the crisis line first"
    assert len({url for url, *_ in telegram.posts[-2:]}) == 2, "one message to each replica"

    topology.start_nlu()
    for _replica in topology.replicas:
        before = len(telegram.sent_to(user))
        telegram.send_text("孩子的照片可以发到网上吗？", user_id=user, language_code="zh-hans")
        again = answered(telegram, user, before, "answered once the NLU server is back")
        assert "aduan.mcmc.gov.my" in again.text, "the model is back"


def test_a_report_is_delivered_once_though_the_replica_sending_it_is_killed(
    topology: Topology,
) -> None:
    telegram, api = topology.telegram, topology.complaint_api
    person = Person(telegram, "en", user_id=20004)
    api.faults.delay = 2.0 * LEASE_SECONDS  # the first attempt hangs: the replica is mid-send
    reference, _ = file_report(
        person,
        category="financial_fraud",
        link="https://shopee-murah.example/deal",
        description="Paid RM300 for a phone that never came.",
        when="yesterday",
    )
    sending: list[int] = []

    def someone_is_sending() -> bool:
        sending[:] = [
            n
            for n, replica in enumerate(topology.replicas)
            if connected_to(replica.process.pid, api.port)
        ]
        return len(sending) == 1

    eventually(someone_is_sending, "a replica is sending the report", 30, poll=0.02)
    sender = topology.replicas[sending[0]]
    sender.process.kill()  # SIGKILL, mid-delivery
    sender.process.communicate()
    api.faults.delay = 0.0
    killed_at = time.monotonic()
    finished = api.finished

    eventually(lambda: api.complaints() == 1, "the other replica delivered it", 60)
    [complaint] = api.all_complaints()
    received = told(person.lang, reference, complaint["complaint_id"], "received")
    wait_for(telegram, lambda m: m.text == received, timeout=30)
    assert time.monotonic() - killed_at >= LEASE_SECONDS - 1, "taken over after the lease"
    # The killed replica's own request lands late; the Idempotency-Key makes it the same one.
    eventually(lambda: api.finished >= finished + 2, "the hung first attempt finished", 30)
    assert api.complaints() == 1, "one complaint, whatever reached the API"
    assert person.received(received) == 1, "the reporter is told once"
