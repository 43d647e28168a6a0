"""Text folding for search that ignores Polish diacritics ("lodz" finds "Łódź")."""

import unicodedata

_EXTRA = str.maketrans({"ł": "l", "Ł": "l", "đ": "d", "ø": "o", "ß": "ss"})


def fold(text: str) -> str:
    """Lower-case, strip diacritics (including ł, which Unicode does not decompose)."""
    text = (text or "").translate(_EXTRA)
    decomposed = unicodedata.normalize("NFKD", text)
    stripped = "".join(ch for ch in decomposed if not unicodedata.combining(ch))
    return " ".join(stripped.lower().split())
