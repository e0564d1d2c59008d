"""A tokenizer for how Malaysians write: Chinese runs segmented by jieba, everything else by
whitespace, in one message. Rasa's WhitespaceTokenizer drops CJK characters in mixed text and its
JiebaTokenizer only accepts `language: zh` (see shared/TRAPS.md).

Referenced from nlu/config.yml as `bot.nlu.tokenizer.MixedScriptTokenizer`; it must stay importable
both when training and when loading a model.
"""

from __future__ import annotations

import logging
from typing import Any

import jieba
import regex
from rasa.engine.graph import ExecutionContext
from rasa.engine.recipes.default_recipe import DefaultV1Recipe
from rasa.engine.storage.resource import Resource
from rasa.engine.storage.storage import ModelStorage
from rasa.nlu.tokenizers.tokenizer import Token, Tokenizer
from rasa.shared.nlu.training_data.message import Message

jieba.setLogLevel(logging.WARNING)

# Words jieba's general dictionary splits wrongly in Malaysian chat ("抖|音放", "面子|书买").
MALAYSIAN_WORDS = (
    "抖音 脸书 面子书 面书 电报 油管 虾皮 推特 户口 深伪 诈骗 骗子 转账 人头户口 "
    "通讯委 校服 裸照 换脸"
).split()
for _word in MALAYSIAN_WORDS:
    jieba.add_word(_word, freq=100_000)

_CHUNK = regex.compile(r"\p{Han}+|[^\s\p{Han}]+")
_HAN = regex.compile(r"\p{Han}")
_EDGE_PUNCT = regex.compile(r"^[^\w#@&]+|[^\w#@&]+$")


def split_mixed(text: str) -> list[tuple[str, int]]:
    """(word, start offset) pairs: jieba words for Han runs, punctuation-trimmed words elsewhere."""
    words: list[tuple[str, int]] = []
    for chunk in _CHUNK.finditer(text):
        piece, offset = chunk.group(), chunk.start()
        if _HAN.match(piece):
            words.extend(
                (word, offset + start)
                for word, start, _ in jieba.tokenize(piece, HMM=True)
                if word.strip()
            )
            continue
        trimmed = _EDGE_PUNCT.sub("", piece)
        if trimmed:
            words.append((trimmed, offset + piece.index(trimmed)))
    return words


def mixed_words(text: str) -> list[str]:
    """The words alone, as a scikit-learn `tokenizer` (module level, so a saved model can load
    it by name)."""
    return [word for word, _ in split_mixed(text)]


@DefaultV1Recipe.register(DefaultV1Recipe.ComponentType.MESSAGE_TOKENIZER, is_trainable=False)
class MixedScriptTokenizer(Tokenizer):  # type: ignore[misc]
    @staticmethod
    def get_default_config() -> dict[str, Any]:
        return {
            "intent_tokenization_flag": False,
            "intent_split_symbol": "_",
            "token_pattern": None,
            "prefix_separator_symbol": None,
        }

    @classmethod
    def create(
        cls,
        config: dict[str, Any],
        model_storage: ModelStorage,
        resource: Resource,
        execution_context: ExecutionContext,
    ) -> MixedScriptTokenizer:
        return cls(config)

    @staticmethod
    def supported_languages() -> list[str] | None:
        return None

    @staticmethod
    def required_packages() -> list[str]:
        return ["jieba"]

    def tokenize(self, message: Message, attribute: str) -> list[Token]:
        text: str = message.get(attribute)
        words = split_mixed(text) or [(text, 0)]
        tokens = [Token(word, start) for word, start in words]
        result: list[Token] = self._apply_token_pattern(tokens)
        return result
