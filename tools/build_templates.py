"""Build the six official document templates in `templates_docx/` with python-docx.

Why a script: the templates share one letterhead, one footer and one signature block, and a
script keeps the six consistent and reviewable in git. The output is ordinary Word documents:
staff edit them in Word afterwards (usually their own copy in the workspace's `szablony/`), and
nothing here runs when documents are generated. Variables are listed in docs/szablony.md.

    python tools/build_templates.py
"""

from __future__ import annotations

import io
import re
from pathlib import Path

from docx import Document
from docx.enum.table import WD_TABLE_ALIGNMENT
from docx.enum.text import WD_ALIGN_PARAGRAPH, WD_BREAK, WD_TAB_ALIGNMENT
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Cm, Pt

from records.docstyle import office_page, row_flag, shade, small, widths
from records.render import write_if_changed

OUT = Path(__file__).resolve().parent.parent / "templates_docx"


# -- building blocks ---------------------------------------------------------------------------


def new_document(
    title: str, *, case: bool = True, titled: bool = True, landscape: bool | None = None
) -> Document:
    """A document with the letterhead; `case=False` for reports, which belong to no case and
    are printed in landscape for their wide tables (unless `landscape=False`); `titled=False`
    for a letter, whose title comes after the addressee (`title`)."""
    doc = Document()
    office_page(doc, title, landscape=not case if landscape is None else landscape)
    section = doc.sections[0]
    _header_and_footer(section, case)
    _letterhead(doc, case)
    if titled:
        add_title(doc, title)
    return doc


def add_title(doc: Document, title: str) -> None:
    paragraph = doc.add_paragraph(style="Title")
    paragraph.alignment = WD_ALIGN_PARAGRAPH.CENTER
    paragraph.add_run(title)
    _bottom_border(paragraph, size=0)


def _header_and_footer(section, case: bool) -> None:
    header = section.header.paragraphs[0]
    header.alignment = WD_ALIGN_PARAGRAPH.RIGHT
    small(header.add_run("{{ osrodek.nazwa }}"))
    footer = section.footer.paragraphs[0]
    footer.alignment = WD_ALIGN_PARAGRAPH.CENTER
    small(
        footer.add_run(
            "Znak sprawy: {{ sprawa }}"
            if case
            else "{{ tytul }} za okres {{ okres.od|data_krotka }} – {{ okres.do|data_krotka }}"
        )
    )
    small(
        section.footer.add_paragraph(
            "Dokument zawiera dane osobowe – chronić przed dostępem osób nieuprawnionych."
        ).runs[0]
    )
    section.footer.paragraphs[-1].alignment = WD_ALIGN_PARAGRAPH.CENTER
    pages = section.footer.add_paragraph()
    pages.alignment = WD_ALIGN_PARAGRAPH.CENTER
    small(pages.add_run("Strona "))
    _field(pages, "PAGE")
    small(pages.add_run(" z "))
    _field(pages, "NUMPAGES")


def _field(paragraph, instruction: str) -> None:
    """A Word field (page number, page count) that Word and LibreOffice fill in when printing."""
    for kind, text in (
        ("begin", None),
        (None, f" {instruction} "),
        ("separate", None),
        (None, "1"),
        ("end", None),
    ):
        run = paragraph.add_run()
        small(run)
        if kind is not None:
            char = OxmlElement("w:fldChar")
            char.set(qn("w:fldCharType"), kind)
            run._r.append(char)
        elif text.strip() == instruction:
            code = OxmlElement("w:instrText")
            code.set(qn("xml:space"), "preserve")
            code.text = text
            run._r.append(code)
        else:
            run.text = text


def _letterhead(doc: Document, case: bool) -> None:
    name = doc.add_paragraph()
    run = name.add_run("{{ osrodek.nazwa }}")
    run.bold = True
    run.font.size = Pt(12)
    address = doc.add_paragraph()
    address.add_run("{{ osrodek.adres }}").font.size = Pt(9.5)
    _bottom_border(address, size=6)
    place = doc.add_paragraph()
    place.alignment = WD_ALIGN_PARAGRAPH.RIGHT
    if not case:  # a report is dated when it is signed
        place.add_run("{{ osrodek.miejscowosc }}, dnia ……………………………")
        return
    place.add_run("{{ osrodek.miejscowosc }}, dnia {{ data_dokumentu }}")
    number = doc.add_paragraph()
    number.add_run("Znak sprawy: ")
    number.add_run("{{ sprawa }}").bold = True


def _bottom_border(paragraph, size: int) -> None:
    if not size:
        return
    borders = OxmlElement("w:pBdr")
    bottom = OxmlElement("w:bottom")
    for key, value in (
        ("w:val", "single"),
        ("w:sz", str(size)),
        ("w:space", "4"),
        ("w:color", "808080"),
    ):
        bottom.set(qn(key), value)
    borders.append(bottom)
    paragraph._p.get_or_add_pPr().append(borders)


def spaced(doc: Document, text: str = "") -> None:
    """A paragraph set apart from the table above it."""
    doc.add_paragraph(text).paragraph_format.space_before = Pt(8)


def heading(doc: Document, text: str) -> None:
    doc.add_paragraph(text, style="Heading 2").paragraph_format.keep_with_next = True


def tag(doc: Document, jinja: str) -> None:
    """A paragraph holding only a docxtpl `{%p ... %}` tag (docxtpl removes the paragraph)."""
    doc.add_paragraph(jinja)


def fields(
    doc: Document, rows: list[tuple[str, str]], widths_cm: tuple[float, float] = (5, 12)
) -> None:
    """A two-column table: label, value."""
    table = doc.add_table(rows=0, cols=2)
    table.style = "Table Grid"
    table.alignment = WD_TABLE_ALIGNMENT.CENTER
    for label, value in rows:
        row = table.add_row()
        row_flag(row, "w:cantSplit")  # a label and its value on one page
        cells = row.cells
        cells[0].text = label
        cells[0].paragraphs[0].runs[0].bold = True
        cells[1].text = value
    widths(table, list(widths_cm))


def text_section(doc: Document, title: str, expression: str, *, optional: bool = True) -> None:
    """A heading and a long text. A numbered section (`II. ...`) is always printed, with "Nie
    wpisano." when the value is absent, so its numbers never skip; an unnumbered optional one
    vanishes."""
    if re.match(r"[IVX]+\. ", title):
        heading(doc, title)
        doc.add_paragraph(
            f"{{% if {expression} %}}{{{{ {expression} }}}}{{% else %}}Nie wpisano.{{% endif %}}"
        )
        return
    if optional:
        tag(doc, f"{{%p if {expression} %}}")
    heading(doc, title)
    doc.add_paragraph(f"{{{{ {expression} }}}}")
    if optional:
        tag(doc, "{%p endif %}")


def loop_table(
    doc: Document, headers: list[str], loop: str, cells: list[str], widths_cm: list[float]
) -> None:
    """A table with a header row and one row per item (`{%tr for ... %}`)."""
    table = doc.add_table(rows=4, cols=len(headers))
    table.style = "Table Grid"
    table.alignment = WD_TABLE_ALIGNMENT.CENTER
    for cell, text in zip(table.rows[0].cells, headers, strict=True):
        cell.text = text
        cell.paragraphs[0].runs[0].bold = True
        shade(cell)
    table.rows[1].cells[0].text = f"{{%tr for {loop} %}}"
    for cell, text in zip(table.rows[2].cells, cells, strict=True):
        cell.text = text
    table.rows[3].cells[0].text = "{%tr endfor %}"
    widths(table, list(widths_cm))
    row_flag(table.rows[0], "w:tblHeader")  # the header repeats on every page
    for row in table.rows:
        row_flag(row, "w:cantSplit")  # a row is never cut in two by a page break


def bulleted(doc: Document, loop: str, item: str) -> None:
    """A list of texts with dashes, one paragraph each (parties, people)."""
    tag(doc, f"{{%p for {loop} %}}")
    paragraph = doc.add_paragraph(f"– {{{{ {item} }}}}")
    paragraph.paragraph_format.left_indent = Cm(1.0)
    tag(doc, "{%p endfor %}")


def numbered(doc: Document, loop: str, item: str) -> None:
    """A numbered list of texts, one paragraph each."""
    tag(doc, f"{{%p for {loop} %}}")
    paragraph = doc.add_paragraph(f"{{{{ loop.index }}}}. {{{{ {item} }}}}")
    paragraph.paragraph_format.left_indent = Cm(0.5)
    tag(doc, "{%p endfor %}")


def signatures(doc: Document, left: str, right: str) -> None:
    """Signature lines with their captions; an empty caption leaves its side blank. The last
    paragraph of text comes to the next page with them rather than leave them alone there.

    Paragraphs with two centred tab stops, not a table: Word and LibreOffice both keep
    paragraphs with the next one, while LibreOffice lets a table part from the text before it."""
    depth = 0  # inside how many optional sections, walking back: their text may not print
    for paragraph in reversed(doc.paragraphs):  # through optional sections, to fixed text
        paragraph.paragraph_format.keep_with_next = True
        text = paragraph.text.strip()
        depth += text.startswith(("{%p endif", "{%p endfor")) - text.startswith(
            ("{%p if", "{%p for")
        )
        if depth == 0 and text and "{" not in text:
            break
    for _ in range(2):
        doc.add_paragraph().paragraph_format.keep_with_next = True
    dots = "……………………………………………"
    lines = [(dots if left else "", dots if right else "")]
    left_lines, right_lines = left.split("\n"), right.split("\n")
    height = max(len(left_lines), len(right_lines))  # captions level at the bottom, names above
    left_lines = [""] * (height - len(left_lines)) + left_lines
    right_lines = [""] * (height - len(right_lines)) + right_lines
    lines += list(zip(left_lines, right_lines, strict=True))
    section = doc.sections[-1]
    width = section.page_width - section.left_margin - section.right_margin
    for number, (on_left, on_right) in enumerate(lines):
        paragraph = doc.add_paragraph()
        stops = paragraph.paragraph_format.tab_stops
        stops.add_tab_stop(int(width * 0.25), WD_TAB_ALIGNMENT.CENTER)
        stops.add_tab_stop(int(width * 0.75), WD_TAB_ALIGNMENT.CENTER)
        paragraph.paragraph_format.space_after = Pt(0)
        paragraph.paragraph_format.keep_with_next = number < len(lines) - 1
        run = paragraph.add_run(f"\t{on_left}\t{on_right}")
        if number:
            small(run)


def family_block(doc: Document) -> None:
    fields(
        doc,
        [
            ("Rodzina", "{{ rodzina.nazwa }}"),
            (
                "Adres",
                "{{ rodzina.adres.ulica }}, {{ rodzina.adres.kod_pocztowy }} "
                "{{ rodzina.adres.miejscowosc }}",
            ),
            ("Asystent rodziny", "{{ asystent }}"),
        ],
    )
    placed_children(doc)


def placed_children(doc: Document) -> None:
    """The children in foster care on the document's day: the work goes on (art. 10 ust. 4)."""
    tag(doc, "{%p if rodzina.w_pieczy %}")
    line = doc.add_paragraph()
    line.paragraph_format.space_before = Pt(4)
    line.add_run("Dzieci w pieczy zastępczej: ").bold = True
    line.add_run(
        "{% for p in rodzina.w_pieczy %}{{ p.imie_nazwisko }} – {{ p.forma }}, od "
        "{{ p.od|data_krotka }}{% if p.koordynator %} (koordynator: {{ p.koordynator }})"
        "{% endif %}{% if not loop.last %}; {% endif %}{% endfor %}"
    )
    tag(doc, "{%p endif %}")


# -- the six documents -------------------------------------------------------------------------


def metryczka_rodziny() -> Document:
    doc = new_document("Metryczka rodziny")
    heading(doc, "I. Dane sprawy")
    fields(
        doc,
        [
            ("Asystent rodziny", "{{ dane.asystent }}"),
            ("Pracownik socjalny", "{{ dane.pracownik_socjalny }}"),
            ("Data przydzielenia asystenta", "{{ dane.data_przydzielenia }}"),
            ("Podstawa objęcia wsparciem", "{{ rodzina.podstawa }}"),
            (
                "Postanowienie sądu",
                "{% for p in postanowienia %}{{ p.sad }}, {{ p.wydzial }}, sygn. akt {{ p.sygnatura }}, "
                "z dnia {{ p.data_postanowienia|data_krotka }}{% if p.kurator %}; kurator: "
                "{{ p.kurator }}{% endif %}{% if not loop.last %}; {% endif %}{% else %}"
                "{% if dane.sygnatura_postanowienia %}sygn. akt {{ dane.sygnatura_postanowienia }}"
                "{% else %}—{% endif %}{% endfor %}",
            ),
            (
                "Adres zamieszkania",
                "{{ dane.adres.ulica }}, {{ dane.adres.kod_pocztowy }} {{ dane.adres.miejscowosc }}"
                "{% if dane.adres.gmina %}, gmina {{ dane.adres.gmina }}{% endif %}",
            ),
            ("Telefon", "{{ dane.telefon }}"),
        ],
    )
    heading(doc, "II. Członkowie rodziny")
    loop_table(
        doc,
        [
            "Lp.",
            "Imię i nazwisko",
            "Data urodzenia",
            "PESEL / dokument",
            "Rola",
            "Szkoła / praca",
            "Uwagi",
        ],
        "c in dane.czlonkowie",
        [
            "{{ loop.index }}",
            "{{ c.imie }} {{ c.nazwisko }}",
            "{{ c.data_urodzenia|data_krotka }}",
            "{{ c.pesel }}{% if c.dokument_tozsamosci %} / {{ c.dokument_tozsamosci }}{% endif %}",
            "{{ c.rola }}",
            "{{ c.szkola_lub_praca }}",
            "{{ c.uwagi }}",
        ],
        [1.0, 2.6, 2.6, 2.5, 1.8, 3.1, 3.4],
    )
    tag(doc, "{%p for c in dane.czlonkowie %}")
    tag(doc, "{%p if c.szczegoly %}")
    member = doc.add_paragraph()
    member.paragraph_format.left_indent = Cm(0.5)
    member.add_run("{{ loop.index }}. {{ c.imie }} {{ c.nazwisko }}: ").bold = True
    member.add_run("{{ c.szczegoly }}")
    tag(doc, "{%p endif %}")
    tag(doc, "{%p endfor %}")
    placed_children(doc)
    heading(doc, "III. Problemy rodziny (art. 7 ustawy o pomocy społecznej)")
    tag(doc, "{%p if dane.problemy %}")
    numbered(doc, "problem in dane.problemy", "problem")
    tag(doc, "{%p else %}")
    doc.add_paragraph("Nie wskazano.")
    tag(doc, "{%p endif %}")
    heading(doc, "IV. Instytucje współpracujące z rodziną")
    tag(doc, "{%p if dane.instytucje %}")
    loop_table(
        doc,
        ["Lp.", "Nazwa", "Rodzaj", "Kontakt", "Osoba kontaktowa"],
        "i in dane.instytucje",
        [
            "{{ loop.index }}",
            "{{ i.nazwa }}",
            "{{ i.rodzaj }}",
            "{{ i.kontakt }}",
            "{{ i.osoba_kontaktowa }}",
        ],
        [0.9, 5.2, 4.2, 3.6, 3.1],
    )
    tag(doc, "{%p else %}")
    doc.add_paragraph("Brak.")
    tag(doc, "{%p endif %}")
    text_section(doc, "V. Sytuacja mieszkaniowa", "dane.sytuacja_mieszkaniowa")
    text_section(doc, "VI. Zasoby i mocne strony rodziny", "dane.zasoby_rodziny")
    text_section(doc, "Uwagi", "dane.uwagi")
    signatures(doc, "(podpis asystenta rodziny)", "(podpis pracownika socjalnego)")
    return doc


def plan_pracy() -> Document:
    doc = new_document("Plan pracy z rodziną")
    family_block(doc)
    heading(doc, "I. Informacje o planie")
    fields(
        doc,
        [
            ("Data sporządzenia", "{{ dane.data_sporzadzenia }}"),
            ("Okres realizacji", "od {{ dane.okres_od }} do {{ dane.okres_do }}"),
            (
                "Konsultacja z pracownikiem socjalnym",
                "{{ dane.data_konsultacji_z_pracownikiem_socjalnym }}",
            ),
            ("Pracownik socjalny", "{{ rodzina.pracownik_socjalny }}"),
        ],
    )
    text_section(doc, "II. Diagnoza potrzeb i problemów", "dane.diagnoza")
    text_section(doc, "III. Zasoby rodziny", "dane.zasoby_rodziny")
    heading(doc, "IV. Cele, działania, terminy i przewidywane efekty (art. 15 ust. 3 ustawy)")
    tag(doc, "{%p for c in dane.cele %}")
    goal = doc.add_paragraph()
    goal.add_run("Cel {{ loop.index }}: ").bold = True
    goal.add_run("{{ c.cel }}")
    area = doc.add_paragraph()
    area.add_run("Obszar: ").bold = True
    area.add_run("{{ c.obszar }}")
    loop_table(
        doc,
        ["Lp.", "Działanie", "Odpowiedzialny", "Termin"],
        "d in c.dzialania",
        [
            "{{ loop.index }}",
            "{{ d.opis }}",
            "{{ d.odpowiedzialny }}",
            "{{ d.termin|data_krotka }}",
        ],
        [1.0, 9.4, 4, 2.6],
    )
    effect = doc.add_paragraph()
    effect.add_run("Przewidywane efekty: ").bold = True
    effect.add_run("{{ c.oczekiwany_rezultat }}")
    tag(doc, "{%p endfor %}")
    tag(doc, "{%p if rodzina.w_pieczy or dane.plan_pomocy_dziecku_data %}")
    heading(
        doc, "Współpraca z koordynatorem rodzinnej pieczy zastępczej (art. 15 ust. 1 pkt 2 ustawy)"
    )
    doc.add_paragraph(
        "Działania planu uzgodniono z planem pomocy dziecku umieszczonemu w pieczy zastępczej, "
        "w celu powrotu dziecka do rodziny."
    )
    fields(
        doc,
        [
            (
                "Dzieci w pieczy zastępczej",
                "{% for p in rodzina.w_pieczy %}{{ p.imie_nazwisko }} – {{ p.forma }}, od "
                "{{ p.od|data_krotka }}{% if not loop.last %}; {% endif %}{% else %}—{% endfor %}",
            ),
            ("Plan pomocy dziecku z dnia", "{{ dane.plan_pomocy_dziecku_data }}"),
            (
                "Koordynator rodzinnej pieczy zastępczej",
                "{% if dane.koordynator_pieczy %}{{ dane.koordynator_pieczy }}{% else %}—{% endif %}",
            ),
            (
                "Wspólne spotkania",
                "{% for d in dane.wspolne_spotkania %}{{ d|data_krotka }}"
                "{% if not loop.last %}, {% endif %}{% else %}—{% endfor %}",
            ),
        ],
    )
    tag(doc, "{%p if dane.uzgodnienia_z_koordynatorem %}")
    spaced(doc, "{{ dane.uzgodnienia_z_koordynatorem }}")
    tag(doc, "{%p endif %}")
    tag(doc, "{%p endif %}")
    text_section(doc, "Uwagi", "dane.uwagi")
    tag(doc, "{%p if kody.data_konsultacji_z_pracownikiem_socjalnym %}")
    doc.add_paragraph(
        "Plan opracowano wspólnie z rodziną, w konsultacji z pracownikiem socjalnym "
        "(art. 15 ust. 1 pkt 1 ustawy o wspieraniu rodziny i systemie pieczy zastępczej)."
    )
    tag(doc, "{%p else %}")
    doc.add_paragraph("Plan opracowano wspólnie z rodziną.")
    tag(doc, "{%p endif %}")
    signatures(doc, "(podpis asystenta rodziny)", "(podpisy członków rodziny)")
    signatures(doc, "(data i podpis pracownika socjalnego)", "")
    return doc


def protokol_wizyty() -> Document:
    doc = new_document("Protokół z wejścia do rodziny")
    family_block(doc)
    heading(doc, "I. Wizyta")
    fields(
        doc,
        [
            ("Data wizyty", "{{ dane.data }}"),
            ("Godziny", "{{ dane.godzina_od }}–{{ dane.godzina_do }} ({{ dane.minuty|godziny }})"),
            ("Miejsce", "{{ dane.miejsce }}"),
            (
                "Rodzaj wizyty",
                "{% if dane.monitoring %}wizyta monitorująca po zakończeniu pracy z rodziną"
                "{% else %}wizyta w ramach pracy z rodziną{% endif %}",
            ),
            ("Obecni", "{{ dane.obecni|lista }}"),
            (
                "Obszary wsparcia",
                "{% if dane.obszary_wsparcia %}{{ dane.obszary_wsparcia|lista }}{% else %}—{% endif %}",
            ),
            ("Następna wizyta", "{{ dane.nastepna_wizyta }}"),
        ],
    )
    text_section(doc, "II. Cel wizyty", "dane.cel_wizyty", optional=False)
    text_section(
        doc, "III. Realizacja ustaleń z poprzedniej wizyty", "dane.realizacja_poprzednich_ustalen"
    )
    text_section(doc, "IV. Przebieg wizyty", "dane.przebieg", optional=False)
    heading(doc, "V. Ustalenia")
    tag(doc, "{%p if dane.ustalenia %}")
    loop_table(
        doc,
        ["Lp.", "Zadanie", "Termin", "Odpowiedzialny"],
        "u in dane.ustalenia",
        ["{{ loop.index }}", "{{ u.zadanie }}", "{{ u.termin }}", "{{ u.odpowiedzialny }}"],
        [1.0, 8.9, 3.4, 3.7],
    )
    tag(doc, "{%p else %}")
    doc.add_paragraph("Brak ustaleń.")
    tag(doc, "{%p endif %}")
    text_section(doc, "VI. Uwagi i obserwacje", "dane.uwagi")
    signatures(doc, "(podpis asystenta rodziny)", "(podpis członka rodziny)")
    return doc


def notatka() -> Document:
    """Notatka służbowa: a contact other than a home visit, with how long it took."""
    doc = new_document("Notatka służbowa")
    family_block(doc)
    fields(
        doc,
        [
            ("Data", "{{ dane.data }}"),
            ("Godziny", "{{ dane.godzina_od }}–{{ dane.godzina_do }} ({{ dane.minuty|godziny }})"),
            (
                "Rodzaj",
                "{{ dane.rodzaj }}{% if dane.monitoring %} – kontakt monitorujący po zakończeniu "
                "pracy z rodziną{% endif %}",
            ),
            (
                "Miejsce / instytucja",
                "{% if dane.miejsce %}{{ dane.miejsce }}{% else %}—{% endif %}",
            ),
            ("Uczestnicy", "{{ dane.uczestnicy|lista }}"),
            (
                "Obszary wsparcia",
                "{% if dane.obszary_wsparcia %}{{ dane.obszary_wsparcia|lista }}{% else %}—{% endif %}",
            ),
        ],
    )
    text_section(doc, "I. Treść notatki", "dane.tresc", optional=False)
    text_section(doc, "II. Ustalenia", "dane.ustalenia")
    tag(doc, "{%p if dane.podsumowanie_monitorowania %}")
    spaced(doc, "Notatka kończy monitorowanie funkcjonowania rodziny po zakończeniu pracy z nią.")
    tag(doc, "{%p endif %}")
    signatures(doc, "", "{{ asystent }}\n(podpis asystenta rodziny)")
    return doc


def interwencja() -> Document:
    """Notatka z interwencji: a child's safety at risk (art. 15 ust. 1 pkt 12 of the Act)."""
    doc = new_document("Notatka z interwencji")
    family_block(doc)
    fields(
        doc,
        [
            (
                "Data i godzina",
                "{{ dane.data }}{% if kody.godzina %}, godz. {{ dane.godzina }}{% endif %}",
            ),
            ("Miejsce", "{% if dane.miejsce %}{{ dane.miejsce }}{% else %}—{% endif %}"),
            (
                "Dzieci, których dotyczy",
                "{% if dane.dzieci %}{{ dane.dzieci|lista }}{% else %}—{% endif %}",
            ),
            (
                "Powiadomione instytucje i osoby",
                "{% if dane.powiadomiono %}{{ dane.powiadomiono|lista }}{% else %}—{% endif %}",
            ),
            ("Termin ponownego sprawdzenia sytuacji", "{{ dane.termin_sprawdzenia }}"),
        ],
    )
    text_section(doc, "I. Zagrożenie bezpieczeństwa dziecka", "dane.zagrozenie", optional=False)
    text_section(doc, "II. Podjęte działania", "dane.dzialania", optional=False)
    text_section(doc, "III. Kogo i kiedy powiadomiono", "dane.powiadomiono_opis")
    text_section(doc, "IV. Dalsze kroki", "dane.dalsze_kroki")
    spaced(
        doc,
        "Działania interwencyjne i zaradcze w sytuacji zagrożenia bezpieczeństwa dzieci i rodziny "
        "(art. 15 ust. 1 pkt 12 ustawy z dnia 9 czerwca 2011 r. o wspieraniu rodziny i systemie "
        "pieczy zastępczej).",
    )
    spaced(
        doc,
        "Otrzymują: kierownik ośrodka, pracownik socjalny {{ rodzina.pracownik_socjalny }}, a/a.",
    )
    signatures(
        doc,
        "{{ osrodek.kierownik }}\n(podpis kierownika ośrodka)",
        "{{ asystent }}\n(podpis asystenta rodziny)",
    )
    return doc


def kontrakt() -> Document:
    doc = new_document("Kontrakt z rodziną")
    family_block(doc)
    spaced(doc, "Data zawarcia kontraktu: {{ dane.data_zawarcia }}")
    heading(doc, "Strony kontraktu")
    doc.add_paragraph(
        "1. {{ osrodek.nazwa }}, w imieniu którego działa asystent rodziny {{ asystent }}."
    ).paragraph_format.left_indent = Cm(0.5)
    doc.add_paragraph("2. Rodzina w osobach:").paragraph_format.left_indent = Cm(0.5)
    tag(doc, "{%p if dane.strony_kontraktu %}")
    bulleted(doc, "osoba in dane.strony_kontraktu", "osoba")
    tag(doc, "{%p else %}")
    bulleted(doc, "c in rodzina.dorosli", "c.imie }} {{ c.nazwisko")
    tag(doc, "{%p endif %}")
    heading(doc, "§ 1. Okres obowiązywania")
    doc.add_paragraph("Kontrakt obowiązuje od {{ dane.okres_od }} do {{ dane.okres_do }}")
    heading(doc, "§ 2. Cel współpracy")
    doc.add_paragraph("{{ dane.cel }}")
    heading(doc, "§ 3. Zobowiązania rodziny")
    numbered(doc, "z in dane.zobowiazania_rodziny", "z")
    heading(doc, "§ 4. Zobowiązania asystenta rodziny")
    numbered(doc, "z in dane.zobowiazania_asystenta", "z")
    heading(doc, "§ 5. Spotkania")
    doc.add_paragraph("Częstotliwość spotkań: {{ dane.czestotliwosc_spotkan }}.")
    heading(doc, "§ 6. Zasady współpracy")
    for rule in (
        "Współpraca jest dobrowolna i opiera się na wzajemnym zaufaniu i poszanowaniu.",
        "Rodzina może w każdej chwili zrezygnować ze wsparcia asystenta, składając pisemne "
        "oświadczenie w ośrodku.",
        "Asystent rodziny zachowuje w tajemnicy informacje uzyskane w związku z wykonywaniem "
        "swoich zadań (art. 7 ust. 3 ustawy o wspieraniu rodziny i systemie pieczy zastępczej).",
    ):
        doc.add_paragraph(rule, style="List Bullet")
    text_section(doc, "Uwagi", "dane.uwagi")
    signatures(doc, "(podpis asystenta rodziny)", "(podpisy członków rodziny)")
    return doc


def ocena_okresowa() -> Document:
    doc = new_document("Okresowa ocena sytuacji rodziny")
    family_block(doc)
    fields(
        doc,
        [
            ("Data oceny", "{{ dane.data }}"),
            ("Okres objęty oceną", "od {{ dane.okres_od }} do {{ dane.okres_do }}"),
            ("Rekomendacja", "{{ dane.rekomendacja }}"),
        ],
    )
    heading(doc, "I. Realizacja celów planu pracy z rodziną")
    loop_table(
        doc,
        ["Lp.", "Cel", "Stopień realizacji", "Komentarz"],
        "r in dane.realizacja_celow",
        ["{{ loop.index }}", "{{ r.cel }}", "{{ r.stopien }}", "{{ r.komentarz }}"],
        [1.0, 6, 3.2, 6.8],
    )
    text_section(doc, "II. Zmiany w sytuacji rodziny", "dane.zmiany_w_rodzinie")
    text_section(doc, "III. Współpraca rodziny z asystentem", "dane.wspolpraca_rodziny")
    text_section(doc, "IV. Wnioski", "dane.wnioski", optional=False)
    spaced(
        doc,
        "Otrzymują: pracodawca asystenta rodziny (art. 15 ust. 1 pkt 15 ustawy), "
        "pracownik socjalny {{ rodzina.pracownik_socjalny }}"
        "{% for p in rodzina.w_pieczy %}{% if p.koordynator %}, koordynator rodzinnej pieczy "
        "zastępczej {{ p.koordynator }}{% if p.organizator %} ({{ p.organizator }}){% endif %}"
        "{% endif %}{% endfor %}, a/a.",
    )
    signatures(doc, "(podpis asystenta rodziny)", "(podpis i pieczęć kierownika)")
    return doc


def zakonczenie_pracy() -> Document:
    doc = new_document("Sprawozdanie z zakończenia pracy z rodziną")
    family_block(doc)
    fields(
        doc,
        [
            (
                "Okres pracy z rodziną",
                "od {{ rodzina.data_przydzielenia }} do {{ dane.data_zakonczenia }}",
            ),
            (
                "Przyczyna zakończenia",
                "{{ dane.przyczyna }}{% if dane.przyczyna_opis %}: {{ dane.przyczyna_opis }}{% endif %}",
            ),
            ("Monitorowanie rodziny do", "{{ dane.monitoring_do }}"),
        ],
    )
    text_section(doc, "I. Podsumowanie pracy z rodziną", "dane.podsumowanie", optional=False)
    text_section(doc, "II. Cele osiągnięte", "dane.cele_osiagniete")
    text_section(doc, "III. Cele nieosiągnięte", "dane.cele_nieosiagniete")
    text_section(doc, "IV. Rekomendacje", "dane.rekomendacje")
    spaced(
        doc,
        "Otrzymują: pracownik socjalny {{ rodzina.pracownik_socjalny }}"
        "{% for p in postanowienia %}, {{ p.sad }}, {{ p.wydzial }} (sygn. akt {{ p.sygnatura }})"
        "{% endfor %}, a/a.",
    )
    signatures(doc, "(podpis asystenta rodziny)", "(podpis i pieczęć kierownika)")
    return doc


def przydzielenie_asystenta() -> Document:
    """The letter telling the family who works with it from when (or that the work pauses)."""
    doc = new_document("{{ tytul }}", titled=False)
    addressee = doc.add_paragraph()
    addressee.paragraph_format.left_indent = Cm(9.5)
    addressee.paragraph_format.space_before = Pt(12)
    addressee.add_run("{% for c in rodzina.dorosli %}{{ c.imie }} {{ c.nazwisko }}\n{% endfor %}")
    addressee.add_run(
        "{{ rodzina.adres.ulica }}\n{{ rodzina.adres.kod_pocztowy }} {{ rodzina.adres.miejscowosc }}"
    ).bold = False
    spaced(doc)
    add_title(doc, "{{ tytul }}")
    spaced(doc, "Szanowni Państwo,")
    tag(doc, "{%p if kody.rodzaj == 'przydzielenie' %}")
    # Worded alike for a woman and a man (most assistants are women) and without declining a
    # name ("po Ewa Łęcka"): the name stands where Polish needs no case ending.
    doc.add_paragraph(
        "Uprzejmie informuję, że Państwa rodzinie został przydzielony asystent rodziny (art. 11 "
        "i 15 ustawy z dnia 9 czerwca 2011 r. o wspieraniu rodziny i systemie pieczy "
        "zastępczej). Od dnia {{ dane.od }} z Państwa rodziną będzie pracować "
        "{{ dane.asystent }}."
    )
    tag(doc, "{%p elif kody.rodzaj == 'zmiana' %}")
    doc.add_paragraph(
        "Uprzejmie informuję, że od dnia {{ dane.od }} zmienia się asystent Państwa rodziny: "
        "pracę z rodziną będzie prowadzić {{ dane.asystent }}{% if dane.poprzedni_asystent %} "
        "(dotychczasowy asystent rodziny: {{ dane.poprzedni_asystent }}){% endif %}."
    )
    tag(doc, "{%p elif kody.rodzaj == 'zastepstwo' %}")
    doc.add_paragraph(
        "Uprzejmie informuję, że w okresie od {{ dane.od }} do {{ dane.do }} pracę z Państwa rodziną "
        "będzie prowadzić w zastępstwie asystent rodziny {{ dane.asystent }}.{% if "
        "dane.poprzedni_asystent %} Po tym okresie pracę z rodziną kontynuuje "
        "{{ dane.poprzedni_asystent }}.{% endif %}"
    )
    tag(doc, "{%p elif kody.rodzaj == 'zawieszenie' %}")
    doc.add_paragraph(
        "Uprzejmie informuję, że praca asystenta rodziny z Państwa rodziną zostaje zawieszona "
        "w okresie od {{ dane.od }} do {{ dane.do }}"  # the date ends in "r.": no second full stop
    )
    tag(doc, "{%p else %}")
    doc.add_paragraph(
        "Uprzejmie informuję, że od dnia {{ dane.od }} asystent rodziny {{ dane.asystent }} "
        "wznawia pracę z Państwa rodziną."
    )
    tag(doc, "{%p endif %}")
    tag(doc, "{%p if dane.przyczyna %}")
    reason = doc.add_paragraph()
    reason.add_run("Przyczyna: ").bold = True
    reason.add_run("{{ dane.przyczyna }}")
    tag(doc, "{%p endif %}")
    text_section(doc, "Uwagi", "dane.uwagi")
    spaced(
        doc,
        "W sprawach współpracy z asystentem rodziny proszę o kontakt z ośrodkiem: "
        "{{ osrodek.nazwa }}, {{ osrodek.adres }}.",
    )
    signatures(doc, "", "{{ osrodek.kierownik }}\n(podpis kierownika ośrodka)")
    spaced(doc, "Otrzymują: adresat, pracownik socjalny {{ rodzina.pracownik_socjalny }}, a/a.")
    return doc


def wniosek_o_asystenta() -> Document:
    """The social worker's request to the head of the centre, with a place for the decision."""
    doc = new_document("Wniosek o przydzielenie asystenta rodziny", titled=False)
    addressee = doc.add_paragraph()
    addressee.paragraph_format.left_indent = Cm(9.5)
    addressee.paragraph_format.space_before = Pt(12)
    addressee.add_run("{{ osrodek.kierownik }}\nKierownik ośrodka\n{{ osrodek.nazwa }}").bold = True
    spaced(doc)
    add_title(doc, "Wniosek o przydzielenie asystenta rodziny")
    doc.add_paragraph(
        "Na podstawie art. 11 ust. 3 ustawy z dnia 9 czerwca 2011 r. o wspieraniu rodziny "
        "i systemie pieczy zastępczej, po przeprowadzeniu w dniu {{ dane.data_wywiadu }} "
        "wywiadu środowiskowego i analizie sytuacji rodziny, wnoszę o przydzielenie asystenta "
        "rodziny rodzinie {{ rodzina.nazwa_dopelniacz }}, zamieszkałej pod adresem: {{ dane.adres.ulica }}, "
        "{{ dane.adres.kod_pocztowy }} {{ dane.adres.miejscowosc }}"
        "{% if dane.adres.gmina %}, gmina {{ dane.adres.gmina }}{% endif %}"
        "{% if dane.telefon %}, tel. {{ dane.telefon }}{% endif %}."
    )
    heading(doc, "I. Członkowie rodziny")
    loop_table(
        doc,
        ["Lp.", "Imię i nazwisko", "Data urodzenia", "Rola w rodzinie"],
        "c in dane.czlonkowie",
        [
            "{{ loop.index }}",
            "{{ c.imie }} {{ c.nazwisko }}",
            "{{ c.data_urodzenia|data_krotka }}",
            "{{ c.rola }}",
        ],
        [1.0, 7.0, 4.0, 5.0],
    )
    heading(doc, "II. Problemy rodziny (art. 7 ustawy o pomocy społecznej)")
    tag(doc, "{%p if dane.problemy %}")
    numbered(doc, "problem in dane.problemy", "problem")
    tag(doc, "{%p else %}")
    doc.add_paragraph("Nie wskazano.")
    tag(doc, "{%p endif %}")
    text_section(doc, "III. Uzasadnienie", "dane.uzasadnienie", optional=False)
    text_section(doc, "IV. Proponowany zakres wsparcia asystenta", "dane.proponowane_wsparcie")
    text_section(doc, "Uwagi", "dane.uwagi")
    signatures(doc, "", "{{ dane.pracownik_socjalny }}\n(podpis pracownika socjalnego)")
    decision = doc.add_table(rows=1, cols=1)
    decision.style = "Table Grid"
    widths(decision, [17])
    row_flag(decision.rows[0], "w:cantSplit")  # the decision is never split by a page break
    cell = decision.rows[0].cells[0]
    cell.paragraphs[0].add_run("Decyzja kierownika ośrodka (art. 11 ust. 4 ustawy)").bold = True
    for line in (
        "☐ Przydzielam asystenta rodziny: ……………………………………………… od dnia ……………………",
        "☐ Nie przydzielam asystenta rodziny. Uzasadnienie: ……………………………………………",
        "……………………………………………………………………………………………………………………",
        "",
        "…………………………… (data)                    ……………………………………………… (podpis i pieczęć kierownika)",
    ):
        cell.add_paragraph(line).paragraph_format.space_before = Pt(4)
    return doc


def zgoda_rodziny() -> Document:
    """The family's consent (or withdrawal), signed by each person, with the GDPR clause."""
    doc = new_document("{{ tytul }}")
    family_block(doc)
    law = (
        "(art. 8 ust. 3 ustawy z dnia 9 czerwca 2011 r. o wspieraniu rodziny i systemie pieczy "
        "zastępczej: wspieranie rodziny jest prowadzone za jej zgodą i aktywnym udziałem)."
    )
    tag(doc, "{%p if kody.rodzaj == 'zgoda' and dane.osoby|length > 1 %}")
    spaced(
        doc,
        "My, niżej podpisani, wyrażamy zgodę na współpracę z asystentem rodziny oraz na wsparcie "
        "naszej rodziny przez {{ osrodek.nazwa }} w formie pracy z asystentem rodziny "
        f"{law} Zobowiązujemy się do aktywnego udziału we współpracy.",
    )
    tag(doc, "{%p elif kody.rodzaj == 'zgoda' %}")
    spaced(
        doc,
        "Niżej podpisana osoba wyraża zgodę na współpracę z asystentem rodziny oraz na wsparcie "
        "swojej rodziny przez {{ osrodek.nazwa }} w formie pracy z asystentem rodziny "
        f"{law} Zobowiązuje się do aktywnego udziału we współpracy.",
    )
    tag(doc, "{%p else %}")
    spaced(
        doc,
        "{% if dane.osoby|length > 1 %}Niżej podpisani oświadczają{% else %}Niżej podpisana osoba "
        "oświadcza{% endif %}, że z dniem {{ dane.data }} rodzina rezygnuje ze współpracy z "
        "asystentem rodziny.",
    )
    tag(doc, "{%p if dane.przyczyna %}")
    reason = doc.add_paragraph()
    reason.add_run("Przyczyna rezygnacji: ").bold = True
    reason.add_run("{{ dane.przyczyna }}")
    tag(doc, "{%p endif %}")
    tag(doc, "{%p endif %}")
    text_section(doc, "Uwagi", "dane.uwagi")
    spaced(doc)
    loop_table(
        doc,
        ["Lp.", "Imię i nazwisko", "Data", "Podpis"],
        "o in dane.osoby",
        ["{{ loop.index }}", "{{ o }}", "{{ dane.data|data_krotka }}", ""],
        [1.0, 7.0, 3.5, 5.5],
    )
    signatures(doc, "", "{{ asystent }}\n(podpis asystenta rodziny)")
    heading(doc, "Klauzula informacyjna (art. 13 RODO)")
    tag(doc, "{%p for akapit in klauzula %}")
    small(doc.add_paragraph().add_run("{{ akapit }}"))
    tag(doc, "{%p endfor %}")
    spaced(doc, "Otrzymanie klauzuli informacyjnej potwierdzam:")
    tag(doc, "{%p for o in dane.osoby %}")
    doc.add_paragraph("{{ o }}: ……………………………………………… (podpis)").paragraph_format.left_indent = Cm(0.5)
    tag(doc, "{%p endfor %}")
    return doc


def sprawozdanie_dla_sadu() -> Document:
    """A letter to the court: a report, an opinion, or information that the family does not
    cooperate; addressed to the court's division, with the case reference."""
    doc = new_document("{{ tytul }}", titled=False)
    addressee = doc.add_paragraph()
    addressee.paragraph_format.left_indent = Cm(9.5)
    addressee.paragraph_format.space_before = Pt(12)
    addressee.add_run("{{ dane.sad }}\n{{ dane.wydzial }}").bold = True
    reference = doc.add_paragraph()
    reference.add_run("Sygn. akt: ")
    reference.add_run("{{ dane.sygnatura }}").bold = True
    add_title(doc, "{{ tytul }}")
    about = doc.add_paragraph()
    about.add_run("Dotyczy: ").bold = True
    about.add_run(
        "rodziny {{ rodzina.nazwa_dopelniacz }}, zam. {{ rodzina.adres.ulica }}, "
        "{{ rodzina.adres.kod_pocztowy }} {{ rodzina.adres.miejscowosc }}"
    )
    tag(doc, "{%p if kody.rodzaj == 'sprawozdanie' %}")
    doc.add_paragraph(
        "Na podstawie art. 109 § 4 Kodeksu rodzinnego i opiekuńczego{% if dane.postanowienie %}, "
        "w związku z postanowieniem z dnia {{ dane.postanowienie.data }}{% endif %}, przedstawiam "
        "sprawozdanie z pracy asystenta rodziny z rodziną za okres od {{ dane.okres.od }} do "
        "{{ dane.okres.do }}"
    )
    tag(doc, "{%p elif kody.rodzaj == 'opinia' %}")
    doc.add_paragraph(
        "Na wniosek Sądu, na podstawie art. 15 ust. 1 pkt 17 ustawy z dnia 9 czerwca 2011 r. "
        "o wspieraniu rodziny i systemie pieczy zastępczej, przedstawiam opinię o rodzinie i jej "
        "członkach."
    )
    tag(doc, "{%p else %}")
    doc.add_paragraph(
        "Informuję, że rodzina nie współpracuje z asystentem rodziny{% if dane.postanowienie %}, "
        "do czego została zobowiązana postanowieniem z dnia {{ dane.postanowienie.data }}"
        "{% else %}.{% endif %}"
    )
    tag(doc, "{%p endif %}")
    text_section(doc, "I. Sytuacja rodziny", "dane.sytuacja_rodziny", optional=False)
    placed_children(doc)  # the court is told where each child lives, as every document of the day
    heading(doc, "II. Praca asystenta rodziny z rodziną")
    doc.add_paragraph(
        "Asystent rodziny: {{ asystent }}. {% if dane.wizyty %}W okresie od {{ dane.okres.od }} "
        "do {{ dane.okres.do }} asystent był w rodzinie "
        "{% if dane.wizyty == 1 %}jeden raz{% else %}{{ dane.wizyty }} razy{% endif %} (łącznie "
        "{{ dane.minuty|godziny }}), {% if dane.wizyty == 1 %}w dniu{% else %}w dniach{% endif %} "
        "{{ dane.wizyty_daty|lista }}{% else %}"
        "W okresie od {{ dane.okres.od }} do {{ dane.okres.do }} nie odnotowano wizyt asystenta "
        "w rodzinie.{% endif %}{% if dane.notatki %} Asystent podjął też inne działania na rzecz "
        "rodziny, zapisane w notatkach służbowych (łącznie {{ dane.minuty_notatek|godziny }}): "
        "{{ dane.notatki_rodzaje|lista }}.{% endif %}"
    )
    tag(doc, "{%p if dane.podjete_dzialania %}")
    doc.add_paragraph("{{ dane.podjete_dzialania }}")
    tag(doc, "{%p endif %}")
    text_section(
        doc, "III. Współpraca rodziny z asystentem", "dane.wspolpraca_rodziny", optional=False
    )
    text_section(doc, "IV. Wnioski", "dane.wnioski", optional=False)
    signatures(
        doc,
        "{{ asystent }}\n(podpis asystenta rodziny)",
        "{{ osrodek.kierownik }}\n(podpis i pieczęć kierownika ośrodka)",
    )
    spaced(
        doc,
        "Otrzymują: adresat{% if dane.postanowienie and dane.postanowienie.kurator %}, do "
        "wiadomości: kurator sądowy {{ dane.postanowienie.kurator }}{% endif %}, a/a.",
    )
    return doc


def ewidencja() -> Document:
    """`asystent ewidencja`: each assistant's month on its own page, to be signed."""
    doc = new_document(
        "Ewidencja czasu pracy asystenta rodziny", case=False, landscape=False, titled=False
    )
    tag(doc, "{%p for a in arkusze %}")
    title = doc.add_paragraph(style="Title")
    title.alignment = WD_ALIGN_PARAGRAPH.CENTER
    title.add_run("{{ tytul }}")
    period = doc.add_paragraph()
    period.alignment = WD_ALIGN_PARAGRAPH.CENTER
    period.add_run(
        "za miesiąc {{ miesiac }} ({{ okres.od|data_krotka }} – {{ okres.do|data_krotka }})"
    ).bold = True
    fields(
        doc,
        [
            ("Asystent rodziny", "{{ a.asystent }}"),
            (
                "Forma zatrudnienia",
                "{% if a.forma %}{{ a.forma }}{% else %}— (brak w rejestrze asystentów){% endif %}",
            ),
            (
                "Pracodawca / zleceniodawca",
                "{% if a.pracodawca %}{{ a.pracodawca }}{% else %}{{ osrodek.nazwa }}{% endif %}",
            ),
        ],
    )
    spaced(doc)
    tag(doc, "{%p if a.wpisy %}")
    loop_table(
        doc,
        ["Lp.", "Data", "Znak sprawy", "Rodzaj pracy", "Godziny", "Czas"],
        "w in a.wpisy",
        [
            "{{ loop.index }}",
            "{{ w.data|data_krotka }}",
            "{{ w.sprawa }}",
            "{{ w.rodzaj }}",
            "{% if w.godziny %}{{ w.godziny }}{% else %}—{% endif %}",
            "{{ w.minuty|godziny }}",
        ],
        [1.0, 2.6, 3.6, 4.8, 2.4, 2.6],
    )
    tag(doc, "{%p else %}")
    doc.add_paragraph("W tym miesiącu nie zapisano wizyt ani notatek.")
    tag(doc, "{%p endif %}")
    total = doc.add_paragraph()
    total.paragraph_format.space_before = Pt(6)
    total.add_run("Razem: {{ a.minuty|godziny }}").bold = True
    total.add_run(
        " (dni pracy: {{ a.dni }}; wizyty w rodzinach: {{ a.wizyty }}; inne działania, notatki "
        "służbowe: {{ a.notatki }})"
    )
    tag(doc, "{%p if a.zlecenie %}")
    mandate = doc.add_paragraph(
        "Ewidencja stanowi potwierdzenie liczby godzin wykonania umowy zlecenia (umowy o "
        "świadczenie usług) przez przyjmującego zlecenie, o którym mowa w art. 8b ust. 1 ustawy z "
        "dnia 10 października 2002 r. o minimalnym wynagrodzeniu za pracę."
    )
    mandate.paragraph_format.space_before = Pt(6)
    tag(doc, "{%p endif %}")
    signatures(
        doc,
        "{{ a.asystent }}\n(data i podpis asystenta rodziny)",
        "{{ osrodek.kierownik }}\n(data i podpis kierownika ośrodka)",
    )
    tag(doc, "{%p if not loop.last %}")
    doc.add_paragraph().add_run().add_break(WD_BREAK.PAGE)
    tag(doc, "{%p endif %}")
    tag(doc, "{%p endfor %}")
    return doc


def sprawozdanie_statutowe() -> Document:
    """`asystent report --statutowe`: the form's lines, one a row, for typing into CAS."""
    doc = new_document(
        "Sprawozdanie rzeczowo-finansowe – asystent rodziny", case=False, landscape=False
    )
    sub = doc.add_paragraph()
    sub.alignment = WD_ALIGN_PARAGRAPH.CENTER
    sub.add_run("{{ formularz }}").bold = True
    period = doc.add_paragraph()
    period.alignment = WD_ALIGN_PARAGRAPH.CENTER
    period.add_run("za okres od {{ okres.od }} do {{ okres.do }}")
    note = doc.add_paragraph("Wzór wierszy: {{ edycja }}")
    small(note.runs[0])
    loop_table(
        doc,
        ["Nr", "Wiersz formularza", "Wartość", "Skąd pochodzi liczba"],
        "w in wiersze",
        [
            "{{ w.nr }}",
            "{{ w.tekst }}",
            "{% if w.wartosc %}{{ w.wartosc }}{% else %}…………{% endif %}",
            "{{ w.zrodlo }}",
        ],
        [1.2, 8.0, 2.4, 5.4],
    )
    explanation = doc.add_paragraph(
        "Liczby obliczono z formularzy zapisanych w rejestrze spraw i z rejestru asystentów "
        "ośrodka. Wiersze bez wartości uzupełnia się z ewidencji ośrodka (np. księgowej)."
    )
    explanation.paragraph_format.space_before = Pt(8)
    small(explanation.runs[0])
    signatures(doc, "(sporządził)", "{{ osrodek.kierownik }}\n(zatwierdził kierownik ośrodka)")
    return doc


def sprawozdanie() -> Document:
    """The activity report for a period (`asystent report`); variables in docs/szablony.md."""
    doc = new_document("Sprawozdanie z pracy asystenta rodziny", case=False)
    period = doc.add_paragraph()
    period.alignment = WD_ALIGN_PARAGRAPH.CENTER
    period.add_run("za okres od {{ okres.od }} do {{ okres.do }}").bold = True
    who = doc.add_paragraph()
    who.alignment = WD_ALIGN_PARAGRAPH.CENTER
    who.add_run(
        "{% if asystent %}Asystent rodziny: {{ asystent }}"
        "{% else %}Wszyscy asystenci rodziny ośrodka{% endif %}"
    )
    heading(doc, "I. Terminy wymagające uwagi (stan na dzień {{ na_dzien }})")
    tag(doc, "{%p if alerty %}")
    loop_table(
        doc,
        ["Lp.", "Stan", "Znak sprawy", "Asystent", "Termin", "Opis"],
        "a in alerty",
        [
            "{{ loop.index }}",
            "{{ a.poziom }}",
            "{% if a.sprawa %}{{ a.sprawa }}{% else %}—{% endif %}",
            "{{ a.asystent }}",
            "{{ a.termin|data_krotka }}",
            "{{ a.opis }}",
        ],
        [1.2, 2.4, 4.0, 4.0, 2.8, 11.3],
    )
    tag(doc, "{%p else %}")
    doc.add_paragraph("Brak przekroczonych i zbliżających się terminów.")
    tag(doc, "{%p endif %}")
    heading(doc, "II. Zestawienie ogólne")
    fields(
        doc,
        [
            ("Rodziny wspierane w okresie", "{{ razem.rodziny }}"),
            ("w tym rodziny nowe", "{{ razem.nowe }}"),
            ("Rodziny, z którymi zakończono pracę", "{{ razem.zakonczone }}"),
            (
                "Rodziny zobowiązane przez sąd do pracy z asystentem",
                "{{ razem.z_postanowienia_sadu }}",
            ),
            (
                "Rodziny z dziećmi w pieczy zastępczej",
                "{{ razem.z_dziecmi_w_pieczy }}; powroty dzieci do rodzin: {{ razem.powroty }}",
            ),
            ("Interwencje (zagrożenie bezpieczeństwa dziecka)", "{{ razem.interwencje }}"),
            ("Dzieci w rodzinach wspieranych", "{{ razem.dzieci }}"),
            (
                "Wizyty (wejścia do rodzin)",
                "{{ razem.wizyty }}, w tym monitorujących: {{ razem.wizyty_monitorujace }}",
            ),
            ("Czas pracy bezpośredniej z rodzinami (wizyty)", "{{ razem.minuty|godziny }}"),
            (
                "Notatki: praca poza wizytami",
                "{{ razem.notatki }}, w tym kontaktów monitorujących: "
                "{{ razem.notatki_monitorujace }}; czas: {{ razem.minuty_notatek|godziny }}",
            ),
            ("Czas pracy z rodzinami razem", "{{ razem.minuty_razem|godziny }}"),
            ("Rodziny monitorowane po zakończeniu pracy", "{{ razem.monitorowane }}"),
            ("Plany pracy z rodziną w mocy", "{{ razem.plany }}"),
            ("Kontrakty w mocy", "{{ razem.kontrakty }}"),
            ("Okresowe oceny sytuacji rodziny", "{{ razem.oceny }}"),
            ("Najwięcej rodzin jednocześnie", "{{ razem.najwiecej_rodzin }}"),
            ("Dni pracy z rodzinami", "{{ razem.dni_pracy }}"),
            ("Wnioski pracowników socjalnych o asystenta", "{{ razem.wnioski }}"),
            (
                "Zgody rodzin na współpracę / rezygnacje",
                "{{ razem.zgody }} / {{ razem.rezygnacje }}",
            ),
            (
                "Sprawozdania dla sądów (art. 109 § 4 KRO)",
                "{{ razem.sprawozdania_sadowe }}, w tym po terminie: "
                "{{ razem.sprawozdania_po_terminie }}; zaległe: {{ razem.sprawozdania_zalegle }}",
            ),
        ],
        widths_cm=(10, 8),
    )
    spaced(doc, "Rodziny według podstawy objęcia wsparciem:")
    loop_table(
        doc,
        ["Podstawa", "Liczba rodzin"],
        "p in razem.podstawy",
        ["{{ p.nazwa }}", "{{ p.liczba }}"],
        [12, 6],
    )
    heading(doc, "III. Praca poszczególnych asystentów")
    loop_table(
        doc,
        [
            "Asystent",
            "Rodziny",
            "Nowe",
            "Zakończone",
            "Dzieci",
            "Wizyty",
            "Notatki",
            "Czas pracy",
            "Monitorowane",
            "Najwięcej naraz",
        ],
        "s in asystenci",
        [
            "{{ s.asystent }}",
            "{{ s.rodziny }}",
            "{{ s.nowe }}",
            "{{ s.zakonczone }}",
            "{{ s.dzieci }}",
            "{{ s.wizyty }}",
            "{{ s.notatki }}",
            "{{ s.minuty_razem|godziny }}",
            "{{ s.monitorowane }}",
            "{{ s.najwiecej_rodzin }}",
        ],
        [4.6, 2.0, 1.8, 2.8, 1.8, 1.8, 1.9, 3.4, 2.8, 2.8],
    )
    heading(doc, "IV. Przyczyny zakończenia pracy z rodziną")
    loop_table(
        doc,
        ["Przyczyna", "Liczba rodzin"],
        "p in razem.przyczyny",
        ["{{ p.nazwa }}", "{{ p.liczba }}"],
        [12, 6],
    )
    heading(doc, "V. Obszary wsparcia, nad którymi pracowano (liczba wizyt i notatek)")
    loop_table(
        doc,
        ["Obszar", "Liczba wizyt i notatek"],
        "o in razem.obszary",
        ["{{ o.nazwa }}", "{{ o.liczba }}"],
        [12, 6],
    )
    heading(doc, "VI. Wykaz rodzin wspieranych w okresie")
    tag(doc, "{%p if rodziny %}")
    loop_table(
        doc,
        [
            "Lp.",
            "Znak sprawy",
            "Asystent",
            "Miejscowość",
            "Przydzielono",
            "Zakończono",
            "Dzieci",
            "Wizyty",
            "Czas pracy",
        ],
        "r in rodziny",
        [
            "{{ loop.index }}",
            "{{ r.sprawa }}",
            "{{ r.asystent }}",
            "{{ r.miejscowosc }}",
            "{{ r.przydzielono|data_krotka }}",
            "{% if r.zakonczono %}{{ r.zakonczono|data_krotka }} ({{ r.przyczyna }}){% else %}—{% endif %}",
            "{{ r.dzieci }}",
            "{{ r.wizyty }}",
            "{{ r.minuty|godziny }}",
        ],
        [1.0, 4.6, 3.6, 3.0, 2.6, 4.6, 1.5, 1.6, 3.2],
    )
    tag(doc, "{%p else %}")
    doc.add_paragraph("W tym okresie asystenci nie pracowali z żadną rodziną.")
    tag(doc, "{%p endif %}")
    tag(doc, "{%p if dotacja %}")
    heading(doc, "VII. Finansowanie z programu „Asystent rodziny”")
    doc.add_paragraph("{{ dotacja.opis }}")
    tag(doc, "{%p endif %}")
    note = doc.add_paragraph(
        "Liczby obliczono z formularzy zapisanych w rejestrze spraw. Rodzina wspierana to rodzina, "
        "z którą asystent pracował w dowolnym dniu okresu; czas pracy bezpośredniej to suma godzin "
        "z protokołów wizyt, praca poza wizytami – z notatek służbowych; plan lub kontrakt w mocy "
        "obowiązywał w dowolnym dniu okresu."
    )
    note.paragraph_format.space_before = Pt(8)
    small(note.runs[0])
    signatures(doc, "(sporządził)", "(zatwierdził kierownik ośrodka)")
    return doc


TEMPLATES = {
    "notatka": notatka,
    "interwencja": interwencja,
    "metryczka_rodziny": metryczka_rodziny,
    "plan_pracy": plan_pracy,
    "protokol_wizyty": protokol_wizyty,
    "kontrakt": kontrakt,
    "ocena_okresowa": ocena_okresowa,
    "zakonczenie_pracy": zakonczenie_pracy,
    "przydzielenie_asystenta": przydzielenie_asystenta,
    "wniosek_o_asystenta": wniosek_o_asystenta,
    "zgoda_rodziny": zgoda_rodziny,
    "sprawozdanie_dla_sadu": sprawozdanie_dla_sadu,
    "sprawozdanie": sprawozdanie,
    "ewidencja": ewidencja,
    "sprawozdanie_statutowe": sprawozdanie_statutowe,
}


def main() -> None:
    OUT.mkdir(exist_ok=True)
    for name, build in TEMPLATES.items():
        buffer = io.BytesIO()
        build().save(buffer)
        if write_if_changed(OUT / f"{name}.docx", buffer.getvalue()):
            print(OUT / f"{name}.docx")


if __name__ == "__main__":
    main()
