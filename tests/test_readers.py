"""Reading form files as offices produce them: encodings, line endings, YAML and JSON traps."""

from __future__ import annotations

from pathlib import Path

import pytest

from records.errors import FormRejected
from records.readers import is_ignored, read_form

POLISH = "przebieg: Zażółć gęślą jaźń „cytat” – myślnik\nuwagi: x\n"


@pytest.mark.parametrize(
    ("raw", "note"),
    [
        pytest.param(POLISH.encode("utf-8"), None, id="utf8"),
        pytest.param(b"\xef\xbb\xbf" + POLISH.encode("utf-8"), None, id="utf8_bom"),
        pytest.param(POLISH.replace("\n", "\r\n").encode("utf-8"), None, id="crlf"),
        pytest.param(POLISH.encode("cp1250"), "Windows-1250", id="windows_1250"),
        pytest.param(POLISH.encode("utf-16"), "UTF-16", id="utf16_bom"),
    ],
)
def test_office_encodings_decode_to_the_same_text(
    tmp_path: Path, raw: bytes, note: str | None
) -> None:
    path = tmp_path / "f.yaml"
    path.write_bytes(raw)
    result = read_form(path)
    assert result.data == {"przebieg": "Zażółć gęślą jaźń „cytat” – myślnik", "uwagi": "x"}
    assert (note in " ".join(result.notes)) if note else not result.notes


def test_every_scalar_stays_text(tmp_path: Path) -> None:
    path = tmp_path / "f.yaml"
    path.write_text(
        "pesel: 03220512344\ngodzina: 9:05\nflaga: tak\nnie: no\ndata: 2026-01-05\npuste:\n"
        "tylda: ~\ncytat: ''\nliczba: 0x1F\n",
        encoding="utf-8",
    )
    assert read_form(path).data == {
        "pesel": "03220512344",
        "godzina": "9:05",
        "flaga": "tak",
        "nie": "no",
        "data": "2026-01-05",
        "puste": None,
        "tylda": None,
        "cytat": "",
        "liczba": "0x1F",
    }


def test_json_numbers_and_booleans_stay_text(tmp_path: Path) -> None:
    path = tmp_path / "f.json"
    path.write_text(
        '{"pesel": 3220512344, "monitoring": true, "x": 1.50, "y": null}', encoding="utf-8"
    )
    assert read_form(path).data == {
        "pesel": "3220512344",
        "monitoring": "true",
        "x": "1.50",
        "y": None,
    }


def test_billion_laughs_is_refused_before_expansion(tmp_path: Path) -> None:
    lines = ['a: &a ["lol","lol","lol","lol","lol","lol","lol","lol","lol"]']
    for n in range(1, 9):
        prev, name = chr(ord("a") + n - 1), chr(ord("a") + n)
        lines.append(f"{name}: &{name} [{','.join(['*' + prev] * 9)}]")
    path = tmp_path / "bomb.yaml"
    path.write_text("\n".join(lines), encoding="utf-8")
    with pytest.raises(FormRejected) as caught:
        read_form(path)
    assert caught.value.errors[0].code == "yaml_alias"


def test_big_file_is_refused_from_its_size(tmp_path: Path) -> None:
    path = tmp_path / "big.yaml"
    path.write_bytes(b"# " + b"x" * 1_100_000)
    with pytest.raises(FormRejected) as caught:
        read_form(path)
    assert caught.value.errors[0].code == "file_too_large"


def test_json_constants_are_refused(tmp_path: Path) -> None:
    path = tmp_path / "f.json"
    path.write_text('{"x": NaN}', encoding="utf-8")
    with pytest.raises(FormRejected) as caught:
        read_form(path)
    assert caught.value.errors[0].code == "json_constant"


@pytest.mark.parametrize(
    "name",
    [
        "~$wizyta.docx",
        ".~lock.wizyta.docx#",
        "~WRL0001.tmp",
        "x.tmp",
        "Thumbs.db",
        "desktop.ini",
        ".DS_Store",
        "._wizyta.yaml",
        "wizyta.yaml.bledy.txt",
    ],
)
def test_editor_and_system_files_are_ignored(name: str) -> None:
    assert is_ignored(Path(name))


def test_forms_are_not_ignored() -> None:
    assert not is_ignored(Path("wizyta.yaml"))
    assert not is_ignored(Path("wizyta 2026-03-01.json"))
