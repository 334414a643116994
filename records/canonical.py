"""The canonical form (inclusive C14N 1.0) of one XML part of a document, made fast.

`content_hash` hashes each XML part in canonical form, and the registry and signed documents
keep those digests, so the form cannot change. libxml2's inclusive C14N is slow on Word's XML:
every element is checked against the seventeen namespaces Word declares on the root, 1.7 ms for
an 18 KB body, most of what hashing a rendered document cost. Its exclusive C14N is seven times
faster and differs only in where namespace declarations go: inclusive puts every declaration in
scope on the root; exclusive puts one on the first element that uses it.

The two agree when every namespace is declared on the root (a part may repeat a root
declaration lower down, as docxtpl does, but must not add or change one) and the root uses every
prefix it declares. `canonical_xml` makes the second true for the moment of serialising (one
placeholder attribute per prefix on the root, cut from the output after) and takes the fast path
only when it can see the first from the part's bytes. Anything it cannot vouch for (a default
namespace, two prefixes for one URI, a part not in UTF-8, a DTD, a declaration it cannot read,
the word "xmlns" in the text) goes the slow way. Tests compare both ways on every template and
on random documents with namespaces declared anywhere.
"""

from __future__ import annotations

import re

from lxml import etree

_DECLARATION = re.compile(rb"""xmlns(?::([^\s=/>]+))?\s*=\s*(["'])(.*?)\2""", re.S)
_MARK = "asystent-c14n"
_SMALL = 4096  # below this the slow way is as fast: the placeholders cost more than they save


def canonical_xml(root: etree._Element, raw: bytes) -> bytes:
    """`etree.tostring(root, method="c14n")` of `root`, parsed from `raw`; the same bytes, or the
    same error."""
    if len(raw) >= _SMALL:
        try:
            fast = _by_exclusive_c14n(root, raw)
        except (ValueError, etree.Error):
            fast = None  # the slow way raises its own error, or has an answer
        if fast is not None:
            return fast
    return etree.tostring(root, method="c14n")


def _by_exclusive_c14n(root: etree._Element, raw: bytes) -> bytes | None:
    """Inclusive C14N by way of exclusive C14N, or None when they could differ."""
    namespaces = root.nsmap
    if None in namespaces or len(set(namespaces.values())) != len(namespaces):
        return None
    if root.prefix is None:
        return None
    # The declarations below the root are looked for in the part's bytes: they must be UTF-8
    # (lxml calls a UTF-16 part UTF-8 when its declaration names no encoding; every other
    # encoding of XML has NUL bytes), and no DTD may add declarations as default attributes.
    tree = root.getroottree()
    if (tree.docinfo.encoding or "").upper() != "UTF-8" or b"\0" in raw:
        return None
    if tree.docinfo.doctype or b"<!DOCTYPE" in raw:
        return None
    declared = {(prefix.encode(), uri.encode()) for prefix, uri in namespaces.items()}
    found = list(_DECLARATION.finditer(raw))
    if len(found) != raw.count(b"xmlns"):
        return None  # "xmlns" somewhere that is not a declaration we can read
    if any((match.group(1), match.group(3)) not in declared for match in found):
        return None  # a namespace added or changed below the root
    marks = [f"{{{uri}}}{_MARK}" for uri in namespaces.values()]
    if any(mark in root.attrib for mark in marks):
        return None
    try:
        for mark in marks:
            root.set(mark, "")
        out = etree.tostring(root, method="c14n", exclusive=True)
    finally:
        for mark in marks:
            root.attrib.pop(mark, None)
    name = etree.QName(root).localname
    if not out.startswith(b"<%s:%s" % (root.prefix.encode(), name.encode())):
        return None
    # The placeholders are in the root's start tag, which comes first; an attribute value
    # cannot hold them (C14N writes a quote inside a value as &quot;).
    for prefix in namespaces:
        placeholder = b' %s:%s=""' % (prefix.encode(), _MARK.encode())
        at = out.find(placeholder)
        if at < 0:
            return None
        out = out[:at] + out[at + len(placeholder) :]
    return out
