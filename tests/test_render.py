"""The renderer: staff-edited templates are sandboxed; any value comes out intact and valid."""

from __future__ import annotations

import datetime as dt
import io
import zipfile
from pathlib import Path

import docx
import pytest
from conftest import VISIT, docx_text, form, run, stored, write_yaml
from lxml import etree

from records.errors import TemplateError
from records.facts import Member
from records.render import CompiledTemplate, render_docx
from records.templates import same_document


def _template(path: Path, *paragraphs: str, title: str | None = None) -> Path:
    document = docx.Document()
    for text in paragraphs:
        document.add_paragraph(text)
    if title:
        document.core_properties.title = title
    document.save(str(path))
    return path


@pytest.mark.parametrize(
    "payload",
    [
        "{{ ''.__class__.__mro__[1].__subclasses__() }}",
        "{{ cycler.__init__.__globals__.os.getcwd() }}",
        "{{ 'x' * 100000000 }}",
        "{{ lipsum(1000000) }}",
        "{{ range(10) }}",
    ],
)
def test_template_escape_attempts_fail_with_a_clear_message(tmp_path: Path, payload: str) -> None:
    with pytest.raises(TemplateError) as caught:
        render_docx(_template(tmp_path / "t.docx", payload), {"x": 1})
    assert "Szablon t.docx" in str(caught.value)


def test_document_properties_are_sandboxed_too(tmp_path: Path) -> None:
    template = _template(
        tmp_path / "t.docx", "ok", title="{{ cycler.__init__.__globals__.os.getcwd() }}"
    )
    with pytest.raises(TemplateError):
        render_docx(template, {})


def test_misspelt_variable_is_an_error_not_a_blank(tmp_path: Path) -> None:
    with pytest.raises(TemplateError) as caught:
        render_docx(_template(tmp_path / "t.docx", "{{ dane.nazwisko_panienskie }}"), {"dane": {}})
    assert caught.value.code == "template_undefined"


def test_syntax_error_names_the_template(tmp_path: Path) -> None:
    with pytest.raises(TemplateError) as caught:
        render_docx(_template(tmp_path / "t.docx", "{% if dane %} bez końca"), {"dane": 1})
    assert caught.value.code == "template_syntax"


def test_values_that_xml_cannot_hold_never_break_the_document(tmp_path: Path) -> None:
    value = "a\vb\fc\x01d\x00e\ud800f\ufffeg & <h> \"i\" 'j' 😀 \u202eRTL"
    data = render_docx(
        _template(tmp_path / "t.docx", "{{ v }}", "{{ d }}"),
        {"v": value, "d": dt.date(2026, 11, 22)},
    )
    out = tmp_path / "out.docx"
    out.write_bytes(data)
    with zipfile.ZipFile(out) as archive:
        etree.fromstring(archive.read("word/document.xml"))  # strict parse: well-formed
    text = docx_text(out)
    assert "a\nb" in text
    assert "cdefg & <h> \"i\" 'j' 😀 \u202eRTL" in text
    assert "22 listopada 2026 r." in text
    assert 'w:type="page"' in zipfile.ZipFile(out).read("word/document.xml").decode()


def test_a_broken_template_keeps_the_form_waiting(family_ws: Path, outside: Path) -> None:
    """A template problem is the office's, not the social worker's: the form is not rejected."""
    _template(family_ws / "szablony" / "protokol_wizyty.docx", "{{ cycler.__init__.__globals__ }}")
    visit = write_yaml(outside / "w.yaml", form(VISIT, data="2026-02-24"))
    result = run("ingest", "--workspace", family_ws, visit)
    assert result.exit_code == 1
    assert "niedozwoloną operację" in result.output and "Traceback" not in result.output
    assert visit.is_file()
    assert not (family_ws / "odrzucone" / "w.yaml").exists()
    (family_ws / "szablony" / "protokol_wizyty.docx").unlink()
    result = run("ingest", "--workspace", family_ws, visit)
    assert result.exit_code == 0, result.output
    assert (
        family_ws / "dokumenty" / "GOPS_AR_3_2026" / "protokol_wizyty_2026-02-24.docx"
    ).is_file()
    # The record stored by the first attempt is used, not stored a second time.
    shard = stored(family_ws, "gops_ar_3_2026")
    assert len(shard["rekordy"]) == 3


def test_workspace_template_overrides_the_packaged_one(family_ws: Path, outside: Path) -> None:
    _template(
        family_ws / "szablony" / "protokol_wizyty.docx",
        "WŁASNY SZABLON {{ sprawa }} {{ dane.data }}",
    )
    visit = write_yaml(outside / "w.yaml", form(VISIT, data="2026-02-25"))
    assert run("ingest", "--workspace", family_ws, visit).exit_code == 0
    text = docx_text(family_ws / "dokumenty" / "GOPS_AR_3_2026" / "protokol_wizyty_2026-02-25.docx")
    assert "WŁASNY SZABLON GOPS/AR/3/2026 25 lutego 2026 r." in text


def test_the_batch_engine_writes_what_docxtpl_writes(tmp_path: Path) -> None:
    """Every sample document through both paths: the same text, the same content hash."""
    from records.case import Case
    from records.documents import build_context
    from records.models import DOCUMENT_KINDS
    from records.render import CompiledTemplate, content_hash
    from records.settings import load_workspace
    from records.store import open_store
    from records.templates import template_for

    assert run("demo", tmp_path / "demo").exit_code == 0
    ws = load_workspace(tmp_path / "demo")
    store = open_store(ws)
    compared = 0
    for number in store.case_numbers():
        case = Case.load(store, number)
        for record in case.current:
            if record.formularz not in DOCUMENT_KINDS:
                continue
            template = template_for(ws, record.formularz)
            context = build_context(ws, case, record)
            compiled = CompiledTemplate(template)
            plain, fast = render_docx(template, context), compiled.render(context)
            hashed, digest = compiled.render_hashed(context)
            (tmp_path / "a.docx").write_bytes(plain)
            (tmp_path / "b.docx").write_bytes(fast)
            assert docx_text(tmp_path / "a.docx") == docx_text(tmp_path / "b.docx")
            assert content_hash(plain) == content_hash(fast) == content_hash(hashed) == digest
            compared += 1
    assert compared >= 18


def test_a_document_hashed_as_rendered_hashes_as_it_reads(tmp_path: Path) -> None:
    """render_hashed canonicalises the template's parts once and the rendered ones from their
    trees: the digest must be content_hash's of the bytes, header, footer and title included."""
    from records.render import CompiledTemplate, content_hash

    document = docx.Document()
    document.add_paragraph("{{ imie }} & <{{ nazwisko }}>")
    document.sections[0].header.paragraphs[0].text = "Sprawa {{ sprawa }}"
    document.sections[0].footer.paragraphs[0].text = "Strona dla {{ imie }}"
    document.core_properties.title = "Akta {{ sprawa }}"
    document.save(str(tmp_path / "t.docx"))
    compiled = CompiledTemplate(tmp_path / "t.docx")
    digests = set()
    for name in ("Anna", "Józef"):
        context = {"imie": name, "nazwisko": "Żak", "sprawa": "AR.1/2026"}
        data, digest = compiled.render_hashed(context)
        assert digest == content_hash(data) == content_hash(compiled.render(context))
        digests.add(digest)
    assert len(digests) == 2  # what the document says, so a different name, another hash


def _pixel_png() -> bytes:
    """A 1x1 PNG: a picture in a template makes the engine renumber drawings (docxtpl's
    fix_tables and fix_docpr_ids, whose parser recovers from broken XML instead of failing)."""
    import struct
    import zlib

    def chunk(kind: bytes, data: bytes) -> bytes:
        body = kind + data
        return struct.pack(">I", len(data)) + body + struct.pack(">I", zlib.crc32(body))

    header = struct.pack(">IIBBBBB", 1, 1, 8, 2, 0, 0, 0)
    pixels = zlib.compress(b"\x00\xff\xff\xff")
    return (
        b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", header) + chunk(b"IDAT", pixels) + chunk(b"IEND", b"")
    )


@pytest.mark.parametrize("picture", [False, True], ids=["plain", "with a picture"])
def test_a_template_whose_document_would_be_broken_is_refused_on_every_path(
    tmp_path: Path, picture: bool
) -> None:
    """An `{% if %}` opened in a table cell and closed after the table cuts the table's closing
    tags out of the document when false: Word could not open it. A report (rendered by
    `render`, which drops each parsed tree to save memory), a case document (`render_hashed`)
    and the worker all refuse it by name and render it when true; with a picture in the
    template too, where the body used to go through a recovering parser and come out
    silently mangled (the text after the table moved into its cell)."""
    from records.worker import TemplateWorker

    document = docx.Document()
    if picture:
        (tmp_path / "logo.png").write_bytes(_pixel_png())
        document.add_picture(str(tmp_path / "logo.png"))
    document.add_table(rows=1, cols=1).cell(0, 0).text = "{% if pokaz %}komórka"
    document.add_paragraph("koniec {% endif %}dokumentu")
    document.save(str(tmp_path / "cięty.docx"))
    compiled = CompiledTemplate(tmp_path / "cięty.docx")
    worker = TemplateWorker(time_limit=30)
    try:
        for render in (
            compiled.render,
            compiled.render_hashed,
            lambda context: worker.render(tmp_path / "cięty.docx", context),
        ):
            with pytest.raises(TemplateError) as caught:
                render({"pokaz": False})
            assert caught.value.code == "render_invalid_xml"
            message = str(caught.value)
            assert "cięty.docx" in message and "wyszedł uszkodzony (treść)" in message
            assert "{% if %}" in message and "tag mismatch" not in message  # Polish, no libxml
        data = worker.render(tmp_path / "cięty.docx", {"pokaz": True})
    finally:
        worker.close()
    (tmp_path / "out.docx").write_bytes(data)
    assert "komórka" in docx_text(tmp_path / "out.docx")
    assert "koniec dokumentu" in docx_text(tmp_path / "out.docx")


def test_a_template_cannot_run_for_ever(tmp_path: Path) -> None:
    people = [{"n": i} for i in range(30)]
    loops = "{% for a in p %}{% for b in p %}{% for c in p %}{% for d in p %}{% for e in p %}{{ a.n }}{% endfor %}{% endfor %}{% endfor %}{% endfor %}{% endfor %}"
    with pytest.raises(TemplateError) as caught:
        render_docx(_template(tmp_path / "t.docx", loops), {"p": people})
    assert "zbyt wiele kroków" in str(caught.value)
    recursion = "{% macro f() %}{{ f() }}{% endmacro %}{{ f() }}"
    with pytest.raises(TemplateError) as caught:
        render_docx(_template(tmp_path / "r.docx", recursion), {})
    assert caught.value.code == "template_recursion"


def test_the_step_budget_grows_with_the_data_but_not_with_its_square(tmp_path: Path) -> None:
    """A year's report of a large office is one loop over thousands of rows: more steps than
    BASE_STEPS, yet a loop over the data. A loop nested in it is still stopped."""
    rows = [{"a": i, "b": "x"} for i in range(60_000)]  # 240,000 steps, more than BASE_STEPS
    loop = "{% for r in rows %}{{ r.a }}{{ r.b }};{% endfor %}"
    (tmp_path / "out.docx").write_bytes(
        render_docx(_template(tmp_path / "t.docx", loop), {"rows": rows})
    )
    text = docx_text(tmp_path / "out.docx")
    assert text.count(";") == 60_000 and text.startswith("0x;1x;")
    square = "{% for r in rows %}{% for s in rows %}{{ s.a }}{% endfor %}{% endfor %}"
    for render in (render_docx, lambda t, c: CompiledTemplate(t).render(c)):
        with pytest.raises(TemplateError) as caught:
            render(_template(tmp_path / "s.docx", square), {"rows": rows[:2000]})
        assert "zbyt wiele kroków" in str(caught.value)


def _docx_bytes(text: str, author: str = "") -> bytes:
    document = docx.Document()
    document.add_paragraph(text)
    document.core_properties.author = author
    buffer = io.BytesIO()
    document.save(buffer)
    return buffer.getvalue()


def test_same_document_tells_what_a_document_says_not_its_metadata() -> None:
    first = _docx_bytes("Sprawozdanie: 12 rodzin", author="Anna")
    assert same_document(first, _docx_bytes("Sprawozdanie: 12 rodzin", author="Barbara"))
    assert not same_document(first, _docx_bytes("Sprawozdanie: 13 rodzin", author="Anna"))
    assert not same_document(first, b"not a zip at all")  # a damaged file is written again


def test_a_child_born_on_29_february_is_of_age_from_28_february() -> None:
    """Art. 112 Kodeksu cywilnego: in a year without 29 February, the 28th."""
    leap = Member(name="Ola Nowak", born=dt.date(2008, 2, 29), rola="dziecko")
    assert not leap.adult_on(dt.date(2026, 2, 27))
    assert leap.adult_on(dt.date(2026, 2, 28))
    march = Member(name="Jan Nowak", born=dt.date(2008, 3, 1), rola="dziecko")
    assert not march.adult_on(dt.date(2026, 2, 28)) and march.adult_on(dt.date(2026, 3, 1))
