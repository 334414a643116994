"""The office's web interface (`asystent serve`): Flask pages over the same library API as the CLI.

Security in one place: every page but the login needs a session (HttpOnly, SameSite=Lax, Secure
when served beyond localhost), every POST carries a CSRF token (Flask-WTF), password checks (login,
the current password) are counted as they start (`records.web.attempts`: parallel guesses get no
more), PDFs are throttled (Flask-Limiter), a user sees only the cases their role allows (`users.PERMISSIONS`), and
every view and download of a case goes to the audit trail with the user's login. Errors are Polish
pages; nothing shows a traceback. Uploads are capped in size.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import io
import json
import secrets
import shutil
import time
import uuid
from collections import Counter
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from functools import wraps
from pathlib import Path
from typing import TYPE_CHECKING, Any
from urllib.parse import urlsplit

import markdown
from babel.dates import format_date
from flask import (
    Flask,
    abort,
    current_app,
    flash,
    g,
    redirect,
    render_template,
    request,
    send_file,
    session,
    url_for,
)
from flask_limiter import Limiter
from flask_limiter.util import get_remote_address
from flask_wtf.csrf import CSRFError, CSRFProtect
from markupsafe import Markup
from werkzeug.exceptions import HTTPException
from werkzeug.middleware.proxy_fix import ProxyFix

from records import codes
from records.access import may_see
from records.accounts import ROLES, User, Users, normal_login
from records.archive import archive_case, record_date
from records.case import Case
from records.deadlines import INFO, LEVELS, URGENT, alerts, by_urgency, office_alerts
from records.documents import regenerate
from records.drafts import Drafts
from records.erase import carry_out, erasable_from, plan_erasure
from records.errors import AsystentError, NotFoundError
from records.facts import CaseFacts, FactsCache
from records.fsutil import atomic_write, private_dir, safe_filename
from records.kept_facts import facts_of
from records.log import get_logger
from records.models import FORMS, LAYOUTS, TITLES, case_folder, case_key, for_display
from records.overview import overview
from records.pdf import available as pdf_available
from records.pdf import pdf_of
from records.pipeline import ACCEPTED, DUPLICATE, REJECTED, Outcome, Pipeline
from records.polish import checked_user_date, hours
from records.reports import build_report, write_csv, write_docx
from records.resources import data_dir
from records.scans import ScanTarget
from records.settings import Workspace
from records.store import Store, open_store
from records.template_check import REPORT_TITLES, TEMPLATE_KINDS, check_template
from records.templates import template_for
from records.text import folded
from records.watch import service_stopped
from records.web.attempts import Attempts, TooMany
from records.web.sessions import SESSION_HOURS, Sessions
from records.wordforms.build import blank_form

if TYPE_CHECKING:
    from records.web.webforms import WebForm

MAX_UPLOAD_BYTES = 11 * 1024 * 1024  # a Word form may have 10 MB
MAX_FORM_BYTES = 1024 * 1024  # a form filled in the browser
SESSION_KEY_FILE = ".klucz_sesji"


def warm_up(app: Flask) -> int:
    """Read every case's facts into the app's cache now (`serve` runs it in the background at
    start), not on the first user's request; returns how many cases were read."""
    ws: Workspace = app.extensions["asystent"]
    cache: FactsCache = app.extensions["asystent.fakty"]
    return len(cache.all(open_store(ws).case_stamps()))


def create_app(ws: Workspace, *, secure_cookies: bool = False) -> Flask:
    app = Flask(__name__)
    app.config.update(
        SECRET_KEY=_secret_key(ws),
        SESSION_COOKIE_NAME="asystent_sesja",
        SESSION_COOKIE_HTTPONLY=True,
        SESSION_COOKIE_SAMESITE="Lax",
        SESSION_COOKIE_SECURE=secure_cookies,
        PERMANENT_SESSION_LIFETIME=dt.timedelta(hours=SESSION_HOURS),
        MAX_CONTENT_LENGTH=MAX_UPLOAD_BYTES,
        WTF_CSRF_TIME_LIMIT=SESSION_HOURS * 3600,
        PDF=pdf_available(),  # "PDF" links beside documents
    )
    if secure_cookies:  # behind an HTTPS reverse proxy: trust its one hop
        app.wsgi_app = ProxyFix(app.wsgi_app, x_for=1, x_proto=1, x_host=1)  # type: ignore[method-assign]

    @app.before_request
    def smaller_limit_for_forms() -> None:
        """A browser form is text: 1 MB holds the largest many times over, and a bigger body
        of form fields only costs the server time to parse (before the CSRF check reads it)."""
        if request.endpoint == "web_form":
            request.max_content_length = MAX_FORM_BYTES

    CSRFProtect(app)
    limiter = Limiter(get_remote_address, app=app, storage_uri="memory://", default_limits=[])
    app.extensions["asystent"] = ws
    app.extensions["asystent.fakty"] = FactsCache(lambda key: facts_of(open_store(ws), key))
    app.extensions["asystent.proby"] = Attempts()  # password checks (`records.web.attempts`)
    app.extensions["asystent.sesje"] = Sessions(ws.data, dt.timedelta(hours=SESSION_HOURS))
    _remove_abandoned_uploads(ws)
    Drafts(ws).remove_expired()
    _register_errors(app)
    _register_pages(app, limiter)
    app.jinja_env.filters.update(
        godziny=hours,
        data=lambda d: _date(d).strftime("%d.%m.%Y") if d else "—",
    )
    return app


def _secret_key(ws: Workspace) -> str:
    """Kept in `dane/` (owner-only) so sessions survive a restart of the service."""
    path = private_dir(ws.data) / SESSION_KEY_FILE
    if not path.exists():
        atomic_write(path, secrets.token_hex(32).encode(), private=True)
    return path.read_text().strip()


ABANDONED_UPLOAD_S = 3600


def _remove_abandoned_uploads(ws: Workspace) -> None:
    """Uploads a killed server left behind in `dane/wysylane/` (personal data: not kept)."""
    folder = ws.uploads
    now = time.time()
    for leftover in folder.glob("*") if folder.is_dir() else []:
        try:
            if now - leftover.stat().st_mtime > ABANDONED_UPLOAD_S:
                shutil.rmtree(leftover) if leftover.is_dir() else leftover.unlink()
        except OSError:
            continue


def _date(value: Any) -> dt.date:
    return value if isinstance(value, dt.date) else dt.date.fromisoformat(str(value))


# -- request context ---------------------------------------------------------------------------


def _ws() -> Workspace:
    return current_app.extensions["asystent"]


def _attempts() -> Attempts:
    return current_app.extensions["asystent.proby"]


def _store() -> Store:
    if "store" not in g:
        g.store = open_store(_ws())
    return g.store


def _sessions() -> Sessions:
    return current_app.extensions["asystent.sesje"]


def _user() -> User | None:
    """The logged-in user: a session the server issued and has not ended, of an account that
    exists, is active and has not changed its password since."""
    if "user" not in g:
        g.user = None
        login, sid = session.get("login"), session.get("sid")
        if isinstance(login, str) and isinstance(sid, str):
            user = Users(_ws()).get(login)
            if user and user.aktywne and _sessions().valid(sid, user.login, user.wersja_sesji):
                g.user = user
    return g.user


def needs(permission: str | None = None):
    """The page needs a logged-in user (and a permission); else login page or 403."""

    def decorate(view):
        @wraps(view)
        def wrapper(*args, **kwargs):
            user = _user()
            if user is None:
                return redirect(url_for("login", next=request.full_path.rstrip("?")))
            if permission and not user.may(permission):
                abort(403)
            return view(*args, **kwargs)

        return wrapper

    return decorate


def _documents_of(case: Case) -> list[dict[str, Any]]:
    """The case's documents as people look for them: by title and date (newest first), with
    the signatures and the earlier versions of each."""
    by_id = {r.id: r for r in case.records}
    found = []
    for entry in case.documents:
        record = by_id.get(entry.get("rekord_id", ""))
        title, day = entry["nazwa"], ""
        if record is not None:
            try:
                model = case.model(record)
                title, day = model.document_title(), model.date.isoformat()
            except Exception:  # noqa: BLE001 - a damaged record still lists its file
                day = record_date(case, record)
        found.append({**entry, "tytul": title, "data": day, "podpisy": _signing(case, entry)})
    return sorted(found, key=lambda d: (d["data"], d["tytul"]), reverse=True)


def _me() -> User:
    """The logged-in user of a page behind `needs` (which has already sent anyone else away)."""
    user = _user()
    if user is None:
        abort(401)
    return user


def _audit(action: str, sprawa: str | None = None, **facts: Any) -> None:
    user = _user()
    _store().audit(action, sprawa=sprawa, uzytkownik=user.login if user else None, **facts)


# -- cases visible to a user -------------------------------------------------------------------


def _visible_cases(user: User) -> list[CaseFacts]:
    cache: FactsCache = current_app.extensions["asystent.fakty"]
    today = dt.date.today()
    return [facts for facts in cache.all(_store().case_stamps()) if may_see(user, facts, today)]


def _case_or_404(key: str) -> Case:
    """The case a URL names, read once, if this user may see it: 404 if none, 403 if not."""
    case = Case.load(_store(), key)
    if case is None or case.facts is None:
        abort(404)
    if not may_see(_me(), case.facts, dt.date.today()):
        _audit("odmowa_dostepu", sprawa=case.sprawa)
        abort(403)
    return case


# -- pages -------------------------------------------------------------------------------------


def _document_or_404(key: str, name: str) -> tuple[Case, Path]:
    """A document of a case the user may see, by the name in its registry, and its file."""
    case = _case_or_404(key)
    entry = next((e for e in case.documents if e["nazwa"] == name), None)
    if entry is None:
        abort(404)
    path = _ws().documents / case_folder(case.sprawa) / entry["nazwa"]
    if not path.is_file():
        abort(404)
    return case, path


def _register_pages(app: Flask, limiter: Limiter) -> None:
    @app.get("/logowanie")
    def login():
        return render_template("login.html", next=request.args.get("next", ""))

    @app.post("/logowanie")
    def login_post():
        address = get_remote_address()
        login = normal_login(request.form.get("login", ""))  # as the accounts compare it
        limits = (
            (f"adres|{address}", 30),  # per address: an office behind one NAT
            (f"login|{address}|{login}", 5),
        )
        with _attempts().attempt(*limits) as succeeded:
            user = Users(_ws()).authenticate(
                request.form.get("login", ""), request.form.get("haslo", "")
            )
            if user is not None:
                succeeded()
        if user is None:
            get_logger(_ws().log_file).warning("Nieudane logowanie (adres %s)", request.remote_addr)
            flash("Nieprawidłowy login lub hasło.", "blad")
            return render_template("login.html", next=request.form.get("next", "")), 401
        session.clear()
        session["login"] = user.login
        session["sid"] = _sessions().open(user.login, user.wersja_sesji)
        session.permanent = True
        _store().audit("logowanie", uzytkownik=user.login)
        target = local_path(request.form.get("next", ""))
        return redirect(target or url_for("families"))

    @app.post("/wyloguj")
    def logout():
        user = _user()
        if user:
            _store().audit("wylogowanie", uzytkownik=user.login)
        sid = session.get("sid")
        if isinstance(sid, str):
            _sessions().close(sid)  # a copy of the cookie stops working too
        session.clear()
        flash("Wylogowano.", "ok")
        return redirect(url_for("login"))

    @app.get("/")
    @needs()
    def families():
        user = _user()
        query = folded(request.args.get("q", "").strip())
        today = dt.date.today()
        contact_every = _ws().settings.monitorowanie.dni_bez_kontaktu
        matching = []
        for facts in _visible_cases(user):
            who = facts.assistant_on(today) or facts.regular_assistant_on(today) or ""
            haystack = " ".join([facts.sprawa, facts.miejscowosc, who, facts.surnames])
            if not query or query in folded(haystack):
                matching.append((facts, who))
        shown, page = _paged(matching, FAMILIES_PER_PAGE)
        rows = []
        for facts, who in shown:  # the deadlines of the families on this page only
            visits = [v.data for v in facts.visits]
            found = alerts([facts], today, contact_every=contact_every)
            rows.append(
                {
                    "facts": facts,
                    "asystent": who,
                    "stan": facts.status_on(today),
                    "nazwiska": facts.surnames,
                    "ostatnia_wizyta": max(visits) if visits else None,
                    "alerty": len([a for a in found if a.level != INFO]),
                    "pilne": [a.text for a in found if a.level == URGENT],
                }
            )
        _audit("lista_spraw", liczba=len(rows))  # which cases a user saw listed, not their data
        return render_template(
            "families.html",
            rows=rows,
            q=request.args.get("q", ""),
            page=page,
            drafts=_drafts_of(user),
        )

    @app.get("/sprawa/<key>")
    @needs()
    def case(key: str):
        case = _case_or_404(key)
        today = dt.date.today()
        _audit("wglad", sprawa=case.sprawa, strona="sprawa")
        by_kind: dict[str, list[dict]] = {}
        for kind in ("protokol_wizyty", "ocena_okresowa", "plan_pracy", "kontrakt"):
            for record, model in reversed(case.of_kind(kind)):
                shown = for_display(model)
                shown["_id"] = record.id
                by_kind.setdefault(kind, []).append(shown)
        closing = case.closing
        return render_template(
            "case.html",
            sprawa=case.sprawa,
            key=case_folder(case.sprawa),
            facts=case.facts,
            view=overview(case, today),
            rodzina=case.family_on(today) or {},
            przyczyna=for_display(closing)["przyczyna"] if closing else "",
            dane=by_kind,
            documents=_documents_of(case),
            alerty=alerts(
                [case.facts] if case.facts else [],
                today,
                contact_every=_ws().settings.monitorowanie.dni_bez_kontaktu,
            ),
            levels=LEVELS,
        )

    @app.get("/sprawa/<key>/dokument/<name>")
    @needs()
    def document(key: str, name: str):
        case, path = _document_or_404(key, name)
        _audit("pobranie", sprawa=case.sprawa, dokument=path.name)
        return send_file(path, as_attachment=True, download_name=path.name)

    @app.get("/sprawa/<key>/pdf/<name>")
    @limiter.limit("60 per minute")  # each PDF made takes the one LibreOffice for a while
    @needs()
    def document_pdf(key: str, name: str):
        case, path = _document_or_404(key, name)
        # the service's one LibreOffice, kept running between requests; placed under the lock
        made = pdf_of(path, guard=_store().writing)
        _audit("pobranie", sprawa=case.sprawa, dokument=made.name)
        return send_file(made, as_attachment=True, download_name=made.name)

    @app.post("/sprawa/<key>/generuj/<name>")
    @needs("generowanie")
    def regenerate_document(key: str, name: str):
        case = _case_or_404(key)
        entry = next((e for e in case.documents if e["nazwa"] == name), None)
        record = next((r for r in case.records if entry and r.id == entry["rekord_id"]), None)
        if record is None:
            abort(404)
        case.model(record)  # a record changed outside the program: DamagedRecord, said in Polish
        issued_all = regenerate(
            _ws(),
            _store(),
            case.sprawa,
            [record.id],
            command=f"web:{_me().login}",
            verify_files=True,
        )
        if not issued_all:  # removed meanwhile (erased, or its case changed under us)
            abort(404)
        issued = issued_all[0]
        flash(f"Dokument {issued.path.name}: {issued.status}.", "ok")
        return redirect(url_for("case", key=key) + "#dokumenty")

    @app.get("/sprawa/<key>/skan/<name>")
    @needs()
    def scan(key: str, name: str):
        case = _case_or_404(key)
        entry = next((e for e in case.documents if e["nazwa"] == name and e.get("skan")), None)
        if entry is None:
            abort(404)
        path = _ws().documents / case_folder(case.sprawa) / entry["skan"]["nazwa"]
        if not path.is_file():
            abort(404)
        _audit("pobranie", sprawa=case.sprawa, dokument=entry["skan"]["nazwa"])
        return send_file(path, as_attachment=True, download_name=path.name)

    @app.post("/sprawa/<key>/skan/<name>")
    @needs("wysylanie")
    def scan_upload(key: str, name: str):
        case = _case_or_404(key)
        if not any(e["nazwa"] == name for e in case.documents):
            abort(404)
        sent = request.files.get("plik")
        if sent is None or not sent.filename:
            flash("Wybierz plik skanu (PDF, JPG albo PNG).", "blad")
            return redirect(url_for("case", key=key) + "#dokumenty")
        with _staged(safe_filename(sent.filename, "skan.pdf")) as path:
            sent.save(path)
            outcome = Pipeline(_ws(), _store(), command="web").process(
                path, sender=_me().login, scan_of=ScanTarget(case.sprawa, name)
            )
        if outcome.status == ACCEPTED:
            flash(f"Skan dokumentu {name} zapisano w aktach sprawy.", "ok")
        else:
            reasons = "; ".join(e.message for e in outcome.errors) or outcome.message
            flash(f"Skan nie został przyjęty: {reasons}", "blad")
        return redirect(url_for("case", key=key) + "#dokumenty")

    @app.route("/wyslij", methods=["GET", "POST"])
    @needs("wysylanie")
    def upload():
        if request.method == "GET":
            return render_template("upload.html", outcome=None)
        sent = request.files.get("plik")
        if sent is None or not sent.filename:
            flash("Wybierz plik formularza.", "blad")
            return render_template("upload.html", outcome=None), 400
        name = _upload_name(sent.filename)
        with _staged(name) as path:
            sent.save(path)
            # the same pipeline as the shared folder; it checks the sender's rights itself
            outcome = Pipeline(_ws(), _store(), command="web").process(path, sender=_me().login)
        ok = outcome.status in (ACCEPTED, DUPLICATE)
        status = _status_of(outcome)
        # The page shows its sender every error as the report does (their own file, like
        # NAME.bledy.txt); the log gets only codes.
        return render_template("upload.html", outcome=outcome, ok=ok, name=name), status

    @app.route("/formularz/<kind>", methods=["GET", "POST"])
    @needs("wysylanie")
    def web_form(kind: str):
        """A form of any kind in the browser, taken through the same pipeline as a file."""
        from records.web.webforms import WebForm

        if kind not in LAYOUTS:
            abort(404)
        drafts = Drafts(_ws())
        if request.method == "GET":
            draft_id = request.args.get("szkic", "")
            if draft_id:
                draft = drafts.get(_me().login, draft_id)
                if draft is None or draft.kind != kind:
                    abort(404)
                _audit("szkic_otwarty", formularz=kind, szkic=draft.id)
                form = WebForm(LAYOUTS[kind], draft.values, draft.rows, draft=draft.id)
            else:
                sprawa = request.args.get("sprawa", "")
                form = WebForm.blank(kind, _prefill(kind, sprawa) if sprawa else {})
            return render_template("form.html", form=form, outcome=None)
        form = WebForm.sent(kind, request.form)
        if form.draft and drafts.get(_me().login, form.draft) is None:
            form.draft = ""  # expired meanwhile, or not this person's: saving makes a new one
        if "dodaj_wiersz" in request.form or "usun_wiersz" in request.form:
            return render_template("form.html", form=form, outcome=None)
        if "zapisz_szkic" in request.form:
            return _save_draft(drafts, form)
        data, assembler = form.data()
        if assembler.errors:  # a member's or a goal's number that names no row
            form.show_errors(assembler.errors, assembler)
            return render_template("form.html", form=form, outcome=None), 422
        outcome = _submit(kind, data)
        if outcome.status in (ACCEPTED, DUPLICATE):
            if form.draft and drafts.remove(_me().login, form.draft):
                _audit("szkic_usuniety", formularz=kind, szkic=form.draft, powod="wyslany")
            for notice in outcome.notices:  # shown on the page it goes to
                flash(f"Uwaga: {notice}", "blad")
            # Post/Redirect/Get: reloading the page that says so sends nothing again.
            return redirect(
                url_for(
                    "form_sent",
                    kind=kind,
                    sprawa=outcome.sprawa or "",
                    dokument=[d.path.name for d in outcome.documents],
                    stan=[d.status for d in outcome.documents],
                    duplikat="1" if outcome.status == DUPLICATE else None,
                )
            )
        form.show_errors(outcome.errors, assembler)
        return render_template("form.html", form=form, outcome=outcome), _status_of(outcome)

    @app.post("/szkic/<draft_id>/usun")
    @needs("wysylanie")
    def draft_remove(draft_id: str):
        draft = Drafts(_ws()).remove(_me().login, draft_id)
        if draft is None:
            abort(404)
        _audit("szkic_usuniety", formularz=draft.kind, szkic=draft.id, powod="autor")
        flash(f"Usunięto szkic „{LAYOUTS[draft.kind].title}”.", "ok")
        return redirect(url_for("families"))

    @app.get("/formularz/<kind>/przyjety")
    @needs("wysylanie")
    def form_sent(kind: str):
        """What became of an accepted form: its case and its documents, for download. Links
        only where this user may look (a social worker's request opens a case they do not see
        until a fact sheet names them)."""
        if kind not in LAYOUTS:
            abort(404)
        sprawa = request.args.get("sprawa", "")
        case = Case.load(_store(), case_key(sprawa)) if sprawa else None
        visible = bool(case and case.facts and may_see(_me(), case.facts, dt.date.today()))
        if not (case and visible):  # nothing said about a case this person may not see
            return render_template(
                "form_sent.html", title=LAYOUTS[kind].title, sprawa="", documents=[]
            )
        _audit("wglad", sprawa=case.sprawa, strona="formularz_przyjety")
        registered = {e["nazwa"] for e in case.documents}
        sent = zip(request.args.getlist("dokument"), request.args.getlist("stan"), strict=False)
        return render_template(
            "form_sent.html",
            title=LAYOUTS[kind].title,
            sprawa=case.sprawa,
            key=case_folder(case.sprawa),
            documents=[(name, status[:20]) for name, status in sent if name in registered],
            duplicate=request.args.get("duplikat") == "1",
        )

    @app.get("/terminy")
    @needs("terminy")
    def deadlines():
        today = _date_param("na_dzien", dt.date.today())
        facts = _visible_cases(_user())
        found = alerts(facts, today, contact_every=_ws().settings.monitorowanie.dni_bez_kontaktu)
        if _me().sees_all and facts:  # the office's own reports go to management
            found = by_urgency(office_alerts(today) + found)
        shown, page = _paged(found, ALERTS_PER_PAGE)
        return render_template("alerts.html", alerty=shown, levels=LEVELS, today=today, page=page)

    @app.get("/sprawozdanie")
    @needs("sprawozdanie")
    def report():
        od, do, who = _report_params()
        facts = _visible_cases(_user())
        result = build_report(_ws(), facts, od, do, asystent=who, today=dt.date.today())
        return render_template(
            "report.html",
            report=result,
            od=od,
            do=do,
            asystent=who or "",
            months=_months(facts, od, do, who),
            powody=codes.PRZYCZYNA_ZAKONCZENIA,
            obszary=codes.OBSZARY_WSPARCIA,
            levels=LEVELS,
            assistants=_ws().settings.osrodek.asystenci,
        )

    @app.get("/sprawozdanie/pobierz")
    @needs("sprawozdanie")
    def report_download():
        od, do, who = _report_params()
        facts = _visible_cases(_user())
        result = build_report(_ws(), facts, od, do, asystent=who, today=dt.date.today())
        fmt = request.args.get("format", "docx")
        path, _ = (write_csv if fmt == "csv" else write_docx)(_ws(), result)
        _audit("raport", plik=path.name)
        return send_file(path, as_attachment=True, download_name=path.name)

    @app.get("/szablony")
    @needs("szablony")
    def templates():
        rows = [
            {
                "kind": kind,
                "tytul": TITLES.get(kind) or REPORT_TITLES[kind],
                "wlasny": template_for(_ws(), kind).is_relative_to(_ws().root),
            }
            for kind in TEMPLATE_KINDS
        ]
        return render_template("templates.html", rows=rows, problems=None)

    @app.get("/szablony/<kind>.docx")
    @needs("szablony")
    def template_download(kind: str):
        if kind not in TEMPLATE_KINDS:
            abort(404)
        return send_file(
            template_for(_ws(), kind), as_attachment=True, download_name=f"{kind}.docx"
        )

    @app.post("/szablony/<kind>")
    @needs("szablony")
    def template_upload(kind: str):
        if kind not in TEMPLATE_KINDS:
            abort(404)
        sent = request.files.get("plik")
        if sent is None or not (sent.filename or "").lower().endswith(".docx"):
            flash("Wybierz plik szablonu .docx.", "blad")
            return redirect(url_for("templates"))
        # under the name it will have, in a folder of its own: every message of the check
        # (the worker's too) names the template as staff know it, not a temporary name
        trial = private_dir(private_dir(_ws().uploads) / uuid.uuid4().hex) / f"{kind}.docx"
        sent.save(trial)
        try:
            checked = check_template(_ws(), kind, trial)
            if checked.problems:
                return render_template(
                    "templates.html", rows=None, problems=checked.problems, kind=kind
                ), 422
            atomic_write(_ws().templates / f"{kind}.docx", trial.read_bytes())
        finally:
            shutil.rmtree(trial.parent, ignore_errors=True)
        _audit("szablon", plik=f"{kind}.docx")
        flash(
            f"Szablon {kind}.docx sprawdzony i zapisany w szablony/; nowe dokumenty go użyją.", "ok"
        )
        return redirect(url_for("templates"))

    @app.post("/szablony/<kind>/przywroc")
    @needs("szablony")
    def template_restore(kind: str):
        own = _ws().templates / f"{kind}.docx"
        if kind not in TEMPLATE_KINDS or not own.is_file():
            abort(404)
        kept = private_dir(_ws().templates / "poprzednie") / (
            f"{kind}_{dt.datetime.now():%Y-%m-%d_%H%M%S}.docx"
        )
        shutil.move(own, kept)  # nothing lost: the office's version stays in szablony/poprzednie/
        _audit("szablon_przywrocony", plik=f"{kind}.docx")
        flash(
            f"Przywrócono szablon wbudowany „{TITLES.get(kind) or REPORT_TITLES[kind]}”; "
            f"dotychczasowy szablon ośrodka jest w szablony/poprzednie/{kept.name}.",
            "ok",
        )
        return redirect(url_for("templates"))

    @app.get("/pomoc/szablony")
    @needs("szablony")
    def template_help():
        text = (data_dir("docs") / "szablony.md").read_text(encoding="utf-8")
        body = markdown.markdown(text, extensions=["tables"])  # the program's own page, not input
        return render_template(
            "help.html",
            tytul="Zmienne szablonów dokumentów",
            body=Markup(body),  # noqa: S704 - docs/szablony.md ships with the program
        )

    # -- blank forms, for whoever sends forms --------------------------------------------------
    @app.get("/formularze")
    @needs("wysylanie")
    def blank_forms():
        rows = [{"kind": kind, "tytul": TITLES[kind]} for kind in FORMS]
        return render_template("forms.html", rows=rows)

    @app.get("/formularze/<kind>.<ext>")
    @needs("wysylanie")
    def blank_form_download(kind: str, ext: str):
        if kind not in FORMS or ext not in ("docx", "yaml"):
            abort(404)
        if ext == "yaml":
            return send_file(
                data_dir("forms") / f"{kind}.yaml",
                as_attachment=True,
                download_name=f"{kind}.yaml",
                mimetype="text/yaml",
            )
        data = blank_form(kind, _ws().settings.osrodek.nazwa)
        return send_file(
            io.BytesIO(data),
            as_attachment=True,
            download_name=f"{kind}.docx",
            mimetype="application/vnd.openxmlformats-officedocument.wordprocessingml.document",
        )

    # -- one's own password; the manager's accounts ----------------------------------------------
    @app.route("/haslo", methods=["GET", "POST"])
    @needs()
    def password():
        user = _user()
        if request.method == "GET":
            return render_template("password.html")
        users = Users(_ws())
        new = request.form.get("nowe", "")
        with _attempts().attempt((f"haslo|{user.login}", 5)) as succeeded:  # a stolen session
            right = users.authenticate(user.login, request.form.get("obecne", "")) is not None
            if right:
                succeeded()
        if not right:
            get_logger(_ws().log_file).warning("Nieprawidłowe obecne hasło przy zmianie hasła")
            flash("Obecne hasło jest nieprawidłowe. Hasła nie zmieniono.", "blad")
            return render_template("password.html"), 400
        if new != request.form.get("powtorzone", ""):
            flash("Nowe hasło i jego powtórzenie się różnią. Hasła nie zmieniono.", "blad")
            return render_template("password.html"), 400
        try:
            changed = users.set_password(user.login, new)
        except AsystentError as err:
            flash(f"{err} Hasła nie zmieniono.", "blad")
            return render_template("password.html"), 400
        session["sid"] = _sessions().open(changed.login, changed.wersja_sesji)  # only this one
        _audit("zmiana_hasla", konto=changed.login)
        flash("Hasło zmienione. Sesje na innych komputerach zostały zakończone.", "ok")
        return redirect(url_for("families"))

    @app.get("/konta")
    @needs("konta")
    def accounts():
        return render_template("accounts.html", accounts=Users(_ws()).all(), roles=ROLES)

    @app.post("/konta")
    @needs("konta")
    def account_add():
        form = request.form
        try:
            added = Users(_ws()).add(
                form.get("login", ""),
                form.get("rola", ""),
                form.get("nazwa", ""),
                form.get("haslo", ""),
            )
        except AsystentError as err:
            flash(f"Nie dodano konta: {err}", "blad")
            return render_template("accounts.html", accounts=Users(_ws()).all(), roles=ROLES), 400
        _audit("konto_dodane", konto=added.login, rola=added.rola)
        flash(f"Dodano konto {added.login} ({ROLES[added.rola]}).", "ok")
        return redirect(url_for("accounts"))

    @app.post("/konta/<login>/<action>")
    @needs("konta")
    def account_change(login: str, action: str):
        users = Users(_ws())
        person = users.get(login)
        if person is None or action not in ("wylacz", "wlacz", "haslo"):
            abort(404)
        if person.login == _me().login and action == "wylacz":
            flash("Nie można wyłączyć własnego konta.", "blad")
            return redirect(url_for("accounts"))
        try:
            if action == "haslo":
                users.set_password(person.login, request.form.get("haslo", ""))
                _sessions().close_all(person.login)
                said = f"Ustawiono nowe hasło konta {person.login}; jego sesje zakończono."
            else:
                users.set_active(person.login, action == "wlacz")
                _sessions().close_all(person.login)
                state = "włączone" if action == "wlacz" else "wyłączone; jego sesje zakończono"
                said = f"Konto {person.login} jest {state}."
        except AsystentError as err:
            flash(f"Nie zmieniono konta {person.login}: {err}", "blad")
            return redirect(url_for("accounts"))
        _audit(f"konto_{action}", konto=person.login)
        flash(said, "ok")
        return redirect(url_for("accounts"))

    @app.get("/archiwum")
    @needs("archiwizacja")
    def archive_page():
        today = dt.date.today()
        rows = []
        for facts in _visible_cases(_user()):
            case = Case.load(_store(), facts.sprawa)
            if case is None:
                continue
            rows.append(
                {
                    "facts": facts,
                    "archiwum": bool(case.archives),
                    "nie_teraz": erasable_from(_ws(), case, today),
                }
            )
        packages = sorted(
            p.name for p in _ws().archive.iterdir() if p.is_dir() and not p.name.startswith(".")
        )
        return render_template("archive.html", rows=rows, packages=packages)

    @app.post("/archiwum/<key>")
    @needs("archiwizacja")
    def archive_post(key: str):
        recorded = _case_or_404(key).sprawa
        package = archive_case(_ws(), _store(), recorded)
        flash(f"Utworzono paczkę archiwalną {package.path.name}.", "ok")
        return redirect(url_for("archive_page"))

    @app.post("/archiwum/<key>/usun")
    @needs("archiwizacja")
    def erase_post(key: str):
        found = _case_or_404(key)
        recorded = found.sprawa
        why_not = erasable_from(_ws(), found, dt.date.today())
        if why_not:
            flash(f"Danych sprawy {recorded} nie można jeszcze usunąć: {why_not}.", "blad")
            return redirect(url_for("archive_page"))
        if request.form.get("potwierdzenie", "").strip() != recorded:
            flash("Nie potwierdzono: wpisz dokładnie znak sprawy. Niczego nie usunięto.", "blad")
            return redirect(url_for("archive_page"))
        with service_stopped(_ws(), "usuwasz dane sprawy"):
            plan = plan_erasure(_ws(), _store(), recorded, force=False)
            pseudonym = carry_out(_ws(), _store(), plan)
        flash(f"Usunięto dane sprawy; w dzienniku audytu: {pseudonym}.", "ok")
        return redirect(url_for("archive_page"))

    @app.context_processor
    def common() -> dict[str, Any]:
        return {
            "user": _user(),
            "roles": ROLES,
            "osrodek": _ws().settings.osrodek,
            "pdf": app.config["PDF"],
            "web_forms": [(kind, layout.title) for kind, layout in LAYOUTS.items()],
            "session_ends": _session_ends,
        }


def _session_ends() -> dt.datetime | None:
    """When this person's session ends, in local time (for the form page's reminder)."""
    sid = session.get("sid")
    ends = _sessions().ends(sid) if isinstance(sid, str) else None
    return ends.astimezone() if ends else None


def _drafts_of(user: User) -> list[dict[str, Any]]:
    """The person's drafts as their home page lists them: the form, its case and its own
    date (several visits of one family are told apart by it), and when it will be removed."""
    if not user.may("wysylanie"):
        return []
    drafts = Drafts(_ws())
    listed = []
    for draft in drafts.of(user.login):
        if draft.kind not in LAYOUTS:
            continue
        typed = (draft.values.get(FORMS[draft.kind].KIND.date_field) or [""])[0].strip()
        try:
            day = dt.date.fromisoformat(typed).strftime("%d.%m.%Y")
        except ValueError:
            day = typed[:20]
        listed.append(
            {
                "szkic": draft,
                "tytul": LAYOUTS[draft.kind].title,
                "dzien": day,
                "usuniety": drafts.expires(draft),
            }
        )
    return listed


def _save_draft(drafts: Drafts, form: WebForm) -> Any:
    """Keep what the page holds for its author, then show the draft again (its own address:
    a reload does not save twice)."""
    kind = form.layout.kind
    try:
        draft = drafts.save(_me().login, kind, form.typed(), form.rows, form.draft)
    except AsystentError as err:  # too many drafts, too big: the values stay on the page
        flash(f"Szkicu nie zapisano. {err}", "blad")
        return render_template("form.html", form=form, outcome=None), 400
    _audit("szkic_zapisany", formularz=kind, szkic=draft.id)
    flash(
        f"Zapisano szkic. Znajdziesz go na stronie głównej; jeśli go nie wyślesz, zostanie "
        f"usunięty {drafts.expires(draft):%d.%m.%Y}.",
        "ok",
    )
    return redirect(url_for("web_form", kind=kind, szkic=draft.id))


def _submit(kind: str, data: dict[str, Any]) -> Outcome:
    """A browser's form as a JSON form file through the pipeline, sent by the logged-in user.

    A rejected one is withdrawn while the store's lock is still held (its values and errors stay
    on the page; no retry can take it from odrzucone/ meanwhile). One that failed for a fault of
    the office leaves no attempt count: the person sends it again."""
    payload = json.dumps(data, ensure_ascii=False, indent=1).encode("utf-8")
    store = _store()
    pipeline = Pipeline(_ws(), store, command="web")
    with _staged(f"{kind}_www_{dt.datetime.now():%Y-%m-%d_%H%M%S}.json") as path:
        atomic_write(path, payload, private=True)
        with store.writing():
            outcome = pipeline.process(path, sender=_me().login)
            pipeline.withdraw(outcome)
            if outcome.status not in (ACCEPTED, DUPLICATE, REJECTED):
                store.set_attempts(hashlib.sha256(payload).hexdigest(), None)
    return outcome


@contextmanager
def _staged(name: str) -> Iterator[Path]:
    """Where a file sent from the browser waits while the pipeline takes it: its own
    owner-only folder in `dane/wysylane/`, removed afterwards whatever happened (a killed
    server's leftovers go at the next start: `_remove_abandoned_uploads`)."""
    folder = private_dir(_ws().uploads) / uuid.uuid4().hex
    folder.mkdir()
    path = folder / name
    try:
        yield path
    finally:
        path.unlink(missing_ok=True)
        folder.rmdir()


def _upload_name(sent: str) -> str:
    """The name a file chosen in the browser is taken under: its own, made safe, unless the
    shared folder would pass it over as a temporary or hidden file (`.yaml`, `~$wizyta.docx`):
    the person chose it, so it goes in as `formularz…` with its extension."""
    from records.readers import is_ignored

    name = safe_filename(sent)
    if is_ignored(Path(name)):
        cleaned = name.lstrip(".~$")
        name = safe_filename(
            f"formularz.{cleaned}" if "." not in cleaned else f"formularz_{cleaned}"
        )
    return name if not is_ignored(Path(name)) else "formularz" + Path(name).suffix


def _status_of(outcome: Outcome) -> int:
    """The HTTP status of a form sent from the browser: refused to this person, rejected for
    its content, or not taken for a fault of the office (the person sends it again)."""
    if outcome.status in (ACCEPTED, DUPLICATE):
        return 200
    if any(e.code in ("access_denied", "sender_unknown") for e in outcome.errors):
        return 403
    return 422 if outcome.status == REJECTED else 503


def _prefill(kind: str, sprawa: str) -> dict[str, Any]:
    """What a new form of a case the person may see starts with (`webforms.known_values`)."""
    from records.web.webforms import known_values

    return known_values(_case_or_404(case_key(sprawa)), kind, _me(), dt.date.today())


def _signing(case: Case, entry: dict[str, Any]) -> dict[str, Any] | None:
    """Who signed a document, who refused and why, to whom it was handed (for the case page)."""
    signed = case.signing(entry["nazwa"])
    if signed is None:
        return None
    return {
        "data": signed.data,
        "osoby": [
            {"osoba": p.osoba, "podpisal": p.podpis == "podpisal", "przyczyna": p.przyczyna_odmowy}
            for p in signed.podpisy
        ],
        "przekazano_komu": signed.przekazano_komu,
        "przekazano_data": signed.przekazano_data,
    }


def local_path(target: str) -> str | None:
    """`target` if it is a path on this server, else None (no open redirect after login).

    Judged as a browser reads it: browsers drop tabs and newlines from a URL and read `\\` as
    `/`, so `/\t/evil.example` would become `//evil.example`, another site. Any control
    character or backslash is refused outright; what remains must start with one `/`.
    """
    if not target or any(ord(c) < 0x20 or ord(c) == 0x7F for c in target) or "\\" in target:
        return None
    if not target.startswith("/") or target.startswith("//"):
        return None
    parts = urlsplit(target)
    if parts.scheme or parts.netloc:
        return None
    return target


FAMILIES_PER_PAGE = 50
ALERTS_PER_PAGE = 100


@dataclass(frozen=True)
class Page:
    """Which part of a long list a page shows (`?strona=N`): an office of 2,000 families gets
    pages of 50, not one page of 2,000 rows."""

    number: int
    pages: int
    total: int
    first: int  # 1-based positions of the first and last items shown
    last: int

    def url(self, number: int) -> str:
        """This page's address with another page number, the other parameters kept."""
        args: dict[str, Any] = request.args.to_dict() | {"strona": str(number)}
        return url_for(request.endpoint or "families", **args)


def _paged(items: list[Any], per_page: int) -> tuple[list[Any], Page]:
    raw = request.args.get("strona", "1").strip() or "1"
    if not (raw.isascii() and raw.isdigit() and len(raw) < 7):
        abort(400, "Numer strony musi być liczbą.")
    pages = max(1, -(-len(items) // per_page))
    number = min(max(1, int(raw)), pages)
    start = (number - 1) * per_page
    shown = items[start : start + per_page]
    return shown, Page(number, pages, len(items), start + 1, start + len(shown))


def _date_param(name: str, default: dt.date) -> dt.date:
    """A date from the query string, in ISO or Polish form, within a sane range; else 400."""
    raw = request.args.get(name, "").strip()
    if not raw:
        return default
    try:
        return checked_user_date(raw)
    except ValueError as reason:
        abort(400, f"Data „{name}” {reason}.")


def _report_params() -> tuple[dt.date, dt.date, str | None]:
    today = dt.date.today()
    od = _date_param("od", today.replace(month=1, day=1))
    do = _date_param("do", today)
    if od > do:
        abort(400, "Początek okresu musi być nie późniejszy niż koniec.")
    if request.args.get("format", "docx") not in ("docx", "csv"):
        abort(400, "Format sprawozdania: docx albo csv.")
    user = _me()
    who = request.args.get("asystent") or None
    if who is not None and len(who) > 200:
        abort(400, "Za długie imię i nazwisko asystenta.")
    if not user.sees_all:
        who = user.nazwa
    return od, do, who


def _months(facts: list[CaseFacts], od: dt.date, do: dt.date, who: str | None) -> list[dict]:
    """Visits and hours worked (visits and notes) per month of the period, for the chart."""
    visits: Counter[str] = Counter()
    minutes: Counter[str] = Counter()
    for case in facts:
        for visit in case.visits:
            if od <= visit.data <= do and who in (None, visit.asystent):
                month = visit.data.strftime("%Y-%m")
                visits[month] += 1
                minutes[month] += visit.minutes
        for note in case.notes:
            if od <= note.data <= do and who in (None, note.asystent):
                minutes[note.data.strftime("%Y-%m")] += note.minutes
    months: list[dict[str, Any]] = []
    day = od.replace(day=1)
    while day <= do:
        key = day.strftime("%Y-%m")
        months.append(
            {
                "miesiac": key,
                "etykieta": format_date(day, "LLL yyyy", locale="pl"),  # "mar 2026"
                "wizyty": visits[key],
                "godziny": round(minutes[key] / 60, 1),
            }
        )
        day = (day + dt.timedelta(days=32)).replace(day=1)
    top_visits = max([m["wizyty"] for m in months] + [1])
    top_hours = max([m["godziny"] for m in months] + [1])
    for shown in months:
        shown["h_wizyty"] = round(120 * shown["wizyty"] / top_visits)
        shown["h_godziny"] = round(120 * shown["godziny"] / top_hours)
        shown["godziny_tekst"] = f"{shown['godziny']:.1f}".replace(".", ",")
    return months


# -- errors --------------------------------------------------------------------------------------

_MESSAGES = {
    400: "Nieprawidłowe żądanie.",
    403: "Nie masz dostępu do tej strony albo tej sprawy.",
    404: "Nie ma takiej strony, sprawy ani dokumentu.",
    405: "Tej strony nie można otworzyć w ten sposób.",
    413: f"Plik jest za duży (najwięcej {MAX_UPLOAD_BYTES // (1024 * 1024)} MB).",
    429: "Za dużo żądań w krótkim czasie. Odczekaj minutę i spróbuj ponownie.",
    500: "Wystąpił nieoczekiwany błąd programu. Zgłoś go administratorowi.",
}


def _register_errors(app: Flask) -> None:
    @app.errorhandler(CSRFError)
    def csrf_error(err: CSRFError):
        message = "Formularz wygasł albo nie pochodzi z tej strony (brak tokenu CSRF). Odśwież stronę i spróbuj ponownie."
        return render_template("error.html", code=400, message=message), 400

    @app.errorhandler(AsystentError)
    def our_error(err: AsystentError):
        code = 400 if err.exit_code == 2 else 404 if isinstance(err, NotFoundError) else 409
        return render_template("error.html", code=code, message=str(err)), code

    @app.errorhandler(TooMany)
    def too_many(err: TooMany):
        what = "logowania" if request.endpoint == "login_post" else "podania hasła"
        message = f"Za dużo prób {what}. Odczekaj minutę i spróbuj ponownie."
        return render_template("error.html", code=429, message=message), 429

    @app.errorhandler(HTTPException)
    def http_error(err: HTTPException):
        code = err.code or 500
        message = _MESSAGES.get(code, "Błąd.")
        if code == 413 and request.endpoint == "web_form":
            message = "Formularz jest za duży, żeby go przyjąć (najwięcej 1 MB tekstu)."
        if code == 400 and err.description and not err.description.startswith("The browser"):
            message = err.description
        return render_template("error.html", code=code, message=message), code

    @app.errorhandler(Exception)
    def unexpected(err: Exception):
        get_logger(app.extensions["asystent"].log_file).error(
            "Błąd strony %s: %s", request.path, type(err).__name__
        )
        return render_template("error.html", code=500, message=_MESSAGES[500]), 500

    @app.after_request
    def headers(response):
        response.headers["X-Content-Type-Options"] = "nosniff"
        response.headers["X-Frame-Options"] = "DENY"
        response.headers["Referrer-Policy"] = "no-referrer"
        response.headers["Content-Security-Policy"] = (
            "default-src 'self'; img-src 'self' data:; style-src 'self'; form-action 'self'"
        )
        response.headers["Cache-Control"] = "no-store"  # pages hold personal data
        return response
