"""The coded vocabularies of the forms, each code with the Polish wording documents print.

A form may use exactly these codes (SPEC "Codes"); a Word form may also give the Polish wording,
which is mapped back to its code. A code retired for new forms stays in its vocabulary (stored
records keep it and print its wording) and is listed in RETIRED.
"""

from __future__ import annotations

ROLA = {
    "matka": "matka",
    "ojciec": "ojciec",
    "opiekun_prawny": "opiekun prawny",
    "dziecko": "dziecko",
    "inna_osoba": "inna osoba",
}

# Art. 7 of the Act of 12 March 2004 on social assistance.
PROBLEMY = {
    "ubostwo": "ubóstwo",
    "sieroctwo": "sieroctwo",
    "bezdomnosc": "bezdomność",
    "bezrobocie": "bezrobocie",
    "niepelnosprawnosc": "niepełnosprawność",
    "dlugotrwala_choroba": "długotrwała lub ciężka choroba",
    "przemoc_w_rodzinie": "przemoc w rodzinie",
    "handel_ludzmi": "potrzeba ochrony ofiar handlu ludźmi",
    "ochrona_macierzynstwa": "potrzeba ochrony macierzyństwa",
    "wielodzietnosc": "wielodzietność",
    "bezradnosc_opiekunczo_wychowawcza": (
        "bezradność w sprawach opiekuńczo-wychowawczych i prowadzenia gospodarstwa domowego"
    ),
    "trudnosci_po_opuszczeniu_placowki": (
        "trudności w przystosowaniu do życia po opuszczeniu placówki opiekuńczo-wychowawczej"
    ),
    "integracja_cudzoziemcow": "trudności w integracji cudzoziemców",
    "trudnosci_po_zwolnieniu_z_zakladu_karnego": "trudności po zwolnieniu z zakładu karnego",
    "alkoholizm": "alkoholizm",
    "narkomania": "narkomania",
    "zdarzenie_losowe": "zdarzenie losowe i sytuacja kryzysowa",
    "kleska_zywiolowa": "klęska żywiołowa lub ekologiczna",
}

RODZAJ_INSTYTUCJI = {
    "szkola": "szkoła",
    "przedszkole": "przedszkole",
    "policja": "policja",
    "sad": "sąd",
    "kurator": "kurator sądowy",
    "sluzba_zdrowia": "służba zdrowia",
    "pcpr": "PCPR",
    "organizacja_pozarzadowa": "organizacja pozarządowa",
    "inna": "inna",
}

STOPIEN_REALIZACJI = {
    "zrealizowany": "zrealizowany",
    "czesciowo": "zrealizowany częściowo",
    "niezrealizowany": "niezrealizowany",
}

PRZYCZYNA_ZAKONCZENIA = {
    "osiagniecie_celow": "osiągnięcie celów",
    "brak_wspolpracy": "brak współpracy rodziny",
    "zmiana_miejsca_zamieszkania": "zmiana miejsca zamieszkania",
    "umieszczenie_dziecka_w_pieczy": "umieszczenie dziecka w pieczy zastępczej",
    "rezygnacja_rodziny": "rezygnacja rodziny ze współpracy",
    "inna": "inna przyczyna",
}

# How the case started (art. 11 ust. 3 and 1a of the Act, art. 109 of the Family Code, "Za życiem").
PODSTAWA_OBJECIA = {
    "wniosek_pracownika_socjalnego": "wniosek pracownika socjalnego (art. 11 ust. 3 ustawy)",
    "postanowienie_sadu": "postanowienie sądu (art. 109 § 2 pkt 1 Kodeksu rodzinnego i opiekuńczego)",
    "maloletni_rodzic": "małoletni rodzic opuszczający placówkę (art. 11 ust. 1a ustawy)",
    "za_zyciem": "wniosek rodziny – ustawa „Za życiem”",
}

# The support areas worked on during a visit or named in a plan (seeds: MOPS Ostróda, MOPR Poznań).
OBSZARY_WSPARCIA = {
    "gospodarstwo_domowe": "prowadzenie gospodarstwa domowego",
    "budzet": "budżet domowy",
    "zywienie": "żywienie",
    "zdrowie": "zdrowie i higiena",
    "rodzicielstwo": "kompetencje rodzicielskie",
    "szkola": "nauka szkolna dzieci",
    "czas_wolny": "czas wolny",
    "zatrudnienie": "zatrudnienie i kwalifikacje",
    "sprawy_urzedowe": "sprawy urzędowe",
    "normy_spoleczne": "normy społeczne",
}

REKOMENDACJA = {
    "kontynuacja": "kontynuacja pracy z rodziną według planu",
    "zmiana_planu": "kontynuacja pracy ze zmianą planu",
    "zakonczenie": "zakończenie pracy z rodziną",
}


# Who works with the family from when (`przydzielenie_asystenta`).
RODZAJ_PRZYDZIELENIA = {
    "przydzielenie": "przydzielenie asystenta rodziny",
    "zmiana": "zmiana asystenta rodziny",
    "zastepstwo": "zastępstwo asystenta rodziny",
    "zawieszenie": "zawieszenie pracy asystenta z rodziną",
    "wznowienie": "wznowienie pracy asystenta z rodziną",
}


# The family's consent to the work, or its withdrawal (`zgoda_rodziny`; art. 8 ust. 3 of the Act).
RODZAJ_ZGODY = {
    "zgoda": "zgoda na współpracę z asystentem rodziny",
    "rezygnacja": "rezygnacja ze współpracy z asystentem rodziny",
}

# What the centre writes to a family court (`sprawozdanie_dla_sadu`): a report at the terms the
# court set (art. 109 § 4 of the Family Code), an opinion on the court's request (art. 15 ust. 1
# pkt 17 of the Act), or information that the family does not cooperate.
RODZAJ_PISMA_DO_SADU = {
    "sprawozdanie": "sprawozdanie z pracy z rodziną",
    "opinia": "opinia o rodzinie",
    "brak_wspolpracy": "informacja o braku współpracy rodziny",
}

# Art. 16 ust. 1 pkt 1 of the Act: what the assistant may know of each member.
STAN_CYWILNY = {
    "stanu_wolnego": "stanu wolnego",
    "w_zwiazku_malzenskim": "w związku małżeńskim",
    "w_separacji": "w separacji",
    "rozwiedziony": "rozwiedziony / rozwiedziona",
    "wdowiec": "wdowiec / wdowa",
}

WYKSZTALCENIE = {
    "brak": "brak wykształcenia / niepełne podstawowe",
    "podstawowe": "podstawowe",
    "gimnazjalne": "gimnazjalne",
    "zasadnicze_zawodowe": "zasadnicze zawodowe / branżowe",
    "srednie": "średnie",
    "policealne": "policealne",
    "wyzsze": "wyższe",
    "w_trakcie_nauki": "w trakcie nauki",
}


# Whether a person signed an issued document (`podpisanie_dokumentu`).
PODPIS = {
    "podpisal": "podpisał(a)",
    "odmowa": "odmówił(a) podpisu",
}


# Each vocabulary by name (a field names its vocabulary with `Code("name")`): validation
# accepts its codes (or their wording), documents print its wording.
# What a note (`notatka`) records: work for the family other than a home visit (SPEC).
RODZAJ_NOTATKI = {
    "telefon": "rozmowa telefoniczna",
    "instytucja": "kontakt z instytucją",
    "towarzyszenie": "towarzyszenie członkowi rodziny",
    "zespol_interdyscyplinarny": "posiedzenie zespołu interdyscyplinarnego",
    "rozprawa": "udział w rozprawie sądowej",
    "szkola": "kontakt ze szkołą",
    "inna": "inna praca na rzecz rodziny",
}

VOCABULARIES: dict[str, dict[str, str]] = {
    "rola": ROLA,
    "problemy": PROBLEMY,
    "rodzaj_instytucji": RODZAJ_INSTYTUCJI,
    "stopien": STOPIEN_REALIZACJI,
    "przyczyna": PRZYCZYNA_ZAKONCZENIA,
    "podstawa_objecia": PODSTAWA_OBJECIA,
    "obszar": OBSZARY_WSPARCIA,
    "obszary_wsparcia": OBSZARY_WSPARCIA,
    "rekomendacja": REKOMENDACJA,
    "rodzaj_przydzielenia": RODZAJ_PRZYDZIELENIA,
    "rodzaj_zgody": RODZAJ_ZGODY,
    "rodzaj_pisma_do_sadu": RODZAJ_PISMA_DO_SADU,
    "stan_cywilny": STAN_CYWILNY,
    "wyksztalcenie": WYKSZTALCENIE,
    "podpis": PODPIS,
    "rodzaj_notatki": RODZAJ_NOTATKI,
}

# Codes a new form may no longer use; stored records keep them and documents print their
# wording ("Codes keep their keys once stored").
RETIRED: dict[str, frozenset[str]] = {}


def offered(vocabulary: str) -> dict[str, str]:
    """The codes a new form may choose from (the vocabulary without its retired codes)."""
    retired = RETIRED.get(vocabulary, frozenset())
    return {code: text for code, text in VOCABULARIES[vocabulary].items() if code not in retired}
