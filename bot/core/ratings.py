""" "Was this helpful?" under topic answers: 👍/👎, counted once per answer shown.

The rule for "once": every topic answer shown opens a rating for that topic in the session (the
last `OPEN_ANSWERS` stay open). The first press on it counts and closes it; later presses, and
presses on answers long scrolled past, are thanked but not counted. Showing the topic again
opens a new rating: it is a new answer.

A 👎 under an answer to a typed question also puts that question, redacted, in the review queue:
the model placed it confidently and wrongly, the most useful mistake to learn from. The
redacted words wait in the session only until the answer is rated or the next typed question is
answered (and go with an abandoned session, `SqliteSessionStore.drop_abandoned_flows`).
"""

from __future__ import annotations

from typing import Any

from bot.core import callbacks
from bot.core.insight import Insight
from bot.core.languages import Language
from bot.core.messages import Button, Reply
from bot.core.ports import NluResult, Translator
from bot.core.redaction import redact
from bot.core.session import Session

OPEN_ANSWERS = 5
UP, DOWN = "u", "d"


def rateable(topic: str) -> bool:
    """Answers to questions (faq_*): not greetings, menus, the privacy notice or flows."""
    return topic.startswith("faq_")


def rating_buttons(translator: Translator, topic: str, lang: Language) -> list[Button]:
    """Two buttons on one row, under the answer's own next steps."""
    return [
        Button(
            # TRANSLATORS: 👍 under an answer: "this answer was helpful".
            "👍 " + translator.gettext(lang, "Helpful"),
            callbacks.encode("helpful", f"{UP}.{topic}"),
        ),
        Button(
            "👎 " + translator.gettext(lang, "Not helpful"),
            callbacks.encode("helpful", f"{DOWN}.{topic}"),
            same_row=True,
        ),
    ]


class Ratings:
    def __init__(self, insight: Insight, translator: Translator) -> None:
        self._insight = insight
        self._tr = translator

    def shown(
        self,
        session: Session,
        topic: str,
        lang: Language,
        *,
        asked: str | None = None,
        result: NluResult | None = None,
    ) -> None:
        """An answer to `topic` was shown; `asked` is the typed question it answered, if any."""
        if not rateable(topic):
            return
        state = session.answered
        open_ = [t for t in state.get("open", []) if t != topic][-(OPEN_ANSWERS - 1) :]
        state["open"] = [*open_, topic]
        if asked is not None and result is not None:
            state["asked"] = {
                "topic": topic,
                "language": lang,
                "text": redact(asked),
                "guesses": [[name, round(score, 3)] for name, score in result.ranking[:3]],
                "risks": list(result.risks),
            }
        elif state.get("asked", {}).get("topic") == topic:
            state.pop("asked", None)

    def pressed(self, session: Session, value: str, lang: Language) -> Reply | None:
        """None for a malformed value (the dialogue shows its "expired" menu)."""
        choice, _, topic = value.partition(".")
        if choice not in (UP, DOWN) or not rateable(topic):
            return None
        helpful = choice == UP
        state = session.answered
        if topic in state.get("open", []):
            state["open"] = [t for t in state["open"] if t != topic]
            self._insight.rated(topic, lang, helpful=helpful)
            asked: dict[str, Any] = state.get("asked") or {}
            if asked.get("topic") == topic:
                state.pop("asked", None)
                if not helpful:
                    self._insight.keep(
                        session.user_key,
                        str(asked.get("text", "")),
                        None,
                        str(asked.get("language", lang)),
                        "thumbs_down",
                        guesses=tuple((str(n), float(c)) for n, c in asked.get("guesses", [])),
                        risks=tuple(str(r) for r in asked.get("risks", [])),
                    )
        if helpful:
            # TRANSLATORS: a pop-up after 👍 under an answer.
            text = self._tr.gettext(lang, "Thank you! I'm glad it helped.")
        else:
            # TRANSLATORS: a pop-up (at most 200 characters); "Main menu" is the button's name.
            text = self._tr.gettext(
                lang,
                "Thank you for telling me. Staff use this to improve the answers. "
                "Still need help? Press “Main menu” or ask in other words.",
            )
        return Reply(text, language=lang, notice=True)
