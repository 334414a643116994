"""Office settings (`asystent.toml`) and the workspace folders, declared once.

`Workspace` is passed explicitly to every stage; nothing reads settings from globals.
"""

from __future__ import annotations

import datetime as dt
import os
import re
import tomllib
from dataclasses import dataclass
from decimal import Decimal
from pathlib import Path
from typing import Annotated, Any, Literal

import msgspec

from records.errors import UsageError
from records.fsutil import atomic_write, private_dir

CONFIG_NAME = "asystent.toml"
OFFICE_ID = r"\A([a-z][a-z0-9_]{0,62})?\Z"  # a PostgreSQL account name, as [magazyn] osrodek

DEFAULT_CONFIG = """\
# Ustawienia ośrodka dla programu asystent. Plik w formacie TOML: tekst w cudzysłowach.
# Nagłówek każdego dokumentu bierze się z sekcji [osrodek]: wpisz dane swojego ośrodka.

[osrodek]
nazwa = "Ośrodek Pomocy Społecznej (wpisz pełną nazwę)"
adres = "ul. Przykładowa 1, 00-000 Miejscowość"
miejscowosc = "Miejscowość"
kierownik = "Imię i Nazwisko kierownika"

# Lista asystentów rodziny ośrodka. Gdy jest niepusta, pole `asystent` w formularzach
# musi zawierać jedno z tych nazwisk (chroni przed literówkami).
# asystenci = ["Anna Wiśniewska", "Marek Nowicki"]
asystenci = []

[archiwum]
# Do paczek archiwalnych (asystent archive): symbol i hasło z jednolitego rzeczowego wykazu akt
# (JRWA) ośrodka oraz kategoria archiwalna (A, B10, BE5...). Nie ma jednego krajowego symbolu dla
# akt asystenta rodziny: wpisz te z wykazu akt swojego ośrodka.
symbol_jrwa = ""
haslo_jrwa = ""
kategoria = ""

[rodo]
# Klauzula informacyjna (art. 13 RODO) drukowana w zgodzie rodziny. Bez zmian program użyje
# tekstu domyślnego z nazwą ośrodka jako administratora; wpisz kontakt do inspektora ochrony danych.
inspektor = ""
# administrator = "Ośrodek Pomocy Społecznej w ..., ul. ..."
# tresc = ["Pierwszy akapit własnej klauzuli.", "Drugi akapit."]

[monitorowanie]
# Monitorowanie rodziny po zakończeniu pracy (art. 15 ust. 1 pkt 16 ustawy): ustawa nie mówi, jak
# długo. Gdy sprawozdanie z zakończenia pracy nie podaje `monitoring_do`, monitorowanie trwa tyle
# miesięcy od dnia zakończenia (0: tylko gdy formularz je podaje). Terminy przypominają o kontakcie
# z rodziną, gdy od ostatniego minie `dni_bez_kontaktu` dni.
miesiace = 0
dni_bez_kontaktu = 30

[formularze]
# Szkic formularza wypełnianego w przeglądarce (przycisk „Zapisz szkic”) widzi tylko jego autor;
# szkic niewysłany przez tyle dni jest usuwany (zawiera dane osobowe).
szkic_dni = 14

# Rejestr asystentów rodziny: jedna sekcja [[zatrudnienie]] na każdą umowę. Gdy rejestr jest
# niepusty, formularz z dnia, w którym asystent nie był zatrudniony, jest odrzucany.
#   forma: umowa_o_prace (w zadaniowym systemie czasu pracy) albo umowa_zlecenie (art. 17 ust. 2)
#   pracodawca: puste = ośrodek; albo podmiot, któremu zlecono pracę z rodziną (art. 190 ustawy)
#   etat: wymiar (1 = pełny etat); koszt_miesieczny / stawka_godzinowa: do rozliczenia dotacji
# [[zatrudnienie]]
# asystent = "Anna Wiśniewska"
# forma = "umowa_o_prace"
# etat = 1
# od = 2024-01-01
# do = 2026-12-31            # puste: nadal zatrudniona
# koszt_miesieczny = "7200,00"

[sciezki]
# Magazyn danych: najlepiej na lokalnym dysku komputera, na którym działa `asystent watch`.
# Ścieżka względna liczy się od folderu z tym plikiem.
dane = "dane"

# Ośrodki, które dzielą jedną bazę PostgreSQL (kilka komputerów, kilka ośrodków powiatu), podają
# jej adres i identyfikator ośrodka: nazwę konta ośrodka w bazie (zob. README, „Dla działu IT”).
# Hasło najlepiej w pliku ~/.pgpass (pgpass.conf w Windows), nie tutaj. Bez adresu rekordy są
# w folderze `dane` (TinyDB).
# [magazyn]
# adres = "postgresql://mops_krakow@serwer-bazy/asystent"
# osrodek = "mops_krakow"
"""

SHARED_FOLDERS = (
    "wejscie",
    "przetworzone",
    "odrzucone",
    "dokumenty",
    "raporty",
    "szablony",
    "archiwum",
)


class _Section(msgspec.Struct, forbid_unknown_fields=True):
    """A section of asystent.toml: a key it does not declare is a typo, named in the error."""


class Office(_Section):
    nazwa: str
    adres: str
    miejscowosc: str
    kierownik: str = ""
    asystenci: list[str] = []


class Paths(_Section):
    dane: Annotated[str, msgspec.Meta(min_length=1)] = "dane"


class StoreSettings(_Section):
    """Where the records live: the embedded TinyDB files in `dane/` (no address), or a PostgreSQL
    database that several machines and offices share (`records.pgstore`). `osrodek` names the
    office; it is the database account the office connects as, which row-level security uses
    to keep each office's cases apart."""

    adres: str = ""  # postgresql://konto@serwer/baza; $ASYSTENT_MAGAZYN overrides it
    osrodek: Annotated[str, msgspec.Meta(pattern=OFFICE_ID)] = ""


class Archive(_Section):
    """The office's own classification of assistant case files (no national JRWA symbol exists)."""

    symbol_jrwa: str = ""
    haslo_jrwa: str = ""
    kategoria: str = ""


class Documents(_Section):
    """Limits for rendering one document from a template (staff edit templates: untrusted)."""

    limit_czasu_s: Annotated[float, msgspec.Meta(gt=0, le=600)] = 20.0
    limit_pamieci_mb: Annotated[int, msgspec.Meta(ge=256, le=16384)] = 1024


class Gdpr(_Section):
    """The GDPR information clause (art. 13 GDPR) printed in the family's consent. Every field is
    optional: the default text names the centre from `[osrodek]` as the controller."""

    administrator: str = ""  # default: the centre's name and address
    inspektor: str = ""  # the data protection officer's contact (IOD), e.g. iod@ops.pl
    tresc: list[str] = []  # the office's own clause, paragraph by paragraph (replaces the default)


class Monitoring(_Section):
    """Monitoring after the closing (art. 15 ust. 1 pkt 16): the Act sets no length, the office
    does; `miesiace` applies when the closing form gives no `monitoring_do`."""

    miesiace: Annotated[int, msgspec.Meta(ge=0, le=60)] = 0
    dni_bez_kontaktu: Annotated[int, msgspec.Meta(ge=1, le=365)] = 30


class WebForms(_Section):
    """Forms filled in the browser: how long a draft nobody sent is kept for its author."""

    szkic_dni: Annotated[int, msgspec.Meta(ge=1, le=90)] = 14


EMPLOYMENT_FORMS = {
    "umowa_o_prace": "umowa o pracę w zadaniowym systemie czasu pracy",
    "umowa_zlecenie": "umowa zlecenia (umowa o świadczenie usług)",
}
_AMOUNTS = ("etat", "koszt_miesieczny", "stawka_godzinowa")
_MAY_BE_EMPTY = ("do", "koszt_miesieczny", "stawka_godzinowa")  # `""`: as if left out


class Employment(_Section, kw_only=True):
    """One contract of one assistant (art. 17 ust. 1-2 of the Act): who employs, how, from when.
    Amounts may be written `"7200,00"` as well as `7200.00` (a Polish office writes a comma)."""

    asystent: Annotated[str, msgspec.Meta(min_length=1)]
    forma: Literal["umowa_o_prace", "umowa_zlecenie"]
    pracodawca: str = ""  # empty: the centre itself; else the body commissioned (art. 190)
    etat: Decimal = Decimal(1)
    od: dt.date
    do: dt.date | None = None
    koszt_miesieczny: Decimal | None = None  # pay with contributions
    stawka_godzinowa: Decimal | None = None  # a contract of mandate

    def __post_init__(self) -> None:
        # Messages are "key: why" (records.settings._setting_error puts the key in its place).
        if not self.asystent.strip():
            raise ValueError("asystent: imię i nazwisko nie może być puste")
        for key in _AMOUNTS:
            value = getattr(self, key)
            if value is not None and not value.is_finite():
                raise ValueError(f"{key}: to nie jest liczba")
        if not 0 < self.etat <= 1:
            raise ValueError("etat: wymiar etatu większy od 0, najwyżej 1 (pełny etat)")
        for key in ("koszt_miesieczny", "stawka_godzinowa"):
            value = getattr(self, key)
            if value is not None and value < 0:
                raise ValueError(f"{key}: kwota nie może być ujemna")
        if self.do is not None and self.do < self.od:
            raise ValueError("do: data `do` jest wcześniejsza niż `od`")

    def covers(self, day: dt.date) -> bool:
        return self.od <= day and (self.do is None or day <= self.do)


class Settings(_Section):
    osrodek: Office
    archiwum: Archive = msgspec.field(default_factory=Archive)
    sciezki: Paths = msgspec.field(default_factory=Paths)
    magazyn: StoreSettings = msgspec.field(default_factory=StoreSettings)
    dokumenty: Documents = msgspec.field(default_factory=Documents)
    rodo: Gdpr = msgspec.field(default_factory=Gdpr)
    monitorowanie: Monitoring = msgspec.field(default_factory=Monitoring)
    formularze: WebForms = msgspec.field(default_factory=WebForms)
    zatrudnienie: list[Employment] = []


@dataclass(frozen=True)
class Workspace:
    """A workspace folder on the shared drive, with its settings loaded."""

    root: Path
    settings: Settings

    @property
    def inbox(self) -> Path:
        return self.root / "wejscie"

    @property
    def processed(self) -> Path:
        return self.root / "przetworzone"

    @property
    def rejected(self) -> Path:
        return self.root / "odrzucone"

    @property
    def documents(self) -> Path:
        return self.root / "dokumenty"

    @property
    def reports(self) -> Path:
        return self.root / "raporty"

    @property
    def templates(self) -> Path:
        return self.root / "szablony"

    @property
    def archive(self) -> Path:
        return self.root / "archiwum"

    @property
    def data(self) -> Path:
        return (self.root / self.settings.sciezki.dane).resolve()

    @property
    def log_file(self) -> Path:
        return self.root / "asystent.log"

    @property
    def claims(self) -> Path:
        """Files the watcher took out of the inbox and is processing (`.w_toku/HOST-PID/`)."""
        return self.root / ".w_toku"

    @property
    def uploads(self) -> Path:
        """Files sent from the browser while the pipeline processes them (owner-only)."""
        return self.data / "wysylane"


def init_workspace(root: Path) -> tuple[Path, list[str]]:
    """Create a workspace, or add only what is missing to an existing one; returns what was made."""
    root = root.resolve()
    made: list[str] = []
    root.mkdir(parents=True, exist_ok=True)
    config = root / CONFIG_NAME
    if not config.exists():
        atomic_write(config, DEFAULT_CONFIG.encode("utf-8"))
        made.append(CONFIG_NAME)
    for name in SHARED_FOLDERS:
        if not (root / name).is_dir():
            (root / name).mkdir()
            made.append(name + "/")
    data = load_workspace(root).data
    if not data.is_dir():
        made.append("dane/")
    private_dir(data)
    return root, made


def load_workspace(root: Path | str | None = None) -> Workspace:
    """Open the workspace at `root`, else $ASYSTENT_WORKSPACE, else the current folder."""
    root = Path(root or os.environ.get("ASYSTENT_WORKSPACE") or Path.cwd()).resolve()
    config = root / CONFIG_NAME
    if not config.is_file():
        raise UsageError(
            f"Folder {root} nie jest przestrzenią roboczą asystenta (brak pliku {CONFIG_NAME}). "
            f"Utwórz ją poleceniem: asystent init {root}",
            code="not_a_workspace",
        )
    try:
        raw = tomllib.loads(config.read_text(encoding="utf-8-sig"))
        settings = msgspec.convert(_with_dots(raw), Settings, strict=False)
    except UnicodeDecodeError:
        raise UsageError(
            f"Plik {config} nie jest zapisany w kodowaniu UTF-8: zapisz go ponownie jako UTF-8 "
            "(w Notatniku: Plik → Zapisz jako → Kodowanie: UTF-8).",
            code="bad_config",
        ) from None
    except tomllib.TOMLDecodeError as err:
        raise UsageError(
            f"Plik {config} ma błędny format: {_toml_error(err)}", code="bad_config"
        ) from None
    except msgspec.ValidationError as err:
        raise UsageError(
            f"Plik {config}: błędne lub brakujące ustawienia ({_setting_error(str(err))})",
            code="bad_config",
        ) from None
    return Workspace(root=root, settings=settings)


def _toml_error(error: tomllib.TOMLDecodeError) -> str:
    """Where the file cannot be read as TOML, in Polish (tomllib's own text is English)."""
    where = re.search(r"\(at line (\d+), column (\d+)\)", str(error))
    place = f"w wierszu {where[1]}, w kolumnie {where[2]}" if where else "w pliku"
    return (
        f"błąd zapisu {place}. Tekst musi być w cudzysłowach, liczby z kropką (0.5, nie 0,5; "
        'kwoty można w cudzysłowach: "7200,00"), daty jako RRRR-MM-DD, a każde ustawienie '
        "tylko raz w sekcji."
    )


def _with_dots(raw: dict[str, Any]) -> dict[str, Any]:
    """The register's amounts with a decimal point where the office wrote a comma or spaces, and
    an empty `do` or amount taken as left out (the file's comment says: empty, still employed)."""
    contracts = raw.get("zatrudnienie")
    if isinstance(contracts, list):
        raw["zatrudnienie"] = [
            {
                key: value.replace(" ", "").replace("\u00a0", "").replace(",", ".")
                if key in _AMOUNTS and isinstance(value, str)
                else value
                for key, value in contract.items()
                if not (key in _MAY_BE_EMPTY and value == "")
            }
            if isinstance(contract, dict)
            else contract
            for contract in contracts
        ]
    return raw


_TYPES = {
    "str": "tekst w cudzysłowach",
    "int": "liczba całkowita",
    "float": "liczba",
    "decimal": "kwota albo liczba",
    "date": "data RRRR-MM-DD",
    "bool": "true albo false",
    "array": "lista w nawiasach [ ]",
    "object": "sekcja z ustawieniami",
}
_BOUNDS = {">=": "co najmniej", "<=": "najwyżej", ">": "więcej niż", "<": "mniej niż"}
_CHOICES = {"forma": EMPLOYMENT_FORMS}


def _setting_error(message: str) -> str:
    """msgspec's message (`Expected `int` >= 1 - at `$.zatrudnienie[1].etat``) in Polish:
    `zatrudnienie[2].etat: co najmniej 1`, sections numbered from 1 as the office counts them."""
    text, _, at = message.partition(" - at `")
    where = re.sub(r"\[(\d+)\]", lambda m: f"[{int(m[1]) + 1}]", at.rstrip("`").removeprefix("$"))
    where = where.removeprefix(".")
    if found := re.fullmatch(r"Object missing required field `(\w+)`", text):
        where, why = _joined(where, found[1]), "brak wartości"
    elif found := re.fullmatch(r"Object contains unknown field `(.+)`", text):
        where, why = _joined(where, found[1]), "nieznane ustawienie (literówka?)"
    elif text.startswith("Invalid enum value"):
        choices = _CHOICES.get(where.rpartition(".")[2], {})
        why = f"dozwolone wartości: {' albo '.join(choices)}" if choices else "błędna wartość"
    elif "matching regex" in text:
        why = "tylko małe litery bez polskich znaków, cyfry i _, na początku litera (do 63 znaków)"
    elif re.fullmatch(r"Expected `str` of length >= 1", text):
        why = "nie może być puste"
    elif found := re.fullmatch(r"Expected `(\w+)` (>=|<=|>|<) (\S+)", text):
        why = f"{_BOUNDS[found[2]]} {_number(found[3])}"
    elif found := re.match(r"Expected `(\w+)(?: \| null)?`", text):
        why = f"oczekiwano: {_TYPES.get(found[1], found[1])}"
    elif text.startswith("Invalid RFC3339"):
        why = "błędna data (RRRR-MM-DD)"
    elif text.startswith("Invalid"):
        why = "błędna wartość"
    elif found := re.fullmatch(r"(\w+): (.+)", text):  # ours, from a section's __post_init__
        where, why = _joined(where, found[1]), found[2]
    else:
        why = "błędna wartość"
    return f"{where}: {why}" if where else why


def _number(text: str) -> str:
    """A bound as an office writes it: `600`, not `600.0`; `0,5`, not `0.5`."""
    return text.removesuffix(".0").replace(".", ",")


def _joined(where: str, key: str) -> str:
    return f"{where}.{key}" if where else key
