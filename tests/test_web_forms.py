"""Forms in the browser: built from the same layouts as the Word forms, taken through the same
pipeline as a dropped file, errors beside their fields with the values kept.

Every kind is filled through the real page (Flask's client: the HTML form as a browser without
JavaScript sends it) and must store exactly what its YAML form stores; a visit is filled in
Chromium with a mouse and with the keyboard only, against the real `asystent serve`."""

from __future__ import annotations

import os
import re
import shutil
from pathlib import Path
from typing import Any

import pytest
from conftest import (
    add_account,
    csrf_token,
    docx_text,
    run,
    store_digest,
    stored,
    web_client,
    web_values,
)
from servers import serving

from records.models import FORMS, LAYOUTS
from records.pipeline import order_files
from records.readers import read_form
from records.resources import data_dir
from records.settings import load_workspace
from records.store import open_store
from records.wordforms import xml
from records.wordforms.build import blank_form, rows_for
from records.wordforms.read import open_document

KINDS = list(FORMS)
FORMS_DIR = data_dir("forms")
SCREENSHOTS = Path(__file__).parent.parent / "docs" / "img"
CHROMIUM = shutil.which("chromium") or shutil.which("chromium-browser")


def input_names(html: str) -> set[str]:
    """The names of a page's inputs, rows left out (`czlonkowie[2].pesel` -> `czlonkowie.pesel`)."""
    names = set(re.findall(r'<(?:input|select|textarea)[^>]* name="([^"]+)"', html))
    plain = {re.sub(r"\[\d+\]\.?", ".", n).rstrip(".") for n in names}
    return {n for n in plain if not n.startswith(("csrf_token", "wiersze:", "wyslij"))}


def yaml_keys(data: Any, prefix: str = "") -> set[str]:
    if isinstance(data, dict):
        return set().union(*(yaml_keys(v, f"{prefix}{k}.") for k, v in data.items()))
    if isinstance(data, list) and data and isinstance(data[0], dict):
        return set().union(*(yaml_keys(item, prefix) for item in data))
    return {prefix.rstrip(".")}


@pytest.fixture(scope="module")
def office(tmp_path_factory: pytest.TempPathFactory) -> Path:
    root = tmp_path_factory.mktemp("www") / "ws"
    assert run("init", root).exit_code == 0
    add_account(root, "szef", "kierownik", "Barbara Przykładowa", "haslo-kierownika-1!")
    return root


@pytest.mark.parametrize("kind", KINDS)
def test_the_web_form_holds_the_fields_of_the_word_and_the_yaml_form(
    office: Path, kind: str
) -> None:
    client = web_client(office, "szef", "haslo-kierownika-1!")
    page = client.get(f"/formularz/{kind}")
    assert page.status_code == 200
    layout = LAYOUTS[kind]
    declared = {f.key for f in layout.fields()} | {
        f"{t.key}.{c.key}".rstrip(".") for t in layout.tables() for c in t.columns
    }
    assert input_names(page.text) == declared  # one declaration: the layout
    _, root = open_document(blank_form(kind))
    word = {xml.tag_of(s) for s in root.iter(xml.w("sdt"))} - {"formularz", "wersja_formularza"}
    singles = {f.key for f in layout.fields() if f.kind != "codes"}
    assert singles <= word  # the Word form's controls: the same fields
    data = read_form(FORMS_DIR / f"{kind}.yaml").data
    merged = {f"{t.merge_into}.{c.key}" for t in layout.tables() if t.merge_into for c in t.columns}
    assert yaml_keys(data) - {"formularz"} <= declared | merged  # the YAML form's keys too
    for field in layout.fields():  # labels bound to their inputs, required ones marked
        if field.kind not in ("codes", "flag"):
            assert (
                f'<label for="pole-{re.sub(r"[^a-z0-9]+", "-", field.key)}">{field.label}'
                in page.text
            )


def test_every_kind_filled_in_the_browser_stores_what_its_yaml_form_stores(
    tmp_path: Path,
) -> None:
    yaml_ws = tmp_path / "yaml"
    assert run("init", yaml_ws).exit_code == 0
    files = []
    for kind in KINDS:
        files.append(tmp_path / f"{kind}.yaml")
        shutil.copy(FORMS_DIR / f"{kind}.yaml", files[-1])
    assert run("ingest", "--workspace", yaml_ws, *files).exit_code == 0
    expected = _by_kind(yaml_ws)

    web_ws = tmp_path / "www"
    assert run("init", web_ws).exit_code == 0
    add_account(web_ws, "szef", "kierownik", "Barbara Przykładowa", "haslo-kierownika-1!")
    client = web_client(web_ws, "szef", "haslo-kierownika-1!")
    for path in order_files([FORMS_DIR / f"{kind}.yaml" for kind in KINDS]):  # a batch's order
        kind = path.stem
        token = csrf_token(client, f"/formularz/{kind}")
        sent = web_values(kind, read_form(path).data) | {"csrf_token": [token], "wyslij": ["1"]}
        answer = client.post(f"/formularz/{kind}", data=sent)
        assert answer.status_code == 302, (kind, re.sub(r"\s+", " ", answer.text)[-1500:])
        assert "/przyjety?" in answer.headers["Location"]  # reloading it sends nothing again
        answer = client.get(answer.headers["Location"])
        assert "Przyjęto formularz" in answer.text, kind
        again = client.get(answer.request.url).text  # the same page, nothing sent again
        assert _said(again) == _said(answer.text)
    assert _by_kind(web_ws) == expected
    assert not any((web_ws / "odrzucone").iterdir())
    originals = sorted(p.name for p in (web_ws / "przetworzone").iterdir())
    assert len(originals) == len(KINDS) and all("_www_" in n for n in originals)


def _said(page: str) -> str:
    found = re.search(r'<div class="flash ok" id="wynik".*?</div>', page, re.S)
    assert found, page[-1500:]
    return found.group(0)


def _by_kind(ws: Path) -> dict[str, dict[str, Any]]:
    (number,) = open_store(load_workspace(ws)).case_numbers()  # the forms are for one case
    case = stored(ws, number)
    return {r["formularz"]: r["dane"] for r in case["rekordy"].values()}


def test_a_rejected_form_keeps_its_values_beside_the_errors_and_leaves_nothing(
    office: Path, tmp_path: Path
) -> None:
    client = web_client(office, "szef", "haslo-kierownika-1!")
    token = csrf_token(client, "/formularz/metryczka_rodziny")
    data = web_values("metryczka_rodziny", read_form(FORMS_DIR / "metryczka_rodziny.yaml").data)
    data["czlonkowie[1].pesel"] = ["90040212340"]  # a wrong check digit
    data["adres.kod_pocztowy"] = ["59700"]
    before = _traces(office)
    answer = client.post(
        "/formularz/metryczka_rodziny", data=data | {"csrf_token": [token], "wyslij": ["1"]}
    )
    assert answer.status_code == 422
    page = answer.text
    assert "Formularz nie został przyjęty; nic z niego nie zapisano" in page
    assert 'href="#pole-czlonkowie-1-pesel">Członkowie rodziny, wiersz 1, PESEL</a>' in page
    assert 'id="pole-adres-kod-pocztowy-bledy"' in page  # beside its field
    assert 'aria-invalid="true"' in page and 'value="90040212340"' in page  # kept as typed
    assert _traces(office) == before  # nothing in odrzucone/, przetworzone/, the store, uploads
    added = client.post(
        "/formularz/metryczka_rodziny",
        data=data | {"csrf_token": [token], "dodaj_wiersz": ["czlonkowie"]},
    )
    rows = len(
        rows_for(
            LAYOUTS["metryczka_rodziny"].tables()[0],
            read_form(FORMS_DIR / "metryczka_rodziny.yaml").data,
        )
    )
    assert f'name="czlonkowie[{rows + 1}].imie"' in added.text  # one row more, nothing sent
    assert "Formularz nie został przyjęty" not in added.text


def _traces(ws: Path) -> tuple[dict[str, str], list[str]]:
    folders = ("wejscie", "odrzucone", "przetworzone", "dokumenty", "dane/wysylane")
    files = sorted(str(p.relative_to(ws)) for f in folders for p in (ws / f).rglob("*"))
    return store_digest(ws), files


def test_a_members_details_stay_with_that_member_when_rows_move(office: Path) -> None:
    """Detail tables name a member by the row number the page shows: an empty row before it,
    or a row removed above it, never moves one person's details onto another."""
    from records.web.webforms import WebForm

    layout = LAYOUTS["metryczka_rodziny"]
    merged = [t for t in layout.tables() if t.merge_into == "czlonkowie"]
    details = merged[0]
    sent = web_values("metryczka_rodziny", read_form(FORMS_DIR / "metryczka_rodziny.yaml").data)
    members = [k for k in sent if re.fullmatch(r"czlonkowie\[\d+\]\.imie", k)]
    assert len(members) >= 2
    # Row 1 left empty: everything moves one row down, and the details name the new rows.
    shifted: dict[str, list[str]] = {}
    for name, value in sent.items():
        m = re.fullmatch(r"(czlonkowie)\[(\d+)\](.*)", name)
        shifted[f"{m[1]}[{int(m[2]) + 1}]{m[3]}" if m else name] = value
    shifted["wiersze:czlonkowie"] = [str(int(sent["wiersze:czlonkowie"][0]) + 1)]
    for name in list(shifted):
        if any(re.fullmatch(rf"{t.key}\[\d+\]\.{t.parent_column}", name) for t in merged):
            shifted[name] = [str(int(shifted[name][0]) + 1)]
    expected, _ = WebForm(layout, sent, _rows(sent)).data()
    got, _ = WebForm(layout, shifted, _rows(shifted)).data()
    assert got["czlonkowie"] == expected["czlonkowie"]

    # Removing member 1 clears the details that named it and renumbers the others.
    client = web_client(office, "szef", "haslo-kierownika-1!")
    token = csrf_token(client, "/formularz/metryczka_rodziny")
    page = client.post(
        "/formularz/metryczka_rodziny",
        data=sent | {"csrf_token": [token], "usun_wiersz": ["czlonkowie[1]"]},
    ).text
    first = sent["czlonkowie[2].imie"][0]
    assert 'name="czlonkowie[1].imie" aria-required="true"' in page and f'value="{first}"' in page
    numbers = re.findall(
        rf'name="{re.escape(details.key)}\[\d+\]\.{details.parent_column}"[^>]*value="([^"]*)"',
        page,
    )
    before = [
        v[0]
        for k, v in sent.items()
        if k.startswith(f"{details.key}[") and k.endswith(details.parent_column)
    ]
    assert numbers[: len(before)] == ["" if n == "1" else str(int(n) - 1) for n in before]


def test_errors_in_detail_and_action_rows_stand_beside_their_own_cells(office: Path) -> None:
    """A member's detail, an action of a goal: the error is shown in the row the person typed
    it in (its table and row number), not only in the summary."""
    client = web_client(office, "szef", "haslo-kierownika-1!")
    sheet = web_values("metryczka_rodziny", read_form(FORMS_DIR / "metryczka_rodziny.yaml").data)
    details = LAYOUTS["metryczka_rodziny"].tables()[1]
    assert details.key == "czlonkowie_dane"
    sheet["czlonkowie_dane[1].stan_cywilny"] = ["nie_ma_takiego"]
    last = int(sheet[f"wiersze:{details.key}"][0])
    sheet[f"wiersze:{details.key}"] = [str(last + 1)]
    sheet[f"czlonkowie_dane[{last + 1}].nr_czlonka"] = ["9"]  # no member 9
    sheet[f"czlonkowie_dane[{last + 1}].zawod"] = ["stolarz"]
    token = csrf_token(client, "/formularz/metryczka_rodziny")
    page = client.post(
        "/formularz/metryczka_rodziny", data=sheet | {"csrf_token": [token], "wyslij": ["1"]}
    ).text
    assert f'id="pole-czlonkowie-dane-{last + 1}-nr-czlonka-bledy"' in page
    assert f'href="#pole-czlonkowie-dane-{last + 1}-nr-czlonka"' in page
    sheet.pop(f"czlonkowie_dane[{last + 1}].nr_czlonka")  # that one fixed: the code remains
    sheet.pop(f"czlonkowie_dane[{last + 1}].zawod")
    sheet[f"wiersze:{details.key}"] = [str(last)]
    page = client.post(
        "/formularz/metryczka_rodziny", data=sheet | {"csrf_token": [token], "wyslij": ["1"]}
    ).text
    assert 'id="pole-czlonkowie-dane-1-stan-cywilny-bledy"' in page, _errors(page)
    assert 'href="#pole-czlonkowie-dane-1-stan-cywilny"' in page

    plan = web_values("plan_pracy", read_form(FORMS_DIR / "plan_pracy.yaml").data)
    actions = int(plan["wiersze:cele.dzialania"][0])
    assert actions >= 2
    plan["cele.dzialania[2].opis"] = [""]  # required
    plan["cele.dzialania[1].termin"] = ["2026-02-30"]
    token = csrf_token(client, "/formularz/plan_pracy")
    page = client.post(
        "/formularz/plan_pracy", data=plan | {"csrf_token": [token], "wyslij": ["1"]}
    ).text
    assert 'id="pole-cele-dzialania-2-opis-bledy"' in page, _errors(page)
    assert 'id="pole-cele-dzialania-1-termin-bledy"' in page, _errors(page)
    assert "Działania, wiersz 2" in page or "wiersz 2" in page


def _errors(page: str) -> str:
    found = re.search(r'<div class="flash blad" id="bledy".*?</div>', page, re.S)
    return found.group(0) if found else page[-2000:]


def _rows(values: dict[str, list[str]]) -> dict[str, int]:
    return {
        t.key: int(values.get(f"wiersze:{t.key}", [str(t.rows)])[0])
        for t in LAYOUTS["metryczka_rodziny"].tables()
    }


# -- in Chromium, against the real server ---------------------------------------------------------

playwright = pytest.importorskip("playwright.sync_api")


@pytest.fixture(scope="module")
def server(tmp_path_factory: pytest.TempPathFactory):  # type: ignore[no-untyped-def]
    root = tmp_path_factory.mktemp("www-serve") / "ws"
    assert run("init", root).exit_code == 0
    family = read_form(FORMS_DIR / "metryczka_rodziny.yaml").data
    sheet = tmp_path_factory.mktemp("forms") / "metryczka_rodziny.yaml"
    shutil.copy(FORMS_DIR / "metryczka_rodziny.yaml", sheet)
    assert run("ingest", "--workspace", root, sheet).exit_code == 0
    add_account(root, "anna", "asystent", family["asystent"], "haslo-anny-1234!")
    with serving(root) as base:
        yield base, root, family["sprawa"]


@pytest.fixture(scope="module")
def browser():  # type: ignore[no-untyped-def]
    if CHROMIUM is None:
        pytest.skip("Chromium nie jest zainstalowany")
    with playwright.sync_playwright() as p:
        chromium = p.chromium.launch(executable_path=CHROMIUM, args=["--no-sandbox"])
        yield chromium
        chromium.close()


def _logged_in(browser, base: str, width: int = 1280):  # type: ignore[no-untyped-def]
    context = browser.new_context(
        accept_downloads=True, locale="pl-PL", viewport={"width": width, "height": 900}
    )
    page = context.new_page()
    page.goto(f"{base}/logowanie")
    page.fill("input[name=login]", "anna")
    page.fill("input[name=haslo]", "haslo-anny-1234!")
    page.click("main button[type=submit]")
    return context, page


def _shot(page, name: str) -> None:  # type: ignore[no-untyped-def]
    if os.environ.get("ASYSTENT_SCREENSHOTS"):
        SCREENSHOTS.mkdir(parents=True, exist_ok=True)
        page.screenshot(path=str(SCREENSHOTS / f"{name}.png"), full_page=True)


def test_a_visit_filled_in_chromium_with_an_error_fixed_gives_its_document(
    server, browser, tmp_path: Path
) -> None:
    base, _, sprawa = server
    context, page = _logged_in(browser, base)
    page.goto(f"{base}/sprawa/{sprawa.replace('/', '_')}")
    page.click("text=Nowy formularz tej sprawy (w przeglądarce)")
    page.click("text=Protokół z wejścia do rodziny")
    assert page.input_value("#pole-sprawa") == sprawa  # what the case knows, filled in
    assert page.input_value("#pole-obecni-1")  # the family's members as those present
    page.fill("#pole-data", "2026-03-04")
    page.fill("#pole-godzina-od", "10:00")
    page.fill("#pole-godzina-do", "09:30")  # before the start: an error
    page.fill("#pole-cel-wizyty", "Omówienie budżetu domowego")
    page.fill("#pole-przebieg", "Rodzina pokazała rachunki & plan <oszczędności>.")
    page.click("text=Dodaj wiersz: Ustalenia")
    page.fill("#pole-ustalenia-4-zadanie", "Złożyć wniosek o dodatek")
    page.fill("#pole-ustalenia-4-termin", "2026-03-20")
    page.fill("#pole-ustalenia-4-odpowiedzialny", "Ewa Kowalska")
    _shot(page, "formularz_wizyty")
    page.click("button:has-text('Wyślij formularz')")
    alert = page.locator("#bledy")
    assert "Godzina zakończenia" in alert.inner_text()
    assert page.input_value("#pole-przebieg") == "Rodzina pokazała rachunki & plan <oszczędności>."
    assert page.locator("#pole-godzina-do-bledy").is_visible()
    _shot(page, "formularz_wizyty_bledy")
    page.fill("#pole-godzina-do", "11:30")
    page.click("button:has-text('Wyślij formularz')")
    assert "Przyjęto formularz" in page.locator("main").inner_text(), page.locator(
        "main"
    ).inner_text()[:1500]
    with page.expect_download() as download:
        page.click("#dokument")
    path = tmp_path / "wizyta.docx"
    download.value.save_as(path)
    text = docx_text(path)
    assert "Rodzina pokazała rachunki & plan <oszczędności>." in text
    assert "Złożyć wniosek o dodatek" in text
    page.goto(f"{base}/sprawa/{sprawa.replace('/', '_')}")
    assert "protokol_wizyty_2026-03-04.docx" in page.content()
    context.close()


def test_a_visit_can_be_sent_with_the_keyboard_only(server, browser) -> None:  # type: ignore[no-untyped-def]
    base, _, sprawa = server
    context, page = _logged_in(browser, base, width=800)  # a tablet held upright
    page.goto(f"{base}/formularz/protokol_wizyty?sprawa={sprawa}")
    _shot(page, "formularz_wizyty_tablet")
    page.focus("#pole-data")
    page.keyboard.type("05032026")  # a date picker takes the digits in the Polish order
    for field, text in (
        ("#pole-godzina-od", "9.00"),  # as people write it
        ("#pole-godzina-do", "10:00"),
        ("#pole-cel-wizyty", "Kontakt telefoniczny niemożliwy, wizyta"),
        ("#pole-przebieg", "Rozmowa z matką o szkole."),
    ):
        page.focus(field)
        page.keyboard.type(text)
    page.focus("#pole-miejsce")
    with page.expect_navigation():
        page.keyboard.press("Enter")  # Enter in a field sends the form, never removes a row
    said = page.locator("main").inner_text()
    assert "Przyjęto formularz" in said, said[:1500]
    context.close()


def test_a_new_form_starts_from_what_the_case_holds(tmp_path: Path) -> None:
    """The fact sheet's update starts from the sheet in force (dated today), an assessment
    from the goals of the work plan, a visit from the members as those present."""
    import datetime as dt

    root = tmp_path / "ws"
    assert run("init", root).exit_code == 0
    files = []
    for kind in ("metryczka_rodziny", "plan_pracy"):
        files.append(tmp_path / f"{kind}.yaml")
        shutil.copy(FORMS_DIR / f"{kind}.yaml", files[-1])
    assert run("ingest", "--workspace", root, *files).exit_code == 0
    add_account(root, "szef", "kierownik", "Barbara Przykładowa", "haslo-kierownika-1!")
    client = web_client(root, "szef", "haslo-kierownika-1!")
    sheet = read_form(FORMS_DIR / "metryczka_rodziny.yaml").data
    plan = read_form(FORMS_DIR / "plan_pracy.yaml").data
    sprawa = sheet["sprawa"]

    page = client.get(f"/formularz/metryczka_rodziny?sprawa={sprawa}").text
    today = dt.date.today().isoformat()
    assert 'id="pole-data-aktualizacji" name="data_aktualizacji"' in page
    assert re.search(rf'name="data_aktualizacji"[^>]*value="{today}"', page)
    for member in sheet["czlonkowie"]:
        assert f'value="{member["nazwisko"]}"' in page
        if member.get("pesel"):
            assert f'value="{member["pesel"]}"' in page
    assert f'value="{sheet["adres"]["ulica"]}"' in page
    # Sent as it stands: an update of the sheet holding the same family, from today.
    token = csrf_token(client, f"/formularz/metryczka_rodziny?sprawa={sprawa}")
    sent = _page_inputs(page) | {"csrf_token": [token], "wyslij": ["1"]}
    answer = client.post("/formularz/metryczka_rodziny", data=sent)
    assert answer.status_code == 302, _errors(answer.text)
    sheets = [
        r["dane"]
        for r in stored(root, sprawa)["rekordy"].values()
        if r["formularz"] == "metryczka_rodziny"
    ]
    assert len(sheets) == 2 and sheets[1]["data_aktualizacji"] == today
    assert {k: v for k, v in sheets[1].items() if k != "data_aktualizacji"} == {
        k: v for k, v in sheets[0].items() if k != "data_aktualizacji"
    }

    page = client.get(f"/formularz/ocena_okresowa?sprawa={sprawa}").text
    for number, goal in enumerate(plan["cele"], start=1):
        found = re.search(
            rf'name="realizacja_celow\[{number}\]\.cel"[^>]*>([^<]*)</textarea>', page
        )
        assert found and found.group(1) == goal["cel"].replace("&", "&amp;"), number


def _page_inputs(page: str) -> dict[str, list[str]]:
    """What a browser sends for a page's inputs, as they stand (text, selects, text areas)."""
    import html

    values: dict[str, list[str]] = {}
    for tag in re.findall(r"<input [^>]*>", page):
        found = re.search(r'name="([^"]+)"[^>]*value="([^"]*)"', tag)
        ticked = 'type="checkbox"' not in tag or " checked" in tag
        if found and ticked:
            values.setdefault(html.unescape(found[1]), []).append(html.unescape(found[2]))
    for name, body in re.findall(r'<select [^>]*name="([^"]+)"[^>]*>(.*?)</select>', page, re.S):
        chosen = re.search(r'<option value="([^"]*)" selected', body)
        values[name] = [html.unescape(chosen.group(1)) if chosen else ""]
    for name, text in re.findall(
        r'<textarea [^>]*name="([^"]+)"[^>]*>(.*?)</textarea>', page, re.S
    ):
        values[name] = [html.unescape(text)]
    for key in ("csrf_token", "wyslij"):
        values.pop(key, None)
    return values


# -- every kind in Chromium ----------------------------------------------------------------------

ORDERED = [p.stem for p in order_files([FORMS_DIR / f"{kind}.yaml" for kind in KINDS])]


@pytest.fixture(scope="module")
def manager_server(tmp_path_factory: pytest.TempPathFactory):  # type: ignore[no-untyped-def]
    root = tmp_path_factory.mktemp("www-all") / "ws"
    assert run("init", root).exit_code == 0
    add_account(root, "anna", "kierownik", "Barbara Przykładowa", "haslo-anny-1234!")
    with serving(root) as base:
        yield base, root


def _fill(page, kind: str, data: dict[str, Any]) -> None:  # type: ignore[no-untyped-def]
    """Type a form file's values into the page as a person would: rows added with the
    table's button first, then each input filled, chosen or ticked."""
    from records.web.webforms import page_values

    values, rows = page_values(LAYOUTS[kind], data)
    for table in LAYOUTS[kind].tables():
        box = page.locator(f"#tabela-{table.key.replace('.', '-')}")
        while box.locator("tbody > tr").count() < rows[table.key]:
            box.locator("button[name=dodaj_wiersz]").click()
    for name, sent in values.items():
        control = page.locator(f'[name="{name}"]')
        tag = control.first.evaluate("e => e.tagName + ':' + (e.readOnly ? 'ro' : e.type)")
        if tag.endswith(":ro"):  # a row's own number
            continue
        if tag.endswith(":checkbox"):
            for value in sent:
                page.locator(f'[name="{name}"][value="{value}"]').check()
        elif tag.startswith("SELECT"):
            control.select_option(sent[0])
        else:
            control.fill(sent[0])


def _date_input(kind: str) -> str:
    from records.models import FORMS as MODELS

    return "pole-" + re.sub(r"[^a-z0-9]+", "-", MODELS[kind].KIND.date_field)


@pytest.mark.parametrize("kind", ORDERED)  # in a batch's order: the request opens the case
def test_every_kind_filled_in_chromium_with_an_error_fixed_gives_its_document(
    manager_server, browser, kind: str, tmp_path: Path
) -> None:
    base, root = manager_server
    data = read_form(FORMS_DIR / f"{kind}.yaml").data
    context, page = _logged_in(browser, base)
    page.goto(f"{base}/formularz/{kind}")
    _fill(page, kind, data)
    pictured = kind in ("metryczka_rodziny", "plan_pracy")  # the largest forms, in docs/img/
    if pictured:
        _shot(page, f"formularz_{kind}")
    page.set_viewport_size({"width": 800, "height": 900})  # a tablet held upright
    assert page.evaluate("document.documentElement.scrollWidth") <= 800  # wide tables scroll
    if pictured:
        _shot(page, f"formularz_{kind}_tablet")
    page.set_viewport_size({"width": 1280, "height": 900})
    day = _date_input(kind)
    typed = page.input_value(f"#{day}")
    page.fill(f"#{day}", "")  # the form's own date forgotten
    page.click("button:has-text('Wyślij formularz')")
    assert page.locator("#bledy").is_visible(), page.locator("main").inner_text()[:1500]
    assert page.locator(f"#{day}-bledy").is_visible()
    # read out first: focused when the page's script runs (after the page has loaded)
    page.wait_for_function("document.activeElement && document.activeElement.id === 'bledy'")
    assert page.input_value("#pole-sprawa") == data["sprawa"]  # the rest kept as typed
    page.fill(f"#{day}", typed)
    page.click("button:has-text('Wyślij formularz')")
    said = page.locator("main").inner_text()
    assert "Przyjęto formularz" in said, said[:1500]
    if page.locator("#dokument").count():
        with page.expect_download() as download:
            page.click("#dokument")
        path = tmp_path / f"{kind}.docx"
        download.value.save_as(path)
        assert data["sprawa"] in docx_text(path)
    context.close()
    if kind == ORDERED[-1]:
        assert _by_kind(root) == _yaml_by_kind(tmp_path)


def _yaml_by_kind(tmp_path: Path) -> dict[str, dict[str, Any]]:
    ws = tmp_path / "yaml"
    assert run("init", ws).exit_code == 0
    files = [shutil.copy(FORMS_DIR / f"{k}.yaml", tmp_path / f"{k}.yaml") for k in KINDS]
    assert run("ingest", "--workspace", ws, *files).exit_code == 0
    return _by_kind(ws)


def test_a_draft_saved_in_chromium_is_reopened_from_the_home_page_and_sent(server, browser) -> None:  # type: ignore[no-untyped-def]
    base, root, sprawa = server
    context, page = _logged_in(browser, base)
    page.goto(f"{base}/formularz/protokol_wizyty?sprawa={sprawa}")
    page.fill("#pole-data", "2026-03-11")
    page.fill("#pole-cel-wizyty", "Wizyta w sprawie szkoły")
    page.click("text=Dodaj wiersz: Ustalenia")
    page.fill("#pole-ustalenia-4-zadanie", "Umówić spotkanie z pedagogiem")
    page.click("button:has-text('Zapisz szkic')")
    assert "Zapisano szkic" in page.locator("main").inner_text()
    page.goto(f"{base}/")
    drafts = page.locator("#szkice")
    assert "Protokół z wejścia do rodziny" in drafts.inner_text()
    _shot(page, "szkice_strona_glowna")
    drafts.locator("a").first.click()
    assert page.input_value("#pole-cel-wizyty") == "Wizyta w sprawie szkoły"
    assert page.input_value("#pole-ustalenia-4-zadanie") == "Umówić spotkanie z pedagogiem"
    page.fill("#pole-godzina-od", "12:00")
    page.fill("#pole-godzina-do", "13:00")
    page.fill("#pole-przebieg", "Rozmowa o frekwencji.")
    page.fill("#pole-ustalenia-4-termin", "2026-03-25")
    page.fill("#pole-ustalenia-4-odpowiedzialny", "Ewa Kowalska")
    page.click("button:has-text('Wyślij formularz')")
    said = page.locator("main").inner_text()
    assert "Przyjęto formularz" in said, said[:200] + page.locator("#bledy").inner_text()
    page.goto(f"{base}/")
    assert page.locator("#szkice").count() == 0
    assert not list((root / "dane" / "szkice").rglob("*.json"))
    context.close()


def test_rows_are_added_and_removed_without_javascript_too(server, browser) -> None:  # type: ignore[no-untyped-def]
    base, _, sprawa = server
    for script in (True, False):
        context = browser.new_context(java_script_enabled=script, locale="pl-PL")
        page = context.new_page()
        page.goto(f"{base}/logowanie")
        page.fill("input[name=login]", "anna")
        page.fill("input[name=haslo]", "haslo-anny-1234!")
        page.click("main button[type=submit]")
        page.goto(f"{base}/formularz/protokol_wizyty?sprawa={sprawa}")
        rows = page.locator("#tabela-ustalenia tbody > tr")
        before = rows.count()
        page.fill("#pole-ustalenia-1-zadanie", "Pierwsze")
        page.fill("#pole-ustalenia-2-zadanie", "Drugie")
        if script:
            page.evaluate("window.sameDocument = true")
        page.click("text=Dodaj wiersz: Ustalenia")
        assert rows.count() == before + 1
        # with JavaScript the row comes without sending the form; without it, by a reload
        assert page.evaluate("window.sameDocument === true") is script
        assert page.evaluate("document.activeElement.id") == f"pole-ustalenia-{before + 1}-zadanie"
        assert page.get_attribute(f"#pole-ustalenia-{before + 1}-zadanie", "aria-label") == (
            f"Zadanie, wiersz {before + 1}"
        )
        page.click("#tabela-ustalenia button[value='ustalenia[1]']")
        assert rows.count() == before
        assert page.input_value("#pole-ustalenia-1-zadanie") == "Drugie", script
        assert page.input_value("input[name='wiersze:ustalenia']") == str(before)
        assert page.evaluate("window.sameDocument === true") is script
        context.close()


def test_odd_input_is_an_error_or_ignored_never_a_server_error(office: Path) -> None:
    """What a browser or a person can send: a row number in superscript, row counts out of
    range, a table at its most rows, a body far larger than any form."""
    client = web_client(office, "szef", "haslo-kierownika-1!")
    token = csrf_token(client, "/formularz/plan_pracy")
    plan = web_values("plan_pracy", read_form(FORMS_DIR / "plan_pracy.yaml").data)
    odd = plan | {"cele.dzialania[1].nr_celu": ["²"], "csrf_token": [token]}
    removed = client.post("/formularz/plan_pracy", data=odd | {"usun_wiersz": ["cele[1]"]})
    assert removed.status_code == 200
    sent = client.post("/formularz/plan_pracy", data=odd | {"wyslij": ["1"]})
    assert sent.status_code == 422
    assert 'id="pole-cele-dzialania-1-nr-celu-bledy"' in sent.text
    page = client.post(
        "/formularz/plan_pracy",
        data=plan
        | {
            "csrf_token": [token],
            "wiersze:cele": ["-5"],
            "wiersze:wspolne_spotkania": ["99999"],
            "dodaj_wiersz": ["nie_ma_takiej_tabeli"],
        },
    )
    assert page.status_code == 200 and 'name="cele[1].cel"' in page.text
    assert 'name="wspolne_spotkania[61]"' not in page.text
    full = client.post(
        "/formularz/plan_pracy",
        data={"csrf_token": [token], "wiersze:cele": ["60"], "dodaj_wiersz": ["cele"]},
    )
    assert "Tabela „Cele” ma już najwięcej wierszy (60)." in full.text
    assert 'name="cele[61].cel"' not in full.text
    huge = client.post(
        "/formularz/plan_pracy",
        data={"csrf_token": token, "uwagi": "x" * (2 * 1024 * 1024), "wyslij": "1"},
    )
    assert huge.status_code == 413 and "Formularz jest za duży" in huge.text


def test_without_javascript_the_focus_comes_back_to_the_row(office: Path) -> None:
    client = web_client(office, "szef", "haslo-kierownika-1!")
    token = csrf_token(client, "/formularz/protokol_wizyty")
    added = client.post(
        "/formularz/protokol_wizyty",
        data={"csrf_token": token, "wiersze:ustalenia": "3", "dodaj_wiersz": "ustalenia"},
    ).text
    assert re.search(r'id="pole-ustalenia-4-zadanie"[^>]* autofocus', added)
    assert added.count(" autofocus") == 1
    removed = client.post(
        "/formularz/protokol_wizyty",
        data={"csrf_token": token, "wiersze:ustalenia": "3", "usun_wiersz": "ustalenia[3]"},
    ).text
    assert re.search(r'id="pole-ustalenia-2-zadanie"[^>]* autofocus', removed)
    assert 'Usuń<span class="sr"> wiersz 1: Ustalenia</span>' in removed


def test_a_substitute_finds_their_own_name_as_the_assistant(tmp_path: Path) -> None:
    """The form's `asystent` is for a substitute ("wypełnij tylko, gdy to inny asystent niż w
    metryczce"): filled in for the substitute, left empty for the family's own assistant."""
    import datetime as dt

    from conftest import write_yaml

    root = tmp_path / "ws"
    assert run("init", root).exit_code == 0
    sheet = read_form(FORMS_DIR / "metryczka_rodziny.yaml").data
    today = dt.date.today()
    substitution = read_form(FORMS_DIR / "przydzielenie_asystenta.yaml").data | {
        "data": today.isoformat(),
        "od": (today - dt.timedelta(days=1)).isoformat(),
        "do": (today + dt.timedelta(days=10)).isoformat(),
    }
    files = [
        write_yaml(tmp_path / "metryczka.yaml", sheet),
        write_yaml(tmp_path / "zastepstwo.yaml", substitution),
    ]
    assert run("ingest", "--workspace", root, *files).exit_code == 0
    add_account(root, "maria", "asystent", substitution["asystent"], "haslo-marii-1234!")
    add_account(root, "anna", "asystent", sheet["asystent"], "haslo-anny-1234!")
    maria = web_client(root, "maria", "haslo-marii-1234!")
    note = maria.get(f"/formularz/notatka?sprawa={sheet['sprawa']}").text
    assert re.search(rf'name="asystent"[^>]*value="{substitution["asystent"]}"', note)
    visit = maria.get(f"/formularz/protokol_wizyty?sprawa={sheet['sprawa']}").text
    assert f'value="{substitution["asystent"]}"' in visit  # among those present too
    anna = web_client(root, "anna", "haslo-anny-1234!")
    own = anna.get(f"/formularz/notatka?sprawa={sheet['sprawa']}").text
    assert not re.search(r'name="asystent"[^>]*value="[^"]', own)


def test_the_browser_form_keeps_the_roles_of_the_shared_folder(tmp_path: Path) -> None:
    """An assistant sends forms for the families they work with, a social worker the request
    in their own name; nothing of a refused form is kept."""
    root = tmp_path / "ws"
    assert run("init", root).exit_code == 0
    request = read_form(FORMS_DIR / "wniosek_o_asystenta.yaml").data
    add_account(
        root, "tomasz", "pracownik_socjalny", request["pracownik_socjalny"], "haslo-tomasza-1!"
    )
    add_account(root, "obcy", "asystent", "Ktoś Inny", "haslo-obcego-123!")
    tomasz = web_client(root, "tomasz", "haslo-tomasza-1!")
    token = csrf_token(tomasz, "/formularz/wniosek_o_asystenta")
    someone_else = web_values("wniosek_o_asystenta", request | {"pracownik_socjalny": "Jan Obcy"})
    refused = tomasz.post(
        "/formularz/wniosek_o_asystenta",
        data=someone_else | {"csrf_token": [token], "wyslij": ["1"]},
    )
    assert refused.status_code == 403 and "w Twoim imieniu" in refused.text
    assert not open_store(load_workspace(root)).case_numbers()
    own = web_values("wniosek_o_asystenta", request)
    sent = tomasz.post(
        "/formularz/wniosek_o_asystenta", data=own | {"csrf_token": [token], "wyslij": ["1"]}
    )
    assert sent.status_code == 302
    assert open_store(load_workspace(root)).case_numbers() == [request["sprawa"]]

    obcy = web_client(root, "obcy", "haslo-obcego-123!")
    assert obcy.get(f"/formularz/notatka?sprawa={request['sprawa']}").status_code == 403
    note = web_values("notatka", read_form(FORMS_DIR / "notatka.yaml").data)
    token = csrf_token(obcy, "/formularz/notatka")
    before = stored(root, request["sprawa"])
    answer = obcy.post("/formularz/notatka", data=note | {"csrf_token": [token], "wyslij": ["1"]})
    assert answer.status_code == 403
    assert "nie jest przydzielona do Ciebie" in answer.text
    assert stored(root, request["sprawa"]) == before
    assert not list((root / "odrzucone").iterdir()) and not list((root / "wejscie").iterdir())


def test_the_form_says_when_the_session_ends_and_warns_before(server, browser) -> None:  # type: ignore[no-untyped-def]
    """What is typed after the session's end is lost: the page says when that is, and ten
    minutes before, an alert asks to save a draft."""
    import datetime as dt
    import json

    base, root, sprawa = server
    context, page = _logged_in(browser, base)
    registry = root / "dane" / "sesje.json"
    sessions = json.loads(registry.read_text(encoding="utf-8"))
    newest = max(sessions, key=lambda k: sessions[k]["do"])  # this login's
    ends = dt.datetime.now().astimezone().replace(microsecond=0) + dt.timedelta(minutes=9)
    sessions[newest]["do"] = ends.isoformat()
    registry.write_text(json.dumps(sessions), encoding="utf-8")
    page.goto(f"{base}/formularz/notatka?sprawa={sprawa}")
    said = page.locator("#koniec-sesji").inner_text()
    assert f"Sesja kończy się {ends:%d.%m.%Y o %H:%M}" in said
    alert = page.locator("#sesja-konczy-sie")
    assert alert.is_visible() and alert.get_attribute("role") == "alert"
    assert f"{ends:%H:%M}" in alert.inner_text() and "Zapisz szkic" in alert.inner_text()
    context.close()
