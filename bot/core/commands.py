"""Every slash command, once. The dialogue dispatches on it, the Telegram adapter builds its
command menu (setMyCommands) from it, and the terminal's help names the same commands.

`description` is an English msgid shown in the channel's command menu (translated there);
commands without one work but are not listed. `private_only` commands are never handled where
others read along: a group gets a button into a private chat instead.
"""

from __future__ import annotations

from dataclasses import dataclass


def N_(message: str) -> str:  # noqa: N802 - the gettext convention for "translate later"
    """Marks a msgid for extraction (`make locales`) without translating it here."""
    return message


@dataclass(frozen=True)
class Command:
    name: str
    description: str | None = None
    private_only: bool = False
    # A command that just shows a topic's answer (/privacy → privacy.yml).
    topic: str | None = None


COMMANDS: tuple[Command, ...] = (
    Command("start", N_("Start and see the menu")),
    Command("help", N_("What Waspada can help with")),
    Command("menu", N_("Main menu")),
    Command("language", N_("Change language")),
    Command("report", N_("Report harmful content"), private_only=True),
    Command("status", N_("The status of a report"), private_only=True),
    Command("check", N_("Is this a scam? Check a message, link or number"), private_only=True),
    Command("alerts", N_("Scam alerts: start or stop"), private_only=True),
    Command("privacy", N_("What Waspada keeps about you"), topic="privacy"),
    Command("verify", N_("Is this the real Waspada?"), topic="verify"),
    Command("human", N_("Talk to a person"), private_only=True, topic="human_handoff"),
    Command("end", N_("End the chat with staff"), private_only=True),
    Command("cancel", N_("Stop what we are doing")),
    Command("exit", N_("Quick exit: clear this chat"), private_only=True),
    Command("forget", private_only=True),
)
BY_NAME = {command.name: command for command in COMMANDS}
# Topics whose answer files need no NLU intent: a command shows them.
COMMAND_TOPICS = frozenset(command.topic for command in COMMANDS if command.topic)
