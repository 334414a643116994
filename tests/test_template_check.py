"""`asystent templates check`: the packaged templates pass; staff mistakes are named with a fix."""

from __future__ import annotations

from pathlib import Path

import docx
from conftest import run

from records.models import DOCUMENT_KINDS


def _override(ws: Path, kind: str, *paragraphs: str) -> None:
    document = docx.Document()
    for text in paragraphs:
        document.add_paragraph(text)
    document.save(str(ws / "szablony" / f"{kind}.docx"))


def test_packaged_templates_get_every_value_they_ask_for(ws: Path) -> None:
    result = run("templates", "check", "--workspace", ws)
    assert result.exit_code == 0, result.output
    # every case document and the office's three: report, time sheet, statutory lines
    assert result.output.count("✔") == len(DOCUMENT_KINDS) + 3
    for report in ("sprawozdanie", "ewidencja", "sprawozdanie_statutowe"):
        assert f"✔ {report}.docx (szablon wbudowany)" in result.output


def test_the_report_template_is_checked_too(ws: Path) -> None:
    _override(ws, "sprawozdanie", "Rodzin: {{ razem.rodzinyy }}")
    result = run("templates", "check", "--workspace", ws)
    assert result.exit_code == 1
    assert (
        "„razem.rodzinyy” nie istnieje w danych; czy chodziło o „razem.rodziny”?" in result.output
    )


def test_the_time_sheet_and_statutory_templates_are_checked_with_their_own_data(
    ws: Path,
) -> None:
    _override(ws, "ewidencja", "{% for a in arkusze %}{{ a.minutyy }}{% endfor %}")
    _override(ws, "sprawozdanie_statutowe", "{% for w in wiersze %}{{ w.wartosci }}{% endfor %}")
    result = run("templates", "check", "--workspace", ws)
    assert result.exit_code == 1
    sheet = "„arkusze[].minutyy” nie istnieje w danych; czy chodziło o „arkusze[].minuty”?"
    line = "„wiersze[].wartosci” nie istnieje w danych; czy chodziło o „wiersze[].wartosc”?"
    assert result.output.count(sheet) == 1  # once, however many sheets the sample has
    assert result.output.count(line) == 1
    assert "Problemów w szablonach: 2." in result.output


def test_misspelt_variables_are_listed_with_the_nearest_name(ws: Path) -> None:
    _override(
        ws,
        "protokol_wizyty",
        "Przebieg: {{ dane.przebig }}",
        "{{ rodzina.adres.miejscowsc }} {{ sprawaa }}",
    )
    result = run("templates", "check", "--workspace", ws)
    assert result.exit_code == 1
    assert "„dane.przebig” nie istnieje w danych; czy chodziło o „dane.przebieg”?" in result.output
    assert "czy chodziło o „rodzina.adres.miejscowosc”?" in result.output
    assert "„sprawaa” nie istnieje w danych; czy chodziło o „sprawa”?" in result.output
    assert "✔ kontrakt.docx" in result.output


def test_a_syntax_error_is_shown_with_the_text_around_it(ws: Path) -> None:
    _override(ws, "kontrakt", "Cel kontraktu", "{% if dane.cel %} bez końca")
    result = run("templates", "check", "--workspace", ws)
    assert result.exit_code == 1
    assert "kontrakt.docx (szablony/kontrakt.docx): błąd składni" in result.output
    assert "„Cel kontraktu {% if dane.cel %} bez końca”" in result.output


def test_a_forbidden_construct_and_a_broken_file_are_reported(ws: Path) -> None:
    _override(ws, "plan_pracy", "{{ cycler.__init__.__globals__ }}")
    (ws / "szablony" / "ocena_okresowa.docx").write_bytes(b"to nie jest plik Word")
    result = run("templates", "check", "--workspace", ws)
    assert result.exit_code == 1
    assert "✘ plan_pracy.docx" in result.output
    assert (
        "✘ ocena_okresowa.docx (szablony/ocena_okresowa.docx): Szablon ocena_okresowa.docx nie jest poprawnym plikiem Word"
        in result.output
    )
    assert "Traceback" not in result.output


def _template_with(tmp_path: Path, kind: str, target: str) -> Path:
    from docx.opc.constants import RELATIONSHIP_TYPE as RT

    document = docx.Document()
    document.add_paragraph("{{ sprawa }}")
    document.part.relate_to(target, getattr(RT, kind), is_external=True)
    path = tmp_path / f"{kind.lower()}.docx"
    document.save(str(path))
    return path


def test_a_template_pulling_in_a_file_from_outside_is_refused(tmp_path: Path) -> None:
    """LibreOffice loads a linked image when it makes a PDF: a template could copy into a
    document any file the service may read. Hyperlinks are only addresses, and stay."""
    import pytest

    from records.errors import TemplateError
    from records.render import check_template_file

    linked = _template_with(tmp_path, "IMAGE", "file:///srv/asystent/dane/skan.png")
    with pytest.raises(TemplateError, match="pobiera treść spoza dokumentu") as refused:
        check_template_file(linked)
    assert refused.value.code == "template_external" and "file:///srv/asystent" in str(
        refused.value
    )
    check_template_file(_template_with(tmp_path, "HYPERLINK", "https://mops.example.pl/"))
