"""The command menu Telegram shows, in each person's language (setMyCommands per language),
from the core's one list of commands (`bot/core/commands.py`)."""

from __future__ import annotations

from telegram import Bot, BotCommand

from bot.core.commands import COMMANDS
from bot.core.languages import Language, Languages
from bot.core.ports import Translator


def command_list(translator: Translator, lang: Language) -> list[BotCommand]:
    """The listed commands of the core's registry, in its order."""
    return [
        BotCommand(command.name, translator.gettext(lang, command.description))
        for command in COMMANDS
        if command.description
    ]


async def register_commands(bot: Bot, translator: Translator, languages: Languages) -> None:
    """The default list is in the default language; Telegram shows each other list to clients
    set to that language."""
    await bot.set_my_commands(command_list(translator, languages.default))
    for code in languages.codes:
        await bot.set_my_commands(command_list(translator, code), language_code=code)
