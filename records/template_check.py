"""`asystent templates check`: will every template in use get the data it asks for?

Each template (the office's own from `szablony/`, else the packaged one) is rendered with a context
built from the blank forms in `forms/`, which hold every key of every form, so every section and
loop has data. Missing names are recorded instead of stopping at the first, and each is reported
with the nearest correct name. docxtpl's own static list of top-level names catches branches that
the sample data did not enter. Jinja syntax errors are reported with the text of the paragraph.

The sample data enters every `{% if %}` and fills every loop, so a block that would break the
document when it is left out or repeated is found by reading the template, not by rendering it:
each branch of each block must close only what it opens, or close and reopen the same elements
(two paragraphs joined, a row ended and the next begun), never half of a table.
"""

from __future__ import annotations

import datetime as dt
import difflib
import html
import re
from dataclasses import dataclass, field
from decimal import Decimal
from pathlib import Path
from typing import Any

import jinja2
from docxtpl import DocxTemplate
from jinja2.sandbox import SecurityError

from records import reports, statutory, timesheet
from records.case import Case
from records.deadlines import alerts
from records.documents import build_context
from records.errors import TemplateError
from records.facts import CaseFacts
from records.grant import coverage
from records.jinja_polish import failure, forbidden, in_polish
from records.models import DOCUMENT_KINDS, FORMS
from records.readers import read_form
from records.render import (
    CompiledTemplate,
    check_template_file,
    make_environment,
    part_label,
    side_parts,
)
from records.resources import data_dir
from records.settings import EMPLOYMENT_FORMS, Workspace
from records.staff import MANDATE
from records.store import Record, now
from records.templates import template_for
from records.worker import template_worker

# The office's reports, beside the case documents: each has its own context (docs/szablony.md).
REPORT_TITLES = {
    reports.TEMPLATE: "Sprawozdanie z pracy asystenta rodziny",
    timesheet.TEMPLATE: timesheet.TITLE,
    statutory.TEMPLATE: statutory.TITLE,
}
TEMPLATE_KINDS = [*DOCUMENT_KINDS, *REPORT_TITLES]


@dataclass
class TemplateReport:
    kind: str
    path: Path
    problems: list[str] = field(default_factory=list)


def check_templates(ws: Workspace) -> list[TemplateReport]:
    """Every case document, then the office's reports."""
    return [check_template(ws, kind) for kind in TEMPLATE_KINDS]


def check_template(ws: Workspace, kind: str, path: Path | None = None) -> TemplateReport:
    """One template: the one in use for `kind`, or a candidate file before it is put in use.

    The check renders the template, so it runs in the template worker with its limits on time
    and memory: an uploaded template that loops for ever is reported, never obeyed.
    """
    path = path or template_for(ws, kind)
    report = TemplateReport(kind, path)
    try:
        report.problems = template_worker(ws).check("check_template", path, ws, kind, str(path))
    except TemplateError as err:
        report.problems = [str(err)]
    return report


def problems_of(ws: Workspace, kind: str, path: Path) -> list[str]:
    """The problems of one template file (run inside the worker)."""
    if kind in REPORT_TITLES:
        return _check(ws, kind, _sample_report_contexts[kind](ws), path).problems
    records = [_sample_record(k) for k in FORMS]  # the blank forms make one case together
    case = Case(records[0].sprawa, records)
    record = next(r for r in records if r.formularz == kind)
    return _check(ws, kind, build_context(ws, case, record), path).problems


def _sample_case() -> tuple[CaseFacts, dt.date, dt.date]:
    """The blank forms' case, and the days from its start to its closing."""
    records = [_sample_record(kind) for kind in FORMS]
    case = Case(records[0].sprawa, records).facts
    if case is None or case.start is None:  # cannot happen while forms/ holds a fact sheet
        raise TemplateError("w folderze forms/ brak wzorcowej metryczki rodziny")
    return case, case.start, case.closed or case.start


def _sample_report_context(ws: Workspace) -> dict[str, Any]:
    """A report over the blank forms' case, with every section filled: an alert, a grant."""
    case, first, last = _sample_case()
    report = reports.build_report(
        ws, [case], first, last, today=last, grant=coverage(Decimal("16202.25"), Decimal(2500))
    )
    report.alerts = report.alerts or alerts([case], last + dt.timedelta(days=400))
    return report.context(ws)


def _sample_timesheet_context(ws: Workspace) -> dict[str, Any]:
    """A sheet of every visit and note of the sample case, confirming a contract of mandate,
    and an empty sheet beside it (its "no work" branch)."""
    case, first, last = _sample_case()
    worked = timesheet.entries_of([case], first, last)
    mandate = EMPLOYMENT_FORMS[MANDATE]
    sheets = [
        timesheet.Sheet(name, first, last, tuple(entries), mandate, ws.settings.osrodek.nazwa, True)
        for name, entries in worked.items()
    ]
    sheets.append(timesheet.Sheet("Asystent bez wpisów", first, last, (), "", "", False))
    return timesheet.context(ws, sheets, first, last)


def _sample_statutory_context(ws: Workspace) -> dict[str, Any]:
    case, first, last = _sample_case()
    return statutory.build_statutory(ws, [case], first, last).context(ws)


_sample_report_contexts = {
    reports.TEMPLATE: _sample_report_context,
    timesheet.TEMPLATE: _sample_timesheet_context,
    statutory.TEMPLATE: _sample_statutory_context,
}


def _check(
    ws: Workspace, kind: str, context: dict[str, Any], path: Path | None = None
) -> TemplateReport:
    path = path or template_for(ws, kind)
    report = TemplateReport(kind, path)
    try:
        check_template_file(path)
        missing = _missing_names(path, context)
    except TemplateError as err:
        report.problems.append(str(err))
        return report
    # once per name, however many loop rounds asked for it
    report.problems += dict.fromkeys(_describe(name, owner, context) for name, owner in missing)
    if not report.problems:  # before rendering: it names the block, the render only the part
        report.problems += cut_blocks(path)
    if not report.problems:
        try:  # the service's renderer too: sandbox rules and the output check
            CompiledTemplate(path).render(context)
        except TemplateError as err:
            report.problems.append(str(err))
    return report


# -- blocks that cut the document's structure ------------------------------------------------

_XML_TAG = re.compile(r"<(/?)([A-Za-z_][\w.:-]*)(?:\s[^>]*?)?(/?)>")
# Blocks whose body may be left out or repeated (a `set` block's body is never printed); the
# others print theirs once, where they stand.
_CHECKED = {"if", "for", "macro", "call", "set"}
_ONCE = {"with", "filter", "autoescape", "block"}
_BRANCHES = {"elif", "else"}


def cut_blocks(path: Path) -> list[str]:
    """The blocks of `path` (body, headers, footers, footnotes) one of whose branches does not
    leave the document's elements as it found them: left out (a false `if`, an empty loop) or
    repeated, it would make a document Word cannot open. One Polish problem for each."""
    tpl = DocxTemplate(str(path))
    tpl.render_init()
    parts = [(tpl.docx.part.partname, tpl.get_xml()), *((n, x) for n, x, _ in side_parts(tpl))]
    problems: list[str] = []
    for name, xml in parts:
        problems += _cut_blocks_of(tpl.patch_xml(xml), part_label(name))
    return list(dict.fromkeys(problems))


class _Branch:
    """One branch of an open block: the tag that began it and what it holds, the XML of its
    own text (nested blocks are checked on their own) and the text near its start."""

    def __init__(self, name: str, tag: str, checked: bool) -> None:
        self.name, self.tag, self.checked = name, tag, checked
        self.xml: list[str] = []
        self.near: list[str] = []


def _cut_blocks_of(xml: str, part: str) -> list[str]:
    """Jinja's own lexer splits the part, so comments, strings and `{{ }}` (where docxtpl has
    turned &lt; back into <) are never read as tags or XML."""
    try:
        tokens = list(make_environment().lex(xml))
    except jinja2.TemplateSyntaxError:
        return []  # reported by the render, with its place
    stack: list[_Branch] = []
    problems = []
    index = 0
    while index < len(tokens):
        _, kind, value = tokens[index]
        index += 1
        if kind != "block_begin":
            if stack:
                _note(stack, kind, value)
            continue
        words = []
        while index < len(tokens) and tokens[index][1] != "block_end":
            words.append(tokens[index])
            index += 1
        index += 1
        names = [v for _, k, v in words if k == "name"]
        name = names[0] if names else ""
        assigns = any(k == "operator" and v == "=" for _, k, v in words)
        if (name in _CHECKED and not (name == "set" and assigns)) or name in _ONCE:
            stack.append(_Branch(name, name, checked=name in _CHECKED))
        elif stack and (name in _BRANCHES or name == f"end{stack[-1].name}"):
            branch = stack.pop()
            if branch.checked and not _neutral("".join(branch.xml)):
                problems.append(_cut_message(branch, part))
            if name in _BRANCHES:
                stack.append(_Branch(branch.name, name, branch.checked))
    return problems


def _note(stack: list[_Branch], kind: str, value: str) -> None:
    """Text of an open block: its XML goes to the innermost block that may be left out or
    repeated (a `with` prints its body once, where it stands); its words are remembered."""
    for branch in reversed(stack):
        if branch.checked:
            if kind == "data":
                branch.xml.append(value)
            break
    near = stack[-1].near
    if sum(map(len, near)) < 300:
        near.append(value if kind == "data" else "{{…}}" if kind == "variable_begin" else "")


def _neutral(segment: str) -> bool:
    """Whether leaving `segment` out or repeating it keeps the XML around it well-formed: what
    it closes of the elements around it, it opens again, in the same order."""
    opened: list[str] = []
    closed: list[str] = []
    for slash, name, empty in _XML_TAG.findall(segment):
        if empty:
            continue
        if not slash:
            opened.append(name)
        elif opened:
            if opened.pop() != name:
                return False
        else:
            closed.append(name)
    return opened == closed[::-1]


def _cut_message(branch: _Branch, part: str) -> str:
    words = html.unescape(re.sub(r"<[^>]*>", " ", "".join(branch.near))).split()
    near = ""
    for word in words:
        if len(near) + len(word) > 60:
            near += " …"
            break
        near = f"{near} {word}".strip()
    where = f" w pobliżu tekstu „{near}”" if near else ""
    return (
        f"znacznik {{% {branch.tag} %}}{where} ({part}) zaczyna się wewnątrz tabeli, hiperłącza, "
        "pola tekstowego albo śledzonej zmiany, a kończy poza nimi (albo odwrotnie): dokument, "
        "w którym ten fragment się nie pojawi albo się powtórzy, wyjdzie uszkodzony. Umieść "
        "początek i koniec w tej samej komórce, akapicie albo wierszu tabeli lub użyj {%p %}, "
        "{%tr %}, {%tc %}."
    )


def _sample_record(kind: str) -> Record:
    data = read_form(data_dir("forms") / f"{kind}.yaml").data
    model = FORMS[kind].model_validate(data)
    return Record(
        id=f"wzor-{kind}",
        formularz=kind,
        sprawa=model.sprawa,
        klucz=model.natural_key(None),
        dane=model.model_dump(mode="json"),
        zrodlo={"plik": f"{kind}.yaml", "sha256": ""},
        przyjeto=now(),
        polecenie="templates check",
    )


class _Recording(jinja2.ChainableUndefined):
    """An undefined value that notes what was asked for and lets rendering go on."""

    seen: list[tuple[str, Any]]

    def __init__(self, hint=None, obj=jinja2.utils.missing, name=None, exc=None) -> None:
        super().__init__(hint=hint, obj=obj, name=name, exc=exc)
        if name is not None and not isinstance(obj, jinja2.Undefined):
            type(self).seen.append((name, obj))


def _missing_names(path: Path, context: dict[str, Any]) -> list[tuple[str, Any]]:
    recording: type[_Recording] = type("Recording", (_Recording,), {"seen": []})
    env = make_environment()
    env.undefined = recording
    document = DocxTemplate(str(path))
    try:
        document.render(context, jinja_env=env, autoescape=True)
        undeclared = document.get_undeclared_template_variables(make_environment(), context)
    except jinja2.TemplateSyntaxError as err:
        where = " ".join(str(line) for line in getattr(err, "docx_context", []) or []).strip()
        raise TemplateError(
            f"błąd składni w znacznikach {{{{ }}}} lub {{% %}} ({in_polish(err.message)})"
            + (f" w pobliżu tekstu: „{where[:200]}”" if where else ""),
            code="template_syntax",
        ) from None
    except RecursionError:
        raise TemplateError(
            "szablon wywołuje sam siebie bez końca (rekurencja w makrze)",
            code="template_recursion",
        ) from None
    except SecurityError as err:
        raise TemplateError(
            f"szablon próbuje wykonać niedozwoloną operację ({forbidden(err)})",
            code="template_forbidden",
        ) from None
    except (jinja2.TemplateError, TypeError, ValueError, OverflowError, KeyError) as err:
        raise TemplateError(f"szablonu nie udało się wypełnić ({failure(err)})") from None
    found = list(dict.fromkeys((name, id(owner)) for name, owner in recording.seen))
    owners = {id(owner): owner for _, owner in recording.seen}
    missing = [(name, owners[key]) for name, key in found]
    missing += [
        (name, context) for name in sorted(undeclared) if all(n != name for n, _ in missing)
    ]
    return missing


def _describe(name: str, owner: Any, context: dict[str, Any]) -> str:
    if not isinstance(owner, dict):  # a top-level name: Jinja gives no owner
        owner = context
    known = list(owner)
    where = _path_of(owner, context)
    full = f"{where}.{name}" if where else name
    hint = difflib.get_close_matches(name, known, n=1)
    guess = f"; czy chodziło o „{(where + '.') if where else ''}{hint[0]}”?" if hint else ""
    return f"zmienna „{full}” nie istnieje w danych{guess}"


def _path_of(owner: Any, context: dict[str, Any], prefix: str = "") -> str:
    """Where in the context a dict sits (`dane`, `rodzina.adres`), for readable names."""
    if owner is context:
        return ""
    for key, value in context.items() if isinstance(context, dict) else []:
        here = f"{prefix}.{key}" if prefix else key
        if value is owner:
            return here
        if isinstance(value, dict):
            found = _path_of(owner, value, here)
            if found:
                return found
        if isinstance(value, list) and any(item is owner for item in value):
            return f"{here}[]"
        if isinstance(value, list):
            for item in value:
                if isinstance(item, dict):
                    found = _path_of(owner, item, f"{here}[]")
                    if found:
                        return found
    return ""
