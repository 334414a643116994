"""Stage 4a: a `.docx` template and a context -> the bytes of a finished Word document.

Templates are edited by office staff, so they are untrusted: they render in an immutable Jinja
sandbox with no globals, `*` and `**` on text and lists refused (no `'x' * 10**9`), StrictUndefined
(a misspelled variable is an error, never an empty blank in an official document) and XML
autoescape. docxtpl hands the same environment to the body, headers, footers and properties.

Every value goes through `_finalize`: dates print the Polish way, absent values print `—`, text is
XML-escaped with characters XML cannot hold dropped, and line breaks become Word line breaks
(`\\v` too; `\\f` a page break), so what a user typed comes out exactly as typed.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import io
import zipfile
from pathlib import Path
from typing import Any

import jinja2
from docx.opc.exceptions import PackageNotFoundError
from docxtpl import DocxTemplate
from jinja2.sandbox import ImmutableSandboxedEnvironment, SecurityError
from lxml import etree
from markupsafe import Markup, escape

from records import polish
from records.errors import TemplateError
from records.text import xml_safe

_BREAK = '</w:t><w:br/><w:t xml:space="preserve">'
_PAGE = '</w:t><w:br w:type="page"/><w:t xml:space="preserve">'
_TAB = '</w:t><w:tab/><w:t xml:space="preserve">'
ABSENT = "—"


def _text_to_xml(text: str) -> Markup:
    escaped = str(escape(xml_safe(text)))
    escaped = escaped.replace("\r\n", "\n").replace("\n", _BREAK).replace("\v", _BREAK)
    # Safe: the text was escaped above; only our own break tags are added.
    return Markup(escaped.replace("\f", _PAGE).replace("\t", _TAB))  # noqa: S704


def _finalize(value: Any) -> Any:
    if isinstance(value, Markup):
        return value
    if value is None:
        return ABSENT
    if isinstance(value, bool):
        return "tak" if value else "nie"
    if isinstance(value, dt.datetime):
        value = value.date()
    if isinstance(value, dt.date):
        return polish.date_long(value)
    if isinstance(value, dt.time):
        return value.strftime("%H:%M")
    if isinstance(value, list | tuple):
        value = polish.names_list(_plain(v) for v in value)
    return _text_to_xml(str(value))


def _plain(value: Any) -> str:
    """A list item as text (dates Polish), before the whole line is escaped once."""
    if isinstance(value, dt.date):
        return polish.date_long(value)
    return str(value)


class _Sandbox(ImmutableSandboxedEnvironment):
    """The sandbox, minus the cheap ways to exhaust memory."""

    intercepted_binops = frozenset({"*", "**"})

    def call_binop(self, context: Any, operator: str, left: Any, right: Any) -> Any:
        if (
            operator == "**"
            or isinstance(left, str | list | tuple)
            or isinstance(right, str | list | tuple)
        ):
            raise SecurityError(f"operator {operator} na tekście lub liście jest niedozwolony")
        return super().call_binop(context, operator, left, right)


def make_environment() -> jinja2.Environment:
    env = _Sandbox(undefined=jinja2.StrictUndefined, autoescape=True, finalize=_finalize)
    env.globals.clear()
    env.filters.update(
        data=polish.date_long,
        data_krotka=polish.date_short,
        kwota=polish.amount,
        slownie=polish.amount_in_words,
        pesel_maskowany=polish.pesel_masked,
        lista=polish.names_list,
        godziny=polish.hours,
    )
    return env


def check_template_file(path: Path) -> None:
    """Refuse files that are not Word documents before docxtpl sees them."""
    if not zipfile.is_zipfile(path):
        raise TemplateError(
            f"Szablon {path.name} nie jest poprawnym plikiem Word .docx "
            "(zapisz go w Wordzie jako „Dokument programu Word”).",
            code="template_not_docx",
        )
    with zipfile.ZipFile(path) as archive:
        names = set(archive.namelist())
        if "word/document.xml" not in names:
            raise TemplateError(
                f"Szablon {path.name} nie zawiera treści dokumentu Word.", code="template_not_docx"
            )
        if "word/vbaProject.bin" in names:
            raise TemplateError(
                f"Szablon {path.name} zawiera makra; zapisz go jako .docx bez makr.",
                code="template_macro",
            )
        if b"<!DOCTYPE" in archive.read("word/document.xml")[:4096]:
            raise TemplateError(
                f"Szablon {path.name} zawiera deklarację DOCTYPE, której Word nie używa.",
                code="template_doctype",
            )


def render_docx(template: Path, context: dict[str, Any]) -> bytes:
    """Render `template` with `context`; raises TemplateError with a Polish explanation."""
    check_template_file(template)
    name = template.name
    try:
        document = DocxTemplate(str(template))
        document.render(context, jinja_env=make_environment(), autoescape=True)
        buffer = io.BytesIO()
        document.save(buffer)
    except PackageNotFoundError:
        raise TemplateError(f"Szablon {name} nie jest poprawnym plikiem .docx.") from None
    except jinja2.TemplateSyntaxError as err:
        raise TemplateError(
            f"Szablon {name}: błąd składni w znacznikach {{{{ }}}} lub {{% %}} ({err.message})"
            + _where(err),
            code="template_syntax",
        ) from None
    except jinja2.UndefinedError as err:
        raise TemplateError(
            f"Szablon {name} używa zmiennej, której nie ma w danych ({err.message}); "
            "sprawdź pisownię w szablonie (lista zmiennych: docs/szablony.md).",
            code="template_undefined",
        ) from None
    except SecurityError as err:
        raise TemplateError(
            f"Szablon {name} próbuje wykonać niedozwoloną operację ({err}); popraw szablon.",
            code="template_forbidden",
        ) from None
    except (jinja2.TemplateError, TypeError, ValueError, OverflowError) as err:
        raise TemplateError(
            f"Szablonu {name} nie udało się wypełnić ({type(err).__name__}: {err}).",
            code="template_render",
        ) from None
    data = buffer.getvalue()
    _check_output(data, name)
    return data


def _where(err: jinja2.TemplateSyntaxError) -> str:
    context = getattr(err, "docx_context", None)
    if context:
        return " w pobliżu tekstu: " + " ".join(str(line) for line in context)[:200]
    return ""


def _check_output(data: bytes, name: str) -> None:
    """The rendered body must be well-formed XML: a silent drop by a recovering parser is a bug."""
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        for part in archive.namelist():
            if part.startswith("word/") and part.endswith(".xml"):
                try:
                    etree.fromstring(archive.read(part), etree.XMLParser(resolve_entities=False))
                except etree.XMLSyntaxError as err:
                    raise TemplateError(
                        f"Dokument z szablonu {name} wyszedł uszkodzony ({part}: {err}).",
                        code="render_invalid_xml",
                    ) from None


def content_hash(data: bytes) -> str:
    """A hash of what a document says (its unzipped parts), blind to zip timestamps."""
    digest = hashlib.sha256()
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        for part in sorted(archive.namelist()):
            digest.update(part.encode() + b"\0" + archive.read(part) + b"\0")
    return digest.hexdigest()
