"""What office staff see (issue 19): the command line in Polish, errors in the terms of the form
the person filled, every error of a form at once, and the web pages people asked for.

The web pages are driven through Flask's test client on a demo workspace (the browser test of
the same pages is in test_web.py).
"""

from __future__ import annotations

import re
from pathlib import Path

import docx
import pytest
from conftest import add_account, csrf_token, docx_text, ingest, run, web_client

from records.readers import read_form
from records.resources import data_dir
from records.settings import load_workspace
from records.web.app import create_app
from records.wordforms.build import blank_form, fill_form

PASSWORD = "haslo-testowe-1"


# -- the command line ----------------------------------------------------------------------------


def test_help_and_usage_errors_are_in_polish(ws: Path) -> None:
    from click.testing import CliRunner

    from records.cli import cli

    runner = CliRunner()
    texts = [
        runner.invoke(cli, ["--help"]).output,
        runner.invoke(cli, ["report", "--help"]).output,
        runner.invoke(cli, ["users", "--help"]).output,
    ]
    for text in texts:
        assert text.startswith("Użycie: ")
        assert "Opcje:" in text and "Pokaż tę pomoc i zakończ." in text
        for english in ("Usage:", "Options:", "Show this message", "Commands:", "[required]"):
            assert english not in text
    assert "Polecenia:" in texts[0] and "[OPCJE] POLECENIE [ARGUMENTY]..." in texts[0]
    assert "[wymagane]" in texts[1]
    typo = runner.invoke(cli, ["raport"])
    assert typo.exit_code == 2
    assert "Błąd: nie ma polecenia 'raport'. Czy chodziło o 'report'?" in typo.output
    missing = runner.invoke(cli, ["report", "--workspace", str(ws), "--od", "2026-01-01"])
    assert "Błąd: brak wymaganej opcji '--do'." in missing.output
    assert re.search(r"Pomoc: \S+ report --help", missing.output)  # the program's name varies
    wrong = runner.invoke(
        cli,
        [
            "report",
            "--workspace",
            str(ws),
            "--od",
            "1.01.2026",
            "--do",
            "2026-06-30",
            "--format",
            "pdf",
        ],
    )
    assert "niepoprawna wartość '--format': 'pdf' nie jest żadną z wartości: 'docx', 'csv'" in (
        wrong.output
    )


def test_dates_are_typed_the_polish_way_everywhere(ws: Path) -> None:
    result = run("alerts", "--workspace", ws, "--na-dzien", "30.06.2026")
    assert result.exit_code == 0
    assert "Terminy na dzień 30.06.2026 r." in result.output
    from click.testing import CliRunner

    from records.cli import cli

    bad = CliRunner().invoke(cli, ["alerts", "--workspace", str(ws), "--na-dzien", "31.02.2026"])
    assert bad.exit_code == 2
    assert "Data „31.02.2026” nie istnieje w kalendarzu." in bad.output
    named = run("alerts", "--workspace", ws, "--na-dzien", "30 czerwca 2026 r.")
    assert named.exit_code == 0 and "Terminy na dzień 30.06.2026 r." in named.output
    shape = CliRunner().invoke(cli, ["alerts", "--workspace", str(ws), "--na-dzien", "30.06"])
    assert shape.exit_code == 2
    assert "musi mieć postać DD.MM.RRRR (np. 30.06.2026)" in shape.output


def test_watch_once_does_not_tell_to_press_ctrl_c(ws: Path) -> None:
    from conftest import watch_once

    done = watch_once(ws, 60)
    assert done.returncode == 0, done.stdout + done.stderr
    assert "Ctrl+C" not in done.stdout
    assert "Przetwarzam pliki czekające w" in done.stdout


# -- errors: in the form's terms, all at once, with the nearest case ---------------------------------


def visit(**changes: str) -> dict:
    data = read_form(data_dir("forms") / "protokol_wizyty.yaml").data
    return data | changes


def test_a_yaml_form_gets_every_error_at_once(ws: Path, outside: Path) -> None:
    ingest(ws, outside, read_form(data_dir("forms") / "metryczka_rodziny.yaml").data)
    output = ingest(
        ws, outside, visit(data="2026-13-45", godzina_od="15:00", godzina_do="14:00"), expect=1
    )
    # The impossible date does not hide that the visit ends before it starts.
    assert "data: taka data nie istnieje w kalendarzu" in output
    assert "godzina_do: wartość musi być późniejsza niż w polu godzina_od" in output
    # Nor a case number nobody has (the office's own file: the case rules run too).
    sheet = read_form(data_dir("forms") / "metryczka_rodziny.yaml").data
    output = ingest(ws, outside, visit(data="2026-13-45", sprawa=sheet["sprawa"] + "9"), expect=1)
    assert "data: taka data nie istnieje w kalendarzu" in output
    assert f"nie ma sprawy o tym numerze; czy chodziło o „{sheet['sprawa']}”?" in output


def test_a_word_form_is_told_its_errors_in_its_own_terms(ws: Path, outside: Path) -> None:
    ingest(ws, outside, read_form(data_dir("forms") / "metryczka_rodziny.yaml").data)
    data = visit(godzina_od="15:00", godzina_do="14:00")
    data["ustalenia"][0]["termin"] = "2026-02-30"
    path = outside / "protokol.docx"
    path.write_bytes(fill_form(blank_form("protokol_wizyty"), data))
    result = run("ingest", "--workspace", ws, path)
    assert result.exit_code == 1
    report = (ws / "odrzucone" / "protokol.docx.bledy.txt").read_text(encoding="utf-8")
    assert "Godzina zakończenia: wartość musi być późniejsza niż w polu „Godzina rozpoczęcia”" in (
        report
    )
    assert "godzina_od" not in report and "RRRR-MM-DD" not in report


def test_a_mistyped_case_number_names_the_nearest_existing_one(ws: Path, outside: Path) -> None:
    sheet = read_form(data_dir("forms") / "metryczka_rodziny.yaml").data
    ingest(ws, outside, sheet)
    output = ingest(ws, outside, visit(sprawa="AR.4011.1.2062"), expect=1)
    assert f"nie ma sprawy o tym numerze; czy chodziło o „{sheet['sprawa']}”?" in output
    assert "Jeśli to nowa sprawa: najpierw wyślij metryczkę rodziny" in output


# -- the web pages --------------------------------------------------------------------------------


@pytest.fixture
def demo(tmp_path: Path) -> Path:
    root = tmp_path / "demo"
    made = run("demo", root)
    assert made.exit_code == 0, made.output
    for login, role, name in (
        ("anna", "asystent", "Anna Wiśniewska"),
        ("szef", "kierownik", "Barbara Przykładowa"),
        ("sekretariat", "sekretariat", "Sekretariat"),
    ):
        add_account(root, login, role, name, PASSWORD)
    return root


def test_a_browser_sender_learns_nothing_of_a_case_from_a_bad_form(demo: Path) -> None:
    """Beside schema errors, the case rules run only for the office's own files: a browser
    sender is told about the form, not whether a case of that number exists or is closed."""
    import io

    client = web_client(demo, "anna", PASSWORD)
    data = b"formularz: protokol_wizyty\nsprawa: OPS/AR/7/2026\ndata: 2026-13-45\n"
    response = client.post(
        "/wyslij",
        data={
            "plik": (io.BytesIO(data), "wizyta.yaml"),
            "csrf_token": csrf_token(client, "/wyslij"),
        },
        content_type="multipart/form-data",
    )
    assert response.status_code == 422
    assert "taka data nie istnieje w kalendarzu" in response.text
    assert "praca z tą rodziną została zakończona" not in response.text  # said to the office


def test_search_ignores_polish_letters_and_case(demo: Path) -> None:
    client = web_client(demo, "szef", PASSWORD)
    for typed, found in (
        ("zielinski", "OPS/AR/7/2026"),
        ("WISNIEWSKA", "GOPS.AR.4011.3.2025"),
        ("belecin", "GOPS.AR.4011.3.2025"),
    ):
        page = client.get("/", query_string={"q": typed}).text
        assert found in page, typed
    assert "OPS/AR/7/2026" not in client.get("/", query_string={"q": "belecin"}).text


def test_blank_forms_are_offered_in_word_and_yaml_with_the_offices_heading(
    demo: Path, tmp_path: Path
) -> None:
    client = web_client(demo, "anna", PASSWORD)
    page = client.get("/formularze").text
    assert "Notatka z interwencji" in page and "Pobierz umieszczenie_dziecka.docx" in page
    word = client.get("/formularze/protokol_wizyty.docx")
    assert word.status_code == 200
    path = tmp_path / "protokol_wizyty.docx"
    path.write_bytes(word.data)
    heading = load_workspace(demo).settings.osrodek.nazwa
    assert docx_text(path).startswith(f"{heading}\nProtokół z wejścia do rodziny")
    text = client.get("/formularze/notatka.yaml").data.decode("utf-8")
    assert text.startswith("# ====") and "formularz: notatka" in text
    assert client.get("/formularze/nieznany.docx").status_code == 404


def test_a_changed_password_ends_the_other_sessions_but_not_this_one(demo: Path) -> None:
    here, there = web_client(demo, "anna", PASSWORD), web_client(demo, "anna", PASSWORD)
    wrong = here.post(
        "/haslo",
        data={
            "obecne": "nie-to-haslo",
            "nowe": "nowe-haslo-123",
            "powtorzone": "nowe-haslo-123",
            "csrf_token": csrf_token(here, "/haslo"),
        },
    )
    assert wrong.status_code == 400 and "Obecne hasło jest nieprawidłowe" in wrong.text
    done = here.post(
        "/haslo",
        data={
            "obecne": PASSWORD,
            "nowe": "nowe-haslo-123",
            "powtorzone": "nowe-haslo-123",
            "csrf_token": csrf_token(here, "/haslo"),
        },
        follow_redirects=True,
    )
    assert "Hasło zmienione" in done.text
    assert here.get("/").status_code == 200
    assert there.get("/").status_code == 302  # to the login page
    web_client(demo, "anna", "nowe-haslo-123")


def test_the_manager_adds_disables_and_resets_accounts(demo: Path) -> None:
    boss = web_client(demo, "szef", PASSWORD)
    added = boss.post(
        "/konta",
        data={
            "login": "ewa",
            "rola": "pracownik_socjalny",
            "nazwa": "Joanna Kruk",
            "haslo": "haslo-ewy-12345",
            "csrf_token": csrf_token(boss, "/konta"),
        },
        follow_redirects=True,
    )
    assert "Dodano konto ewa (pracownik socjalny)" in added.text
    ewa = web_client(demo, "ewa", "haslo-ewy-12345")
    boss.post("/konta/ewa/wylacz", data={"csrf_token": csrf_token(boss, "/konta")})
    assert ewa.get("/").status_code == 302  # her session ended
    off = create_app(load_workspace(demo)).test_client()
    login = off.post(
        "/logowanie",
        data={
            "login": "ewa",
            "haslo": "haslo-ewy-12345",
            "csrf_token": csrf_token(off, "/logowanie"),
        },
    )
    assert login.status_code == 401
    boss.post("/konta/ewa/wlacz", data={"csrf_token": csrf_token(boss, "/konta")})
    boss.post(
        "/konta/ewa/haslo",
        data={"haslo": "inne-haslo-678", "csrf_token": csrf_token(boss, "/konta")},
    )
    web_client(demo, "ewa", "inne-haslo-678")
    short = boss.post(
        "/konta",
        data={
            "login": "x",
            "rola": "asystent",
            "nazwa": "",
            "haslo": "krotkie",
            "csrf_token": csrf_token(boss, "/konta"),
        },
    )
    assert short.status_code == 400 and "Nie dodano konta" in short.text
    assert web_client(demo, "anna", PASSWORD).get("/konta").status_code == 403


def test_the_packaged_template_can_be_restored_and_its_help_is_in_the_application(
    demo: Path, tmp_path: Path
) -> None:
    client = web_client(demo, "sekretariat", PASSWORD)
    own = tmp_path / "kontrakt.docx"
    document = docx.Document()
    document.add_paragraph("Kontrakt ośrodka: {{ dane.cel }}")
    document.save(str(own))
    with own.open("rb") as handle:
        client.post(
            "/szablony/kontrakt",
            data={"plik": (handle, "kontrakt.docx"), "csrf_token": csrf_token(client, "/szablony")},
            content_type="multipart/form-data",
        )
    assert (demo / "szablony" / "kontrakt.docx").is_file()
    assert "Przywróć wbudowany" in client.get("/szablony").text
    restored = client.post(
        "/szablony/kontrakt/przywroc",
        data={"csrf_token": csrf_token(client, "/szablony")},
        follow_redirects=True,
    )
    assert "Przywrócono szablon wbudowany „Kontrakt z rodziną”" in restored.text
    assert not (demo / "szablony" / "kontrakt.docx").exists()
    kept = list((demo / "szablony" / "poprzednie").glob("kontrakt_*.docx"))
    assert len(kept) == 1 and kept[0].read_bytes() == own.read_bytes()
    help_page = client.get("/pomoc/szablony").text
    assert "<table>" in help_page and "rodzina.w_pieczy[]" in help_page
    assert "docs/szablony.md" not in client.get("/szablony").text


def test_deadlines_on_a_chosen_day_and_documents_by_title(demo: Path) -> None:
    client = web_client(demo, "szef", PASSWORD)
    page = client.get("/terminy", query_string={"na_dzien": "27.03.2026"}).text
    assert "Terminy na dzień 27.03.2026" in page
    assert "pilne" in page and "interwencja z 27.03.2026 r." in page
    bad = client.get("/terminy", query_string={"na_dzien": "31.02.2026"})
    assert bad.status_code == 400 and "nie istnieje w kalendarzu" in bad.text
    wrong = client.get("/terminy", query_string={"na_dzien": "31.2026"})
    assert wrong.status_code == 400 and "musi mieć postać DD.MM.RRRR" in wrong.text
    case = client.get("/sprawa/OPS_AR_7_2026").text
    assert ">Protokół z wejścia do rodziny</a>" in case
    assert ">Notatka z interwencji</a>" in case
    assert "dane przykładowe (asystent demo)" in case
    chart = client.get("/sprawozdanie", query_string={"od": "2026-01-01", "do": "2026-12-31"}).text
    assert "mar 2026" in chart and "2026-03</text>" not in chart
