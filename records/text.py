"""Rules for text that comes from users: what may be stored and what XML can hold.

Forms are untrusted. Characters that a Word document cannot hold (C0 controls other than tab and
newline, lone surrogates, U+FFFE/U+FFFF) and bidi overrides (used to spoof names) are refused at
validation; the renderer, given such text from elsewhere, cleans it instead of writing a broken file.
"""

from __future__ import annotations

import re
import unicodedata

# XML 1.0 forbids these outright; Word cannot store them.
_XML_ILLEGAL = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ud800-\udfff\ufffe\uffff]")
# Explicit direction overrides and isolates (Trojan-source style spoofing of names).
_BIDI_CONTROLS = re.compile("[\u202a-\u202e\u2066-\u2069]")
_ZERO_WIDTH = re.compile("[\u200b\u200c\u200d\u2060\ufeff]")


def forbidden_character(text: str, *, multiline: bool) -> str | None:
    """Describe the first character a form value may not hold, or None when the text is fine."""
    for pattern in (_XML_ILLEGAL, _BIDI_CONTROLS):
        match = pattern.search(text)
        if match:
            return f"U+{ord(match.group()):04X}"
    if not multiline and ("\n" in text or "\t" in text):
        return "znak nowej linii" if "\n" in text else "tabulator"
    return None


def normalise(text: str) -> str:
    """NFC, Unix newlines, non-breaking and zero-width spaces tidied, outer spaces stripped."""
    text = unicodedata.normalize("NFC", text.replace("\r\n", "\n").replace("\r", "\n"))
    text = _ZERO_WIDTH.sub("", text.replace("\u00a0", " "))
    return "\n".join(line.rstrip() for line in text.strip().split("\n"))


def xml_safe(text: str) -> str:
    """Drop what XML cannot hold, for text that did not come through form validation.

    `\\v` and `\\f` are kept: the renderer turns them into Word line and page breaks.
    """
    return re.sub("[\x00-\x08\x0e-\x1f\ud800-\udfff\ufffe\uffff]", "", text)
