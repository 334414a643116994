"""The GDPR information clause (art. 13 of Regulation (EU) 2016/679) printed in the family's
consent to work with the assistant, from `asystent.toml` `[rodo]`.

The default names the centre as the controller and gives the usual points of Polish centres'
clauses: the legal bases are the statutory task (art. 6 ust. 1 lit. c and e, art. 9 ust. 2 lit. b
and g RODO with the Act on family support), not consent; retention follows the archival rules.
"""

from __future__ import annotations

from records.settings import Settings


def clause(settings: Settings) -> list[str]:
    """The clause's paragraphs, the office's own text if it gave one."""
    rodo = settings.rodo
    if rodo.tresc:
        return list(rodo.tresc)
    office = settings.osrodek
    controller = rodo.administrator or f"{office.nazwa}, {office.adres}"
    officer = (
        f"Kontakt z inspektorem ochrony danych: {rodo.inspektor}."
        if rodo.inspektor
        else "Kontakt z inspektorem ochrony danych: pod adresem ośrodka."
    )
    return [
        f"1. Administratorem danych osobowych członków rodziny jest {controller}, reprezentowany "
        "przez kierownika ośrodka.",
        f"2. {officer}",
        "3. Dane są przetwarzane w celu wspierania rodziny i pracy asystenta rodziny z rodziną, "
        "na podstawie art. 6 ust. 1 lit. c i e oraz art. 9 ust. 2 lit. b i g RODO w związku "
        "z ustawą z dnia 9 czerwca 2011 r. o wspieraniu rodziny i systemie pieczy zastępczej "
        "(art. 7, 8, 11 i 15) oraz ustawą z dnia 12 marca 2004 r. o pomocy społecznej.",
        "4. Dane mogą być przekazane wyłącznie podmiotom uprawnionym na podstawie przepisów prawa "
        "(m.in. sądowi, kuratorowi, zespołowi interdyscyplinarnemu, instytucjom współpracującym "
        "w zakresie wsparcia rodziny).",
        "5. Dane będą przechowywane przez okres wynikający z przepisów o archiwizacji i "
        "jednolitego rzeczowego wykazu akt ośrodka.",
        "6. Przysługuje Państwu prawo dostępu do danych, ich sprostowania, ograniczenia "
        "przetwarzania, wniesienia sprzeciwu oraz skargi do Prezesa Urzędu Ochrony Danych "
        "Osobowych (ul. Stawki 2, 00-193 Warszawa).",
        "7. Podanie danych jest niezbędne do prowadzenia pracy z rodziną; dane nie są "
        "przetwarzane w sposób zautomatyzowany ani profilowane.",
    ]
