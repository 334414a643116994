"""What each role may do in the web interface, through Flask's test client on a demo workspace.

The browser tests (test_web.py) drive the main flows; here every role's pages and the archivist's
archive and erase are checked request by request, CSRF tokens taken from the pages as a browser
would.
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from conftest import add_account, csrf_token, run, web_client

ACCOUNTS = {
    "anna": ("asystent", "Anna Wiśniewska"),
    "joanna": ("pracownik_socjalny", "Joanna Kruk"),
    "sekretariat": ("sekretariat", "Sekretariat"),
    "archiwum": ("archiwista", "Archiwista"),
    "szef": ("kierownik", "Barbara Przykładowa"),
}
PASSWORD = "haslo-testowe-1"


@pytest.fixture
def demo(tmp_path: Path) -> Path:
    root = tmp_path / "demo"
    made = run("demo", root)
    assert made.exit_code == 0, made.output
    for login, (role, name) in ACCOUNTS.items():
        add_account(root, login, role, name, PASSWORD)
    return root


def cases_listed(client) -> list[str]:
    return re.findall(r'href="/sprawa/([^"]+)"', client.get("/").text)


@pytest.mark.parametrize(
    ("login", "cases", "allowed", "forbidden"),
    [
        (
            "anna",
            ["GOPS.AR.4011.3.2025", "MOPS.AR.4011.12.2026"],
            ["/terminy", "/sprawozdanie", "/wyslij"],
            ["/szablony", "/archiwum"],
        ),
        # Joanna Kruk is the social worker of the Zieliński family only.
        (
            "joanna",
            ["OPS_AR_7_2026"],
            ["/terminy", "/wyslij"],
            ["/sprawozdanie", "/szablony", "/archiwum"],
        ),
        ("sekretariat", None, ["/wyslij", "/szablony"], ["/terminy", "/sprawozdanie", "/archiwum"]),
        ("archiwum", None, ["/archiwum"], ["/wyslij", "/terminy", "/sprawozdanie", "/szablony"]),
        ("szef", None, ["/terminy", "/sprawozdanie", "/szablony", "/wyslij"], ["/archiwum"]),
    ],
)
def test_each_role_sees_and_may_what_it_should(
    demo: Path, login, cases, allowed, forbidden
) -> None:
    client = web_client(demo, login, PASSWORD)
    listed = cases_listed(client)
    if cases is None:
        assert len(listed) == 3
    else:
        assert listed == cases
        hidden = {"GOPS.AR.4011.3.2025", "MOPS.AR.4011.12.2026", "OPS_AR_7_2026"} - set(cases)
        for case in hidden:
            assert client.get(f"/sprawa/{case}").status_code == 403
    for page in allowed:
        assert client.get(page).status_code == 200, page
    for page in forbidden:
        response = client.get(page)
        assert response.status_code == 403, page
        assert "Nie masz dostępu" in response.text


def test_an_assistant_cannot_send_a_form_for_another_assistants_family(
    demo: Path, tmp_path: Path
) -> None:
    client = web_client(demo, "anna", PASSWORD)
    form = (demo / "przetworzone").glob("*.yaml")
    visit = next(p for p in form if "OPS/AR/7/2026" in p.read_text(encoding="utf-8"))
    with visit.open("rb") as handle:
        response = client.post(
            "/wyslij",
            data={"plik": (handle, "wizyta.yaml"), "csrf_token": csrf_token(client, "/wyslij")},
            content_type="multipart/form-data",
        )
    assert response.status_code == 403
    assert "nie jest przydzielona do Ciebie" in response.text


def test_the_archivist_archives_and_erases_from_the_browser(demo: Path) -> None:
    client = web_client(demo, "archiwum", PASSWORD)
    response = client.post(
        "/archiwum/OPS_AR_7_2026", data={"csrf_token": csrf_token(client, "/archiwum")}
    )
    assert response.status_code == 302
    packages = [p.name for p in (demo / "archiwum").iterdir()]
    assert len(packages) == 1 and packages[0].startswith("OPS_AR_7_2026_")
    # Category B10: closed in 2026, so the data stays until 1 January 2037; the page says so
    # in words, with no form to erase and no command to run.
    page = client.get("/archiwum").text
    assert "okres przechowywania (kategoria B10) kończy się 1 stycznia 2037 r." in page
    assert "asystent " not in page.replace("asystent rodziny", "")
    early = client.post(
        "/archiwum/OPS_AR_7_2026/usun",
        data={"csrf_token": csrf_token(client, "/archiwum"), "potwierdzenie": "OPS/AR/7/2026"},
        follow_redirects=True,
    )
    assert "nie można jeszcze usunąć" in early.text
    assert (demo / "dokumenty" / "OPS_AR_7_2026").is_dir()
    # An office whose file plan keeps these files until they are no longer needed (Bc).
    settings = demo / "asystent.toml"
    settings.write_text(
        settings.read_text(encoding="utf-8").replace('kategoria = "B10"', 'kategoria = "Bc"'),
        encoding="utf-8",
    )
    client = web_client(demo, "archiwum", PASSWORD)
    wrong = client.post(
        "/archiwum/OPS_AR_7_2026/usun",
        data={"csrf_token": csrf_token(client, "/archiwum"), "potwierdzenie": "OPS/AR/7/202"},
        follow_redirects=True,
    )
    assert "Niczego nie usunięto" in wrong.text
    assert (demo / "dokumenty" / "OPS_AR_7_2026").is_dir()
    done = client.post(
        "/archiwum/OPS_AR_7_2026/usun",
        data={"csrf_token": csrf_token(client, "/archiwum"), "potwierdzenie": "OPS/AR/7/2026"},
        follow_redirects=True,
    )
    assert "Usunięto dane sprawy" in done.text
    assert not (demo / "dokumenty" / "OPS_AR_7_2026").exists()
    assert client.get("/sprawa/OPS_AR_7_2026").status_code == 404


def test_a_template_that_fails_its_check_is_not_put_in_use(demo: Path, tmp_path: Path) -> None:
    import docx

    bad = tmp_path / "kontrakt.docx"
    document = docx.Document()
    document.add_paragraph("Cel: {{ dane.cell }}")
    document.save(str(bad))
    client = web_client(demo, "sekretariat", PASSWORD)
    with bad.open("rb") as handle:
        response = client.post(
            "/szablony/kontrakt",
            data={"plik": (handle, "kontrakt.docx"), "csrf_token": csrf_token(client, "/szablony")},
            content_type="multipart/form-data",
        )
    assert response.status_code == 422
    assert "czy chodziło o „dane.cel”" in response.text
    assert not (demo / "szablony" / "kontrakt.docx").exists()
    # a template that is refused by the worker (a memory blow-up) is named as staff know it
    document = docx.Document()
    document.add_paragraph("{{ 'x'|center(1500000000) }}")
    document.save(str(bad))
    with bad.open("rb") as handle:
        response = client.post(
            "/szablony/kontrakt",
            data={
                "plik": (handle, "moj_kontrakt.docx"),
                "csrf_token": csrf_token(client, "/szablony"),
            },
            content_type="multipart/form-data",
        )
    assert response.status_code == 422
    assert "Szablon kontrakt.docx potrzebował więcej pamięci" in response.text, response.text
    assert not re.search(r"[0-9a-f]{12}", response.text.split("<main")[-1])
    assert not (demo / "szablony" / "kontrakt.docx").exists()
    assert not any((demo / "dane" / "wysylane").iterdir())
