"""Optional encryption at rest of answer text (Fernet), transparent to the rest of the code.

With ``DUIZHAO_ENCRYPTION_KEYS`` set, the columns typed ``EncryptedText`` hold Fernet tokens; the
first key encrypts and every key decrypts (MultiFernet), which is how a key is rotated: put the
new key first, keep the old one after it, run ``duizhao db reencrypt``, then drop the old key.
Rows written before encryption was switched on are read as they are and encrypted on their next
write (or by ``reencrypt``). Without keys the columns hold plain text, as before.
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from typing import Any

from cryptography.fernet import Fernet, InvalidToken, MultiFernet
from sqlalchemy import Text
from sqlalchemy.engine import Dialect
from sqlalchemy.types import TypeDecorator

_TOKEN_PREFIX = "gAAAAA"  # every Fernet token starts with its version byte and timestamp
_cipher: MultiFernet | None = None


class EncryptionError(Exception):
    """Stored text that none of the configured keys can decrypt (a key was dropped too early)."""


def configure(keys: Sequence[str]) -> None:
    """Use these keys from now on in this process; an empty list switches encryption off."""
    global _cipher
    _cipher = MultiFernet([Fernet(key.strip().encode()) for key in keys]) if keys else None


class EncryptedText(TypeDecorator[str]):
    """Text the user wrote: a Fernet token when keys are set, else plain."""

    impl = Text
    cache_ok = True

    def process_bind_param(self, value: str | None, dialect: Dialect) -> str | None:
        if value is None or _cipher is None:
            return value
        return _cipher.encrypt(value.encode()).decode()

    def process_result_value(self, value: str | None, dialect: Dialect) -> str | None:
        if value is None or not value.startswith(_TOKEN_PREFIX):
            return value
        if _cipher is None:
            raise EncryptionError("数据库中的内容已加密，但没有配置 DUIZHAO_ENCRYPTION_KEYS")
        try:
            return _cipher.decrypt(value.encode()).decode()
        except InvalidToken:
            raise EncryptionError("无法用已配置的密钥解密数据库中的内容：轮换密钥时请保留旧密钥") from None


class EncryptedJSON(TypeDecorator[Any]):
    """JSON holding what the user wrote (name, unit and post; pasted aspects), stored as its text
    and encrypted like ``EncryptedText``. Plain JSON written before is read as it is."""

    impl = Text
    cache_ok = True

    def process_bind_param(self, value: Any, dialect: Dialect) -> str | None:
        if value is None:
            return None
        return _TEXT.process_bind_param(json.dumps(value, ensure_ascii=False), dialect)

    def process_result_value(self, value: str | None, dialect: Dialect) -> Any:
        text = _TEXT.process_result_value(value, dialect)
        return None if text is None else json.loads(text)


_TEXT = EncryptedText()
