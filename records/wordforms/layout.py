"""What each fillable Word form holds, in the order the form shows it, with its Polish labels.

One description serves both directions: `build` makes the blank form from it and `read` reads a
filled one with it, so the two cannot disagree. A test checks that every key of every model is
here and nothing else, so the forms cannot drift from the models either.

Kinds of value: text (one line), long (several lines), date (a date picker), time (GG:MM),
code (a drop-down of a vocabulary in `records/codes.py`), flag (one check box), codes (one check
box per code of a vocabulary).
"""

from __future__ import annotations

from dataclasses import dataclass, field

WORD_FORM_VERSION = "1"


@dataclass(frozen=True)
class Field:
    key: str  # dotted path (`adres.ulica`); a column's key within its row; "" for a list of texts
    label: str
    kind: str = "text"
    vocabulary: str = ""  # for code and codes: the key of records.codes.FIELD_VOCABULARY
    required: bool = False
    hint: str = ""


@dataclass(frozen=True)
class Table:
    """A list of items: one row per item, the user adds rows in Word."""

    key: str  # the list's key (`czlonkowie`); for actions: `cele.dzialania`
    title: str
    columns: tuple[Field, ...]
    rows: int = 3
    required: bool = False  # at least one row
    hint: str = ""
    parent_column: str = ""  # actions: the column naming their goal's number

    def column(self, key: str) -> Field | None:
        return next((c for c in self.columns if c.key == key), None)


@dataclass(frozen=True)
class Section:
    title: str
    items: tuple[Field | Table, ...] = field(default_factory=tuple)


@dataclass(frozen=True)
class Layout:
    kind: str
    title: str
    intro: str
    sections: tuple[Section, ...]

    def fields(self) -> list[Field]:
        return [i for s in self.sections for i in s.items if isinstance(i, Field)]

    def tables(self) -> list[Table]:
        return [i for s in self.sections for i in s.items if isinstance(i, Table)]


def F(  # noqa: N802 - short, as the layouts below read like a table
    key: str,
    label: str,
    kind: str = "text",
    *,
    vocabulary: str = "",
    required: bool = False,
    hint: str = "",
) -> Field:
    return Field(key, label, kind, vocabulary, required, hint)


CASE = F("sprawa", "Znak sprawy", required=True, hint="np. GOPS.AR.4011.3.2026")
SUBSTITUTE = F(
    "asystent",
    "Asystent rodziny",
    hint="wypełnij tylko, gdy to inny asystent niż w metryczce (zastępstwo)",
)

METRYCZKA = Layout(
    "metryczka_rodziny",
    "Metryczka rodziny",
    "Pierwszy formularz sprawy. Kolejna metryczka z tym samym znakiem sprawy aktualizuje dane.",
    (
        Section(
            "I. Dane sprawy",
            (
                CASE,
                F("asystent", "Asystent rodziny", required=True),
                F("pracownik_socjalny", "Pracownik socjalny", required=True),
                F("data_przydzielenia", "Data przydzielenia asystenta", "date", required=True),
                F(
                    "podstawa_objecia",
                    "Podstawa objęcia wsparciem",
                    "code",
                    vocabulary="podstawa_objecia",
                ),
                F(
                    "sygnatura_postanowienia",
                    "Sygnatura postanowienia sądu",
                    hint="tylko przy postanowieniu sądu",
                ),
                F("adres.ulica", "Ulica i numer", required=True),
                F("adres.kod_pocztowy", "Kod pocztowy", required=True, hint="NN-NNN"),
                F("adres.miejscowosc", "Miejscowość", required=True),
                F("adres.gmina", "Gmina"),
                F("telefon", "Telefon"),
            ),
        ),
        Section(
            "II. Członkowie rodziny",
            (
                Table(
                    "czlonkowie",
                    "Członkowie rodziny",
                    (
                        F("imie", "Imię", required=True),
                        F("nazwisko", "Nazwisko", required=True),
                        F("data_urodzenia", "Data urodzenia", "date", required=True),
                        F("pesel", "PESEL"),
                        F("dokument_tozsamosci", "Dokument tożsamości", hint="gdy brak PESEL"),
                        F("rola", "Rola w rodzinie", "code", vocabulary="rola", required=True),
                        F("szkola_lub_praca", "Szkoła / praca"),
                        F("uwagi", "Uwagi", "long"),
                    ),
                    rows=6,
                    required=True,
                ),
            ),
        ),
        Section(
            "III. Problemy rodziny (art. 7 ustawy o pomocy społecznej)",
            (F("problemy", "Problemy rodziny", "codes", vocabulary="problemy"),),
        ),
        Section(
            "IV. Instytucje współpracujące z rodziną",
            (
                Table(
                    "instytucje",
                    "Instytucje współpracujące",
                    (
                        F("nazwa", "Nazwa", required=True),
                        F("rodzaj", "Rodzaj", "code", vocabulary="rodzaj", required=True),
                        F("kontakt", "Kontakt"),
                        F("osoba_kontaktowa", "Osoba kontaktowa"),
                    ),
                    rows=3,
                ),
            ),
        ),
        Section(
            "V. Sytuacja rodziny",
            (
                F("sytuacja_mieszkaniowa", "Sytuacja mieszkaniowa", "long"),
                F("zasoby_rodziny", "Zasoby i mocne strony rodziny", "long"),
                F("uwagi", "Uwagi", "long"),
            ),
        ),
    ),
)

PLAN = Layout(
    "plan_pracy",
    "Plan pracy z rodziną",
    "Cele ponumeruj w pierwszej kolumnie; w tabeli działań wpisz numer celu, którego dotyczą.",
    (
        Section(
            "I. Informacje o planie",
            (
                CASE,
                SUBSTITUTE,
                F("data_sporzadzenia", "Data sporządzenia", "date", required=True),
                F("okres_od", "Okres realizacji od", "date", required=True),
                F("okres_do", "Okres realizacji do", "date", required=True),
                F(
                    "data_konsultacji_z_pracownikiem_socjalnym",
                    "Data konsultacji z pracownikiem socjalnym",
                    "date",
                ),
            ),
        ),
        Section(
            "II. Diagnoza i zasoby",
            (
                F("diagnoza", "Diagnoza potrzeb i problemów", "long"),
                F("zasoby_rodziny", "Zasoby rodziny", "long"),
            ),
        ),
        Section(
            "III. Cele (art. 15 ust. 3 ustawy)",
            (
                Table(
                    "cele",
                    "Cele",
                    (
                        F("nr", "Nr celu", required=True),
                        F("cel", "Cel", "long", required=True),
                        F("obszar", "Obszar", "code", vocabulary="obszar"),
                        F("oczekiwany_rezultat", "Oczekiwany rezultat", "long", required=True),
                    ),
                    rows=3,
                    required=True,
                ),
                Table(
                    "cele.dzialania",
                    "Działania",
                    (
                        F("nr_celu", "Nr celu", required=True),
                        F("opis", "Działanie", "long", required=True),
                        F("odpowiedzialny", "Odpowiedzialny", required=True),
                        F("termin", "Termin", "date", required=True),
                    ),
                    rows=6,
                    required=True,
                    parent_column="nr_celu",
                ),
            ),
        ),
        Section("IV. Uwagi", (F("uwagi", "Uwagi", "long"),)),
    ),
)

WIZYTA = Layout(
    "protokol_wizyty",
    "Protokół z wejścia do rodziny",
    "Jeden formularz = jedna wizyta. Poprawka: wyślij formularz z tą samą datą i godziną "
    "rozpoczęcia.",
    (
        Section(
            "I. Wizyta",
            (
                CASE,
                SUBSTITUTE,
                F("data", "Data wizyty", "date", required=True),
                F("godzina_od", "Godzina rozpoczęcia", "time", required=True, hint="GG:MM"),
                F("godzina_do", "Godzina zakończenia", "time", required=True, hint="GG:MM"),
                F("miejsce", "Miejsce", hint="domyślnie miejsce zamieszkania rodziny"),
                F("monitoring", "Wizyta monitorująca po zakończeniu pracy z rodziną", "flag"),
                F("nastepna_wizyta", "Planowana następna wizyta", "date"),
            ),
        ),
        Section(
            "II. Obecni",
            (
                Table(
                    "obecni",
                    "Obecni",
                    (F("", "Imię i nazwisko (także asystenta)", required=True),),
                    rows=4,
                    required=True,
                ),
            ),
        ),
        Section(
            "III. Przebieg",
            (
                F("cel_wizyty", "Cel wizyty", "long", required=True),
                F("obszary_wsparcia", "Obszary wsparcia", "codes", vocabulary="obszary_wsparcia"),
                F(
                    "realizacja_poprzednich_ustalen",
                    "Realizacja ustaleń z poprzedniej wizyty",
                    "long",
                ),
                F("przebieg", "Przebieg wizyty", "long", required=True),
            ),
        ),
        Section(
            "IV. Ustalenia",
            (
                Table(
                    "ustalenia",
                    "Ustalenia",
                    (
                        F("zadanie", "Zadanie", "long", required=True),
                        F("termin", "Termin", "date", required=True),
                        F("odpowiedzialny", "Odpowiedzialny", required=True),
                    ),
                    rows=4,
                ),
            ),
        ),
        Section("V. Uwagi", (F("uwagi", "Uwagi i obserwacje", "long"),)),
    ),
)

KONTRAKT = Layout(
    "kontrakt",
    "Kontrakt",
    "Kontrakt zawierany przez asystenta rodziny z rodziną.",
    (
        Section(
            "I. Kontrakt",
            (
                CASE,
                SUBSTITUTE,
                F("data_zawarcia", "Data zawarcia", "date", required=True),
                F("okres_od", "Obowiązuje od", "date", required=True),
                F("okres_do", "Obowiązuje do", "date", required=True),
                F("cel", "Cel współpracy", "long", required=True),
                F("czestotliwosc_spotkan", "Częstotliwość spotkań"),
            ),
        ),
        Section(
            "II. Zobowiązania",
            (
                Table(
                    "zobowiazania_rodziny",
                    "Rodzina zobowiązuje się do",
                    (F("", "Zobowiązanie rodziny", "long", required=True),),
                    rows=5,
                    required=True,
                ),
                Table(
                    "zobowiazania_asystenta",
                    "Asystent zobowiązuje się do",
                    (F("", "Zobowiązanie asystenta", "long", required=True),),
                    rows=5,
                    required=True,
                ),
            ),
        ),
        Section(
            "III. Strony kontraktu",
            (
                Table(
                    "strony_kontraktu",
                    "Strony kontraktu",
                    (F("", "Członek rodziny (imię i nazwisko)", required=True),),
                    rows=3,
                    hint="puste: dorośli członkowie rodziny z metryczki",
                ),
                F("uwagi", "Uwagi", "long"),
            ),
        ),
    ),
)

OCENA = Layout(
    "ocena_okresowa",
    "Okresowa ocena sytuacji rodziny",
    "Ocena co najmniej raz na 6 miesięcy (art. 15 ust. 1 pkt 15 ustawy).",
    (
        Section(
            "I. Ocena",
            (
                CASE,
                SUBSTITUTE,
                F("data", "Data oceny", "date", required=True),
                F("okres_od", "Okres objęty oceną od", "date", required=True),
                F("okres_do", "Okres objęty oceną do", "date", required=True),
                F("rekomendacja", "Rekomendacja", "code", vocabulary="rekomendacja"),
            ),
        ),
        Section(
            "II. Realizacja celów planu pracy",
            (
                Table(
                    "realizacja_celow",
                    "Realizacja celów",
                    (
                        F("cel", "Cel", "long", required=True),
                        F(
                            "stopien",
                            "Stopień realizacji",
                            "code",
                            vocabulary="stopien",
                            required=True,
                        ),
                        F("komentarz", "Komentarz", "long"),
                    ),
                    rows=4,
                    required=True,
                ),
            ),
        ),
        Section(
            "III. Ocena sytuacji",
            (
                F("zmiany_w_rodzinie", "Zmiany w sytuacji rodziny", "long"),
                F("wspolpraca_rodziny", "Współpraca rodziny z asystentem", "long"),
                F("wnioski", "Wnioski", "long", required=True),
            ),
        ),
    ),
)

ZAKONCZENIE = Layout(
    "zakonczenie_pracy",
    "Sprawozdanie z zakończenia pracy z rodziną",
    "Zamyka sprawę; później można dodawać tylko protokoły wizyt monitorujących.",
    (
        Section(
            "I. Zakończenie",
            (
                CASE,
                SUBSTITUTE,
                F("data_zakonczenia", "Data zakończenia pracy", "date", required=True),
                F(
                    "przyczyna",
                    "Przyczyna zakończenia",
                    "code",
                    vocabulary="przyczyna",
                    required=True,
                ),
                F("przyczyna_opis", "Opis przyczyny", hint="wymagany przy przyczynie „inna”"),
                F("monitoring_do", "Monitorowanie rodziny do", "date"),
            ),
        ),
        Section(
            "II. Podsumowanie",
            (
                F("podsumowanie", "Podsumowanie pracy z rodziną", "long", required=True),
                F("cele_osiagniete", "Cele osiągnięte", "long"),
                F("cele_nieosiagniete", "Cele nieosiągnięte", "long"),
                F("rekomendacje", "Rekomendacje", "long"),
            ),
        ),
    ),
)

LAYOUTS: dict[str, Layout] = {
    layout.kind: layout for layout in (METRYCZKA, PLAN, WIZYTA, KONTRAKT, OCENA, ZAKONCZENIE)
}
