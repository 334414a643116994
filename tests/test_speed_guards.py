"""What the speed-ups of issue 20 rely on, guarded on real workspaces.

- `generate --all` with nothing changed renders nothing and rewrites nothing (no document, no
  case file, no audit line);
- a changed template regenerates exactly the documents made from it;
- a new record of one case re-renders that case only (and rewrites only what changed);
- a document's unchanged text keeps its registry's hashes (content_hash's memory of parts gives
  the same digest as hashing the parts afresh);
- an assistant's report figures and caseload, counted over the cases naming them, are those
  counted over every case.
"""

from __future__ import annotations

import datetime as dt
import json
import random
import re
import shutil
import subprocess
import sys
from dataclasses import replace
from pathlib import Path

import docx
import msgspec
import pytest
from conftest import add_account, csrf_token, docx_text, run, web_client, write_yaml

from records import render
from records.case import Case
from records.kept_facts import facts_of, saved_facts
from records.models import FORMS, case_key
from records.readers import read_form
from records.resources import data_dir
from records.settings import load_workspace
from records.store import AtomicJSONStorage, Record, new_record_id, now, open_store
from records.web.app import create_app, warm_up

VISIT = data_dir("sample_data") / "nowak_leszno" / "09_protokol_wizyty_2026-11-12_monitoring.yaml"


def snapshot(root: Path) -> dict[str, tuple[int, int]]:
    """Every file of the documents and the store, with its modification time and size."""
    return {
        str(p.relative_to(root)): (p.stat().st_mtime_ns, p.stat().st_size)
        for folder in (root / "dokumenty", root / "dane")
        for p in sorted(folder.rglob("*"))
        if p.is_file() and p.name != ".lock"
    }


def changed(before: dict[str, tuple[int, int]], after: dict[str, tuple[int, int]]) -> set[str]:
    return {name for name in before.keys() | after.keys() if before.get(name) != after.get(name)}


@pytest.fixture
def settled(tmp_path: Path) -> Path:
    """The demo after one `generate --all`: every registry entry knows its inputs."""
    root = tmp_path / "demo"
    made = run("demo", root)
    assert made.exit_code == 0, made.output
    assert run("generate", "--all", "--workspace", root).exit_code == 0
    return root


def generated(root: Path) -> str:
    result = run("generate", "--all", "--workspace", root)
    assert result.exit_code == 0, result.output
    return result.output


def test_an_unchanged_rerun_renders_and_rewrites_nothing(settled: Path) -> None:
    before = snapshot(settled)
    audit = (settled / "dane" / "audyt.jsonl").read_bytes()
    output = generated(settled)
    assert changed(before, snapshot(settled)) == set()
    assert (settled / "dane" / "audyt.jsonl").read_bytes() == audit
    assert "nowy" not in output and "nowa wersja" not in output and "bez zmian" in output


def test_a_changed_template_regenerates_exactly_its_documents(settled: Path) -> None:
    own = settled / "szablony" / "notatka.docx"
    own.parent.mkdir(exist_ok=True)
    shutil.copyfile(data_dir("templates_docx") / "notatka.docx", own)
    template = docx.Document(str(own))
    template.add_paragraph("Notatkę sporządzono według wzoru ośrodka.")
    template.save(str(own))
    before = snapshot(settled)
    generated(settled)
    touched = changed(before, snapshot(settled))
    documents = {Path(n) for n in touched if n.startswith("dokumenty/")}
    current = {p for p in documents if "poprzednie" not in p.parts}
    notes = {p.relative_to(settled) for p in (settled / "dokumenty").glob("*/notatka_*.docx")}
    assert notes and current == notes
    for path in current:
        assert "według wzoru ośrodka" in "\n".join(
            p.text for p in docx.Document(str(settled / path)).paragraphs
        )
    # Their earlier versions moved aside; every other document is untouched.
    assert all(p.name.startswith("notatka_") for p in documents)


def test_a_new_record_re_renders_only_its_own_case(settled: Path, tmp_path: Path) -> None:
    visit = tmp_path / "wizyta.yaml"
    visit.write_text(
        VISIT.read_text(encoding="utf-8").replace("data: 2026-11-12", "data: 2026-11-13"),
        encoding="utf-8",
    )
    result = run("ingest", "--workspace", settled, visit)
    assert result.exit_code == 0, result.output
    before = snapshot(settled)
    generated(settled)
    touched = changed(before, snapshot(settled))
    # The other families' documents and case files stay as they were.
    assert {n.split("/")[1] for n in touched if n.startswith("dokumenty/")} <= {
        "MOPS.AR.4011.12.2026"
    }
    assert {n for n in touched if n.startswith("dane/sprawy/")} <= {
        "dane/sprawy/mops.ar.4011.12.2026.json"
    }
    # And the run after that is a no-op again.
    before = snapshot(settled)
    generated(settled)
    assert changed(before, snapshot(settled)) == set()


def test_remembered_parts_give_the_same_digest_as_hashing_afresh(settled: Path) -> None:
    cases = {
        path.stem: json.loads(path.read_text(encoding="utf-8"))
        for path in (settled / "dane" / "sprawy").glob("*.json")
    }
    checked = 0
    for data in cases.values():
        for entry in data.get("dokumenty", {}).values():
            folder = next(iter(data["rekordy"].values()))["sprawa"].replace("/", "_")
            path = settled / "dokumenty" / folder / entry["nazwa"]
            if not path.exists():
                continue
            render._CANONICAL.clear()
            fresh = render.content_hash(path.read_bytes())
            remembered = render.content_hash(path.read_bytes())
            assert fresh == remembered == entry["tresc_sha256"], entry["nazwa"]
            checked += 1
    assert checked >= 20


def test_a_batch_builds_each_cases_facts_and_digest_once(settled: Path) -> None:
    """`generate` renders each document from a copy of its case with the registry as it then
    is: the copies share the case's facts and records digest, built once for the case (they
    used to be built again for each document: a fifth of the batch's own time)."""
    case = Case.load(open_store(load_workspace(settled)), "MOPS.AR.4011.12.2026")
    assert case is not None
    first, second = case.with_documents([]), case.with_documents(case.documents)
    assert first.facts is second.facts is case.facts is not None
    assert first.records_digest == second.records_digest == case.records_digest
    assert first.documents == () and second.documents == tuple(case.documents)


# -- the facts kept at each write -----------------------------------------------------------------


def saved_equal_built(root: Path) -> int:
    """Every case's saved facts are current (kept at its last write) and equal to the facts
    built from its records now; returns how many cases were compared."""
    store = open_store(load_workspace(root))
    stamps = store.case_stamps()
    for key, stamp in stamps.items():
        saved = saved_facts(store, key)
        assert saved is not None and saved.stamp == stamp, (
            f"{key}: facts not kept at the last write"
        )
        case = Case.load(store, key)
        assert case is not None
        assert saved.fakty == case.facts, key
        facts = case.facts
        assert facts is not None
        for done in (facts.visits, facts.notes):  # in date order: `deadlines._last_visit`
            assert [d.data for d in done] == sorted(d.data for d in done), key
    return len(stamps)


def test_facts_are_kept_at_every_write_for_every_sample(settled: Path) -> None:
    assert saved_equal_built(settled) == 3
    assert run("check", "--workspace", settled).exit_code == 0


@pytest.mark.parametrize("seed", [1, 2, 3])
def test_facts_kept_at_write_equal_facts_built_over_a_random_history(
    ws: Path, tmp_path: Path, seed: int
) -> None:
    """The Nowak family's forms in a random order, some twice with a change (a correction): after
    each form, accepted or refused, the saved facts are those the records give."""
    chance = random.Random(seed)
    forms = sorted(p for p in (data_dir("sample_data") / "nowak_leszno").glob("*.yaml"))
    order = forms[:2] + chance.sample(forms[2:], len(forms) - 2)  # the request and sheet first
    order += chance.sample(forms, 3)  # again, changed: corrections
    for number, form in enumerate(order):
        text = form.read_text(encoding="utf-8")
        if number >= len(forms):
            text = text.replace("Leszno", "Rydzyna").replace("10:00", "10:15")
        copy = tmp_path / f"{number:02d}_{form.name}"
        copy.write_text(text, encoding="utf-8")
        run("ingest", "--workspace", ws, copy)
        saved_equal_built(ws)
    assert saved_equal_built(ws) == 1


def test_check_finds_and_mends_saved_facts_that_differ_from_the_records(settled: Path) -> None:
    store = open_store(load_workspace(settled))
    key = "mops.ar.4011.12.2026"
    path = settled / "dane" / "fakty" / f"{key}.json"
    assert path.stat().st_mode & 0o777 == 0o600
    saved = saved_facts(store, key)
    assert saved is not None and saved.fakty is not None
    town = saved.fakty.latest.town
    path.write_bytes(path.read_bytes().replace(town.encode(), b"Gdzie indziej"))
    result = run("check", "--workspace", settled)
    assert result.exit_code == 1
    assert "Zapisane fakty sprawy MOPS.AR.4011.12.2026 różniły się" in result.output
    assert run("check", "--workspace", settled).exit_code == 0
    assert "Gdzie indziej" not in run("families", "--workspace", settled).output
    mended = saved_facts(store, key)
    assert mended is not None and mended.fakty == saved.fakty


def test_a_case_file_written_without_its_facts_is_never_read_stale(settled: Path) -> None:
    """A crash between writing a case and saving its facts (or an older release writing it):
    the stamp differs, so the office's commands build the facts again from the records."""
    store = open_store(load_workspace(settled))
    case = Case.load(store, "MOPS.AR.4011.12.2026")
    assert case is not None
    sheet = next(r for r in case.current if r.formularz == "metryczka_rodziny")
    moved = replace(
        sheet,
        id=new_record_id(),
        dane=sheet.dane | {"adres": sheet.dane["adres"] | {"miejscowosc": "Rydzyna"}},
        przyjeto=now(),
    )
    store.add_record(moved)  # the store alone: no facts kept
    assert "Rydzyna" in run("families", "--workspace", settled).output
    assert saved_equal_built(settled) == 3  # and they were saved again on the way


def test_saved_facts_a_crash_left_empty_or_cut_are_built_again(settled: Path) -> None:
    """Saved facts are written without fsync (a cache): a crash may leave one empty or cut
    short. Every reader then builds it from the records; nothing reads it wrong."""
    listed = run("families", "--workspace", settled).output
    folder = settled / "dane" / "fakty"
    empty, cut = sorted(folder.glob("*.json"))[:2]
    empty.write_bytes(b"")
    cut.write_bytes(cut.read_bytes()[: cut.stat().st_size // 2])
    assert run("families", "--workspace", settled).output == listed
    assert saved_equal_built(settled) == 3  # and saved whole again
    assert run("check", "--workspace", settled).exit_code == 0


def test_generate_carries_the_facts_over_to_the_new_case_file(settled: Path) -> None:
    """Registering documents rewrites the case file but changes no record: the facts saved for
    the file before are saved again for the new one (not built), and still equal the records'."""
    store = open_store(load_workspace(settled))
    before = {key: saved_facts(store, key) for key in store.case_stamps()}
    (settled / "szablony").mkdir(exist_ok=True)
    template = settled / "szablony" / "protokol_wizyty.docx"
    shutil.copyfile(data_dir("templates_docx") / "protokol_wizyty.docx", template)
    document = docx.Document(str(template))
    document.add_paragraph("Wersja szablonu: 2")
    document.save(str(template))
    assert "nowa wersja" in generated(settled)
    for key, stamp in store.case_stamps().items():  # each of the demo's cases has visits
        saved, earlier = saved_facts(store, key), before[key]
        assert saved is not None and earlier is not None
        assert saved.stamp == stamp != earlier.stamp, key
        assert saved.fakty == earlier.fakty
    assert saved_equal_built(settled) == 3


# -- long lists are paged -------------------------------------------------------------------------


def office_of(root: Path, cases: int) -> None:
    """`cases` families (a fact sheet and three visits each), written straight into the store as
    a restore from backup would leave them (so their facts are built on the first read)."""
    run("init", root)
    ws = load_workspace(root)
    sheet = FORMS["metryczka_rodziny"].model_validate(
        read_form(data_dir("forms") / "metryczka_rodziny.yaml").data
    )
    visit = FORMS["protokol_wizyty"].model_validate(
        read_form(data_dir("forms") / "protokol_wizyty.yaml").data
        | {"nastepna_wizyta": None, "ustalenia": []}
    )
    for number in range(1, cases + 1):
        sprawa = f"AR.4011.{number}.2026"
        records = [("metryczka_rodziny", sheet.model_dump(mode="json"), "metryczka_rodziny")]
        for week in range(3):
            day = (sheet.data_przydzielenia + dt.timedelta(days=7 * week)).isoformat()
            values = visit.model_dump(mode="json") | {"data": day}
            records.append(
                ("protokol_wizyty", values, f"protokol_wizyty:{day}T{values['godzina_od']}")
            )
        stored = {
            str(i + 1): Record(
                id=new_record_id(),
                formularz=kind,
                sprawa=sprawa,
                klucz=key,
                dane=values | {"sprawa": sprawa},
                zrodlo={"plik": f"{kind}.yaml", "sha256": new_record_id() * 2},
                przyjeto=now(),
                polecenie="test",
            ).__dict__
            for i, (kind, values, key) in enumerate(records)
        }
        AtomicJSONStorage(str(ws.data / "sprawy" / f"{case_key(sprawa)}.json")).write(
            {"rekordy": stored}
        )


def test_the_families_and_deadlines_pages_come_in_pages(tmp_path: Path) -> None:
    root = tmp_path / "biuro"
    office_of(root, 120)
    add_account(root, "szef", "kierownik", "Kierownik", "haslo-testowe-1")
    client = web_client(root, "szef", "haslo-testowe-1")
    seen: set[str] = set()
    for number, rows in ((1, 50), (2, 50), (3, 20)):
        page = client.get("/", query_string={"strona": number}).text
        cases = set(re.findall(r">(AR\.4011\.\d+\.2026)</a>", page))
        assert len(cases) == rows and not cases & seen
        seen |= cases
        assert f"Strona {number} z 3" in page
    assert len(seen) == 120
    assert "rodziny 101–120 z 120" in page and 'rel="next"' not in page
    # A search keeps its words across pages; a page past the end shows the last one.
    found = client.get("/", query_string={"q": "AR.4011.1", "strona": 9}).text
    assert "Strona 1 z 1" not in found  # 1, 10-19, 100-120: 32 families, one page, no links
    assert len(set(re.findall(r">(AR\.4011\.1\d*\.2026)</a>", found))) == 32
    for wrong in ("druga", "²", "9" * 5000):
        assert client.get("/", query_string={"strona": wrong}).status_code == 400
    deadlines = client.get("/terminy", query_string={"na_dzien": "2026-12-01"}).text
    assert "Strona 1 z " in deadlines and deadlines.count("<tr class=") == 100
    second = client.get("/terminy", query_string={"na_dzien": "2026-12-01", "strona": 2}).text
    assert "na_dzien=2026-12-01" in second and "strona=1" in second  # the day is kept


def edit_stored_visit(root: Path, **changes: str) -> None:
    """Change the Nowaks' visit of 17 February in the store's file, as a hand edit would."""
    path = root / "dane" / "sprawy" / "mops.ar.4011.12.2026.json"
    data = json.loads(path.read_text(encoding="utf-8"))
    visit = next(
        r
        for r in data["rekordy"].values()
        if r["formularz"] == "protokol_wizyty" and r["dane"]["data"] == "2026-02-17"
    )
    visit["dane"].update(changes)
    path.write_text(json.dumps(data, ensure_ascii=False), encoding="utf-8")


def test_a_record_changed_outside_the_program_is_never_taken_as_unchanged(settled: Path) -> None:
    """The inputs are what the records say, not only their ids: a record edited in the store's
    file (damage) re-renders its documents if it still validates, and is left out (named by
    `check`) if it does not."""
    edit_stored_visit(settled, przebieg="Przebieg zmieniony poza programem.")
    output = generated(settled)
    assert "nowa wersja: 1" in output
    document = settled / "dokumenty" / "MOPS.AR.4011.12.2026" / "protokol_wizyty_2026-02-17.docx"
    assert "Przebieg zmieniony poza programem." in docx_text(document)
    edit_stored_visit(settled, godzina_od="25:99")  # no longer a valid form
    output = generated(settled)
    assert "nowa wersja" not in output and "nowy" not in output
    checked = run("check", "--workspace", settled)
    assert checked.exit_code == 1 and "zmieniony poza programem" in checked.output


def test_facts_are_never_saved_for_a_case_file_that_changed_or_is_gone(settled: Path) -> None:
    """Facts built by a reader are saved only if the case file still has the stamp they were
    built from: an erase in between leaves no names behind in dane/fakty/."""
    store = open_store(load_workspace(settled))
    key = "mops.ar.4011.12.2026"
    saved = settled / "dane" / "fakty" / f"{key}.json"
    old = store.case_stamp(key)
    assert old is not None
    saved.unlink()
    store.write_facts(key, b'{"secret": "Katarzyna Nowak"}', (old[0] - 1, *old[1:]))
    assert not saved.exists()  # an older stamp: nothing saved
    store.erase_case("MOPS.AR.4011.12.2026")
    store.write_facts(key, b'{"secret": "Katarzyna Nowak"}', old)
    assert not saved.exists()  # the case is gone: nothing saved
    assert facts_of(store, key) is None


def test_regenerating_a_record_changed_outside_the_program_is_refused_in_polish(
    settled: Path,
) -> None:
    edit_stored_visit(settled, godzina_od="25:99")
    add_account(settled, "szef", "kierownik", "Kierownik", "haslo-testowe-1")
    client = web_client(settled, "szef", "haslo-testowe-1")
    token = csrf_token(client, "/sprawa/MOPS.AR.4011.12.2026")
    answer = client.post(
        "/sprawa/MOPS.AR.4011.12.2026/generuj/protokol_wizyty_2026-02-17.docx",
        data={"csrf_token": token},
    )
    assert answer.status_code == 409
    assert "zmieniony poza programem" in answer.text


def test_forms_ingested_while_generate_all_runs_are_neither_lost_nor_left_without_documents(
    tmp_path: Path,
) -> None:
    """generate --all renders outside the store's lock: visits ingested meanwhile into the
    cases it works on are stored with their documents, and the workspace checks out after."""
    root = tmp_path / "biuro"
    cases = 80
    office_of(root, cases)  # 320 documents
    visit = read_form(data_dir("forms") / "protokol_wizyty.yaml").data
    batch = subprocess.Popen(
        [sys.executable, "-m", "records", "generate", "--all", "--workspace", str(root)],
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
    )
    # Ingest until the batch ends, however fast this machine renders: into cases the batch has
    # done, is doing and will do (a step coprime with the number of cases visits each once).
    ingested: list[int] = []
    during = 0
    try:
        while batch.poll() is None and len(ingested) < cases:
            number = 1 + (len(ingested) * 7) % cases
            form = visit | {"sprawa": f"AR.4011.{number}.2026", "data": "2026-03-10"}
            form |= {"nastepna_wizyta": None, "ustalenia": []}
            path = write_yaml(tmp_path / f"wizyta_{number}.yaml", form)
            result = run("ingest", "--workspace", root, path)
            assert result.exit_code == 0, result.output
            ingested.append(number)
            during += batch.poll() is None
        output, _ = batch.communicate(timeout=300)
    finally:
        if batch.poll() is None:
            batch.kill()
    assert batch.returncode == 0, output.decode()
    assert during >= 3, f"only {during} ingests ended while the batch ran: make the office larger"
    assert "Gotowe" in output.decode()
    for number in ingested:
        folder = root / "dokumenty" / f"AR.4011.{number}.2026"
        assert (folder / "protokol_wizyty_2026-03-10.docx").is_file()
    checked = run("check", "--workspace", root)
    assert checked.exit_code == 0, checked.output  # every record has its document, unchanged


def test_a_document_edited_by_hand_is_made_again_and_the_edited_one_kept(settled: Path) -> None:
    folder = settled / "dokumenty" / "MOPS.AR.4011.12.2026"
    document = folder / "protokol_wizyty_2026-02-17.docx"
    edited = docx.Document(str(document))
    edited.add_paragraph("Dopisane ręcznie w Wordzie.")
    edited.save(str(document))
    output = generated(settled)
    assert "nowa wersja: 1" in output
    assert "Dopisane ręcznie" not in docx_text(document)
    kept = list((folder / "poprzednie").glob("protokol_wizyty_2026-02-17_*.docx"))
    assert len(kept) == 1 and "Dopisane ręcznie" in docx_text(kept[0])
    assert run("check", "--workspace", settled).exit_code == 0


def test_serve_reads_every_case_once_at_start(settled: Path) -> None:
    """The warm-up `serve` runs in the background at start (it failed there without a word)."""
    assert warm_up(create_app(load_workspace(settled))) == 3


def test_an_assistants_figures_from_their_own_cases_equal_those_from_every_case(
    tmp_path: Path,
) -> None:
    """The report and the caseload count each assistant over the cases naming them
    (`cases_by_assistant`): for every name in the demo (a substitution and a change of assistant
    among them) and several periods, the figures are those counted over every case."""
    from records import reports
    from records.deadlines import caseload_peak
    from records.facts import cases_by_assistant
    from records.kept_facts import all_facts

    assert run("demo", tmp_path / "demo").exit_code == 0
    cases = all_facts(open_store(load_workspace(tmp_path / "demo")))
    # and a case where someone never assigned to it made a visit and a plan (a colleague's help)
    helped = next(c for c in cases if c.visits and c.plans)
    guest = "Ewa Gościnna"
    cases.append(
        msgspec.structs.replace(
            helped,
            sprawa="AR.4011.99.2026",
            visits=(*helped.visits, msgspec.structs.replace(helped.visits[-1], asystent=guest)),
            plans=(*helped.plans, msgspec.structs.replace(helped.plans[0], asystent=guest)),
        )
    )
    mine = cases_by_assistant(cases)
    assert len(mine) >= 3 and [c.sprawa for c in mine[guest]] == ["AR.4011.99.2026"]
    periods = [
        (dt.date(2025, 1, 1), dt.date(2026, 12, 31)),
        (dt.date(2026, 3, 1), dt.date(2026, 4, 30)),
    ]
    periods += [(dt.date(2026, m, 1), dt.date(2026, m, 28)) for m in (4, 6, 9, 11)]
    for od, do in periods:
        work = reports._work_done(cases, od, do, None).by_author
        for name, own in mine.items():
            everywhere = reports._figures(name, cases, od, do, only=name, work=work)
            alone = reports._figures(name, own, od, do, only=name, work=work)
            assert alone == everywhere, (name, od, do)
            as_of = min(do, dt.date(2026, 12, 2))
            assert reports._court_figures(alone, own, od, do, as_of) == reports._court_figures(
                everywhere, cases, od, do, as_of
            )
            assert caseload_peak(own, od, do, name) == caseload_peak(cases, od, do, name)


def test_months_are_added_as_dateutil_adds_them() -> None:
    """Deadlines add months with `add_months`, not relativedelta (ten times slower, once for each
    case of an office): the same day for every day of four years, from -30 to +30 months,
    the ends of months and 29 February included."""
    from dateutil.relativedelta import relativedelta

    from records.facts import add_months

    day = dt.date(2023, 1, 1)
    while day < dt.date(2027, 1, 1):
        for months in (-30, -13, -12, -6, -1, 0, 1, 2, 6, 11, 12, 18, 30):
            assert add_months(day, months) == day + relativedelta(months=months), (day, months)
        day += dt.timedelta(days=1)


def test_hours_are_written_as_babel_writes_them_in_polish() -> None:
    """The spreadsheet's hours are formatted without babel (once for each family of a report):
    the same text as babel's "0.00" for Polish, for every minute count up to 300 hours."""
    from decimal import ROUND_HALF_UP, Decimal

    from babel.numbers import format_decimal

    from records.polish import hours_decimal

    for minutes in [*range(-120, 18_001), 123_456, 6_000_000]:
        value = (Decimal(minutes) / 60).quantize(Decimal("0.01"), rounding=ROUND_HALF_UP)
        assert hours_decimal(minutes) == format_decimal(value, format="0.00", locale="pl")


def test_the_office_wide_commands_load_nothing_they_do_not_use(settled: Path) -> None:
    """`families` and `alerts` only read: they stay free of the web stack, the form models,
    the write lock, ctypes, babel and dateutil; a spreadsheet report (which files itself and
    writes Polish numbers) of all but the lock and babel, and so does a Word report, rendered in
    the template worker (docxtpl, lxml and jinja2 load there). Only the Word report starts the
    worker, and only the statutory report loads its lines. Each of these modules was once
    loaded at import and cost every command's start."""
    probe = (
        "import runpy, sys\n"
        "sys.argv = ['asystent', *sys.argv[1:]]\n"
        "try:\n"
        "    runpy.run_module('records', run_name='__main__')\n"
        "except SystemExit:\n"
        "    pass\n"
        "print('MODULES', ' '.join(sorted(sys.modules)), file=sys.stderr)\n"
    )
    never = {"flask", "argon2", "pydantic", "filelock", "ctypes", "babel", "dateutil"}
    never |= {"docxtpl", "docx", "lxml", "jinja2"}
    report = ["report", "--od", "2026-01-01", "--do", "2026-12-31", "--format", "csv"]
    no_worker = {"records.templates", "records.worker", "multiprocessing", "records.statutory"}
    for command, allowed, also_never in (
        (["families"], set(), no_worker),
        (["alerts"], set(), no_worker),
        (report, {"filelock", "babel"}, no_worker),
        (report[:-2], {"filelock", "babel"}, {"records.statutory"}),  # the Word document
    ):
        done = subprocess.run(
            [sys.executable, "-c", probe, *command, "--workspace", str(settled)],
            capture_output=True,
            text=True,
            timeout=120,
            check=True,
        )
        modules = set(done.stderr.split("MODULES", 1)[1].split())
        loaded = {m.split(".")[0] for m in modules}
        assert loaded & never <= allowed, (command, loaded & never)
        assert not modules & (also_never | {"records.models"}), (command, modules & also_never)
    assert (settled / "raporty" / "sprawozdanie_2026-01-01_2026-12-31.docx").is_file()


def test_whoever_made_a_visit_in_the_period_has_a_row_of_the_report(tmp_path: Path) -> None:
    """The report lists its assistants from the authors its one pass over the period's visits
    and notes found: a colleague who made one visit, never assigned and not on the centre's
    list, has a row with that visit; one whose visit was before the period has none."""
    from records import reports
    from records.kept_facts import all_facts

    assert run("demo", tmp_path / "demo").exit_code == 0
    ws = load_workspace(tmp_path / "demo")
    cases = all_facts(open_store(ws))
    helped = next(c for c in cases if len(c.visits) >= 2)
    first, last = helped.visits[0], helped.visits[-1]
    cases[cases.index(helped)] = msgspec.structs.replace(
        helped,
        visits=(
            *helped.visits,
            msgspec.structs.replace(first, asystent="Ewa Dawna"),
            msgspec.structs.replace(last, asystent="Ewa Gościnna"),
        ),
    )
    od = do = last.data
    assert first.data < od
    report = reports.build_report(ws, cases, od, do, today=dt.date(2026, 12, 2))
    rows = {f.asystent: f for f in report.per_assistant}
    assert rows["Ewa Gościnna"].wizyty == 1
    assert "Ewa Dawna" not in rows
