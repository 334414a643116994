"""The `asystent` command line: parses options, calls one library function, prints the result.

No business logic lives here. Our errors become exit codes in one place (`_Group.invoke`):
1 for rejected input, a missing case or a failed check; 2 for wrong usage or a missing workspace.
"""

from __future__ import annotations

import datetime as dt
import sys
import threading
from collections.abc import Callable, Iterable
from pathlib import Path
from typing import TYPE_CHECKING

import click

from records.cli_polish import PolishGroup
from records.cli_polish import install as install_polish
from records.errors import AsystentError, NotFoundError, UsageError, os_error_text

if TYPE_CHECKING:  # the command line imports the library inside each command (fast start)
    from records.case import Case
    from records.deadlines import Alert
    from records.documents import Ahead
    from records.grant import Coverage
    from records.pipeline import Outcome
    from records.settings import Workspace
    from records.store import Store

install_polish()


class LazyChoice(click.Choice):
    """A choice whose values come from a module imported only when the option is used: the
    command line starts without loading the models or the password hasher (issue 20)."""

    def __init__(self, load: Callable[[], Iterable[str]]) -> None:
        self._load = load
        self._loaded: tuple[str, ...] | None = None
        self.case_sensitive = True

    @property
    def choices(self) -> tuple[str, ...]:  # type: ignore[override]
        if self._loaded is None:
            self._loaded = tuple(self._load())
        return self._loaded


def _form_kinds() -> Iterable[str]:
    from records.models import FORMS

    return FORMS


def _roles() -> Iterable[str]:
    from records.accounts import ROLES

    return ROLES


class _Group(PolishGroup):
    """Turns our errors into one clear message and an exit code; never a traceback."""

    def invoke(self, ctx: click.Context):
        try:
            return super().invoke(ctx)
        except AsystentError as err:
            click.echo(f"Błąd: {err}", err=True)
            ctx.exit(err.exit_code)
        except BrokenPipeError:  # the output went to `head` or a closed pager: nothing to say
            sys.stderr.close()
            ctx.exit(0)
        except OSError as err:
            click.echo(f"Błąd: {os_error_text(err)}.", err=True)
            ctx.exit(1)
        except (click.exceptions.Exit, click.ClickException, click.Abort):
            raise
        except Exception as err:  # noqa: BLE001 - last resort: a message, never a traceback
            import traceback

            where = traceback.extract_tb(sys.exc_info()[2])[-1]
            click.echo(
                f"Nieoczekiwany błąd programu ({type(err).__name__} w {Path(where.filename).name}:"
                f"{where.lineno}). Zgłoś go administratorowi.",
                err=True,
            )
            ctx.exit(1)


@click.group(cls=_Group)
@click.version_option(package_name="asystent", message="asystent %(version)s")
def cli() -> None:
    """asystent: dokumentacja pracy asystenta rodziny (formularze, rejestr spraw, dokumenty Word)."""


def workspace_option(func):
    return click.option(
        "--workspace",
        "workspace",
        type=click.Path(file_okay=False, path_type=Path),
        envvar="ASYSTENT_WORKSPACE",
        help="Folder przestrzeni roboczej (domyślnie $ASYSTENT_WORKSPACE albo bieżący folder).",
    )(func)


def _day(value: str) -> dt.date:
    """A date a person typed for a required option (see `_date`)."""
    day = _date(value)
    if day is None:  # only for None, which a required option never is
        raise UsageError("Brak daty.")
    return day


def _date(value: str | None) -> dt.date | None:
    from records.polish import checked_user_date

    if value is None:
        return None
    try:
        return checked_user_date(value)
    except ValueError as reason:
        raise UsageError(f"Data „{value}” {reason}.") from None


@cli.command()
@click.argument("directory", type=click.Path(file_okay=False, path_type=Path))
def init(directory: Path) -> None:
    """Utwórz przestrzeń roboczą (albo uzupełnij brakujące foldery istniejącej).

    Przykład: asystent init /srv/asystent
    """
    from records.settings import init_workspace

    root, made = init_workspace(directory)
    if made:
        click.echo(f"Przestrzeń robocza {root}: utworzono {', '.join(made)}")
    else:
        click.echo(f"Przestrzeń robocza {root} jest kompletna; niczego nie zmieniono.")
    click.echo(f"Uzupełnij dane ośrodka w pliku {root / 'asystent.toml'}.")


@cli.command()
@workspace_option
@click.option("--pdf", is_flag=True, help="Utwórz też kopie PDF dokumentów (wymaga LibreOffice).")
@click.argument("files", nargs=-1, required=True, type=click.Path(path_type=Path))
def ingest(workspace: Path | None, pdf: bool, files: tuple[Path, ...]) -> None:
    """Przetwórz wskazane pliki formularzy od razu (tak jak usługa watch).

    Przyjęte trafiają do przetworzone/, odrzucone do odrzucone/ z opisem błędów NAZWA.bledy.txt.

    Przykład: asystent ingest --workspace /srv/asystent wizyta.yaml
    """
    from records.pdf import soffice, to_pdf
    from records.pipeline import FAILED, REJECTED, Pipeline
    from records.settings import load_workspace
    from records.store import open_store

    ws = load_workspace(workspace)
    missing = [str(f) for f in files if not f.is_file()]
    if missing:
        raise NotFoundError(f"Nie ma takiego pliku: {', '.join(missing)}")
    if pdf:
        soffice()  # say at once that LibreOffice is missing, before any work
    outcomes = Pipeline(ws, command="ingest").process_many([f.resolve() for f in files])
    _print_outcomes(ws, outcomes)
    if pdf:
        guard = open_store(ws).writing
        _print_pdfs(ws, to_pdf([d.path for o in outcomes for d in o.documents], guard=guard))
    if any(o.status in (REJECTED, FAILED) for o in outcomes):
        sys.exit(1)


def _print_outcomes(ws: Workspace, outcomes: list[Outcome]) -> None:
    from records.pipeline import ACCEPTED, DUPLICATE, FAILED, REJECTED
    from records.text import shown
    from records.validate import public

    symbols = {ACCEPTED: "✔", DUPLICATE: "=", REJECTED: "✘", FAILED: "!"}
    for o in outcomes:
        symbol = symbols.get(o.status, "-")
        name = shown(o.source.name)
        if o.status == ACCEPTED:
            docs = ", ".join(str(_rel(ws, d.path)) + f" ({d.status})" for d in o.documents)
            made = (
                f"; dokument: {docs}"
                if docs
                else " (bez dokumentu: widać go w metryczce i na stronie sprawy)"
            )
            click.echo(f"{symbol} {name}: przyjęto (sprawa {o.sprawa}){made}")
            for notice in o.notices:
                click.echo(f"    ! uwaga: {notice}")
        elif o.status == REJECTED:
            report = shown(str(_rel(ws, o.report)))
            click.echo(f"{symbol} {name}: odrzucono; opis błędów: {report}")
            for error in o.errors:
                click.echo(f"    - {public(error)}")
        else:
            click.echo(f"{symbol} {name}: {o.status}; {o.message}")


def _print_pdfs(ws: Workspace, pdfs: list[Path]) -> None:
    for path in pdfs:
        click.echo(f"✔ PDF: {_rel(ws, path)}")


def _rel(ws: Workspace, path: Path | None) -> Path | str:
    if path is None:
        return ""
    try:
        return path.relative_to(ws.root)
    except ValueError:
        return path


@cli.command()
@workspace_option
@click.option(
    "--polling", is_flag=True, help="Odpytuj folder zamiast zdarzeń (udziały sieciowe SMB/NFS)."
)
@click.option(
    "--interval",
    type=click.FloatRange(min=0.1),
    default=1.0,
    show_default=True,
    help="Co ile sekund odpytywać folder przy --polling.",
)
@click.option(
    "--once", is_flag=True, help="Przetwórz to, co czeka, i zakończ (cron, Harmonogram zadań)."
)
@click.option(
    "--pdf",
    is_flag=True,
    help="Twórz też kopie PDF dokumentów (wymaga LibreOffice; działa on przez cały czas usługi).",
)
def watch(workspace: Path | None, polling: bool, interval: float, once: bool, pdf: bool) -> None:
    """Usługa: przetwarzaj każdy plik wrzucony do wejscie/ (także w podfolderach).

    Najpierw to, co już czeka, potem każdy nowy plik, gdy zostanie całkowicie zapisany.
    Zatrzymanie: Ctrl+C (plik w trakcie zostaje dokończony).

    Przykład: asystent watch --workspace /srv/asystent --polling --interval 2
    """
    from records.pdf import PdfError, soffice, to_pdf
    from records.pipeline import FAILED, REJECTED
    from records.settings import load_workspace
    from records.store import open_store
    from records.watch import Watcher, WatchOptions, install_stop_handlers

    ws = load_workspace(workspace)
    store = open_store(ws)
    if pdf:
        soffice()  # say at once that LibreOffice is missing, before any work

    def report(outcome: Outcome) -> None:
        _print_outcomes(ws, [outcome])
        if pdf and outcome.documents:
            try:  # a PDF that failed leaves the document (of record) and the next files alone
                made = to_pdf([d.path for d in outcome.documents], guard=store.writing)
                _print_pdfs(ws, made)
            except PdfError as error:
                click.echo(f"✘ PDF: {error}", err=True)
            except OSError as error:
                click.echo(
                    f"✘ PDF: nie udało się zapisać pliku PDF ({os_error_text(error)}).", err=True
                )

    stop = threading.Event()
    install_stop_handlers(stop)
    options = WatchOptions(polling=polling, interval=interval, once=once)
    watcher = Watcher(ws, options, stop, on_outcome=report)
    outcomes = watcher.run(announce=click.echo)
    if once and any(o.status in (REJECTED, FAILED) for o in outcomes):
        sys.exit(1)


@cli.command()
@workspace_option
def families(workspace: Path | None) -> None:
    """Wypisz sprawy (rodziny) z asystentem, miejscowością i stanem.

    Przykład: asystent families
    """
    from records.kept_facts import all_facts
    from records.settings import load_workspace
    from records.store import open_store

    ws = load_workspace(workspace)
    today = dt.date.today()
    cases = all_facts(open_store(ws))
    if not cases:
        click.echo("Brak spraw. Wrzuć metryczkę rodziny do folderu wejscie/.")
        return
    lines = [f"{'Sprawa':<28} {'Miejscowość':<18} {'Asystent':<24} {'Od':<10}  Stan"]
    for facts in cases:
        who = facts.assistant_on(today) or facts.regular_assistant_on(today) or "—"
        town = facts.sheet_on(today).town if facts.sheets else "—"
        lines.append(
            f"{facts.sprawa:<28} {town:<18} {who:<24} "
            f"{facts.start.isoformat() if facts.start else '—':<10}  {facts.state_on(today)}"
        )
    click.echo("\n".join(lines))  # one write: an office lists thousands of cases


@cli.group()
def templates() -> None:
    """Szablony dokumentów (.docx)."""


@templates.command("check")
@workspace_option
def templates_check(workspace: Path | None) -> None:
    """Sprawdź, czy każdy używany szablon dostanie dane, o które prosi, i czy nie ma błędów składni.

    Przykład: asystent templates check
    """
    from records.settings import load_workspace
    from records.template_check import check_templates

    ws = load_workspace(workspace)
    problems = 0
    for checked in check_templates(ws):
        path = checked.path
        where = _rel(ws, path) if path.is_relative_to(ws.root) else "szablon wbudowany"
        if not checked.problems:
            click.echo(f"✔ {checked.kind}.docx ({where})")
        for problem in checked.problems:
            click.echo(f"✘ {checked.kind}.docx ({where}): {problem}")
        problems += len(checked.problems)
    if problems:
        click.echo(f"Problemów w szablonach: {problems}. Zmienne opisuje docs/szablony.md.")
        sys.exit(1)


@cli.group()
def store() -> None:
    """Magazyn danych w bazie PostgreSQL (dla kilku komputerów i ośrodków)."""


@store.command("schema")
@click.argument("address", metavar="ADRES")
def store_schema(address: str) -> None:
    """Załóż albo zaktualizuj tabele asystenta w bazie PostgreSQL (uruchamia administrator bazy).

    Przykład: asystent store schema postgresql://postgres@serwer-bazy/asystent
    """
    from records.pgstore import apply_schema, masked

    applied = apply_schema(address)
    for name in applied:
        click.echo(f"✔ zastosowano {name}")
    click.echo(
        f"Baza {masked(address)} ma aktualne tabele asystenta"
        + ("." if applied else " (nic do zmiany).")
    )


@store.command("migrate")
@workspace_option
@click.option("--do", "address", required=True, metavar="ADRES", help="Adres bazy PostgreSQL.")
def store_migrate(workspace: Path | None, address: str) -> None:
    """Przenieś dane przestrzeni (TinyDB) do bazy PostgreSQL i sprawdź kopię.

    Przykład: asystent store migrate --do postgresql://mops_krakow@serwer-bazy/asystent
    """
    from records.pgstore import masked
    from records.settings import load_workspace
    from records.store_migrate import migrate

    ws = load_workspace(workspace)
    done = migrate(ws, address)
    click.echo(
        f"Przeniesiono do bazy {masked(address)}: spraw {done.cases}, rekordów {done.records}, "
        f"dokumentów {done.documents}, wpisów dziennika audytu {done.audit_lines}."
    )
    click.echo(
        "Kopia sprawdzona: te same rekordy, dokumenty i dziennik. Pliki w dane/ oznaczono jako "
        "przeniesione. Teraz wpisz w asystent.toml i uruchom usługi ponownie:\n"
        f'[magazyn]\nadres = "{_without_password(address)}"\nosrodek = "{done.office}"'
    )


def _without_password(address: str) -> str:
    from psycopg.conninfo import conninfo_to_dict, make_conninfo

    if "password" not in conninfo_to_dict(address):
        return address
    parts = {k: v for k, v in conninfo_to_dict(address).items() if k != "password"}
    return make_conninfo(**parts)  # type: ignore[arg-type]


@cli.command()
@workspace_option
def check(workspace: Path | None) -> None:
    """Sprawdź magazyn danych i dokumenty: czy każdy plik jest czytelny i nie został zmieniony.

    Przykład: asystent check
    """
    from records.check import check_workspace
    from records.settings import load_workspace

    result = check_workspace(load_workspace(workspace))
    for line in result.upgrades:
        click.echo(f"ℹ {line}")
    for problem in result.problems:
        click.echo(f"✘ {problem}")
    summary = f"spraw: {result.cases}, rekordów: {result.records}, dokumentów: {result.documents}"
    if result.problems:
        click.echo(f"Znaleziono problemów: {len(result.problems)} ({summary}).")
        sys.exit(1)
    click.echo(f"Wszystko w porządku ({summary}).")


@cli.command()
@workspace_option
@click.argument("sprawa")
@click.option("--historia", is_flag=True, help="Pokaż każdą wersję każdego rekordu.")
def show(workspace: Path | None, sprawa: str, historia: bool) -> None:
    """Pokaż jedną sprawę: rodzinę, historię formularzy i dokumenty.

    Przykład: asystent show MOPS.AR.4011.12.2026 --historia
    """
    from records import codes
    from records.case import Case
    from records.models import case_folder
    from records.overview import overview
    from records.settings import load_workspace
    from records.store import open_store

    ws = load_workspace(workspace)
    store = open_store(ws)
    case = Case.load(store, sprawa)
    if case is None or case.facts is None:
        raise NotFoundError(f"Nie ma sprawy {sprawa}. Listę spraw pokazuje: asystent families")
    view = overview(case, dt.date.today())
    click.echo(f"Sprawa {view.sprawa} ({view.stan})")
    click.echo(f"Adres: {view.adres}")
    click.echo(
        f"Asystent rodziny: {view.asystent or '— (praca zawieszona)'}; "
        f"pracownik socjalny: {view.pracownik_socjalny}"
    )
    started = (
        view.przydzielono.isoformat()
        if view.przydzielono
        else "— (asystenta jeszcze nie przydzielono)"
    )
    click.echo(f"Przydzielono: {started}")
    click.echo(f"Podstawa objęcia wsparciem: {view.podstawa}; zgoda rodziny: {view.zgoda}")
    for order in view.postanowienia:
        click.echo(
            f"Postanowienie: {order['sad']}, {order['wydzial']}, sygn. akt {order['sygnatura']} "
            f"z {order['data'].isoformat()}"
        )
        for term in order["terminy"]:
            click.echo(f"  sprawozdanie do {term['termin'].isoformat()}: {term['stan']}")
    for letter in view.pisma_do_sadu:
        click.echo(
            f"Pismo do sądu {letter['data'].isoformat()}: {letter['rodzaj']} ({letter['sygnatura']})"
        )
    if view.zakonczono:
        click.echo(f"Zakończono: {view.zakonczono.isoformat()}")
    click.echo("Członkowie rodziny:")
    for number, member in enumerate(view.czlonkowie, start=1):
        age = "pełnoletni" if member["dorosly"] else "niepełnoletni"
        placed = "; w pieczy zastępczej" if member["w_pieczy"] else ""
        click.echo(
            f"  {number}. {member['imie_nazwisko']}, ur. {member['urodzony'].isoformat()}"
            f" ({codes.ROLA.get(member['rola'], member['rola'])}; {age}{placed})"
        )
    for stay in view.piecza:
        until = f" do {stay['do'].isoformat()} (powrót do rodziny)" if stay["do"] else " (nadal)"
        who = f"; koordynator: {stay['koordynator']}" if stay["koordynator"] else ""
        click.echo(
            f"Piecza zastępcza: {stay['dziecko']} – {stay['forma']}, od "
            f"{stay['od'].isoformat()}{until}{who}"
        )
    for item in view.interwencje:
        click.echo(
            f"Interwencja {item['data'].isoformat()}: {item['zagrozenie']} (termin sprawdzenia "
            f"{item['termin'].isoformat()}; {item['stan']})"
        )
    for card in view.niebieskie_karty:
        ended = f" {card['zakonczono'].isoformat()}" if card["zakonczono"] else ""
        meetings = ", ".join(d.isoformat() for d in card["spotkania"]) or "—"
        click.echo(
            f"Niebieska Karta: wszczęta {card['wszczeto'].isoformat()} ({card['wszczynajacy']}); "
            f"{card['stan']}{ended}; spotkania grupy diagnostyczno-pomocowej: {meetings}"
        )
        if card["zadania"]:
            click.echo(f"  zadania asystenta: {card['zadania']}")
    if view.kontakty:
        click.echo("Wizyty i inne kontakty (od najnowszych):")
        for contact in view.kontakty:
            mark = " [monitoring]" if contact.monitoring else ""
            click.echo(
                f"  {contact.data.isoformat()} {contact.od:%H:%M}–{contact.do:%H:%M}  "
                f"{contact.rodzaj}{mark}: {contact.opis}"
            )
    click.echo("Asystent rodziny w czasie:")
    for stretch in view.przydzielenia:
        until = stretch.do.isoformat() if stretch.do else "nadal"
        click.echo(f"  {stretch.od.isoformat()} – {until}: {stretch.opis}")
    store.audit("wglad", sprawa=case.sprawa, polecenie="show")
    if historia:
        _print_versions(list(case.records))
    click.echo("Historia (formularze w kolejności przyjęcia):")
    for line in view.historia:
        note = "" if line.aktualny else "  [zastąpiony nowszą wersją]"
        click.echo(f"  {line.przyjeto}  {line.tytul} z {line.data}  (plik {line.plik}){note}")
    click.echo(f"Dokumenty (folder {_rel(ws, ws.documents / case_folder(case.sprawa))}):")
    for entry in sorted(case.documents, key=lambda e: e["nazwa"]):
        click.echo(f"  {entry['nazwa']}  (sha256 {entry['sha256'][:12]}…, {entry['utworzono']})")
        for signed in case.signatures(entry):
            click.echo(f"    {signed}")
        for old in entry.get("poprzednie", []):
            click.echo(f"    poprzednia wersja: {old['nazwa']}")


def _print_versions(records: list) -> None:
    """Every version of every record: when, from which file (and its hash), by which command."""
    from records.overview import sent_by

    click.echo("Wersje rekordów:")
    by_key: dict[str, list] = {}
    for record in records:
        by_key.setdefault(record.klucz, []).append(record)
    for key, versions in by_key.items():
        click.echo(f"  {key}")
        for number, record in enumerate(versions, start=1):
            current = "  (aktualna)" if number == len(versions) else ""
            click.echo(
                f"    wersja {number}: {record.przyjeto}, plik {record.zrodlo['plik']} "
                f"(sha256 {record.zrodlo['sha256'][:12]}…), przyjęty przez: "
                f"{sent_by(record.polecenie)}{current}"
            )


@cli.command()
@workspace_option
@click.argument("kind", metavar="[RODZAJ]", required=False, type=LazyChoice(_form_kinds))
@click.option("--sprawa", help="Numer sprawy.")
@click.option("--data", "date", help="Tylko dokument z tego dnia (RRRR-MM-DD).")
@click.option(
    "--all", "everything", is_flag=True, help="Wszystkie dokumenty (wszystkich spraw albo jednej)."
)
@click.option("--pdf", is_flag=True, help="Utwórz też kopie PDF (wymaga LibreOffice).")
@click.option(
    "--out",
    type=click.Path(file_okay=False, path_type=Path),
    help="Zapisz kopie do tego folderu zamiast do dokumenty/SPRAWA/.",
)
def generate(
    workspace: Path | None,
    kind: str | None,
    sprawa: str | None,
    date: str | None,
    everything: bool,
    pdf: bool,
    out: Path | None,
) -> None:
    """Wygeneruj ponownie dokumenty z zapisanych danych (np. po zmianie szablonu).

    Wcześniejszy dokument, jeśli jego treść się zmieni, zostaje zachowany w dokumenty/SPRAWA/poprzednie/.

    Przykłady: asystent generate protokol_wizyty --sprawa MOPS.AR.4011.12.2026 --data 2026-02-17
               asystent generate --all
    """
    from concurrent.futures import Future, ThreadPoolExecutor

    from records.documents import render_ahead, select_records
    from records.pdf import soffice, to_pdf
    from records.settings import load_workspace
    from records.store import open_store

    if not everything and not (kind and sprawa):
        raise UsageError("Podaj RODZAJ i --sprawa (jeden rodzaj dokumentów sprawy) albo --all.")
    ws = load_workspace(workspace)
    store = open_store(ws)
    selected = select_records(store, sprawa=sprawa, kind=kind, date=_date(date))
    if pdf:
        soffice()  # say at once that LibreOffice is missing, before any work
    written: list[Path] = []
    made: dict[str, int] = {}
    cases = list(selected.values())
    with (
        click.progressbar(cases, label="Generowanie dokumentów", hidden=not everything) as bar,
        ThreadPoolExecutor(max_workers=_RENDERING_AHEAD) as renderer,
    ):
        # Cases are written one at a time, in order, while the next ones render: each in its own
        # template worker process (one per core), which compiles each template once.
        ahead: dict[int, Future[Ahead]] = {}
        for number, (case, ids) in enumerate(bar):
            if out is not None:
                statuses = _copy_case(ws, store, case, ids, out, everything, written)
            else:
                for later in range(number, min(number + _RENDERING_AHEAD + 1, len(cases))):
                    if later not in ahead:
                        sprawa, later_ids = cases[later][0].sprawa, cases[later][1]
                        ahead[later] = renderer.submit(
                            render_ahead,
                            ws,
                            store,
                            sprawa,
                            later_ids,
                            read=cases[later][0],
                            verify_files=not everything,  # asked for by name: read them
                        )
                try:
                    statuses = _issue_case(
                        ws, store, ahead.pop(number).result(), everything, written
                    )
                except BaseException:  # an error or Ctrl+C: cases not yet rendering are dropped
                    for later_case in ahead.values():
                        later_case.cancel()
                    raise
            for status in statuses:
                made[status] = made.get(status, 0) + 1
    if everything:
        click.echo("Gotowe: " + ", ".join(f"{status}: {n}" for status, n in sorted(made.items())))
    if pdf:
        _print_pdfs(ws, to_pdf(written, guard=store.writing))


_RENDERING_AHEAD = 2  # cases rendered while one is written: as many as template workers


def _copy_case(
    ws: Workspace,
    store: Store,
    case: Case,
    ids: list[str],
    out: Path,
    quiet: bool,
    written: list[Path],
) -> list[str]:
    """Copies of one case's documents under `out`; returns their statuses."""
    from records.documents import render_to
    from records.models import case_folder

    paths = render_to(ws, store, case.sprawa, ids, out / case_folder(case.sprawa) if quiet else out)
    written += paths
    for path in [] if quiet else paths:
        click.echo(f"✔ {path}")
    return ["kopia"] * len(paths)


def _issue_case(
    ws: Workspace, store: Store, ahead: Ahead, quiet: bool, written: list[Path]
) -> list[str]:
    """One case's documents, rendered `ahead`, into its folder; returns their statuses."""
    from records.documents import issue

    issued_all = issue(ws, store, ahead, command="generate")
    for issued in issued_all:
        written.append(issued.path)
        if not quiet:
            click.echo(f"✔ {_rel(ws, issued.path)} ({issued.status})")
            if issued.previous:
                click.echo(f"    poprzednia wersja zachowana: {_rel(ws, issued.previous)}")
    return [issued.status for issued in issued_all]


@cli.command()
@workspace_option
@click.argument("files", nargs=-1, type=click.Path(path_type=Path))
def retry(workspace: Path | None, files: tuple[Path, ...]) -> None:
    """Przetwórz ponownie odrzucone pliki (domyślnie wszystkie z odrzucone/) po ich poprawieniu.

    Przykład: asystent retry odrzucone/wizyta.yaml
    """
    from records.pipeline import FAILED, REJECTED, Pipeline
    from records.settings import load_workspace

    ws = load_workspace(workspace)
    outcomes = Pipeline(ws, command="retry").retry([f.resolve() for f in files] or None)
    if not outcomes:
        click.echo("Folder odrzucone/ jest pusty: nie ma czego ponawiać.")
    _print_outcomes(ws, outcomes)
    if any(o.status in (REJECTED, FAILED) for o in outcomes):
        sys.exit(1)


@cli.command()
@click.argument("kind", metavar="[RODZAJ]", required=False, type=LazyChoice(_form_kinds))
@workspace_option
@click.option(
    "--out",
    type=click.Path(file_okay=False, path_type=Path),
    help="Folder docelowy (domyślnie formularze/ w przestrzeni roboczej).",
)
@click.option("--docx", is_flag=True, help="Formularze Word (.docx) zamiast YAML.")
def forms(kind: str | None, workspace: Path | None, out: Path | None, docx: bool) -> None:
    """Zapisz puste formularze do wypełnienia: YAML z opisem każdego pola albo (--docx)
    formularze Word z polami do klikania, z nazwą ośrodka w nagłówku.

    Przykłady: asystent forms --docx
               asystent forms protokol_wizyty --out .
    """
    from records.fsutil import atomic_write
    from records.models import FORMS
    from records.resources import data_dir
    from records.settings import load_workspace
    from records.wordforms.build import blank_form

    ws = None
    if out is None or docx:
        try:
            ws = load_workspace(workspace)
        except UsageError:
            if out is None:
                raise
    if out is None and ws is None:  # cannot happen: load_workspace raised
        raise UsageError("Podaj --out albo --workspace.")
    target = out or (ws.root if ws else Path.cwd()) / "formularze"
    target.mkdir(parents=True, exist_ok=True)
    for name in [kind] if kind else list(FORMS):
        if docx:
            path = target / f"{name}.docx"
            atomic_write(path, blank_form(name, ws.settings.osrodek.nazwa if ws else ""))
        else:
            path = target / f"{name}.yaml"
            import shutil

            shutil.copyfile(data_dir("forms") / f"{name}.yaml", path)
        click.echo(f"✔ {path}")


@cli.command()
@workspace_option
@click.option("--od", "od", required=True, metavar="RRRR-MM-DD", help="Pierwszy dzień okresu.")
@click.option("--do", "do", required=True, metavar="RRRR-MM-DD", help="Ostatni dzień okresu.")
@click.option("--asystent", help="Tylko praca tego asystenta (imię i nazwisko).")
@click.option(
    "--format",
    "fmt",
    type=click.Choice(["docx", "csv"]),
    default="docx",
    show_default=True,
    help="Dokument Word albo arkusz CSV (UTF-8, średniki).",
)
@click.option("--dotacja", metavar="KWOTA", help="Kwota dotacji z programu „Asystent rodziny”.")
@click.option("--koszt-miesieczny", metavar="KWOTA", help="Miesięczny koszt pracy asystenta.")
@click.option(
    "--statutowe",
    is_flag=True,
    help="Wiersze sprawozdania rzeczowo-finansowego gminy (art. 176 pkt 6 ustawy).",
)
def report(
    workspace: Path | None,
    od: str,
    do: str,
    asystent: str | None,
    fmt: str,
    dotacja: str | None,
    koszt_miesieczny: str | None,
    statutowe: bool,
) -> None:
    """Sprawozdanie z pracy asystentów rodziny za okres, do folderu raporty/.

    Liczy rodziny wspierane, nowe i zakończone (według przyczyn), dzieci, wizyty, notatki
    i godziny pracy, obszary wsparcia, plany, kontrakty i oceny; na początku terminy wymagające
    uwagi. Z --statutowe: wiersze półrocznego sprawozdania rzeczowo-finansowego (do 31 lipca
    i 31 stycznia) do przepisania do systemu sprawozdawczego.

    Przykład: asystent report --od 2026-01-01 --do 2026-06-30 --statutowe
    """
    from records.kept_facts import all_facts
    from records.polish import hours
    from records.reports import TEMPLATE, build_report, write_csv, write_docx
    from records.settings import load_workspace
    from records.store import open_store

    ws = load_workspace(workspace)
    first, last = _day(od), _day(do)
    if statutowe:
        if asystent or dotacja or koszt_miesieczny:
            raise UsageError(
                "--statutowe liczy cały ośrodek: bez --asystent, --dotacja i --koszt-miesieczny."
            )
        _statutory_report(ws, first, last, fmt, od, do)
        return
    store = open_store(ws)
    if fmt == "docx":
        _prepare_report(ws, TEMPLATE)
    result = build_report(
        ws,
        all_facts(store),
        first,
        last,
        asystent=asystent,
        today=dt.date.today(),
        grant=_grant(dotacja, koszt_miesieczny),
    )
    path, written = (write_csv if fmt == "csv" else write_docx)(ws, result)
    store.audit("raport", plik=path.name)
    state = "zapisano" if written else "bez zmian, taki sam jak zapisany"
    click.echo(f"Sprawozdanie za okres {od} – {do}: {path} ({state})")
    total = result.total
    click.echo(
        f"Rodziny: {total.rodziny} (nowe {total.nowe}, zakończone {total.zakonczone}), "
        f"dzieci: {total.dzieci}, wizyty: {total.wizyty}, notatki: {total.notatki}, "
        f"czas pracy z rodzinami: {hours(total.minuty + total.minuty_notatek)} "
        f"(w tym wizyty: {hours(total.minuty)})"  # as the document's "razem" row
    )
    _print_alerts(result.alerts, result.as_of)


def _statutory_report(
    ws: Workspace, first: dt.date, last: dt.date, fmt: str, od: str, do: str
) -> None:
    from records.kept_facts import all_facts
    from records.statutory import TEMPLATE, build_statutory, write_csv, write_docx
    from records.store import open_store

    store = open_store(ws)
    if fmt == "docx":
        _prepare_report(ws, TEMPLATE)
    statutory = build_statutory(ws, all_facts(store), first, last)
    path, written = (write_csv if fmt == "csv" else write_docx)(ws, statutory)
    store.audit("raport", plik=path.name)
    state = "zapisano" if written else "bez zmian, taki sam jak zapisany"
    click.echo(f"Sprawozdanie rzeczowo-finansowe za okres {od} – {do}: {path} ({state})")
    click.echo(f"Wiersze: {_rel(ws, statutory.lines.source)} ({statutory.lines.edycja})")
    for line, value in statutory.values:
        click.echo(f"  {line.nr:>4}  {line.tekst}: {value or '— (uzupełnij)'}")


def _prepare_report(ws: Workspace, template: str) -> None:
    """Start the template worker compiling the report's template on the other core while
    the figures are counted (the CSV path loads none of this)."""
    from records.templates import prepare_report

    prepare_report(ws, template)


@cli.command()
@workspace_option
@click.option("--miesiac", required=True, metavar="RRRR-MM", help="Miesiąc, np. 2026-03.")
@click.option("--asystent", help="Tylko ewidencja tego asystenta (imię i nazwisko).")
@click.option(
    "--format",
    "fmt",
    type=click.Choice(["docx", "csv"]),
    default="docx",
    show_default=True,
    help="Dokument Word do podpisu albo arkusz CSV (UTF-8, średniki).",
)
def ewidencja(workspace: Path | None, miesiac: str, asystent: str | None, fmt: str) -> None:
    """Miesięczna ewidencja czasu pracy asystentów z wizyt i notatek, do folderu raporty/.

    Dzień, sprawa, rodzaj pracy, godziny i czas, razem; z miejscem na podpis asystenta
    i kierownika. Dla umowy zlecenia ewidencja jest potwierdzeniem liczby godzin.

    Przykład: asystent ewidencja --miesiac 2026-03 --asystent "Anna Wiśniewska"
    """
    from records.kept_facts import all_facts
    from records.polish import month_year
    from records.reports import known_assistant
    from records.settings import load_workspace
    from records.store import open_store
    from records.timesheet import TEMPLATE, build_sheets, parse_month
    from records.timesheet import summary as timesheet_summary
    from records.timesheet import write_csv as write_timesheet_csv
    from records.timesheet import write_docx as write_timesheet_docx

    ws = load_workspace(workspace)
    try:
        first, last = parse_month(miesiac)
    except ValueError:
        raise UsageError(f"--miesiac: „{miesiac}” to nie miesiąc (przykład: 2026-03).") from None
    store = open_store(ws)
    if fmt == "docx":
        _prepare_report(ws, TEMPLATE)
    cases = all_facts(store)
    if asystent is not None:
        asystent = known_assistant(asystent, ws, cases)
    sheets = build_sheets(ws, cases, first, last, asystent)
    if not sheets:
        raise NotFoundError(
            f"W miesiącu {miesiac} nikt nie zapisał wizyt ani notatek, a rejestr asystentów "
            "(asystent.toml) nie wskazuje nikogo zatrudnionego."
        )
    if fmt == "csv":
        path = write_timesheet_csv(ws, sheets, first, asystent)
    else:
        path, _ = write_timesheet_docx(ws, sheets, first, last, asystent)
    store.audit("ewidencja", plik=path.name)
    click.echo(f"Ewidencja czasu pracy za {month_year(first)}: {path}")
    for sheet in sheets:
        mandate = " (umowa zlecenia: potwierdzenie liczby godzin)" if sheet.mandate else ""
        click.echo(f"  {timesheet_summary(sheet)}{mandate}")


def _grant(dotacja: str | None, koszt: str | None, option: str = "--dotacja") -> Coverage | None:
    """`option`: how the grant's amount was given (`report --dotacja`, `dotacja --kwota`)."""
    if dotacja is None and koszt is None:
        return None
    from records.grant import coverage, parse_amount

    if dotacja is None or koszt is None:
        raise UsageError("Podaj razem --dotacja i --koszt-miesieczny (albo żadnej z nich).")
    return coverage(parse_amount(dotacja, option), parse_amount(koszt, "--koszt-miesieczny"))


@cli.command()
@workspace_option
@click.option(
    "--na-dzien",
    "day",
    metavar="RRRR-MM-DD",
    help="Sprawdź terminy na ten dzień (domyślnie dziś).",
)
def alerts(workspace: Path | None, day: str | None) -> None:
    """Terminy ustawowe i praktyczne, które minęły albo zbliżają się.

    Ponad 15 rodzin u asystenta, brak oceny okresowej od 6 miesięcy, plan lub kontrakt po
    terminie, 30 dni bez wizyty, monitorowanie (kontakt, koniec), zgoda rodziny, sprawozdania
    dla sądu, sprawozdania ośrodka (półroczne do 31 lipca i 31 stycznia, roczne do 31 marca).

    Przykład: asystent alerts
    """
    from records.deadlines import alerts as find_alerts
    from records.deadlines import by_urgency, office_alerts
    from records.kept_facts import all_facts
    from records.settings import load_workspace
    from records.store import open_store

    ws = load_workspace(workspace)
    when = _date(day) or dt.date.today()
    cases = all_facts(open_store(ws))
    found = find_alerts(cases, when, contact_every=ws.settings.monitorowanie.dni_bez_kontaktu)
    _print_alerts(by_urgency((office_alerts(when) if cases else []) + found), when)


def _print_alerts(found: list[Alert], day: dt.date) -> None:
    from records.deadlines import DUE_SOON, INFO, LEVELS, OVERDUE, URGENT
    from records.polish import date_short

    symbols = {URGENT: "‼", OVERDUE: "✘", DUE_SOON: "!", INFO: "i"}
    if not found:
        click.echo(f"Terminy na dzień {date_short(day)}: brak przekroczonych i zbliżających się.")
        return
    counts = ", ".join(
        f"{label}: {sum(a.level == level for a in found)}"
        for level, label in LEVELS.items()
        if any(a.level == level for a in found)
    )
    lines = [f"Terminy na dzień {date_short(day)} ({counts}):"]
    for alert in found:
        who = f"{alert.sprawa} ({alert.asystent})" if alert.sprawa else alert.asystent or "ośrodek"
        lines.append(f"  {symbols[alert.level]} {LEVELS[alert.level]}: {who}: {alert.text}")
    click.echo("\n".join(lines))  # one write: an office has thousands of deadlines


@cli.command()
@workspace_option
@click.option("--kwota", metavar="KWOTA", help="Kwota dotacji, np. 16202,25.")
@click.option("--koszt-miesieczny", metavar="KWOTA", help="Miesięczny koszt pracy asystenta.")
@click.option("--edycja", metavar="ROK", help="Edycja programu z dotacje.toml, np. 2024.")
@click.option("--od", "od", metavar="RRRR-MM-DD", help="Z --edycja: pierwszy dzień okresu.")
@click.option("--do", "do", metavar="RRRR-MM-DD", help="Z --edycja: ostatni dzień okresu.")
def dotacja(
    workspace: Path | None,
    kwota: str | None,
    koszt_miesieczny: str | None,
    edycja: str | None,
    od: str | None,
    do: str | None,
) -> None:
    """Dotacja z programu „Asystent rodziny”: ile miesięcy pracy pokrywa kwota albo ile
    przysługuje według zasad edycji.

    Z --edycja: dofinansowanie kosztów zatrudnienia i dodatki za przepracowane miesiące, dla
    każdego asystenta z rejestru w asystent.toml i razem, z godzin pracy z ewidencji (wizyty
    i notatki); szczegóły miesiąc po miesiącu w raporty/dotacja_*.csv.

    Przykłady: asystent dotacja --kwota 16202.25 --koszt-miesieczny 2500;
    asystent dotacja --edycja 2024 --od 2024-01-01 --do 2024-12-31
    """
    from records.fsutil import atomic_write
    from records.grant import compute_grant, grant_csv
    from records.kept_facts import all_facts
    from records.polish import amount
    from records.settings import load_workspace
    from records.store import open_store

    if edycja is None:
        if kwota is None or koszt_miesieczny is None:
            raise UsageError(
                "Podaj --kwota i --koszt-miesieczny albo --edycja z --od i --do "
                "(asystent dotacja --help)."
            )
        found = _grant(kwota, koszt_miesieczny, "--kwota")
        if found is not None:
            click.echo(found.text)
        return
    if od is None or do is None or kwota or koszt_miesieczny:
        raise UsageError("Z --edycja podaj --od i --do (bez --kwota i --koszt-miesieczny).")
    ws = load_workspace(workspace)
    store = open_store(ws)
    result = compute_grant(ws, all_facts(store), edycja, _day(od), _day(do))
    path = ws.reports / f"dotacja_{edycja}_{od}_{do}.csv"
    atomic_write(path, grant_csv(result))
    store.audit("raport", plik=path.name)
    click.echo(f"{result.name or 'Program „Asystent rodziny”'}: okres {od} – {do}")
    for name, (covered, supplement) in result.per_assistant().items():
        click.echo(
            f"  {name}: dofinansowanie kosztów {amount(covered)}, dodatki {amount(supplement)}"
        )
    covered, supplement = result.total
    click.echo(
        f"Razem: dofinansowanie kosztów {amount(covered)}, dodatki {amount(supplement)}, "
        f"łącznie {amount(covered + supplement)}"
    )
    missing = sorted({m.asystent for m in result.months if m.cost is None})
    if missing:
        click.echo(
            "Uwaga: rejestr nie podaje kosztu (koszt_miesieczny albo stawka_godzinowa) dla: "
            + ", ".join(missing)
        )
    click.echo(f"Miesiąc po miesiącu: {path}")


@cli.command()
@workspace_option
@click.argument("sprawa", required=False)
@click.option("--force", is_flag=True, help="Zarchiwizuj także sprawę niezakończoną.")
@click.option(
    "--verify",
    "verify",
    type=click.Path(path_type=Path),
    metavar="ŚCIEŻKA",
    help="Sprawdź istniejącą paczkę (kompletność i sumy kontrolne) zamiast tworzyć nową.",
)
def archive(workspace: Path | None, sprawa: str | None, force: bool, verify: Path | None) -> None:
    """Paczka archiwalna sprawy (BagIt) w folderze archiwum/, albo sprawdzenie paczki.

    Paczka zawiera oryginały formularzy, wszystkie dokumenty, rekordy z historią, wpisy dziennika
    audytu i spis.txt; bag-info.txt podaje symbol JRWA i kategorię z asystent.toml [archiwum].

    Przykłady: asystent archive GOPS.AR.4011.3.2025
               asystent archive --verify archiwum/GOPS.AR.4011.3.2025_2026-11-25
    """
    from records.archive import archive_case, verify_package
    from records.settings import load_workspace
    from records.store import open_store

    if verify is not None:
        if sprawa or force:
            raise UsageError("--verify sprawdza paczkę: nie podawaj wtedy sprawy ani --force.")
        problems = verify_package(verify)
        if problems:
            for problem in problems:
                click.echo(f"✘ {problem}")
            click.echo(f"Paczka {verify} jest NIEPOPRAWNA: problemów {len(problems)}.")
            sys.exit(1)
        click.echo(
            f"✔ Paczka {verify} jest kompletna, a sumy kontrolne wszystkich plików się zgadzają."
        )
        return
    if not sprawa:
        raise UsageError("Podaj znak sprawy (asystent archive SPRAWA) albo --verify ŚCIEŻKA.")
    ws = load_workspace(workspace)
    package = archive_case(ws, open_store(ws), sprawa, force=force)
    click.echo(
        f"✔ Paczka archiwalna: {package.path} (formularzy: {package.forms}, dokumentów: "
        f"{package.documents}, rekordów: {package.records})"
    )
    click.echo(f"Spis zawartości: {package.path / 'data' / 'spis.txt'}")


@cli.command()
@workspace_option
@click.argument("sprawa")
@click.option("--force", is_flag=True, help="Usuń także sprawę bez paczki archiwalnej.")
def erase(workspace: Path | None, sprawa: str, force: bool) -> None:
    """Usuń wszystkie dane sprawy z przestrzeni roboczej (po upływie okresu przechowywania).

    Usuwa rekordy, dokumenty, oryginały formularzy, raporty wymieniające sprawę i jej paczki
    w archiwum/. Wymaga wcześniejszej paczki archiwalnej (albo --force) i potwierdzenia
    przez wpisanie znaku sprawy. Usługa watch musi być na ten czas zatrzymana.

    Przykład: asystent erase GOPS.AR.4011.3.2025
    """
    from records.erase import carry_out, plan_erasure
    from records.settings import load_workspace
    from records.store import open_store
    from records.watch import service_stopped

    ws = load_workspace(workspace)
    store = open_store(ws)
    with service_stopped(ws, "usuwasz dane sprawy"):
        plan = plan_erasure(ws, store, sprawa, force=force)
        click.echo(f"Zostaną trwale usunięte dane sprawy {plan.sprawa}:")
        for line in plan.summary():
            click.echo(f"  {line}")
        for path in plan.forms_elsewhere:
            click.echo(f"  formularz: {_rel(ws, path)}")
        for path in plan.reports:
            click.echo(f"  raport: {_rel(ws, path)}")
        if not plan.archived:
            click.echo("  UWAGA: sprawa nie ma paczki archiwalnej (--force).")
        if plan.not_yet:  # the web waits; the administrator is told before confirming
            click.echo(f"  UWAGA: według planu przechowywania jeszcze nie teraz: {plan.not_yet}.")
        answer = click.prompt("Aby potwierdzić, wpisz znak sprawy", default="", show_default=False)
        if answer.strip() != plan.sprawa:
            click.echo("Nie potwierdzono: niczego nie usunięto.")
            sys.exit(1)
        pseudonym = carry_out(ws, store, plan)
    click.echo(f"✔ Usunięto dane sprawy. W dzienniku audytu sprawa występuje jako {pseudonym}.")
    if plan.reports:
        click.echo("Usunięte raporty można utworzyć ponownie poleceniem asystent report.")


@cli.command()
@workspace_option
@click.option("--host", default="127.0.0.1", show_default=True, help="Adres nasłuchiwania.")
@click.option("--port", default=8080, show_default=True, type=click.IntRange(1, 65535))
def serve(workspace: Path | None, host: str, port: int) -> None:
    """Interfejs WWW dla pracowników ośrodka (logowanie, rodziny, formularze, terminy).

    Domyślnie tylko na tym komputerze (127.0.0.1). W sieci biura uruchom go za serwerem HTTPS
    (odwrotne proxy) z --host 0.0.0.0: ciasteczka sesji są wtedy wysyłane tylko przez HTTPS.

    Przykład: asystent serve --port 8080
    """
    from waitress import create_server

    from records.accounts import Users
    from records.log import get_logger
    from records.settings import load_workspace
    from records.web.app import create_app, warm_up

    ws = load_workspace(workspace)
    local = host in ("127.0.0.1", "localhost", "::1")
    app = create_app(ws, secure_cookies=not local)
    try:  # bind first: announce the address only when it is ours
        server = create_server(app, host=host, port=port, threads=8, ident="asystent")
    except OSError as err:
        raise UsageError(
            f"Nie można uruchomić interfejsu WWW na {host}:{port}: {os_error_text(err)}."
        ) from None
    threading.Thread(target=warm_up, args=(app,), daemon=True).start()
    if not Users(ws).all():
        click.echo(
            "Nie ma jeszcze kont. Utwórz pierwsze: asystent users add LOGIN --rola kierownik"
        )
    where = f"http://{host}:{port}/"
    click.echo(f"asystent: interfejs WWW pod adresem {where} (Ctrl+C zatrzymuje)")
    if not local:
        click.echo("Uwaga: poza localhost używaj tylko za serwerem HTTPS (ciasteczka Secure).")
    get_logger(ws.log_file).info("Interfejs WWW uruchomiony na %s:%s", host, port)
    try:
        server.run()
    except KeyboardInterrupt:
        click.echo("Zatrzymano interfejs WWW.")


@cli.group()
def users() -> None:
    """Konta interfejsu WWW i ich role."""


@users.command("add")
@workspace_option
@click.argument("login")
@click.option("--rola", required=True, type=LazyChoice(_roles), help="Rola konta.")
@click.option(
    "--nazwa",
    default="",
    help="Imię i nazwisko jak w formularzach (wymagane dla asystenta i pracownika socjalnego).",
)
@click.password_option(
    "--haslo",
    prompt="Hasło",
    confirmation_prompt="Powtórz hasło",
    help="Hasło (co najmniej 10 znaków); bez tej opcji program o nie zapyta.",
)
def users_add(workspace: Path | None, login: str, rola: str, nazwa: str, haslo: str) -> None:
    """Dodaj konto: asystent users add anna --rola asystent --nazwa "Anna Wiśniewska"."""
    from records.accounts import ROLES, Users
    from records.settings import load_workspace
    from records.store import open_store

    ws = load_workspace(workspace)
    user = Users(ws).add(login, rola, nazwa, haslo)
    open_store(ws).audit("konto_dodane", uzytkownik=user.login, rola=user.rola)
    click.echo(f"✔ Konto {user.login} ({ROLES[user.rola]}, {user.nazwa})")


@users.command("list")
@workspace_option
def users_list(workspace: Path | None) -> None:
    """Wypisz konta i ich role."""
    from records.accounts import ROLES, Users
    from records.settings import load_workspace

    for user in Users(load_workspace(workspace)).all():
        click.echo(f"{user.login:<20} {ROLES[user.rola]:<20} {user.nazwa}")


@users.command("remove")
@workspace_option
@click.argument("login")
def users_remove(workspace: Path | None, login: str) -> None:
    """Usuń konto (jego wpisy w dzienniku audytu zostają); jego sesje w przeglądarce się kończą,
    a szkice formularzy są usuwane."""
    from records.accounts import Users
    from records.drafts import Drafts
    from records.settings import load_workspace
    from records.store import open_store

    ws = load_workspace(workspace)
    user = Users(ws).get(login)
    Users(ws).remove(login)
    drafts = 0
    if user is not None:
        _end_sessions(ws, user.login)
        drafts = Drafts(ws).remove_all(user.login)  # a new account of this login is another person
    open_store(ws).audit("konto_usuniete", uzytkownik=login, szkicow=drafts)
    click.echo(
        f"✔ Usunięto konto {login}" + (f" i jego szkice formularzy ({drafts})" if drafts else "")
    )


@users.command("password")
@workspace_option
@click.argument("login")
@click.password_option(
    "--haslo",
    prompt="Nowe hasło",
    confirmation_prompt="Powtórz hasło",
    help="Nowe hasło (co najmniej 10 znaków); bez tej opcji program o nie zapyta.",
)
def users_password(workspace: Path | None, login: str, haslo: str) -> None:
    """Zmień hasło konta; wszystkie jego sesje w przeglądarce się kończą.

    Przykład: asystent users password anna
    """
    from records.accounts import Users
    from records.settings import load_workspace
    from records.store import open_store

    ws = load_workspace(workspace)
    user = Users(ws).set_password(login, haslo)
    _end_sessions(ws, user.login)
    open_store(ws).audit("haslo_zmienione", uzytkownik=user.login)
    click.echo(f"✔ Zmieniono hasło konta {user.login}; jego sesje zostały zakończone.")


def _end_sessions(ws: Workspace, login: str) -> None:
    from records.web.sessions import Sessions

    Sessions(ws.data).close_all(login)


@cli.command()
@click.argument(
    "directory", required=False, default="asystent-demo", type=click.Path(path_type=Path)
)
def demo(directory: Path) -> None:
    """Utwórz przestrzeń demonstracyjną z przykładowych rodzin i wygeneruj wszystkie dokumenty.

    Przykład: asystent demo /tmp/asystent-demo
    """
    from records.case import Case
    from records.demo import run_demo
    from records.log import get_logger
    from records.models import case_folder
    from records.pipeline import REJECTED
    from records.polish import counted
    from records.settings import load_workspace
    from records.store import open_store

    result = run_demo(directory)
    ws = load_workspace(result.root)
    store = open_store(ws)
    click.echo(f"Przestrzeń demonstracyjna: {result.root}")
    for case in (Case.load(store, number) for number in store.case_numbers()):
        if case is None or case.facts is None:
            continue
        folder = ws.documents / case_folder(case.sprawa)
        click.echo(f"\nSprawa {case.sprawa} ({case.facts.miejscowosc}) – dokumenty w {folder}:")
        for entry in sorted(case.documents, key=lambda e: e["nazwa"]):
            click.echo(f"  {entry['nazwa']}")
    year = result.reports[0].stem.split("_")[1][:4] if result.reports else ""
    click.echo(f"\nSprawozdanie z pracy asystentów za {year} r. (rok przykładowych danych):")
    for path in result.reports:
        click.echo(f"  {path}")
    rejected = [o for o, _ in result.outcomes if o.status == REJECTED]
    click.echo(f"\nCelowo błędne formularze odrzucone ({len(rejected)}), opisy błędów:")
    for outcome in rejected:
        click.echo(f"  {outcome.report}")
    unexpected = [o for o, intended in result.outcomes if not intended]
    for outcome in unexpected:
        click.echo(f"Nieoczekiwany wynik: {outcome.source.name}: {outcome.status}", err=True)
    done = counted(len(result.outcomes), "plik", "pliki", "plików")
    get_logger(ws.log_file).info("Demo: przetworzono %s", done)
    if unexpected:
        sys.exit(1)


def main() -> None:
    cli(prog_name="asystent")
