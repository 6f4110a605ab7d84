"""Text normalisation for Japanese input: NFKC (全角英数 → 半角), trimmed, kana folded for search and sort."""

import re
import unicodedata

_HIRA_TO_KATA = {code: code + 0x60 for code in range(ord("ぁ"), ord("ゖ") + 1)}
_HAS_HIRAGANA = re.compile("[ぁ-ゖ]")


def normalize(value) -> str:
    """NFKC and trim; collapse inner runs of whitespace (incl. 全角スペース) to one space."""
    if value is None:
        return ""
    text = unicodedata.normalize("NFKC", str(value))
    return " ".join(text.split())


def to_katakana(text: str) -> str:
    # Most names are already katakana: skipping translate() keeps a 25,000-row import fast.
    return text.translate(_HIRA_TO_KATA) if _HAS_HIRAGANA.search(text) else text


def kana_key(value) -> str:
    """Sort/search key for 氏名カナ: NFKC (半角ｶﾅ → 全角), hiragana → katakana, no spaces."""
    return to_katakana(normalize(value)).replace(" ", "")


def search_key(*parts) -> str:
    """A single lower-case, space-free string to match user queries against (NFKC + katakana)."""
    return "".join(kana_key(p) for p in parts if p).lower()
