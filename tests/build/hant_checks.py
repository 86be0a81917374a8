"""Checks shared by the zh-Hant tests: what is left Simplified in a text."""

from __future__ import annotations

import re

from scripts.editions.convert import _opencc

# Characters OpenCC's s2tw would change but which are right in these words in Taiwan
# (干預 intervene, 划算 worth it, 下游 downstream, 批准, 里斯本 Lisbon, 台灣 as Taiwan writes it).
ALLOWED_WORDS = ("台", "干預", "干擾", "相干", "若干", "划算", "下游", "批准", "里斯本", "公里", "阿里山")


def simplified_left(text: str) -> set[str]:
    """Characters s2tw would still change, outside the allow-listed words."""
    for w in ALLOWED_WORDS:
        text = text.replace(w, "")
    s2tw = _opencc("s2tw")
    return {ch for ch in set(re.findall(r"[\u3400-\u9fff]", text)) if s2tw.convert(ch) != ch}
