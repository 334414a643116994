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
# Every other way of ending a line: a bare CR (old Mac files, some Word pastes), NEL, LS and PS.
_LINE_BREAKS = re.compile("[\r\x85\u2028\u2029]")


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
    text = _LINE_BREAKS.sub("\n", text.replace("\r\n", "\n"))
    text = unicodedata.normalize("NFC", text)
    text = _ZERO_WIDTH.sub("", text.replace("\u00a0", " "))
    return "\n".join(line.rstrip() for line in text.strip().split("\n"))


# What may never reach a log line or a console as is: C0 and C1 controls, DEL, line and paragraph
# separators, bidi controls, and lone surrogates (bytes of a file name that is not UTF-8).
_UNSHOWABLE = re.compile("[\x00-\x1f\x7f-\x9f\u2028\u2029\u202a-\u202e\u2066-\u2069\ud800-\udfff]")


def shown(text: str) -> str:
    """Text made safe to print on one line: each control character written as an escape.

    A file name with a newline cannot forge a second log line, and the bytes of a name that is
    not UTF-8 (held by Python as surrogates) print as `\\xff` instead of breaking the log.
    """

    def escape(match: re.Match[str]) -> str:
        code = ord(match.group())
        if 0xDC80 <= code <= 0xDCFF:  # surrogateescape: one undecodable byte of a file name
            return f"\\x{code - 0xDC00:02x}"
        return f"\\x{code:02x}" if code < 0x100 else f"\\u{code:04x}"

    return _UNSHOWABLE.sub(escape, text)


def xml_safe(text: str) -> str:
    """Drop what XML cannot hold, for text that did not come through form validation.

    `\\v` and `\\f` are kept: the renderer turns them into Word line and page breaks.
    """
    return re.sub("[\x00-\x08\x0e-\x1f\ud800-\udfff\ufffe\uffff]", "", text)


def folded(text: str) -> str:
    """For searching as people type: no case, no diacritics (`Wiśniewska`, `ł`) -> `wisniewska`,
    so "zielinski" finds "Zieliński" and "belecin" finds "Belęcin"."""
    plain = unicodedata.normalize("NFKD", text.replace("ł", "l").replace("Ł", "L"))
    return "".join(c for c in plain if not unicodedata.combining(c)).casefold()


def whole_words(needles: list[str]) -> re.Pattern[str]:
    """The needles as whole words: AR.4011.1.2026 is not found in GOPS.AR.4011.1.2026 or
    AR.4011.1.2026/A, nor a PESEL inside a longer number; a sentence's full stop after a case
    number still ends it. (Erasure finds a case's files and drafts with it.)"""
    parts = []
    for needle in needles:
        if needle.isdigit():
            parts.append(rf"(?<!\d){re.escape(needle)}(?!\d)")
        else:
            parts.append(rf"(?<![\w./\\-]){re.escape(needle)}(?![\w/\\-]|\.\w)")
    return re.compile("|".join(parts) or "$^")
