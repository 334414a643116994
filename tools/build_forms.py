"""Write the blank Word forms (`forms/KIND.docx`) and the sample filled Word form.

Both come from the layouts in `records/wordforms/layout.py`, which a test keeps equal to the
models; a test also rebuilds them in memory and fails when the committed files differ (run this
script after changing a model or a layout, and commit the result).

    python tools/build_forms.py
"""

from __future__ import annotations

from pathlib import Path

from records.models import FORMS
from records.render import write_if_changed
from records.wordforms.build import blank_form, fill_form

ROOT = Path(__file__).resolve().parent.parent

# A monitoring visit to the Nowak family, filled in Word the way an assistant would: dates and
# times as people type them. `asystent demo` ingests it with the YAML samples.
SAMPLE_NAME = "nowak_leszno/10_protokol_wizyty_2026-11-19_monitoring.docx"
SAMPLE = {
    "formularz": "protokol_wizyty",
    "sprawa": "MOPS.AR.4011.12.2026",
    "data": "2026-11-19",
    "godzina_od": "17.00",
    "godzina_do": "17:40",
    "monitoring": "tak",
    "obecni": ["Katarzyna Nowak", "Marta Nowak", "Anna Wiśniewska"],
    "cel_wizyty": "Monitorowanie sytuacji rodziny po zakończeniu pracy",
    "obszary_wsparcia": ["budzet", "szkola"],
    "przebieg": (
        "Matka pokazała rachunki z października i listopada: opłaty uregulowane.\n"
        "Marta ma lepsze oceny z matematyki; korzysta ze świetlicy szkolnej."
    ),
    "ustalenia": [
        {
            "zadanie": "Zgłosić się do ośrodka, gdyby pojawiły się zaległości",
            "termin": "2026-12-31",
            "odpowiedzialny": "Katarzyna Nowak",
        }
    ],
    "nastepna_wizyta": "2026-12-17",
}


def main() -> None:
    for kind in FORMS:
        path = ROOT / "forms" / f"{kind}.docx"
        if write_if_changed(path, blank_form(kind)):
            print(path)
    sample = ROOT / "sample_data" / SAMPLE_NAME
    if write_if_changed(sample, fill_form(blank_form("protokol_wizyty"), SAMPLE)):
        print(sample)


if __name__ == "__main__":
    main()
