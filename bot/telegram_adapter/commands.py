"""The command menu Telegram shows, in each person's language (setMyCommands per language)."""

from __future__ import annotations

from telegram import Bot, BotCommand

from bot.core.messages import LANGUAGES, Language
from bot.core.ports import Translator


def command_list(translator: Translator, lang: Language) -> list[BotCommand]:
    return [
        BotCommand("start", translator.gettext(lang, "Start and see the menu")),
        BotCommand("help", translator.gettext(lang, "What Waspada can help with")),
        BotCommand("menu", translator.gettext(lang, "Main menu")),
        BotCommand("language", translator.gettext(lang, "Change language")),
        BotCommand("report", translator.gettext(lang, "Report harmful content")),
        BotCommand("status", translator.gettext(lang, "The status of a report")),
        BotCommand("privacy", translator.gettext(lang, "What Waspada keeps about you")),
        BotCommand("verify", translator.gettext(lang, "Is this the real Waspada?")),
        BotCommand("cancel", translator.gettext(lang, "Stop what we are doing")),
        BotCommand("exit", translator.gettext(lang, "Quick exit: clear this chat")),
    ]


async def register_commands(bot: Bot, translator: Translator) -> None:
    """The default list is English; Telegram shows ms/zh lists to clients in those languages."""
    await bot.set_my_commands(command_list(translator, "en"))
    for lang in LANGUAGES:
        await bot.set_my_commands(command_list(translator, lang), language_code=lang)
