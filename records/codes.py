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
    "przemoc_domowa": "przemoc domowa",  # art. 7 pkt 7 since 2023 (the Act on domestic violence)
    "przemoc_w_rodzinie": "przemoc w rodzinie",  # the wording before 2023: stored records keep it
    "handel_ludzmi": "potrzeba ochrony ofiar handlu ludźmi",
    "ochrona_macierzynstwa": "potrzeba ochrony macierzyństwa",
    "wielodzietnosc": "wielodzietność",
    "bezradnosc_opiekunczo_wychowawcza": (
        "bezradność w sprawach opiekuńczo-wychowawczych i prowadzenia gospodarstwa domowego"
    ),
    "trudnosci_po_opuszczeniu_placowki": (  # art. 7 pkt 10, repealed: stored records keep it
        "trudności w przystosowaniu do życia po opuszczeniu placówki opiekuńczo-wychowawczej"
    ),
    "integracja_cudzoziemcow": "trudności w integracji cudzoziemców",
    "trudnosci_po_zwolnieniu_z_zakladu_karnego": "trudności po zwolnieniu z zakładu karnego",
    "alkoholizm": "alkoholizm",
    "narkomania": "narkomania",
    "zdarzenie_losowe": "zdarzenie losowe i sytuacja kryzysowa",
    "kleska_zywiolowa": "klęska żywiołowa lub ekologiczna",
}

# The institutions a centre works with for a family.
RODZAJ_INSTYTUCJI = {
    "szkola": "szkoła",
    "przedszkole": "przedszkole",
    "poradnia_psychologiczno_pedagogiczna": "poradnia psychologiczno-pedagogiczna",
    "placowka_wsparcia_dziennego": "placówka wsparcia dziennego",
    "policja": "policja",
    "sad": "sąd",
    "kurator": "kurator sądowy",
    "sluzba_zdrowia": "służba zdrowia",
    "powiatowy_urzad_pracy": "powiatowy urząd pracy",
    "gkrpa": "gminna komisja rozwiązywania problemów alkoholowych",
    "zespol_interdyscyplinarny": "zespół interdyscyplinarny",
    "osrodek_interwencji_kryzysowej": "ośrodek interwencji kryzysowej",
    "pcpr": "PCPR",  # the wording stored documents print: kept
    "koordynator_pieczy": "koordynator rodzinnej pieczy zastępczej",
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
    "bezpieczenstwo_dziecka": "bezpieczeństwo dziecka",
    "przemoc_domowa": "przemoc domowa",
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

# A child placed in foster care or back home (`umieszczenie_dziecka`; art. 39 and 93 of the Act).
RODZAJ_UMIESZCZENIA = {
    "umieszczenie": "umieszczenie dziecka w pieczy zastępczej",
    "powrot": "powrót dziecka do rodziny",
}

FORMA_PIECZY = {
    "rodzina_zastepcza_spokrewniona": "rodzina zastępcza spokrewniona",
    "rodzina_zastepcza_niezawodowa": "rodzina zastępcza niezawodowa",
    "rodzina_zastepcza_zawodowa": "rodzina zastępcza zawodowa",
    "rodzinny_dom_dziecka": "rodzinny dom dziecka",
    "placowka_opiekuncza_wychowawcza": "placówka opiekuńczo-wychowawcza",
    "inna": "inna forma pieczy zastępczej",
}

# Who was told of an intervention (`interwencja`, art. 15 ust. 1 pkt 12 of the Act).
POWIADOMIONO = {
    "policja": "policja",
    "sad": "sąd rodzinny",
    "kurator": "kurator sądowy",
    "pracownik_socjalny": "pracownik socjalny",
    "zespol_interdyscyplinarny": "zespół interdyscyplinarny",
    "szkola": "szkoła",
    "sluzba_zdrowia": "służba zdrowia",
    "inna": "inna instytucja lub osoba",
}

# The "Niebieska Karta" procedure (Act of 29 July 2005 on counteracting domestic violence, art. 9d;
# Regulation of the Council of Ministers of 6 September 2023): who started it, and its state.
WSZCZYNAJACY = {
    "policja": "Policja",
    "pomoc_spoleczna": "jednostka organizacyjna pomocy społecznej",
    "oswiata": "oświata",
    "ochrona_zdrowia": "ochrona zdrowia",
    "gkrpa": "gminna komisja rozwiązywania problemów alkoholowych",
}

STATUS_NIEBIESKIEJ_KARTY = {
    "w_toku": "procedura w toku",
    "zakonczona": "procedura zakończona",
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
    "rodzaj_umieszczenia": RODZAJ_UMIESZCZENIA,
    "forma_pieczy": FORMA_PIECZY,
    "powiadomiono": POWIADOMIONO,
    "wszczynajacy": WSZCZYNAJACY,
    "status_niebieskiej_karty": STATUS_NIEBIESKIEJ_KARTY,
}

# Codes a new form may no longer use; stored records keep them and documents print their
# wording ("Codes keep their keys once stored").
RETIRED: dict[str, frozenset[str]] = {
    "problemy": frozenset({"trudnosci_po_opuszczeniu_placowki"}),
    # A child's placement does not end the work (art. 10 ust. 4): the case stays open.
    "przyczyna": frozenset({"umieszczenie_dziecka_w_pieczy"}),
}

# Why a code was retired, told to whoever still uses it.
RETIRED_WHY: dict[str, str] = {
    "trudnosci_po_opuszczeniu_placowki": (
        "ten powód (art. 7 pkt 10 ustawy o pomocy społecznej) uchylono"
    ),
    "umieszczenie_dziecka_w_pieczy": (
        "umieszczenie dziecka w pieczy zastępczej nie kończy pracy z rodziną (art. 10 ust. 4 "
        "ustawy o wspieraniu rodziny): zapisz je formularzem umieszczenie_dziecka"
    ),
}

# Old codes a new form may still give, stored as the current one (what the law calls it now).
ALIASES: dict[str, dict[str, str]] = {
    "problemy": {"przemoc_w_rodzinie": "przemoc_domowa"},
}


def offered(vocabulary: str) -> dict[str, str]:
    """The codes a new form may choose from (the vocabulary without retired or old codes)."""
    left_out = RETIRED.get(vocabulary, frozenset()) | set(ALIASES.get(vocabulary, {}))
    return {code: text for code, text in VOCABULARIES[vocabulary].items() if code not in left_out}
