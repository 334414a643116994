"""`asystent ingest` on real files: accepted forms become records and documents, rejected ones go
to odrzucone/ with a Polish report naming the field, and leave the store exactly as it was."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
import yaml
from conftest import (
    FAMILY,
    VISIT,
    docx_text,
    form,
    run,
    store_digest,
    stored,
    tree_digest,
    write_yaml,
)

CASE_FOLDER = "GOPS_AR_3_2026"


def test_accepted_forms_are_stored_documented_and_filed(family_ws: Path) -> None:
    processed = sorted(p.name for p in (family_ws / "przetworzone").iterdir())
    assert processed == ["metryczka.yaml", "wizyta.yaml"]
    assert not any((family_ws / "odrzucone").iterdir())
    documents = sorted(p.name for p in (family_ws / "dokumenty" / CASE_FOLDER).glob("*.docx"))
    assert documents == ["metryczka_rodziny_2026-02-10.docx", "protokol_wizyty_2026-02-17.docx"]
    shard = stored(family_ws, "gops_ar_3_2026")
    kinds = sorted(r["formularz"] for r in shard["rekordy"].values())
    assert kinds == ["metryczka_rodziny", "protokol_wizyty"]
    visit = next(r for r in shard["rekordy"].values() if r["formularz"] == "protokol_wizyty")
    assert visit["dane"]["godzina_od"] == "10:00"
    assert visit["dane"]["przebieg"] == VISIT["przebieg"]


def test_documents_hold_the_form_values_verbatim(family_ws: Path) -> None:
    folder = family_ws / "dokumenty" / CASE_FOLDER
    family = docx_text(folder / "metryczka_rodziny_2026-02-10.docx")
    for value in (
        "GOPS/AR/3/2026",
        "Ewa",
        "Kowalska",
        "Oskar",
        "Piotr Zając",
        "ul. Lipowa 7",
        "59-700",
        "Bolesławiec",
        "90040212349",
        'Przedszkole nr 3 "Bajka" & Żłobek',
        "tel. 75 612 00 00",
        "ubóstwo",
        "wielodzietność",
        "10 lutego 2026 r.",
        "2.04.1990 r.",
        "matka",
        "dziecko",
    ):
        assert value in family, value
    visit = docx_text(folder / "protokol_wizyty_2026-02-17.docx")
    for value in (
        VISIT["przebieg"],
        "17 lutego 2026 r.",
        "10:00",
        "11:30",
        "1 godz. 30 min",
        "Ewa Kowalska",
        "Anna Wiśniewska",
        VISIT["cel_wizyty"],
        "Zarejestrować się w urzędzie pracy",
        "28 lutego 2026 r.",
    ):
        assert value in visit, value


def test_special_characters_and_jinja_text_come_out_verbatim(
    family_ws: Path, outside: Path
) -> None:
    tricky = "A & B < C > D \" E ' F {{ 7*7 }} {% if x %} Zażółć gęślą jaźń 👍 \u200fשלום"
    visit = form(
        VISIT, data="2026-02-20", przebieg=tricky + "\ndruga linia", cel_wizyty="{{ 7*7 }}"
    )
    result = run("ingest", "--workspace", family_ws, write_yaml(outside / "w.yaml", visit))
    assert result.exit_code == 0, result.output
    text = docx_text(family_ws / "dokumenty" / CASE_FOLDER / "protokol_wizyty_2026-02-20.docx")
    assert tricky + "\ndruga linia" in text
    assert "{{ 7*7 }}" in text and "49" not in text


def test_values_are_read_as_typed_not_as_yaml_guesses(family_ws: Path, outside: Path) -> None:
    # Unquoted, a YAML 1.1 loader makes this PESEL an octal number and 9:05 the number 545.
    family = form(FAMILY, sprawa="GOPS/AR/4/2026")
    family["czlonkowie"][0] |= {"data_urodzenia": "2003-02-05", "pesel": "PESEL"}
    text = yaml.safe_dump(family, allow_unicode=True, sort_keys=False)
    sheet = outside / "rodzina.yaml"
    sheet.write_text(text.replace("PESEL", "03220512344"), encoding="utf-8")
    visit = outside / "wizyta.yaml"
    text = yaml.safe_dump(form(VISIT, sprawa="GOPS/AR/4/2026"), allow_unicode=True, sort_keys=False)
    visit.write_text(text.replace("'10:00'", "9:05"), encoding="utf-8")
    assert "pesel: 03220512344\n" in sheet.read_text(encoding="utf-8")
    assert "godzina_od: 9:05\n" in visit.read_text(encoding="utf-8")
    result = run("ingest", "--workspace", family_ws, sheet, visit)
    assert result.exit_code == 0, result.output
    shard = stored(family_ws, "gops_ar_4_2026")
    records = {r["formularz"]: r["dane"] for r in shard["rekordy"].values()}
    assert records["metryczka_rodziny"]["czlonkowie"][0]["pesel"] == "03220512344"
    assert records["protokol_wizyty"]["godzina_od"] == "09:05"


def test_same_content_again_is_a_duplicate(family_ws: Path, outside: Path) -> None:
    before = store_digest(family_ws)
    documents = tree_digest(family_ws / "dokumenty")
    again = write_yaml(outside / "kopia_wizyty.yaml", VISIT)
    result = run("ingest", "--workspace", family_ws, again)
    assert result.exit_code == 0, result.output
    assert "duplikat" in result.output
    assert (family_ws / "przetworzone" / "kopia_wizyty.yaml").is_file()
    assert tree_digest(family_ws / "dokumenty") == documents
    shard = stored(family_ws, "gops_ar_3_2026")
    assert len(shard["rekordy"]) == 2
    assert {k: v for k, v in store_digest(family_ws).items() if "audyt" not in k} == {
        k: v for k, v in before.items() if "audyt" not in k
    }


def test_form_for_unknown_case_waits_for_its_family_sheet(ws: Path, outside: Path) -> None:
    visit = write_yaml(outside / "wizyta.yaml", VISIT)
    result = run("ingest", "--workspace", ws, visit)
    assert result.exit_code == 1
    report = (ws / "odrzucone" / "wizyta.yaml.bledy.txt").read_text(encoding="utf-8")
    assert "sprawa" in report and "metryczk" in report
    result = run("ingest", "--workspace", ws, write_yaml(outside / "metryczka.yaml", FAMILY))
    assert result.exit_code == 0, result.output
    assert sorted(p.name for p in (ws / "przetworzone").iterdir()) == [
        "metryczka.yaml",
        "wizyta.yaml",
    ]
    assert not any((ws / "odrzucone").iterdir())
    assert (ws / "dokumenty" / CASE_FOLDER / "protokol_wizyty_2026-02-17.docx").is_file()


def test_family_sheets_go_first_when_several_files_are_given(ws: Path, outside: Path) -> None:
    later = write_yaml(outside / "a_wizyta_2.yaml", form(VISIT, data="2026-02-24"))
    first = write_yaml(outside / "b_wizyta_1.yaml", VISIT)
    family = write_yaml(outside / "z_metryczka.yaml", FAMILY)
    result = run("ingest", "--workspace", ws, later, first, family)
    assert result.exit_code == 0, result.output
    lines = [line for line in result.output.splitlines() if line.startswith("✔")]
    assert [line.split(":")[0] for line in lines] == [
        "✔ z_metryczka.yaml",
        "✔ b_wizyta_1.yaml",
        "✔ a_wizyta_2.yaml",
    ]


# -- the catalogue of bad inputs -----------------------------------------------------------------

VISIT_YAML = yaml.safe_dump(VISIT, allow_unicode=True, sort_keys=False)
FAMILY_YAML = yaml.safe_dump(FAMILY, allow_unicode=True, sort_keys=False)


def _family_with(**member_changes: object) -> str:
    data = form(FAMILY)
    data["czlonkowie"][0].update(member_changes)
    return yaml.safe_dump(data, allow_unicode=True, sort_keys=False)


BAD_INPUTS = [
    pytest.param(
        "m.yaml",
        _family_with(pesel="90040212348"),
        "czlonkowie[1].pesel",
        "cyfrę kontrolną",
        id="pesel_bad_checksum",
    ),
    pytest.param(
        "m.yaml",
        _family_with(pesel="44051401359"),
        "czlonkowie[1].pesel",
        "datą urodzenia",
        id="pesel_not_matching_birth_date",
    ),
    pytest.param(
        "m.yaml",
        _family_with(pesel="9004021234"),
        "czlonkowie[1].pesel",
        "11 cyfr",
        id="pesel_ten_digits",
    ),
    pytest.param(
        "m.yaml",
        _family_with(data_urodzeia="1990-04-02"),
        "czlonkowie[1].data_urodzeia",
        "data_urodzenia",
        id="unknown_key_with_hint",
    ),
    pytest.param(
        "m.yaml",
        _family_with(pesel="44051401359") + "uwagi_dodatkowe: literówka w kluczu\n",
        "czlonkowie[1].pesel",  # the form's own rules are checked beside an unknown key
        "datą urodzenia",
        id="pesel_not_matching_birth_date_beside_an_unknown_key",
    ),
    pytest.param(
        "m.yaml",
        _family_with(rola="mama"),
        "czlonkowie[1].rola",
        "dozwolone",
        id="role_code_unknown",
    ),
    pytest.param(
        "m.yaml",
        FAMILY_YAML.replace("59-700", "'59700'"),
        "adres.kod_pocztowy",
        "NN-NNN",
        id="postal_code_without_dash",
    ),
    pytest.param(
        "m.yaml",
        _family_with(data_urodzenia="2030-01-01", pesel=None),
        "czlonkowie[1].data_urodzenia",
        "późniejsza",
        id="birth_date_in_future",
    ),
    pytest.param(
        "m.yaml",
        FAMILY_YAML.replace("GOPS/AR/3/2026", "gops/ar/3/2026"),
        "sprawa",
        "GOPS/AR/3/2026",
        id="case_spelled_differently",
    ),
    pytest.param(
        "w.yaml",
        VISIT_YAML.replace("2026-02-17", "2026-02-30"),
        "data",
        "nie istnieje",
        id="date_not_in_calendar",
    ),
    pytest.param(
        "w.yaml",
        VISIT_YAML.replace("2026-02-17", "17.02.2026"),
        "data",
        "RRRR-MM-DD",
        id="date_polish_style_in_yaml",
    ),
    pytest.param(
        "w.yaml",
        VISIT_YAML.replace("'11:30'", "'09:30'"),
        "godzina_do",
        "godzina_od",
        id="visit_ends_before_it_starts",
    ),
    pytest.param(
        "w.yaml",
        VISIT_YAML.replace("'10:00'", "'25:00'"),
        "godzina_od",
        "00:00–23:59",
        id="hour_out_of_range",
    ),
    pytest.param(
        "w.yaml",
        VISIT_YAML.replace("GOPS/AR/3/2026", "GOPS/AR/99/2026"),
        "sprawa",
        "metryczk",
        id="case_does_not_exist",
    ),
    pytest.param(
        "w.yaml",
        VISIT_YAML.replace("przebieg:", "przebeg:"),
        "przebeg",
        "przebieg",
        id="required_key_misspelt",
    ),
    pytest.param(
        "w.yaml",
        VISIT_YAML.replace("obecni:\n- Ewa Kowalska\n- Anna Wiśniewska", "obecni: []"),
        "obecni",
        "pusta",
        id="empty_list_of_present",
    ),
    pytest.param(
        "w.yaml",
        VISIT_YAML.replace("protokol_wizyty", "protokol_wizty"),
        "formularz",
        "protokol_wizyty",
        id="form_kind_misspelt",
    ),
    pytest.param(
        "w.yaml",
        VISIT_YAML.replace("GOPS/AR/3/2026", "../../etc"),
        "sprawa",
        "numer sprawy",
        id="case_number_path_traversal",
    ),
    pytest.param("w.yaml", "a: &x [1]\nb: *x\n" + VISIT_YAML, "", "odwołania", id="yaml_alias"),
    pytest.param(
        "w.yaml",
        "!!python/object/apply:os.system ['touch /tmp/asystent-pwned']\n",
        "",
        "znacznik",
        id="yaml_python_tag",
    ),
    pytest.param(
        "w.yaml", VISIT_YAML + "data: 2026-02-18\n", "data", "dwukrotnie", id="duplicate_key"
    ),
    pytest.param(
        "w.yaml",
        VISIT_YAML.replace("& potrzebach", "\\v potrzebach")
        .replace("przebieg: Matka", 'przebieg: "Matka')
        .replace("syna.", 'syna."'),
        "przebieg",
        "U+000B",
        id="control_character",
    ),
    pytest.param(
        "w.yaml", VISIT_YAML + "---\n" + VISIT_YAML, "", "jeden formularz", id="two_yaml_documents"
    ),
    pytest.param(
        "w.yaml", "formularz: protokol_wizyty\n\tsprawa: x\n", "", "tabulator", id="tab_indentation"
    ),
    pytest.param("w.yaml", "[" * 50 + "]" * 50, "", "zagnieżdżona", id="nesting_too_deep"),
    pytest.param(
        "w.yaml", "- to jest lista\n- a nie formularz\n", "", "klucz: wartość", id="top_level_list"
    ),
    pytest.param("w.yaml", "# tylko komentarz\n", "", "same komentarze", id="only_a_comment"),
    pytest.param(
        "w.json",
        json.dumps(VISIT)[:-1] + ', "data": "2026-02-18"}',
        "data",
        "dwukrotnie",
        id="json_duplicate_key",
    ),
    pytest.param("w.json", json.dumps(VISIT)[:40], "", "JSON", id="json_truncated"),
    pytest.param(
        "w.yaml",
        "przebieg: Привет\n".encode("cp1251"),
        "",
        "UTF-8",
        id="not_utf8_nor_polish_cp1250",
    ),
    pytest.param(
        "w.txt", VISIT_YAML.replace("Pierwsza", "Druga"), "", ".yaml", id="unsupported_extension"
    ),
    pytest.param("w.yaml", b"\x89PNG\r\n\x1a\n" + bytes(range(256)), "", "NUL", id="binary_file"),
    pytest.param(
        "k.yaml",
        "formularz: kontrakt\nsprawa: GOPS/AR/3/2026\ndata_zawarcia: 2026-02-18\nokres_od: 2026-03-01\nokres_do: 2026-02-01\ncel: Poprawa sytuacji\nzobowiazania_rodziny: [a]\nzobowiazania_asystenta: [b]\n",
        "okres_do",
        "okres_od",
        id="contract_range_reversed",
    ),
    pytest.param(
        "z.yaml",
        "formularz: zakonczenie_pracy\nsprawa: GOPS/AR/3/2026\ndata_zakonczenia: 2026-03-01\nprzyczyna: inna\npodsumowanie: Koniec\n",
        "przyczyna_opis",
        "inna",
        id="other_reason_without_description",
    ),
    pytest.param(
        "p.yaml",
        "formularz: plan_pracy\nsprawa: GOPS/AR/3/2026\ndata_sporzadzenia: 2026-02-20\nokres_od: 2026-02-20\nokres_do: 2026-08-20\ncele:\n- cel: Praca\n  dzialania:\n  - opis: Rejestracja w PUP\n    odpowiedzialny: Ewa Kowalska\n    termin: 2026-02-01\n  oczekiwany_rezultat: Zatrudnienie\n",
        "cele[1].dzialania[1].termin",
        "sporządzenia",
        id="plan_action_before_plan",
    ),
    pytest.param(
        "w.yaml",
        VISIT_YAML.replace("2026-02-17", "2026-01-17").replace("2026-02-28", "2026-01-28"),
        "data",
        "przydzielenia",
        id="visit_before_assignment",
    ),
]


@pytest.mark.parametrize(("name", "content", "field", "words"), BAD_INPUTS)
def test_bad_input_is_rejected_without_a_trace(
    family_ws: Path, outside: Path, name: str, content: str | bytes, field: str, words: str
) -> None:
    before = store_digest(family_ws)
    documents = tree_digest(family_ws / "dokumenty")
    path = outside / name
    if isinstance(content, bytes):
        path.write_bytes(content)
    else:
        path.write_text(content, encoding="utf-8")
    result = run("ingest", "--workspace", family_ws, path)
    assert result.exit_code == 1, result.output
    assert "Traceback" not in result.output
    assert not path.exists()
    assert (family_ws / "odrzucone" / name).is_file()
    report = (family_ws / "odrzucone" / f"{name}.bledy.txt").read_text(encoding="utf-8")
    assert f"{field}:" in report if field else "cały plik:" in report
    assert words in report
    assert store_digest(family_ws) == before
    assert tree_digest(family_ws / "dokumenty") == documents
    assert not Path("/tmp/asystent-pwned").exists()


def test_closed_case_accepts_only_monitoring_visits(family_ws: Path, outside: Path) -> None:
    closing = write_yaml(
        outside / "koniec.yaml",
        {
            "formularz": "zakonczenie_pracy",
            "sprawa": "GOPS/AR/3/2026",
            "data_zakonczenia": "2026-06-30",
            "przyczyna": "osiagniecie_celow",
            "podsumowanie": "Cele osiągnięte.",
        },
    )
    assert run("ingest", "--workspace", family_ws, closing).exit_code == 0
    before = store_digest(family_ws)
    plain = write_yaml(outside / "po.yaml", form(VISIT, data="2026-07-10", ustalenia=[]))
    result = run("ingest", "--workspace", family_ws, plain)
    assert result.exit_code == 1
    assert "monitoring" in (family_ws / "odrzucone" / "po.yaml.bledy.txt").read_text(
        encoding="utf-8"
    )
    assert store_digest(family_ws) == before
    monitoring = write_yaml(
        outside / "mon.yaml", form(VISIT, data="2026-07-10", ustalenia=[], monitoring="tak")
    )
    result = run("ingest", "--workspace", family_ws, monitoring)
    assert result.exit_code == 0, result.output


def test_listed_assistants_are_enforced(family_ws: Path, outside: Path) -> None:
    config = family_ws / "asystent.toml"
    config.write_text(
        config.read_text(encoding="utf-8").replace(
            "asystenci = []", 'asystenci = ["Anna Wiśniewska"]'
        ),
        encoding="utf-8",
    )
    other = write_yaml(
        outside / "m.yaml", form(FAMILY, sprawa="GOPS/AR/5/2026", asystent="Anna Wiśniewsk")
    )
    result = run("ingest", "--workspace", family_ws, other)
    assert result.exit_code == 1
    assert "asystent:" in (family_ws / "odrzucone" / "m.yaml.bledy.txt").read_text(encoding="utf-8")


def test_missing_file_and_not_a_workspace(ws: Path, tmp_path: Path) -> None:
    result = run("ingest", "--workspace", ws, tmp_path / "nie_ma.yaml")
    assert result.exit_code == 1 and "nie_ma.yaml" in result.output
    result = run("ingest", "--workspace", tmp_path, tmp_path / "nie_ma.yaml")
    assert result.exit_code == 2 and "asystent init" in result.output
