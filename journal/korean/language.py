"""Is the site Korean? One answer for every Korean-first part."""

from __future__ import annotations


def is_korean(language: str | None) -> bool:
    """True for ``ko``, ``ko_KR``, ``ko-KR``."""
    return (language or "").replace("-", "_").split("_")[0].lower() == "ko"
