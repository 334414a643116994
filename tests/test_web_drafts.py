"""Drafts of browser forms: kept for their author only (owner-only files beside the store, never
the shared folder), listed on the home page, gone when sent, when too old, and with their case
on erasure."""

from __future__ import annotations

import datetime as dt
import json
import re
import stat
from pathlib import Path
from typing import Any

import pytest
from conftest import (
    accepted_count,
    add_account,
    audit_lines,
    csrf_token,
    run,
    stored,
    web_client,
    web_values,
    write_yaml,
)

from records.readers import read_form
from records.resources import data_dir

FORMS_DIR = data_dir("forms")
SHEET = read_form(FORMS_DIR / "metryczka_rodziny.yaml").data
VISIT = read_form(FORMS_DIR / "protokol_wizyty.yaml").data


@pytest.fixture
def office(tmp_path: Path) -> Path:
    root = tmp_path / "ws"
    assert run("init", root).exit_code == 0
    sheet = write_yaml(tmp_path / "metryczka.yaml", SHEET)
    assert run("ingest", "--workspace", root, sheet).exit_code == 0
    add_account(root, "anna", "asystent", SHEET["asystent"], "haslo-anny-1234!")
    add_account(root, "szef", "kierownik", "Barbara Przykładowa", "haslo-kierownika-1!")
    return root


def _drafts(ws: Path) -> list[Path]:
    return sorted((ws / "dane" / "szkice").glob("*/*.json"))


def _save(client: Any, kind: str, values: dict[str, list[str]], draft: str = "") -> str:
    """Press "Zapisz szkic"; returns the draft's id from the page it leads to."""
    token = csrf_token(client, f"/formularz/{kind}")
    sent = values | {"csrf_token": [token], "zapisz_szkic": ["1"]}
    if draft:
        sent["szkic"] = [draft]
    answer = client.post(f"/formularz/{kind}", data=sent)
    assert answer.status_code == 302, answer.text[-1500:]
    found = re.search(r"szkic=([0-9a-f]{32})", answer.headers["Location"])
    assert found, answer.headers["Location"]
    return found.group(1)


def test_a_draft_is_kept_for_its_author_alone_and_goes_when_sent(office: Path) -> None:
    anna = web_client(office, "anna", "haslo-anny-1234!")
    half = web_values("protokol_wizyty", VISIT)
    half.pop("przebieg")  # not finished: a required field still empty
    before = (stored(office, VISIT["sprawa"]), accepted_count(office))
    shared = sorted(
        p.name for f in ("wejscie", "odrzucone", "przetworzone") for p in (office / f).iterdir()
    )

    draft = _save(anna, "protokol_wizyty", half)
    (path,) = _drafts(office)
    assert path.stem == draft
    assert stat.S_IMODE(path.stat().st_mode) == 0o600
    assert stat.S_IMODE(path.parent.stat().st_mode) == 0o700  # the author's folder
    assert stat.S_IMODE(path.parent.parent.stat().st_mode) == 0o700
    assert (stored(office, VISIT["sprawa"]), accepted_count(office)) == before  # not a record
    assert (
        sorted(
            p.name for f in ("wejscie", "odrzucone", "przetworzone") for p in (office / f).iterdir()
        )
        == shared
    )
    assert not list((office / "dokumenty").rglob("protokol_wizyty*"))

    home = anna.get("/").text
    assert "Twoje szkice formularzy" in home
    assert f"/formularz/protokol_wizyty?szkic={draft}" in home
    assert VISIT["sprawa"] in home
    reopened = anna.get(f"/formularz/protokol_wizyty?szkic={draft}").text
    assert VISIT["cel_wizyty"] in reopened
    assert f'name="szkic" value="{draft}"' in reopened
    assert "przebieg" not in json.loads(path.read_text(encoding="utf-8"))["wartosci"]

    # Another person: not listed, not opened, not removed, whatever their role.
    szef = web_client(office, "szef", "haslo-kierownika-1!")
    assert "Twoje szkice" not in szef.get("/").text
    assert szef.get(f"/formularz/protokol_wizyty?szkic={draft}").status_code == 404
    token = csrf_token(szef, "/")
    assert szef.post(f"/szkic/{draft}/usun", data={"csrf_token": token}).status_code == 404
    assert _drafts(office) == [path]
    # Saving "over" someone else's draft makes the saver a draft of their own.
    own = _save(szef, "protokol_wizyty", half, draft=draft)
    assert own != draft and len(_drafts(office)) == 2
    assert json.loads(path.read_text(encoding="utf-8"))["autor"] == "anna"

    # Saved again: the same draft, updated; then finished and sent: gone.
    assert _save(anna, "protokol_wizyty", half | {"przebieg": ["Rozmowa"]}, draft=draft) == draft
    assert json.loads(path.read_text(encoding="utf-8"))["wartosci"]["przebieg"] == ["Rozmowa"]
    token = csrf_token(anna, f"/formularz/protokol_wizyty?szkic={draft}")
    sent = web_values("protokol_wizyty", VISIT) | {
        "csrf_token": [token],
        "szkic": [draft],
        "wyslij": ["1"],
    }
    answer = anna.post("/formularz/protokol_wizyty", data=sent)
    assert answer.status_code == 302 and "/przyjety?" in answer.headers["Location"]
    assert not path.exists()
    assert "Twoje szkice" not in anna.get("/").text
    trail = "\n".join(audit_lines(office))
    for action in ("szkic_zapisany", "szkic_otwarty", "szkic_usuniety"):
        assert action in trail
    assert VISIT["cel_wizyty"] not in trail  # the audit says that, not what


def test_a_rejected_form_keeps_its_draft_and_the_author_can_remove_it(office: Path) -> None:
    anna = web_client(office, "anna", "haslo-anny-1234!")
    values = web_values("protokol_wizyty", VISIT)
    draft = _save(anna, "protokol_wizyty", values)
    token = csrf_token(anna, f"/formularz/protokol_wizyty?szkic={draft}")
    wrong = values | {
        "godzina_do": ["07:00"],
        "csrf_token": [token],
        "szkic": [draft],
        "wyslij": ["1"],
    }
    answer = anna.post("/formularz/protokol_wizyty", data=wrong)
    assert answer.status_code == 422
    assert f'name="szkic" value="{draft}"' in answer.text  # saving again updates the same one
    assert len(_drafts(office)) == 1
    token = csrf_token(anna, "/")
    removed = anna.post(f"/szkic/{draft}/usun", data={"csrf_token": token})
    assert removed.status_code == 302
    assert _drafts(office) == []
    assert anna.get(f"/formularz/protokol_wizyty?szkic={draft}").status_code == 404
    assert anna.get("/formularz/protokol_wizyty?szkic=../../asystent").status_code == 404


def test_a_draft_older_than_the_setting_is_removed(office: Path) -> None:
    config = office / "asystent.toml"
    config.write_text(
        config.read_text(encoding="utf-8").replace("szkic_dni = 14", "szkic_dni = 3"),
        encoding="utf-8",
    )
    anna = web_client(office, "anna", "haslo-anny-1234!")
    old = _save(anna, "protokol_wizyty", web_values("protokol_wizyty", VISIT))
    fresh = _save(anna, "notatka", {"sprawa": [VISIT["sprawa"]]})
    (path,) = [p for p in _drafts(office) if p.stem == old]
    saved = json.loads(path.read_text(encoding="utf-8"))
    saved["zapisano"] = (dt.datetime.now() - dt.timedelta(days=3, minutes=1)).isoformat()
    path.write_text(json.dumps(saved), encoding="utf-8")
    home = anna.get("/").text
    assert f"szkic={fresh}" in home and f"szkic={old}" not in home
    expires = (dt.date.today() + dt.timedelta(days=3)).strftime("%d.%m.%Y")
    assert f"usunięty zostanie {expires}" in home
    assert [p.stem for p in _drafts(office)] == [fresh]


def test_erasing_a_case_removes_the_drafts_that_name_it_and_no_others(
    office: Path, tmp_path: Path
) -> None:
    anna = web_client(office, "anna", "haslo-anny-1234!")
    szef = web_client(office, "szef", "haslo-kierownika-1!")
    sprawa = SHEET["sprawa"]
    longer = f"GOPS.{sprawa}"  # another case whose number holds this one's
    _save(anna, "protokol_wizyty", web_values("protokol_wizyty", VISIT))
    _save(szef, "notatka", {"sprawa": [f" {sprawa.lower()} "]})  # typed as people type
    # a fact sheet whose case number is mistyped, but with a member's PESEL
    pesel = next(m["pesel"] for m in SHEET["czlonkowie"] if m.get("pesel"))
    _save(szef, "metryczka_rodziny", {"sprawa": ["?"], "czlonkowie[1].pesel": [pesel]})
    kept = {
        _save(szef, "notatka", {"sprawa": [longer]}),
        _save(szef, "notatka", {"sprawa": ["X"], "przebieg": [f"tel. 4{pesel}"]}),
    }
    waiting = write_yaml(office / "wejscie" / "inna.yaml", {**VISIT, "sprawa": longer})
    assert len(_drafts(office)) == 5
    result = run("erase", "--workspace", office, sprawa, "--force", input=f"{sprawa}\n")
    assert result.exit_code == 0, result.output
    assert "szkice formularzy z przeglądarki: 3" in result.output
    assert {p.stem for p in _drafts(office)} == kept
    assert waiting.exists()  # a form of the other case is not this one's
    assert '"szkicow": 3' in audit_lines(office)[-1]


def test_removing_an_account_removes_its_drafts(office: Path) -> None:
    anna = web_client(office, "anna", "haslo-anny-1234!")
    draft = _save(anna, "protokol_wizyty", web_values("protokol_wizyty", VISIT))
    szef = web_client(office, "szef", "haslo-kierownika-1!")
    other = _save(szef, "notatka", {"sprawa": [VISIT["sprawa"]]})
    result = run("users", "remove", "--workspace", office, "anna")
    assert result.exit_code == 0 and "szkice formularzy (1)" in result.output
    assert [p.stem for p in _drafts(office)] == [other]
    # Someone else, later given the same login, finds nothing of the first person's.
    add_account(office, "anna", "asystent", SHEET["asystent"], "inne-haslo-anny-99!")
    again = web_client(office, "anna", "inne-haslo-anny-99!")
    assert "Twoje szkice" not in again.get("/").text
    assert again.get(f"/formularz/protokol_wizyty?szkic={draft}").status_code == 404


def test_a_draft_saved_before_the_form_changed_still_opens(office: Path) -> None:
    anna = web_client(office, "anna", "haslo-anny-1234!")
    draft = _save(anna, "protokol_wizyty", web_values("protokol_wizyty", VISIT))
    (path,) = _drafts(office)
    saved = json.loads(path.read_text(encoding="utf-8"))
    saved["wiersze"] = {"tabela_ktorej_juz_nie_ma": 3}  # and none of today's tables
    path.write_text(json.dumps(saved, ensure_ascii=False), encoding="utf-8")
    page = anna.get(f"/formularz/protokol_wizyty?szkic={draft}")
    assert page.status_code == 200
    assert VISIT["cel_wizyty"] in page.text


def test_the_result_page_says_nothing_of_a_case_the_person_may_not_see(office: Path) -> None:
    add_account(office, "ola", "pracownik_socjalny", "Ola Obca", "haslo-oli-12345!")
    ola = web_client(office, "ola", "haslo-oli-12345!")
    sprawa = SHEET["sprawa"]
    known = ola.get(f"/formularz/notatka/przyjety?sprawa={sprawa}&dokument=x.docx").text
    unknown = ola.get("/formularz/notatka/przyjety?sprawa=NIE.MA.TAKIEJ").text
    assert sprawa not in known and "x.docx" not in known
    assert re.sub(r'value="[^"]+"', "", known) == re.sub(r'value="[^"]+"', "", unknown)
    szef = web_client(office, "szef", "haslo-kierownika-1!")
    assert sprawa in szef.get(f"/formularz/notatka/przyjety?sprawa={sprawa}").text
