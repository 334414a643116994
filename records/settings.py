"""Office settings (`asystent.toml`) and the workspace folders, declared once.

`Workspace` is passed explicitly to every stage; nothing reads settings from globals.
"""

from __future__ import annotations

import os
import tomllib
from dataclasses import dataclass
from pathlib import Path

from pydantic import BaseModel, ConfigDict, Field, ValidationError

from records.errors import UsageError
from records.fsutil import atomic_write, private_dir

CONFIG_NAME = "asystent.toml"

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

[sciezki]
# Magazyn danych: najlepiej na lokalnym dysku komputera, na którym działa `asystent watch`.
# Ścieżka względna liczy się od folderu z tym plikiem.
dane = "dane"
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


class Office(BaseModel):
    model_config = ConfigDict(extra="forbid")
    nazwa: str
    adres: str
    miejscowosc: str
    kierownik: str = ""
    asystenci: list[str] = []


class Paths(BaseModel):
    model_config = ConfigDict(extra="forbid")
    dane: str = "dane"


class Archive(BaseModel):
    """The office's own classification of assistant case files (no national JRWA symbol exists)."""

    model_config = ConfigDict(extra="forbid")
    symbol_jrwa: str = ""
    haslo_jrwa: str = ""
    kategoria: str = ""


class Documents(BaseModel):
    """Limits for rendering one document from a template (staff edit templates: untrusted)."""

    model_config = ConfigDict(extra="forbid")
    limit_czasu_s: float = Field(default=20.0, gt=0, le=600)
    limit_pamieci_mb: int = Field(default=1024, ge=256, le=16384)


class Gdpr(BaseModel):
    """The GDPR information clause (art. 13 GDPR) printed in the family's consent. Every field is
    optional: the default text names the centre from `[osrodek]` as the controller."""

    model_config = ConfigDict(extra="forbid")
    administrator: str = ""  # default: the centre's name and address
    inspektor: str = ""  # the data protection officer's contact (IOD), e.g. iod@ops.pl
    tresc: list[str] = []  # the office's own clause, paragraph by paragraph (replaces the default)


class Settings(BaseModel):
    model_config = ConfigDict(extra="forbid")
    osrodek: Office
    archiwum: Archive = Archive()
    sciezki: Paths = Paths()
    dokumenty: Documents = Documents()
    rodo: Gdpr = Gdpr()


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
        settings = Settings.model_validate(raw)
    except (tomllib.TOMLDecodeError, UnicodeDecodeError) as err:
        raise UsageError(f"Plik {config} ma błędny format: {err}", code="bad_config") from None
    except ValidationError as err:
        fields = ", ".join(".".join(map(str, e["loc"])) for e in err.errors())
        raise UsageError(
            f"Plik {config}: błędne lub brakujące ustawienia ({fields})", code="bad_config"
        ) from None
    return Workspace(root=root, settings=settings)
