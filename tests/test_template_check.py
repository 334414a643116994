"""`asystent templates check`: the packaged templates pass; staff mistakes are named with a fix."""

from __future__ import annotations

from pathlib import Path

import docx
import pytest
from conftest import run

from records.models import DOCUMENT_KINDS
from records.settings import load_workspace


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
    assert "blok {% if %} nie jest zamknięty (brakuje {% endif %})" in result.output
    assert "Jinja" not in result.output and "expected" not in result.output


@pytest.mark.parametrize(
    ("tags", "words"),
    [
        ("{{ dane.cel {{ asystent }}", "oczekiwano „}}”, a jest „{”"),
        ("{{ dane.cel", "(nieoczekiwany „/”) w pobliżu tekstu: „Cel kontraktu {{ dane.cel”"),
        ("{% iff dane.cel %}", "nieznany znacznik {% iff %}"),
        ("{% if dane.cel %}{% endfor %}", "znacznik {% endfor %} nie pasuje do otwartego bloku"),
        ("{{ dane.cel|wielkie }}", "nie ma filtru „wielkie”"),
        ("{{ dane.cel ! }}", "niedozwolony znak „!” w znaczniku"),
    ],
)
def test_tag_mistakes_made_in_word_are_explained_in_polish(ws: Path, tags: str, words: str) -> None:
    """Jinja's own English ("expected token 'end of print statement'") never reaches staff."""
    _override(ws, "kontrakt", "Cel kontraktu", tags)
    result = run("templates", "check", "--workspace", ws)
    assert result.exit_code == 1
    assert words in result.output, result.output
    for english in ("expected", "unexpected", "Encountered", "named", "token"):
        assert english not in result.output


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


def _with_table(path: Path, before: str, cell: str, after: str) -> Path:
    document = docx.Document()
    document.add_paragraph(before)
    document.add_table(rows=1, cols=2).cell(0, 0).text = cell
    document.add_paragraph(after)
    document.save(str(path))
    return path


def test_a_block_cut_across_a_table_is_found_though_the_sample_data_enters_it(
    ws: Path, tmp_path: Path
) -> None:
    """The sample data fills every `{% if %}`, so the document it renders is whole; an `{% if %}`
    opened in a table cell and closed after the table breaks every document whose value is
    empty. The check reads the template for it, names the block and the text near it, and says
    how to mend it; the manager's upload on the web is refused the same way."""
    from records.template_check import check_template

    _with_table(
        ws / "szablony" / "protokol_wizyty.docx",
        "Protokół {{ sprawa }}",
        "{% if dane.uwagi %}Uwagi: {{ dane.uwagi }}",
        "{% endif %}Podpisy",
    )
    result = run("templates", "check", "--workspace", ws)
    assert result.exit_code == 1
    assert "znacznik {% if %} w pobliżu tekstu „Uwagi: {{…}}” (treść)" in result.output
    assert "wewnątrz tabeli" in result.output and "{%tr %}" in result.output
    assert "Problemów w szablonach: 1." in result.output

    # A loop begun before a table and ended in its cell: each round would open another table.
    path = _with_table(
        tmp_path / "petla.docx", "{% for c in rodzina.czlonkowie %}{{ c.imie }}", "{% endfor %}", ""
    )
    problems = check_template(load_workspace(ws), "metryczka_rodziny", path).problems
    assert len(problems) == 1 and problems[0].startswith("znacznik {% for %}")


def test_blocks_that_keep_the_document_whole_are_not_reported(ws: Path, tmp_path: Path) -> None:
    """What Word users write every day passes: a block across paragraphs, across runs of other
    formatting, within a cell, whole paragraphs and rows with {%p %} and {%tr %}, else and elif
    branches, loops with else, nested blocks and `set`."""
    from records.template_check import cut_blocks

    document = docx.Document()
    document.add_paragraph("{% if dane.uwagi %}Uwagi w akapicie pierwszym")
    document.add_paragraph("i drugim{% elif sprawa %}inaczej{% else %}brak{% endif %}")
    runs = document.add_paragraph()
    runs.add_run("{% for c in rodzina.czlonkowie %}").bold = True
    runs.add_run("{{ c.imie }}{% if not loop.last %}, {% endif %}")
    runs.add_run("{% else %}nikt{% endfor %}").italic = True
    document.add_paragraph("{%p if dane.uwagi %}")
    document.add_paragraph("Cały akapit z uwagami")
    document.add_paragraph("{%p endif %}")
    document.add_paragraph("{% set razem = 1 %}{% set lista %}a{% endset %}{{ razem }}{{ lista }}")
    table = document.add_table(rows=3, cols=2)
    table.cell(0, 0).text = "{%tr for c in rodzina.czlonkowie %}"
    table.cell(1, 0).text = "{% if c.imie %}{{ c.imie }}{% endif %}"
    table.cell(1, 1).text = "{{ c.nazwisko }}"
    table.cell(2, 0).text = "{%tr endfor %}"
    document.sections[0].footer.paragraphs[0].text = "{% if sprawa %}Sprawa {{ sprawa }}{% endif %}"
    # what only looks like XML or a tag: a "<" typed in {{ }}, a comment, a string
    document.add_paragraph('{% if sprawa %}Telefon: {{ dane.telefon or "<brak>" }}{% endif %}')
    document.add_paragraph("{# wskazówka: {% if %} zamyka się w tej samej komórce #}")
    document.add_paragraph('{{ "{% if" }} tekst')
    # blocks that print their body once, where it stands, however far it reaches
    table = document.add_table(rows=1, cols=1)
    table.cell(0, 0).text = "{% with k = sprawa %}{{ k }}"
    document.add_paragraph("{% endwith %}koniec")
    document.save(str(tmp_path / "dobry.docx"))
    assert cut_blocks(tmp_path / "dobry.docx") == []


def test_a_cut_block_hidden_from_a_regular_expression_is_still_found(tmp_path: Path) -> None:
    """Jinja's own lexer reads the template: `{%+ %}`, a comment or a string mentioning a tag
    before the real one, and the else branch at fault are all seen as Jinja sees them."""
    from records.template_check import cut_blocks

    cases = {
        "plus": ("{%+ if x %}A", "{%+ endif %}B", "{% if %}"),
        "comment": ("{# {% if #}{% if x %}A", "{% endif %}B", "{% if %}"),
        "string": ('{{ "{% if" }}{% for i in y %}A', "{% endfor %}B", "{% for %}"),
        "else": ("{% if x %}A{% else %}B", "{% endif %}C", "{% else %}"),
    }
    for name, (cell, after, tag) in cases.items():
        document = docx.Document()  # "else": the if branch stays in its cell, the else runs on
        document.add_table(rows=1, cols=1).cell(0, 0).text = cell
        document.add_paragraph(after)
        document.save(str(tmp_path / f"{name}.docx"))
        problems = cut_blocks(tmp_path / f"{name}.docx")
        assert len(problems) == 1 and problems[0].startswith(f"znacznik {tag}"), (name, problems)
