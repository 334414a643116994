"""The web interface (issue 10), through a real browser against the real server.

`asystent serve` runs as a subprocess on the demo workspace; Chromium from the system's packages
is driven by Playwright. Screenshots go to the test's folder, and to docs/img/ when
ASYSTENT_SCREENSHOTS=1 (that is how the README's pictures are made).
"""

from __future__ import annotations

import json
import os
import shutil
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import docx
import pytest
from conftest import FAMILY, add_account, docx_text, form, run, write_yaml
from conftest import audit_lines as stored_audit

playwright = pytest.importorskip("playwright.sync_api")

CHROMIUM = shutil.which("chromium") or shutil.which("chromium-browser")
ANNA_CASE, MAREK_CASE = "MOPS.AR.4011.12.2026", "OPS_AR_7_2026"
NEW_CASE = "MOPS.AR.4011.20.2026"
PASSWORDS = {"anna": "haslo-anny-123", "szef": "haslo-szefa-123", "marek": "haslo-marka-123"}
SCREENSHOTS = Path(__file__).parent.parent / "docs" / "img"

pytestmark = pytest.mark.skipif(CHROMIUM is None, reason="Chromium is not installed")


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


@pytest.fixture(scope="module")
def server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[str, Path]]:
    root = tmp_path_factory.mktemp("web") / "ws"
    made = run("demo", root)
    assert made.exit_code == 0, made.output
    for login, role, name in (
        ("anna", "asystent", "Anna Wiśniewska"),
        ("marek", "asystent", "Marek Nowicki"),
        ("szef", "kierownik", "Barbara Przykładowa"),
    ):
        add_account(root, login, role, name, PASSWORDS[login])
    port = free_port()
    process = subprocess.Popen(
        [sys.executable, "-m", "records", "serve", "--workspace", str(root), "--port", str(port)],
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
    )
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline:
        try:
            socket.create_connection(("127.0.0.1", port), timeout=0.5).close()
            break
        except OSError:
            time.sleep(0.2)
    else:
        process.kill()
        raise AssertionError(process.stdout.read().decode())
    yield f"http://127.0.0.1:{port}", root
    process.terminate()
    process.wait(timeout=10)
    said = process.stdout.read().decode()
    assert "Traceback" not in said, said  # the service says what it does in Polish, never that


@pytest.fixture(scope="module")
def browser() -> Iterator[object]:
    with playwright.sync_playwright() as p:
        chromium = p.chromium.launch(executable_path=CHROMIUM, args=["--no-sandbox"])
        yield chromium
        chromium.close()


@pytest.fixture
def page(browser, tmp_path: Path):
    context = browser.new_context(
        accept_downloads=True, locale="pl-PL", viewport={"width": 1280, "height": 900}
    )
    page = context.new_page()
    yield page
    context.close()


def shot(page, name: str, tmp_path: Path) -> None:
    page.screenshot(path=str(tmp_path / f"{name}.png"), full_page=True)
    if os.environ.get("ASYSTENT_SCREENSHOTS"):
        SCREENSHOTS.mkdir(parents=True, exist_ok=True)
        page.screenshot(path=str(SCREENSHOTS / f"{name}.png"), full_page=False)


def log_in(page, base: str, login: str) -> None:
    page.goto(f"{base}/logowanie")
    page.fill("input[name=login]", login)
    page.fill("input[name=haslo]", PASSWORDS[login])
    page.click("button[type=submit]")


def audit_lines(root: Path) -> list[dict]:
    return [json.loads(line) for line in stored_audit(root)]


def test_an_assistant_works_with_her_families(server, page, tmp_path: Path) -> None:
    base, root = server
    # Not logged in: the case page sends to the login page, and back after logging in.
    page.goto(f"{base}/sprawa/{ANNA_CASE}")
    assert "/logowanie" in page.url
    shot(page, "web_logowanie", tmp_path)
    page.fill("input[name=login]", "anna")
    page.fill("input[name=haslo]", PASSWORDS["anna"])
    page.click("button[type=submit]")
    assert page.url.endswith(f"/sprawa/{ANNA_CASE}")
    # The families page lists her two families, not Marek's.
    page.goto(base)
    links = page.locator("table a").all_inner_texts()
    assert links == ["GOPS.AR.4011.3.2025", ANNA_CASE]
    assert "Nowak" in page.content()

    # Send a new family's sheet from the browser: accepted at once, with its document.
    sheet = write_yaml(
        tmp_path / "metryczka.yaml",
        form(FAMILY, sprawa=NEW_CASE, data_przydzielenia="2026-09-01"),
    )
    page.goto(f"{base}/wyslij")
    page.set_input_files("input[name=plik]", str(sheet))
    page.click("main button[type=submit]")
    result = page.locator("#wynik").inner_text()
    assert (
        "przyjęto" in result
        and NEW_CASE in result
        and "metryczka_rodziny_2026-09-01.docx" in result
    )
    shot(page, "web_wyslij", tmp_path)
    # A wrong form: the errors field by field, nothing stored.
    wrong = write_yaml(
        tmp_path / "zla_wizyta.yaml",
        {
            "formularz": "protokol_wizyty",
            "sprawa": NEW_CASE,
            "data": "2026-09-10",
            "godzina_od": "12:00",
            "godzina_do": "11:00",
            "obecni": ["Ewa Kowalska"],
            "cel_wizyty": "Poznanie rodziny",
            "przebieg": "Rozmowa.",
            "ustalenia": [],
        },
    )
    page.set_input_files("input[name=plik]", str(wrong))
    page.click("main button[type=submit]")
    errors = page.locator("#wynik table").inner_text()
    assert "godzina_do" in errors and "nie został przyjęty" in page.locator("#wynik").inner_text()
    shot(page, "web_bledy", tmp_path)

    # The case: members, documents; download one and read it.
    page.goto(f"{base}/sprawa/{NEW_CASE}")
    assert "Ewa Kowalska" in page.content() and "Członkowie rodziny" in page.content()
    with page.expect_download() as download:
        page.click("#dokumenty >> a:has-text('Metryczka rodziny')")  # listed by its title
    saved = tmp_path / "pobrany.docx"
    download.value.save_as(str(saved))
    assert "Kowalska" in docx_text(saved) and NEW_CASE in docx_text(saved)
    # Regenerate it: the same records give the same document.
    page.click("#dokumenty >> text=Wygeneruj ponownie")
    assert "metryczka_rodziny_2026-09-01.docx: bez zmian" in page.locator(".flash.ok").inner_text()
    page.goto(f"{base}/sprawa/{ANNA_CASE}")
    shot(page, "web_sprawa", tmp_path)

    # Alerts: the new family has had no visit since 1 September.
    page.goto(f"{base}/terminy")
    row = page.locator("tr", has_text=NEW_CASE).filter(has_text="brak wizyty")
    assert row.count() == 1
    shot(page, "web_terminy", tmp_path)

    # Another assistant's family: 403, in Polish.
    response = page.goto(f"{base}/sprawa/{MAREK_CASE}")
    assert response.status == 403
    assert "Nie masz dostępu" in page.content()

    # Every view and download is in the audit trail, with the login and no personal data.
    trail = audit_lines(root)
    assert any(
        line["czynnosc"] == "wglad" and line["uzytkownik"] == "anna" and line["sprawa"] == NEW_CASE
        for line in trail
    )
    assert any(
        line["czynnosc"] == "pobranie" and line["dokument"] == "metryczka_rodziny_2026-09-01.docx"
        for line in trail
    )
    assert any(
        line["czynnosc"] == "odmowa_dostepu" and line["uzytkownik"] == "anna" for line in trail
    )
    assert not any("Kowalska" in line for line in stored_audit(root))

    # After logging out, the case page sends to the login page again.
    page.goto(base)
    page.click("header button")
    page.goto(f"{base}/sprawa/{ANNA_CASE}")
    assert "/logowanie" in page.url


def test_a_post_without_the_csrf_token_is_refused(server, page) -> None:
    base, root = server
    log_in(page, base, "anna")
    before = len(stored_audit(root))
    response = page.request.post(
        f"{base}/sprawa/{ANNA_CASE}/generuj/metryczka_rodziny_2026-01-12.docx", form={"x": "1"}
    )
    assert response.status == 400
    assert "CSRF" in response.text()
    assert not any("generowanie" in line for line in stored_audit(root)[before:])


def test_a_manager_sees_every_family_and_the_report(server, page, tmp_path: Path) -> None:
    base, _ = server
    log_in(page, base, "szef")
    assert len(page.locator("table a").all_inner_texts()) >= 3
    shot(page, "web_rodziny", tmp_path)
    page.goto(f"{base}/sprawozdanie?od=2026-01-01&do=2026-11-25")
    assert page.locator("svg.chart rect").count() >= 2 * 11
    assert "rodzin wspieranych" in page.content()
    shot(page, "web_sprawozdanie", tmp_path)
    with page.expect_download() as download:
        page.click("text=Pobierz .csv")
    saved = tmp_path / "raport.csv"
    download.value.save_as(str(saved))
    assert saved.read_bytes().startswith(b"\xef\xbb\xbfAsystent rodziny;")
    page.goto(f"{base}/szablony")
    assert "Sprawdź i zapisz" in page.content()


def test_login_attempts_are_throttled(server, page) -> None:
    base, _ = server
    page.goto(f"{base}/logowanie")
    statuses = []
    for _ in range(7):
        page.fill("input[name=login]", "ktos")
        page.fill("input[name=haslo]", "zle-haslo-123")
        response_info = page.expect_navigation()
        with response_info as navigation:
            page.click("button[type=submit]")
        statuses.append(navigation.value.status)
        if statuses[-1] == 429:
            break
        page.goto(f"{base}/logowanie")
    assert statuses[0] == 401 and statuses[-1] == 429
    assert "Za dużo prób logowania" in page.content()


def test_big_uploads_and_unknown_pages_get_polish_error_pages(server, page, tmp_path: Path) -> None:
    base, _ = server
    log_in(page, base, "szef")
    big = tmp_path / "duzy.docx"
    big.write_bytes(b"\0" * (12 * 1024 * 1024))
    page.goto(f"{base}/wyslij")
    page.set_input_files("input[name=plik]", str(big))
    with page.expect_navigation() as navigation:
        page.click("main button[type=submit]")
    assert navigation.value.status == 413
    assert "Plik jest za duży" in page.content()
    response = page.goto(f"{base}/sprawa/NIE.MA.1.2026")
    assert response.status == 404 and "Nie ma takiej strony, sprawy ani dokumentu" in page.content()
    assert "Traceback" not in page.content()


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (("x", "--rola", "kierownik", "--haslo", "krotkie"), "co najmniej 10 znaków"),
        (("ania", "--rola", "asystent", "--haslo", "dlugie-haslo-1"), "podaj --nazwa"),
        (("zły login", "--rola", "kierownik", "--haslo", "dlugie-haslo-1"), "Login może zawierać"),
    ],
)
def test_accounts_are_checked_when_added(ws: Path, args: tuple, message: str) -> None:
    result = run("users", "add", "--workspace", ws, *args)
    assert result.exit_code == 2
    assert message in result.output
    assert not (ws / "dane" / "uzytkownicy.json").exists()


def test_signatures_and_scans_are_shown_with_their_documents(server, page, tmp_path: Path) -> None:
    base, root = server
    log_in(page, base, "marek")
    page.goto(f"{base}/sprawa/{MAREK_CASE}")
    row = page.locator("#dokumenty tr", has_text="ocena_okresowa_2026-08-31.docx")
    text = row.inner_text()
    assert "Monika Zielińska podpisał(a)" in text
    assert "Tomasz Zieliński odmówił(a) podpisu (Nie zgadza się z opisem nawrotu" in text
    assert "przekazano: Kierownik ośrodka (pracodawca asystenta rodziny) (03.09.2026)" in text
    with page.expect_download() as download:
        row.get_by_role("link", name="skan podpisanego dokumentu").click()
    saved = tmp_path / "skan.jpg"
    download.value.save_as(str(saved))
    sample = Path(__file__).parent.parent / "sample_data" / "zielinscy_wschowa" / MAREK_CASE
    assert saved.read_bytes() == (sample / "ocena_okresowa_2026-08-31.jpg").read_bytes()
    # Attach a scan of the signed contract from the case page.
    contract = page.locator("#dokumenty tr", has_text="kontrakt_2026-03-16.docx")
    scan = tmp_path / "Skan kontraktu.pdf"
    scan.write_bytes(b"%PDF-1.4\n% podpisany kontrakt\n%%EOF\n")
    contract.locator("summary").click()
    contract.locator("input[type=file]").set_input_files(str(scan))
    contract.locator("text=Zapisz skan").click()
    flash = page.locator(".flash").inner_text()
    assert "Skan dokumentu kontrakt_2026-03-16.docx zapisano w aktach sprawy" in flash
    stored = root / "dokumenty" / MAREK_CASE / "skany" / "kontrakt_2026-03-16.pdf"
    assert stored.read_bytes() == scan.read_bytes()
    # Something else called .pdf is refused; the document stays without a scan.
    fake = tmp_path / "plan.pdf"
    fake.write_text("to nie jest skan", encoding="utf-8")
    plan = page.locator("#dokumenty tr", has_text="plan_pracy_2026-03-16.docx")
    plan.locator("summary").click()
    plan.locator("input[type=file]").set_input_files(str(fake))
    plan.locator("text=Zapisz skan").click()
    assert "Skan nie został przyjęty" in page.locator(".flash").inner_text()
    assert "nie jest skanem w formacie" in page.locator(".flash").inner_text()
    assert not (root / "dokumenty" / MAREK_CASE / "skany" / "plan_pracy_2026-03-16.pdf").exists()
    assert list((root / "dane" / "wysylane").iterdir()) == []
    assert any(
        line["czynnosc"] == "skan" and line["dokument"] == "kontrakt_2026-03-16.docx"
        for line in audit_lines(root)
    )
    # Another assistant may neither see the scan nor attach one.
    page.click("header button")
    log_in(page, base, "anna")
    response = page.goto(f"{base}/sprawa/{MAREK_CASE}/skan/ocena_okresowa_2026-08-31.docx")
    assert response.status == 403


def test_the_manager_works_with_accounts_forms_and_templates_in_the_browser(
    server, page, tmp_path: Path
) -> None:
    """The pages office staff asked for (issue 19), clicked through in Chromium."""
    base, root = server
    log_in(page, base, "szef")
    # Blank forms, with the office's heading.
    page.click("text=Puste formularze")
    assert "Notatka z interwencji" in page.content()
    shot(page, "web_formularze", tmp_path)
    with page.expect_download() as download:
        page.click("text=Pobierz notatka.docx")
    saved = tmp_path / "notatka.docx"
    download.value.save_as(str(saved))
    assert docx_text(saved).startswith("Miejski Ośrodek Pomocy Społecznej w Przykładowie")
    # An account added, then disabled.
    page.click("nav >> text=Konta")
    page.fill("form.stacked input[name=login]", "nowa")
    page.fill("form.stacked input[name=nazwa]", "Ewa Nowa")
    page.select_option("form.stacked select[name=rola]", "sekretariat")
    page.fill("form.stacked input[name=haslo]", "haslo-nowej-123")
    page.click("form.stacked button[type=submit]")
    assert "Dodano konto nowa (sekretariat)" in page.content()
    shot(page, "web_konta", tmp_path)
    page.locator("tr", has_text="Ewa Nowa").locator("text=Wyłącz konto").click()
    assert "Konto nowa jest wyłączone" in page.content()
    # A template of the office's own, then the packaged one restored.
    own = tmp_path / "notatka_szablon.docx"
    document = docx.Document()
    document.add_paragraph("Notatka ośrodka: {{ dane.tresc }}")
    document.save(str(own))
    page.goto(f"{base}/szablony")
    row = page.locator("tr", has_text="Notatka służbowa")
    row.locator("input[type=file]").set_input_files(str(own))
    row.locator("text=Sprawdź i zapisz").click()
    assert (root / "szablony" / "notatka.docx").is_file()
    page.locator("tr", has_text="Notatka służbowa").locator("text=Przywróć wbudowany").click()
    assert "Przywrócono szablon wbudowany „Notatka służbowa”" in page.content()
    assert not (root / "szablony" / "notatka.docx").exists()
    page.click("text=pomoc: zmienne szablonów")
    assert "rodzina.w_pieczy[]" in page.content()
    # Her own password, changed.
    page.click("text=Zmień hasło")
    shot(page, "web_haslo", tmp_path)
    page.fill("input[name=obecne]", PASSWORDS["szef"])
    page.fill("input[name=nowe]", "nowe-haslo-szefa-1")
    page.fill("input[name=powtorzone]", "nowe-haslo-szefa-1")
    page.click("form.stacked button[type=submit]")
    assert "Hasło zmienione" in page.content()
    PASSWORDS["szef"] = "nowe-haslo-szefa-1"  # the module's server keeps the new one
