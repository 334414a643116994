"""Templates are bounded in time and memory (issue 14): staff edit them, so a template is untrusted
code. Each hostile template below once ran for minutes or took gigabytes; now `templates check`
names it within the limit, a form whose document it would make waits (never half-stored), the
service goes on with other forms, and a zip bomb is refused before it is unpacked."""

from __future__ import annotations

import io
import os
import signal
import sys
import threading
import time
import zipfile
from pathlib import Path

import docx
import pytest
from conftest import (
    FAMILY,
    VISIT,
    run,
    start_watch,
    stop_watch,
    store_digest,
    wait_for,
    write_yaml,
)

LIMIT_S = 2

LOOP = "{% for a in '" + "a" * 80 + "' %}"
HOSTILE = {
    "nested_loops_over_a_literal": LOOP * 5 + "{% endfor %}" * 5,
    "recursive_macro_set": "{% macro m(n) %}{% set x = m(n) %}{% endmacro %}{{ m(1) }}",
    "integer_squaring": (
        "{% macro sq(x, n) %}{% if n %}{{ sq(x * x, n - 1) }}{% endif %}{% endmacro %}"
        "{{ sq(10, 40) }}"
    ),
    "tilde_doubling": (
        "{% macro d(s, n) %}{% if n %}{{ d(s ~ s, n - 1) }}{% else %}{{ s|length }}{% endif %}"
        "{% endmacro %}{{ d('x', 40) }}"
    ),
    "center": "{{ 'x'|center(1500000000) }}",
    "format_width": "{{ '%01500000000d'|format(1) }}",
    "replace_chain": "{{ 'x'" + "|replace('x', 'xxxxxxxxxx')" * 10 + " }}",
}


@pytest.fixture
def limited(ws: Path) -> Path:
    """A workspace whose templates may run for 2 s."""
    config = ws / "asystent.toml"
    config.write_text(
        config.read_text(encoding="utf-8") + f"\n[dokumenty]\nlimit_czasu_s = {LIMIT_S}\n",
        encoding="utf-8",
    )
    return ws


def _template(ws: Path, kind: str, body: str) -> None:
    document = docx.Document()
    document.add_paragraph(body)
    document.save(str(ws / "szablony" / f"{kind}.docx"))


@pytest.mark.parametrize("name", list(HOSTILE))
def test_a_hostile_template_is_stopped_and_named(limited: Path, name: str) -> None:
    _template(limited, "kontrakt", HOSTILE[name])
    started = time.monotonic()
    result = run("templates", "check", "--workspace", limited)
    elapsed = time.monotonic() - started
    assert result.exit_code == 1, result.output
    assert "✘ kontrakt.docx" in result.output
    assert any(
        words in result.output
        for words in ("dłużej niż 2 s", "więcej pamięci", "rekurencja", "zbyt wiele kroków")
    ), result.output
    assert "Nieoczekiwany" not in result.output
    assert elapsed < 30  # the limit, the worker's start, the other six templates


def test_a_form_waits_for_a_hostile_template_while_the_service_goes_on(
    limited: Path, outside: Path
) -> None:
    ws = limited
    assert run("ingest", "--workspace", ws, write_yaml(outside / "m.yaml", FAMILY)).exit_code == 0
    _template(ws, "protokol_wizyty", HOSTILE["nested_loops_over_a_literal"])
    before = store_digest(ws)
    watcher = start_watch(ws)
    try:
        write_yaml(ws / "wejscie" / "wizyta.yaml", VISIT)
        time.sleep(0.5)
        contract = {
            "formularz": "kontrakt",
            "sprawa": FAMILY["sprawa"],
            "data_zawarcia": "2026-02-12",
            "okres_od": "2026-02-12",
            "okres_do": "2026-08-12",
            "cel": "Poprawa organizacji dnia",
            "zobowiazania_rodziny": ["Udział w spotkaniach"],
            "zobowiazania_asystenta": ["Spotkania co tydzień"],
        }
        write_yaml(ws / "wejscie" / "kontrakt.yaml", contract)
        # Both went through the service, in whichever order it took them: the visit was tried
        # and stopped at the time limit, the contract was accepted.
        log = ws / "asystent.log"
        wait_for(lambda: "działał dłużej niż 2 s" in log.read_text(encoding="utf-8"), timeout=60)
        wait_for(lambda: (ws / "przetworzone" / "kontrakt.yaml").is_file(), timeout=60)
    finally:
        assert stop_watch(watcher) == 0
    assert (ws / "wejscie" / "wizyta.yaml").is_file()  # waits for the template to be fixed
    assert not (ws / "dokumenty" / "GOPS_AR_3_2026" / "protokol_wizyty_2026-02-17.docx").exists()
    assert store_digest(ws) != before  # the contract went in, and only the contract
    (ws / "szablony" / "protokol_wizyty.docx").unlink()
    assert run("ingest", "--workspace", ws, ws / "wejscie" / "wizyta.yaml").exit_code == 0


def test_a_zip_bomb_template_is_refused_before_it_is_unpacked(ws: Path) -> None:
    _template(ws, "ocena_okresowa", "{{ dane.wnioski }}")
    path = ws / "szablony" / "ocena_okresowa.docx"
    buffer = io.BytesIO()
    with zipfile.ZipFile(path) as source, zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as out:
        for item in source.infolist():
            out.writestr(item, source.read(item.filename))
        out.writestr("word/media/bomba.bin", b"\0" * 300_000_000)  # 300 MB of zeros, ~300 kB packed
    path.write_bytes(buffer.getvalue())
    assert path.stat().st_size < 2_000_000
    result = run("templates", "check", "--workspace", ws)
    assert result.exit_code == 1
    assert "ocena_okresowa.docx" in result.output and "bomba zip" in result.output


def test_two_workers_render_at_once_and_a_hostile_template_stops_only_its_own(
    tmp_path: Path,
) -> None:
    """`generate --all` renders two cases at once, one per worker process: a template killed at
    its limit in one process leaves the other rendering, and both start again afterwards."""
    import threading

    from records.errors import TemplateError
    from records.worker import TemplateWorker

    def template(name: str, body: str) -> Path:
        document = docx.Document()
        document.add_paragraph(body)
        document.save(str(tmp_path / name))
        return tmp_path / name

    hostile = template("petla.docx", HOSTILE["nested_loops_over_a_literal"])
    plain = template("zwykly.docx", "Rodzina {{ nazwisko }}")
    worker = TemplateWorker(time_limit=LIMIT_S * 3, processes=2)
    finished: list[str] = []
    try:
        worker.render(plain, {"nazwisko": "Nowak"})  # the first process, started and warm

        def stopped() -> None:
            with pytest.raises(TemplateError) as caught:
                worker.render(hostile, {})
            assert caught.value.code == "template_timeout"
            finished.append("hostile")

        thread = threading.Thread(target=stopped)
        thread.start()
        wait_for(lambda: len(worker._idle) == 1, timeout=10)  # the loop has one process
        for number in range(3):  # while the other process runs the loop
            data = worker.render(plain, {"nazwisko": f"Nowak {number}"})
            assert data.startswith(b"PK")
            finished.append("plain")
        thread.join()
        assert finished == ["plain", "plain", "plain", "hostile"]
        again = worker.render(plain, {"nazwisko": "Kowalska"})
        assert again.startswith(b"PK")
        with pytest.raises(TemplateError):  # remembered: refused at once, in any process
            worker.render(hostile, {})
    finally:
        worker.close()


def test_a_warmed_up_template_renders_in_the_warmed_process_and_keeps_its_errors(
    tmp_path: Path,
) -> None:
    """A report warms the worker up while it counts (`TemplateWorker.warm_up`): the render then
    goes to the process that compiled the template, not to a second cold one, and a broken
    template warmed up still gets its Polish error at the render, not a silent nothing."""
    from records.errors import TemplateError
    from records.worker import TemplateWorker

    def template(name: str, body: str) -> Path:
        document = docx.Document()
        document.add_paragraph(body)
        document.save(str(tmp_path / name))
        return tmp_path / name

    plain = template("zwykly.docx", "Rodzina {{ nazwisko }}")
    broken = template("zepsuty.docx", "Rodzina {{ nazwisko ")
    worker = TemplateWorker(time_limit=LIMIT_S * 3, processes=2)
    try:
        worker.warm_up(plain)
        data = worker.render(plain, {"nazwisko": "Nowak"})
        text = "\n".join(p.text for p in docx.Document(io.BytesIO(data)).paragraphs)
        assert text == "Rodzina Nowak"
        assert sum(process._process is not None for process in worker._all) == 1
        worker.warm_up(broken)
        with pytest.raises(TemplateError) as caught:
            worker.render(broken, {"nazwisko": "Nowak"})
        assert caught.value.code == "template_syntax"
        assert "zepsuty.docx" in str(caught.value)
    finally:
        worker.close()


def _interpreter(tmp_path: Path, script: str) -> Path:
    """A stand-in for the worker's interpreter: a shell script that never serves templates."""
    path = tmp_path / "python"
    path.write_text("#!/bin/sh\n" + script)
    path.chmod(0o700)
    return path


@pytest.mark.filterwarnings("error::pytest.PytestUnhandledThreadExceptionWarning")
def test_closing_while_a_template_is_warmed_up_kills_it_at_once(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A command that fails while its report's template is still compiling (an unknown
    assistant, say) must end when its error is printed, not when the compile does: close()
    kills a process only warming up, whether it is compiling or still starting, leaves no
    socket folder, and does not hold the template against its next use."""
    import tempfile

    from records.worker import TemplateWorker

    monkeypatch.setattr(tempfile, "tempdir", str(tmp_path / "tmp"))
    (tmp_path / "tmp").mkdir()
    document = docx.Document()
    document.add_paragraph("{{ x }} " * 40_000)  # seconds to compile, even on a fast machine
    slow = tmp_path / "wolny.docx"
    document.save(str(slow))

    worker = TemplateWorker(time_limit=120, processes=2)
    worker.warm_up(slow)
    wait_for(lambda: any(process._conn is not None for process in worker._all), timeout=30)
    warm = worker._warming  # started, and compiling
    began = time.monotonic()
    worker.close()
    assert time.monotonic() - began < 3
    assert warm is not None and warm.done.is_set()
    assert warm.error is not None and getattr(warm.error, "code", None) == "worker_closed"
    assert all(process._process is None for process in worker._all)
    assert worker._refused == {}
    assert list((tmp_path / "tmp").iterdir()) == []

    # Ctrl+C while the report waits for its warm-up: the exit still kills it at once
    worker = TemplateWorker(time_limit=120, processes=2)
    worker.warm_up(slow)
    wait_for(lambda: any(process._conn is not None for process in worker._all), timeout=30)
    interrupt = threading.Timer(0.3, os.kill, (os.getpid(), signal.SIGINT))
    interrupt.start()
    with pytest.raises(KeyboardInterrupt):
        worker.render(slow, {"x": 1})
    began = time.monotonic()
    worker.close()
    assert time.monotonic() - began < 3
    assert all(process._process is None for process in worker._all)

    pid_file = tmp_path / "pid"
    monkeypatch.setattr(
        sys, "executable", str(_interpreter(tmp_path, f"echo $$ > {pid_file}\nexec sleep 60\n"))
    )
    worker = TemplateWorker(time_limit=120, processes=2)
    worker.warm_up(slow)
    wait_for(pid_file.exists, timeout=10)
    began = time.monotonic()
    worker.close()
    assert time.monotonic() - began < 3
    assert not Path(f"/proc/{pid_file.read_text().strip()}").exists()
    assert list((tmp_path / "tmp").iterdir()) == []


@pytest.mark.filterwarnings("error::pytest.PytestUnhandledThreadExceptionWarning")
def test_a_worker_that_cannot_start_is_reported_once_and_at_once(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A worker process that dies at start is reported in Polish as soon as it has died, not
    after the start's time limit, and leaves no thread waiting for it; one that failed while
    warming up is not started again for the render that follows: the render raises what the
    warm-up met."""
    from records.errors import TemplateError
    from records.worker import TemplateWorker

    document = docx.Document()
    document.add_paragraph("Rodzina {{ nazwisko }}")
    plain = tmp_path / "zwykly.docx"
    document.save(str(plain))
    calls = tmp_path / "calls"
    monkeypatch.setattr(
        sys, "executable", str(_interpreter(tmp_path, f"echo x >> {calls}\nexit 3\n"))
    )

    threads_before = set(threading.enumerate())
    worker = TemplateWorker(time_limit=120, processes=2)
    try:
        began = time.monotonic()
        with pytest.raises(TemplateError) as cold:
            worker.render(plain, {"nazwisko": "Nowak"})
        assert cold.value.code == "worker_start"
        assert "Nie udało się uruchomić" in str(cold.value)
        assert time.monotonic() - began < 10  # the start's limit is 30 s
        assert calls.read_text() == "x\n"

        worker.warm_up(plain)
        with pytest.raises(TemplateError) as warmed:
            worker.render(plain, {"nazwisko": "Nowak"})
        assert warmed.value.code == "worker_start"
        assert calls.read_text() == "x\nx\n"  # once for the warm-up, not again for the render
        time.sleep(0.2)  # the warm-up's own thread ends just after it reported
        left = [t for t in threading.enumerate() if t not in threads_before]
        assert left == []  # each failed start's accept() was woken, not left waiting
    finally:
        worker.close()
