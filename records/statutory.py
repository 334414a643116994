"""`asystent report --statutowe`: the lines of the half-year statutory report about assistants.

The gmina files the "sprawozdanie rzeczowo-finansowe z wykonywania zadań z zakresu wspierania
rodziny" by 31 July and 31 January (art. 176 pkt 6 of the Act). Its lines change between the
ministry's editions, so they are data: `templates_docx/sprawozdanie_statutowe.toml`, or the
office's own `szablony/sprawozdanie_statutowe.toml`. Each line names a measure computed here from
the records (families, closings by the form's reasons) and the register of assistants (who was
employed on the period's last day, how); docs/raporty.md defines every measure.
"""

from __future__ import annotations

import datetime as dt
import io
import tomllib
from collections import Counter
from dataclasses import dataclass, replace
from decimal import Decimal
from pathlib import Path
from typing import Any

import msgspec
from babel.numbers import format_decimal
from defusedcsv import csv

from records.codes import PRZYCZYNA_ZAKONCZENIA
from records.errors import UsageError
from records.facts import CaseFacts
from records.fsutil import atomic_write
from records.reports import build_report
from records.resources import data_dir
from records.settings import Workspace
from records.staff import MANDATE, Register

LINES_FILE = "sprawozdanie_statutowe.toml"
SHIPPED = data_dir("templates_docx") / LINES_FILE
TEMPLATE = "sprawozdanie_statutowe"
TITLE = "Sprawozdanie rzeczowo-finansowe – asystent rodziny"

# The form's reasons for the end of work; [przyczyny] maps the program's reasons onto them.
FORM_REASONS = ("osiagniecie_celow", "rezygnacja", "brak_efektow", "inne")

# Every measure a line may name, with where its figure comes from (printed beside it).
MEASURES = {
    "asystenci": "rejestr asystentów: umowy obejmujące ostatni dzień okresu",
    "asystenci:umowa_o_prace": "rejestr asystentów: umowy o pracę",
    "asystenci:umowa_zlecenie": "rejestr asystentów: umowy zlecenia",
    "asystenci:osrodek": "rejestr asystentów: pracodawcą jest ośrodek",
    "asystenci:podmiot_zlecony": "rejestr asystentów: pracodawcą jest podmiot zlecony (art. 190)",
    "etaty": "rejestr asystentów: suma etatów umów o pracę",
    "rodziny": "sprawy, w których asystent pracował w dowolnym dniu okresu",
    "rodziny:postanowienie_sadu": "metryczka: podstawa objęcia postanowienie sądu (ostatni dzień pracy w okresie)",
    "rodziny:piecza_zastepcza": "umieszczenie dziecka w pieczy zastępczej w dowolnym dniu okresu",
    "rodziny_nowe": "data przydzielenia asystenta w okresie",
    "dzieci": "dzieci (poniżej 18 lat) w metryczce w ostatnim dniu pracy w okresie",
    "rodziny_zakonczone": "sprawozdania z zakończenia pracy z datą w okresie",
    **{
        f"zakonczone:{reason}": "sprawozdania z zakończenia pracy z datą w okresie, według przyczyny"
        for reason in FORM_REASONS
    },
    "rodziny_monitorowane": "okres monitorowania po zakończeniu pracy przypada na okres",
}


@dataclass(frozen=True)
class Line:
    nr: str
    tekst: str
    miara: str  # "" for a line the program does not compute


@dataclass(frozen=True)
class Lines:
    """One edition of the form's lines, as the data file gives them."""

    source: Path
    formularz: str
    edycja: str
    reasons: dict[str, str]  # program's closing reason -> the form's
    lines: tuple[Line, ...]


@dataclass(frozen=True)
class StatutoryReport:
    od: dt.date
    do: dt.date
    lines: Lines
    values: tuple[tuple[Line, str], ...]  # each line with its figure ("" when not computed)

    def context(self, ws: Workspace) -> dict[str, Any]:
        """What the `sprawozdanie_statutowe` template receives (docs/szablony.md)."""
        return {
            "osrodek": msgspec.structs.asdict(ws.settings.osrodek),
            "tytul": TITLE,
            "okres": {"od": self.od, "do": self.do},
            "formularz": self.lines.formularz,
            "edycja": self.lines.edycja,
            "wiersze": [
                {
                    "nr": line.nr,
                    "tekst": line.tekst,
                    "wartosc": value,
                    "zrodlo": source(line, value),
                }
                for line, value in self.values
            ],
        }


def source(line: Line, value: str) -> str:
    """Where a line's figure comes from, or what to do when the program has none."""
    if not line.miara:
        return "uzupełnij z ewidencji ośrodka"
    if not value:
        return "uzupełnij: brak rejestru asystentów ([[zatrudnienie]] w asystent.toml)"
    return MEASURES[line.miara]


def lines_file(ws: Workspace) -> Path:
    """The office's own lines when it has them, else the ones shipped with the program."""
    own = ws.root / "szablony" / LINES_FILE
    return own if own.is_file() else SHIPPED


def load_lines(path: Path) -> Lines:
    """The lines of `path`, each checked; a Polish message names the file and the line."""
    try:
        raw = tomllib.loads(path.read_text(encoding="utf-8-sig"))
    except (OSError, UnicodeDecodeError, tomllib.TOMLDecodeError) as err:
        raise UsageError(f"Plik {path} ma błędny format: {err}", code="bad_lines") from None
    reasons = raw.get("przyczyny", {})
    wrong = sorted(set(reasons) - set(PRZYCZYNA_ZAKONCZENIA))
    if wrong or not isinstance(reasons, dict):
        raise UsageError(
            f"Plik {path}, sekcja [przyczyny]: nieznane przyczyny zakończenia {', '.join(wrong)} "
            f"(są: {', '.join(PRZYCZYNA_ZAKONCZENIA)})",
            code="bad_lines",
        )
    bad_targets = sorted({v for v in reasons.values() if v not in FORM_REASONS})
    if bad_targets:
        raise UsageError(
            f"Plik {path}, sekcja [przyczyny]: przyczyny z formularza mogą być tylko: "
            f"{', '.join(FORM_REASONS)} (podano: {', '.join(map(str, bad_targets))})",
            code="bad_lines",
        )
    lines = []
    for number, item in enumerate(raw.get("wiersz", []), start=1):
        if not isinstance(item, dict) or not isinstance(item.get("tekst"), str):
            raise UsageError(
                f'Plik {path}: wiersz {number} nie ma tekstu (tekst = "...")', code="bad_lines"
            )
        measure = str(item.get("miara", ""))
        if measure and measure not in MEASURES:
            raise UsageError(
                f"Plik {path}: wiersz {number} ({item.get('nr', '')}) ma nieznaną miarę "
                f"„{measure}” (są: {', '.join(MEASURES)})",
                code="bad_lines",
            )
        lines.append(Line(str(item.get("nr", number)), item["tekst"], measure))
    if not lines:
        raise UsageError(f"Plik {path} nie zawiera żadnego wiersza [[wiersz]].", code="bad_lines")
    return Lines(
        path,
        str(raw.get("formularz", TITLE)),
        str(raw.get("edycja", "")),
        {str(k): str(v) for k, v in reasons.items()},
        tuple(lines),
    )


def measures(
    ws: Workspace, cases: list[CaseFacts], od: dt.date, do: dt.date, lines: Lines
) -> dict[str, int | Decimal]:
    """Every measure for the period (the same figures the activity report shows, and the
    register of assistants on the period's last day)."""
    total = build_report(ws, cases, od, do, today=dt.date.today()).total
    found: dict[str, int | Decimal] = {
        "rodziny": total.rodziny,
        "rodziny:postanowienie_sadu": total.z_postanowienia_sadu,
        "rodziny:piecza_zastepcza": sum(
            1 for c in cases if c.supported_in(od, do) and c.child_placed_between(od, do)
        ),
        "rodziny_nowe": total.nowe,
        "dzieci": total.dzieci,
        "rodziny_zakonczone": total.zakonczone,
        "rodziny_monitorowane": total.monitorowane,
    }
    by_form: Counter[str] = Counter()
    for reason, count in total.przyczyny.items():
        by_form[lines.reasons.get(reason, "inne")] += count
    found |= {f"zakonczone:{r}": by_form[r] for r in FORM_REASONS}
    register = Register.of(ws.settings)
    if not register:  # without a register nothing is known about employment: no zeros
        return found
    employed = register.employed_on(do)
    found |= {
        "asystenci": len(employed),
        "asystenci:umowa_o_prace": sum(c.forma != MANDATE for c in employed),
        "asystenci:umowa_zlecenie": sum(c.forma == MANDATE for c in employed),
        "asystenci:osrodek": sum(not c.pracodawca for c in employed),
        "asystenci:podmiot_zlecony": sum(bool(c.pracodawca) for c in employed),
        "etaty": sum((c.etat for c in employed if c.forma != MANDATE), Decimal(0)),
    }
    return found


def build_statutory(
    ws: Workspace, cases: list[CaseFacts], od: dt.date, do: dt.date
) -> StatutoryReport:
    if od > do:
        raise UsageError("Początek okresu (--od) musi być nie późniejszy niż koniec (--do).")
    path = lines_file(ws)
    lines = load_lines(path)
    if path != SHIPPED:  # reasons the office's file does not map keep the shipped mapping
        lines = replace(lines, reasons=load_lines(SHIPPED).reasons | lines.reasons)
    figures = measures(ws, cases, od, do, lines)
    values = tuple(
        (line, _shown(figures[line.miara]) if line.miara in figures else "") for line in lines.lines
    )
    return StatutoryReport(od, do, lines, values)


def _shown(value: int | Decimal) -> str:
    if isinstance(value, Decimal):
        return format_decimal(value, format="0.##", locale="pl")
    return str(value)


def file_name(report: StatutoryReport, extension: str) -> str:
    return f"sprawozdanie_statutowe_{report.od.isoformat()}_{report.do.isoformat()}.{extension}"


def write_docx(ws: Workspace, report: StatutoryReport) -> tuple[Path, bool]:
    from records.templates import write_report  # the worker loads only for a .docx

    return write_report(ws, TEMPLATE, report.context(ws), ws.reports / file_name(report, "docx"))


def csv_bytes(report: StatutoryReport) -> bytes:
    """Line by line, for typing into the reporting system: number, text, figure, source;
    UTF-8 with a BOM, `;`, CRLF, as Polish Excel opens it."""
    buffer = io.StringIO()
    writer = csv.writer(buffer, delimiter=";", lineterminator="\r\n")
    writer.writerow(["Nr", "Wiersz", "Wartość", "Skąd"])
    for line, value in report.values:
        writer.writerow([line.nr, line.tekst, value, source(line, value)])
    return buffer.getvalue().encode("utf-8-sig")


def write_csv(ws: Workspace, report: StatutoryReport) -> tuple[Path, bool]:
    path = ws.reports / file_name(report, "csv")
    data = csv_bytes(report)
    if path.is_file() and path.read_bytes() == data:
        return path, False
    atomic_write(path, data)
    return path, True
