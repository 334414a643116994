"""The fast canonical form of an XML part is byte for byte libxml2's inclusive C14N.

Registries and signed documents keep digests made from the slow form, so every difference would
mark a document as changed or a signature as broken. Compared on every part of every shipped
template and demo document, and on random documents with namespaces declared anywhere, written
in any legal way.
"""

from __future__ import annotations

import codecs
import random
import zipfile
from pathlib import Path

import pytest
from lxml import etree

from records.canonical import _by_exclusive_c14n, canonical_xml
from records.demo import run_demo
from records.render import _PARSER
from records.resources import data_dir


def _slow(root: etree._Element) -> bytes:
    return etree.tostring(root, method="c14n")


def _xml_parts(path: Path) -> list[tuple[str, bytes]]:
    with zipfile.ZipFile(path) as archive:
        return [
            (name, archive.read(name))
            for name in archive.namelist()
            if name.endswith((".xml", ".rels"))
        ]


def test_every_part_of_the_shipped_templates_and_demo_documents(tmp_path: Path) -> None:
    run_demo(tmp_path / "demo")
    files = sorted(data_dir("templates_docx").glob("*.docx"))
    files += sorted((tmp_path / "demo" / "dokumenty").rglob("*.docx"))
    assert len(files) > 20
    fast_bodies = 0
    for path in files:
        for name, raw in _xml_parts(path):
            root = etree.fromstring(raw, _PARSER)
            assert canonical_xml(root, raw) == _slow(root), f"{path.name}: {name}"
            if name == "word/document.xml":
                fast_bodies += _by_exclusive_c14n(root, raw) is not None
    # the fast way must really be taken on Word's bodies, or hashing is slow again
    assert fast_bodies == len(files)


_URIS = ["http://a.example/ns", "http://b.example/ns", "urn:c", "http://d.example/ns"]


def _random_document(rng: random.Random) -> bytes:
    """A document whose root declares some prefixes, and whose elements now and then repeat,
    add or change a declaration, or declare a default namespace; attributes and names in any
    of them, declarations written with either quote and spaces around '='."""
    root_prefixes = {f"p{i}": _URIS[i] for i in range(rng.randint(1, 3))}
    prefixes = list(root_prefixes)
    odd = rng.choice([0.0, 0.0, 0.01, 0.05])  # how often an element adds or changes one

    def declaration(prefix: str | None, uri: str) -> str:
        quote = rng.choice("\"'")
        space = rng.choice(["", " ", "\n  "])
        name = "xmlns" if prefix is None else f"xmlns:{prefix}"
        return f" {name}{space}={space}{quote}{uri}{quote}"

    def element(depth: int, in_scope: list[str]) -> str:
        scope = list(in_scope)
        declarations = ""
        roll = rng.random()
        if roll < odd:
            prefix = f"q{rng.randint(0, 2)}"
            declarations += declaration(prefix, rng.choice(_URIS))
            scope.append(prefix)
        elif roll < 2 * odd:
            declarations += declaration(rng.choice(prefixes), rng.choice(_URIS))
        elif roll < 3 * odd:
            declarations += declaration(None, rng.choice(_URIS))
        elif roll < 0.20:
            prefix = rng.choice(prefixes)
            declarations += declaration(prefix, root_prefixes[prefix])
        tag = f"{rng.choice(scope)}:e{rng.randint(0, 3)}"
        attributes = ""
        for index in range(rng.randint(0, 3)):
            owner = rng.choice([*scope, None])
            name = f"a{index}" if owner is None else f"{owner}:a{index}"
            value = rng.choice(["x", "a &amp; b", "&quot;q&quot;", "tab&#9;nl&#10;", "zażółć"])
            attributes += f' {name}="{value}"'
        if depth > 3 or rng.random() < 0.3:
            text = rng.choice(["", "tekst", "a &lt; b &gt; c", "ąę\r\nż", "&#13;"])
            if rng.random() < odd:
                text += ' xmlns:p0="urn:c" '
            return f"<{tag}{declarations}{attributes}>{text}</{tag}>"
        children = "".join(element(depth + 1, scope) for _ in range(rng.randint(1, 4)))
        if rng.random() < 0.1:
            children += rng.choice(["<!-- uwaga -->", "<?pi dane?>", "<![CDATA[<x>]]>"])
        return f"<{tag}{declarations}{attributes}>{children}</{tag}>"

    root_tag = f"{prefixes[0]}:root"
    declared = "".join(declaration(p, u) for p, u in root_prefixes.items())
    body = "".join(element(1, prefixes) for _ in range(rng.randint(20, 60)))
    prolog = rng.choice(["", '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'])
    return f"{prolog}<{root_tag}{declared}>{body}</{root_tag}>".encode()


@pytest.mark.parametrize("seed", range(40))
def test_random_documents_with_namespaces_anywhere(seed: int) -> None:
    rng = random.Random(seed)
    fast = slow = 0
    for _ in range(25):
        raw = _random_document(rng)
        try:
            root = etree.fromstring(raw, _PARSER)
        except etree.XMLSyntaxError:
            continue  # an undeclared prefix after a changed declaration: not a document
        expected = _slow(root)
        by_exclusive = _by_exclusive_c14n(root, raw)
        if by_exclusive is None:
            slow += 1
        else:
            fast += 1
            assert by_exclusive == expected
        assert canonical_xml(root, raw) == expected
        assert _slow(root) == expected  # the tree is left as it was
    assert fast and slow  # both ways are tried


def test_what_the_fast_way_cannot_vouch_for_goes_the_slow_way() -> None:
    padding = "<w:p>" + "x" * 5000 + "</w:p>"
    documents = {
        "default namespace": f'<w:r xmlns="urn:d" xmlns:w="urn:w"><x/>{padding}</w:r>',
        "added below": f'<w:r xmlns:w="urn:w">{padding}<w:p xmlns:v="urn:v"/></w:r>',
        "changed below": f'<w:r xmlns:w="urn:w" xmlns:v="urn:v">{padding}<w:p xmlns:v="urn:x"/></w:r>',
        "xmlns in text": f'<w:r xmlns:w="urn:w">{padding}<w:t>xmlns</w:t></w:r>',
        "one URI, two prefixes": f'<w:r xmlns:w="urn:w" xmlns:v="urn:w">{padding}</w:r>',
        "no prefix on the root": f'<r xmlns:w="urn:w">{padding}</r>',
    }
    for what, text in documents.items():
        raw = text.encode()
        root = etree.fromstring(raw, _PARSER)
        assert _by_exclusive_c14n(root, raw) is None, what
        assert canonical_xml(root, raw) == _slow(root), what
    utf16 = '<?xml version="1.0" encoding="UTF-16"?>' + documents["added below"]
    raw = utf16.encode("utf-16")
    root = etree.fromstring(raw, _PARSER)
    assert _by_exclusive_c14n(root, raw) is None
    assert canonical_xml(root, raw) == _slow(root)


def test_parts_whose_bytes_may_hide_a_declaration_go_the_slow_way() -> None:
    """A UTF-16 part that names no encoding (lxml calls it UTF-8), and a DTD that declares a
    namespace as a default attribute, spelt so that 'xmlns' is not in the bytes."""
    padding = "<w:t>" + "x" * 5000 + "</w:t>"
    body = f'<w:r xmlns:w="urn:w"><w:p xmlns:v="urn:v">{padding}</w:p></w:r>'
    for raw in (
        codecs.BOM_UTF16_LE + ('<?xml version="1.0" standalone="yes"?>' + body).encode("utf-16-le"),
        codecs.BOM_UTF16_BE + body.encode("utf-16-be"),
    ):
        root = etree.fromstring(raw, _PARSER)
        assert _by_exclusive_c14n(root, raw) is None
        assert canonical_xml(root, raw) == _slow(root)
    hidden = "<!ATTLIST w:p &#x78;mlns:v CDATA #FIXED 'urn:v'>"
    dtd = f'<!DOCTYPE w:r [<!ENTITY % d "{hidden}"> %d;]>'
    raw = f'<?xml version="1.0" encoding="UTF-8"?>{dtd}<w:r xmlns:w="urn:w"><w:p>{padding}</w:p></w:r>'
    root = etree.fromstring(raw.encode(), _PARSER)
    assert _by_exclusive_c14n(root, raw.encode()) is None
    assert canonical_xml(root, raw.encode()) == _slow(root)


def test_a_part_the_slow_way_refuses_is_refused_and_left_as_it_was() -> None:
    """A namespace URI that cannot name an attribute (a '}' in it, let in by a DTD default):
    the same error as the slow way, and no placeholder left on the root."""
    hidden = "<!ATTLIST w:r &#x78;mlns:z CDATA #FIXED 'urn:a}b'>"
    dtd = f'<!DOCTYPE w:r [<!ENTITY % d "{hidden}"> %d;]>'
    text = f'{dtd}<w:r xmlns:w="urn:w"><w:p>{"x" * 5000}</w:p></w:r>'
    root = etree.fromstring(text.encode(), _PARSER)
    with pytest.raises(etree.C14NError):
        _slow(root)
    with pytest.raises(etree.C14NError):
        canonical_xml(root, text.encode())
    assert dict(root.attrib) == {}
