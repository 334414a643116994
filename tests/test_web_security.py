"""What an adversarial review of the web interface found (issue 14), against the real server.

`asystent serve` runs as a subprocess on a demo workspace; a browser without JavaScript is played
by `servers.Client` (cookies, no redirects followed, CSRF tokens from the pages). Anna and Marek
are assistants: Anna works with MOPS.AR.4011.12.2026, Marek with OPS/AR/7/2026 (the Zieliński
family).
"""

from __future__ import annotations

import urllib.parse
from collections.abc import Iterator
from pathlib import Path

import pytest
import yaml
from conftest import add_account, run, stored
from servers import Client, serving

MAREK_CASE = "OPS/AR/7/2026"
PASSWORDS = {"anna": "haslo-anny-123", "marek": "haslo-marka-123", "szef": "haslo-szefa-123"}


@pytest.fixture(scope="module")
def site(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[str, Path]]:
    root = tmp_path_factory.mktemp("security") / "ws"
    made = run("demo", root)
    assert made.exit_code == 0, made.output
    for login, role, name in (
        ("anna", "asystent", "Anna Wiśniewska"),
        ("marek", "asystent", "Marek Nowicki"),
        ("szef", "kierownik", "Barbara Przykładowa"),
    ):
        add_account(root, login, role, name, PASSWORDS[login])
    with serving(root) as base:
        yield base, root


def logged_in(base: str, login: str) -> Client:
    client = Client(base)
    assert client.log_in(login, PASSWORDS[login]).status == 302
    return client


def case_records(root: Path, folder: str) -> list[dict]:
    shard = stored(root, f"{folder.lower()}")
    return list(shard["rekordy"].values())


def sample(root: Path, relative: str, **changes: object) -> bytes:
    from records.resources import data_dir

    data = yaml.safe_load((data_dir("sample_data") / relative).read_text(encoding="utf-8"))
    data.update(changes)
    return yaml.safe_dump(data, allow_unicode=True, sort_keys=False).encode("utf-8")


@pytest.mark.parametrize(
    "spelling",
    [
        MAREK_CASE + " ",
        " " + MAREK_CASE,
        MAREK_CASE + "\t",
        MAREK_CASE + "\u00a0",
        "ＯＰＳ/AR/7/2026",
    ],
    ids=["trailing_space", "leading_space", "tab", "nbsp", "full_width"],
)
def test_a_case_cannot_be_taken_over_by_spelling_its_number_differently(
    site: tuple[str, Path], spelling: str
) -> None:
    base, root = site
    before = case_records(root, "OPS_AR_7_2026")
    anna = logged_in(base, "anna")
    takeover = sample(
        root,
        "zielinscy_wschowa/01_metryczka_rodziny.yaml",
        sprawa=spelling,
        asystent="Anna Wiśniewska",
    )
    answer = anna.upload("metryczka.yaml", takeover)
    assert answer.status == 403, answer.text
    assert "nie jest przydzielona do Ciebie" in answer.text
    visit = sample(root, "zielinscy_wschowa/04_protokol_wizyty_2026-03-18.yaml", sprawa=spelling)
    assert anna.upload("wizyta.yaml", visit).status == 403
    assert case_records(root, "OPS_AR_7_2026") == before  # nothing of Anna's in Marek's case
    assert anna.request("/sprawa/OPS_AR_7_2026").status == 403


def test_a_file_named_like_a_hidden_one_is_taken_when_chosen_in_the_browser(
    site: tuple[str, Path],
) -> None:
    """`.yaml` or `~$wizyta.yaml` would be passed over in the shared folder as temporary files;
    chosen in the browser, it is the person's form (it got a 503 and "Popraw błędy")."""
    base, root = site
    anna = logged_in(base, "anna")
    for day, name in (("2026-11-02", ".yaml"), ("2026-11-03", "~$wizyta.yaml")):
        visit = sample(
            root,
            "nowak_leszno/04_protokol_wizyty_2026-02-03.yaml",
            data=day,
            nastepna_wizyta=None,
            ustalenia=[],
            monitoring=True,  # the family's work closed in October: monitoring visits
        )
        answer = anna.upload(name, visit)
        assert answer.status == 200, answer.text
        assert "przyjęto" in answer.text and "Popraw błędy" not in answer.text
    dates = {r["dane"].get("data") for r in case_records(root, "mops.ar.4011.12.2026")}
    assert {"2026-11-02", "2026-11-03"} <= dates


def test_a_rejected_upload_is_retried_as_its_sender_and_cannot_plant_a_form(
    site: tuple[str, Path],
) -> None:
    base, root = site
    new_case = "MOPS.AR.4011.77.2026"
    anna, marek = logged_in(base, "anna"), logged_in(base, "marek")
    visit = sample(root, "zielinscy_wschowa/04_protokol_wizyty_2026-03-18.yaml", sprawa=new_case)
    planted = anna.upload("podrzucona_wizyta.yaml", visit)
    assert planted.status == 422 and "najpierw wyślij metryczkę" in planted.text
    assert (root / "odrzucone" / "podrzucona_wizyta.yaml").is_file()
    family = sample(root, "zielinscy_wschowa/01_metryczka_rodziny.yaml", sprawa=new_case)
    assert marek.upload("metryczka.yaml", family).status == 200
    # Marek's fact sheet made the waiting visit retry, as Anna's, who may not send for his case.
    kinds = [r["formularz"] for r in case_records(root, new_case.replace("/", "_"))]
    assert kinds == ["metryczka_rodziny"]
    report = (root / "odrzucone" / "podrzucona_wizyta.yaml.bledy.txt").read_text()
    assert "nie jest przydzielona do Ciebie" in report and "[access_denied]" in report
    # The same file retried from the command line is still Anna's upload.
    result = run("retry", "--workspace", root, root / "odrzucone" / "podrzucona_wizyta.yaml")
    assert result.exit_code == 1
    assert [r["formularz"] for r in case_records(root, new_case.replace("/", "_"))] == kinds


@pytest.mark.parametrize(
    "target",
    [
        "/\t/evil.example",
        "/\n/evil.example",
        "/\r\n/evil.example",
        "//evil.example",
        "/\\evil.example",
        "\\\\evil.example",
        "https://evil.example/",
        "javascript:alert(1)",
        "/%09/evil.example",
    ],
)
def test_after_login_only_a_local_page_is_a_target(site: tuple[str, Path], target: str) -> None:
    base, _ = site
    for sent in (target, urllib.parse.unquote(target)):  # as typed, and as a query decodes it
        answer = Client(base).log_in("szef", PASSWORDS["szef"], next_page=sent)
        assert answer.status == 302, answer.text
        # Resolved the way a browser resolves it (urlsplit drops tabs and newlines like one).
        landed = urllib.parse.urlsplit(
            urllib.parse.urljoin(base + "/logowanie", answer.headers["Location"])
        )
        assert landed.scheme == "http" and landed.netloc == urllib.parse.urlsplit(base).netloc


def test_a_local_target_after_login_is_kept(site: tuple[str, Path]) -> None:
    base, _ = site
    answer = Client(base).log_in("szef", PASSWORDS["szef"], next_page="/terminy?na=1")
    assert answer.headers["Location"].endswith("/terminy?na=1")


def test_logout_ends_the_session_for_a_copied_cookie_too(site: tuple[str, Path]) -> None:
    base, _ = site
    anna = logged_in(base, "anna")
    thief = Client(base)
    anna.copy_cookies_to(thief)
    assert thief.request("/").status == 200
    assert anna.request("/wyloguj", {"csrf_token": anna.token("/")}).status == 302
    assert thief.request("/").status == 302  # to the login page
    assert "/logowanie" in thief.request("/").headers["Location"]


def test_a_password_change_and_a_removed_account_end_the_sessions(
    site: tuple[str, Path],
) -> None:
    base, root = site
    add_account(root, "ewa", "asystent", "Ewa Testowa", "haslo-ewy-1234")
    ewa = Client(base)
    assert ewa.log_in("ewa", "haslo-ewy-1234").status == 302
    assert ewa.request("/").status == 200
    result = run("users", "password", "--workspace", root, "ewa", "--haslo", "nowe-haslo-ewy-1")
    assert result.exit_code == 0, result.output
    assert ewa.request("/").status == 302
    assert ewa.log_in("ewa", "haslo-ewy-1234").status == 401  # the old password is gone
    assert ewa.log_in("ewa", "nowe-haslo-ewy-1").status == 302
    assert ewa.request("/").status == 200
    assert run("users", "remove", "--workspace", root, "ewa").exit_code == 0
    assert ewa.request("/").status == 302


def test_the_login_throttle_counts_one_login_however_it_is_spelt(site: tuple[str, Path]) -> None:
    base, root = site
    add_account(root, "arch", "archiwista", "Archiwista", "haslo-archiwisty-1")
    client = Client(base)
    for _ in range(5):
        assert client.log_in("arch", "zle-haslo-xxxx").status == 401
    for spelling in ("arch ", " arch", "ARCH", "ａｒｃｈ"):
        assert client.log_in(spelling, "zle-haslo-xxxx").status == 429, spelling


def test_guesses_sent_at_once_get_no_more_password_checks(site: tuple[str, Path]) -> None:
    """25 wrong logins for one account at the same moment: 5 are checked, the rest wait a
    minute (counted after each answer, parallel requests had all slipped through)."""
    from concurrent.futures import ThreadPoolExecutor

    base, root = site
    add_account(root, "rownolegle", "sekretariat", "Sekretariat", "haslo-sekretariatu-1")
    with ThreadPoolExecutor(25) as pool:
        statuses = list(
            pool.map(
                lambda _: Client(base).log_in("rownolegle", "zle-haslo-xxxx").status, range(25)
            )
        )
    assert statuses.count(401) == 5 and statuses.count(429) == 20, statuses
    answer = Client(base).log_in("rownolegle", "haslo-sekretariatu-1")
    assert answer.status == 429  # the right password too, until the minute passes
    assert "Za dużo prób logowania" in answer.text


def test_the_current_password_cannot_be_guessed_from_a_stolen_session(
    site: tuple[str, Path],
) -> None:
    base, root = site
    add_account(root, "ewelina", "asystent", "Ewelina Próbna", "haslo-eweliny-123")
    client = Client(base)
    assert client.log_in("ewelina", "haslo-eweliny-123").status == 302
    statuses = []
    for guess in range(7):
        token = client.token("/haslo")
        form = {
            "obecne": f"zgaduje-{guess}",
            "nowe": "nowe-haslo-1234",
            "powtorzone": "nowe-haslo-1234",
        }
        statuses.append(client.request("/haslo", form | {"csrf_token": token}).status)
    assert statuses == [400] * 5 + [429] * 2
    assert "Za dużo prób podania hasła" in client.request("/haslo", {"csrf_token": token}).text


@pytest.mark.parametrize(
    "query",
    [
        "od=9999-12-01&do=9999-12-31",
        "od=0001-01-01&do=2026-01-01",
        "od=abc&do=2026-01-01",
        "od=2026-13-01",
        "od=2026-06-30&do=2026-01-01",
        "format=xls",
        "od=%00",
    ],
)
def test_a_bad_report_parameter_is_a_polish_400(site: tuple[str, Path], query: str) -> None:
    base, _ = site
    szef = logged_in(base, "szef")
    for page in ("/sprawozdanie", "/sprawozdanie/pobierz"):
        answer = szef.request(f"{page}?{query}")
        assert answer.status == 400, (page, query, answer.status)
        assert "Błąd 400" in answer.text or "400" in answer.text
        assert "Traceback" not in answer.text


def test_a_report_period_in_polish_dates_is_understood(site: tuple[str, Path]) -> None:
    base, _ = site
    answer = logged_in(base, "szef").request("/sprawozdanie?od=01.01.2026&do=30.06.2026")
    assert answer.status == 200
