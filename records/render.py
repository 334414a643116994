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

import copy
import datetime as dt
import functools
import hashlib
import io
import re
import struct
import zipfile
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import jinja2
from docx.opc.exceptions import PackageNotFoundError
from docxtpl import DocxTemplate
from jinja2.sandbox import ImmutableSandboxedEnvironment, SecurityError
from lxml import etree
from markupsafe import Markup, escape

from records import polish
from records.canonical import canonical_xml
from records.errors import TemplateError
from records.jinja_polish import failure, forbidden, in_polish
from records.text import xml_safe
from records.zipsafety import DAMAGE, PartTooLarge, read_part, zip_problem

_BREAK = '</w:t><w:br/><w:t xml:space="preserve">'
_PAGE = '</w:t><w:br w:type="page"/><w:t xml:space="preserve">'
_TAB = '</w:t><w:tab/><w:t xml:space="preserve">'
ABSENT = "—"


def _text_to_xml(text: str) -> Markup:
    if text.isprintable():  # most values: nothing to drop (control characters are not
        return escape(text)  # printable, nor surrogates, U+FFFE, U+FFFF), no breaks to add
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
        return _printed_long(value)
    if isinstance(value, dt.time):
        return value.strftime("%H:%M")
    if isinstance(value, list | tuple):
        value = polish.names_list(_plain(v) for v in value)
    return _text_to_xml(str(value))


def _plain(value: Any) -> str:
    """A list item as text (dates Polish), before the whole line is escaped once."""
    if isinstance(value, dt.date):
        return _printed_long(value)
    return str(value)


def _printed_long(value: dt.date) -> str:
    """`12 maja 2026 r.` (a plain space: documents issued before keep their exact text when
    regenerated; tables are sized so that `r.` stays with its date)."""
    return polish.date_long(value)


def _printed_short(value: dt.date) -> str:
    return polish.date_short(value)


# Attribute lookups and printed values allowed in one document: BASE_STEPS (the sample
# documents use < 200) plus STEPS_PER_VALUE for each value the template was given. A loop over
# the data stays within it however large the data (a year's report of a county lists thousands
# of families and deadlines, a few steps each); a loop nested in a loop over it does not.
BASE_STEPS = 200_000
STEPS_PER_VALUE = 20


def step_budget(context: dict[str, Any]) -> int:
    """The steps one document may take with this context: worked out only when a document goes
    past BASE_STEPS (nearly none do), so an ordinary document never walks its context."""
    values = 0
    pending: list[Any] = [context]
    while pending:
        value = pending.pop()
        values += 1
        if isinstance(value, dict):
            pending.extend(value.values())
        elif isinstance(value, list | tuple):
            pending.extend(value)
    return BASE_STEPS + STEPS_PER_VALUE * values


class TemplateLimit(SecurityError):
    """A refusal of our own sandbox (a loop too long, `*` on text), worded in Polish already."""

    polish = True


class _Sandbox(ImmutableSandboxedEnvironment):
    """The sandbox, minus the cheap ways to exhaust memory or time.

    Globals are cleared (no `range`, `lipsum`, `cycler`), so loops run only over the data; `*` and
    `**` on text and lists are refused; and every attribute lookup and printed value counts
    against a budget, so nested loops over the data cannot run for hours.
    """

    intercepted_binops = frozenset({"*", "**"})
    steps = 0
    allowed = BASE_STEPS
    unmeasured: dict[str, Any] | None = None  # the document's context, until its budget is known

    def start_document(self, context: dict[str, Any]) -> None:
        """A new budget for the next document: BASE_STEPS, raised by `step_budget(context)`
        when the document gets there."""
        self.steps, self.allowed, self.unmeasured = 0, BASE_STEPS, context

    def call_binop(self, context: Any, operator: str, left: Any, right: Any) -> Any:
        if (
            operator == "**"
            or isinstance(left, str | list | tuple)
            or isinstance(right, str | list | tuple)
        ):
            raise TemplateLimit(f"operator {operator} na tekście lub liście jest niedozwolony")
        return super().call_binop(context, operator, left, right)

    def step(self) -> None:
        self.steps += 1
        if self.steps > self.allowed and self.unmeasured is not None:
            self.allowed, self.unmeasured = step_budget(self.unmeasured), None
        if self.steps > self.allowed:
            raise TemplateLimit("szablon wykonuje zbyt wiele kroków (pętla bez końca?)")

    def getattr(self, obj: Any, attribute: str) -> Any:
        self.step()
        return super().getattr(obj, attribute)

    def getitem(self, obj: Any, argument: Any) -> Any:
        self.step()
        return super().getitem(obj, argument)


@jinja2.pass_environment
def _counted_finalize(env: _Sandbox, value: Any) -> Any:
    env.step()
    return _finalize(value)


def make_environment() -> _Sandbox:
    env = _Sandbox(undefined=jinja2.StrictUndefined, autoescape=True, finalize=_counted_finalize)
    env.globals.clear()
    env.filters.update(
        data=_printed_long,
        data_krotka=_printed_short,
        kwota=polish.amount,
        slownie=polish.amount_in_words,
        pesel_maskowany=polish.pesel_masked,
        lista=polish.names_list,
        godziny=polish.hours,
    )
    return env


def check_template_file(path: Path) -> None:
    """Refuse files that are not safe Word documents before docxtpl sees them: not a zip, a zip
    bomb, macros, or a DOCTYPE (entity tricks) in any XML part, headers and footers included."""
    try:
        archive = zipfile.ZipFile(path)
    except DAMAGE:
        raise TemplateError(
            f"Szablon {path.name} nie jest poprawnym plikiem Word .docx "
            "(zapisz go w Wordzie jako „Dokument programu Word”).",
            code="template_not_docx",
        ) from None
    with archive:
        problem = zip_problem(archive)
        if problem:
            raise TemplateError(f"Szablon {path.name}: {problem[1]}.", code="template_bomb")
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
        for name in sorted(names):
            if not name.endswith((".xml", ".rels")):
                continue
            try:
                data = read_part(archive, name)
            except (PartTooLarge, *DAMAGE):
                raise TemplateError(
                    f"Szablon {path.name} jest uszkodzony albo podejrzanie duży (część {name}).",
                    code="template_bomb",
                ) from None
            if b"<!DOCTYPE" in data or b"<!ENTITY" in data:
                raise TemplateError(
                    f"Szablon {path.name} zawiera deklarację DOCTYPE (część {name}), której Word "
                    "nie używa; zapisz szablon w Wordzie ponownie.",
                    code="template_doctype",
                )
            if name.endswith(".rels") and (outside := external_link(data)):
                raise TemplateError(
                    f"Szablon {path.name} pobiera treść spoza dokumentu ({outside[:80]}, część "
                    f"{name}): obraz albo plik wstawiony jako łącze. Wstaw go do samego dokumentu "
                    "(w Wordzie: Wstaw > Obrazy > To urządzenie, bez „Połącz z plikiem”).",
                    code="template_external",
                )


def external_link(rels: bytes) -> str | None:
    """The first target outside the document that a part pulls in (a linked image, an attached
    template, a linked file), or None. LibreOffice loads such targets when it makes a PDF, so a
    template could copy any file the service can read into a document. Hyperlinks stay: they
    are only addresses, never loaded."""
    try:
        root = etree.fromstring(rels, etree.XMLParser(resolve_entities=False, no_network=True))
    except etree.XMLSyntaxError:
        return "?"
    for relationship in root:
        if relationship.get("TargetMode") == "External" and not str(
            relationship.get("Type", "")
        ).endswith("/hyperlink"):
            return relationship.get("Target") or "?"
    return None


@contextmanager
def _template_errors(name: str) -> Iterator[None]:
    """Turn what a template can go wrong with into one Polish TemplateError, for both paths."""
    try:
        yield
    except PackageNotFoundError:
        raise TemplateError(f"Szablon {name} nie jest poprawnym plikiem .docx.") from None
    except jinja2.TemplateSyntaxError as err:
        raise TemplateError(
            f"Szablon {name}: błąd składni w znacznikach {{{{ }}}} lub {{% %}} ({in_polish(err.message)})"
            + _where(err),
            code="template_syntax",
        ) from None
    except jinja2.UndefinedError as err:
        raise TemplateError(
            f"Szablon {name} używa zmiennej, której nie ma w danych ({in_polish(err.message)}); "
            "sprawdź pisownię w szablonie (lista zmiennych: docs/szablony.md).",
            code="template_undefined",
        ) from None
    except SecurityError as err:
        raise TemplateError(
            f"Szablon {name} próbuje wykonać niedozwoloną operację ({forbidden(err)}); popraw szablon.",
            code="template_forbidden",
        ) from None
    except RecursionError:
        raise TemplateError(
            f"Szablon {name} wywołuje sam siebie bez końca (rekurencja w makrze).",
            code="template_recursion",
        ) from None
    except (jinja2.TemplateError, TypeError, ValueError, OverflowError) as err:
        raise TemplateError(
            f"Szablonu {name} nie udało się wypełnić ({failure(err)}).",
            code="template_render",
        ) from None


def render_docx(template: Path, context: dict[str, Any]) -> bytes:
    """Render `template` with `context`; raises TemplateError with a Polish explanation."""
    check_template_file(template)
    with _template_errors(template.name):
        document = DocxTemplate(str(template))
        env = make_environment()
        env.start_document(context)
        document.render(context, jinja_env=env, autoescape=True)
        buffer = io.BytesIO()
        document.save(buffer)
    data = buffer.getvalue()
    _check_output(data, template.name)
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
            if part.endswith(".rels") and external_link(archive.read(part)):
                raise TemplateError(
                    f"Dokument z szablonu {name} pobiera treść spoza dokumentu ({part}).",
                    code="render_external",
                )
            if part.startswith("word/") and part.endswith(".xml"):
                try:
                    etree.fromstring(archive.read(part), etree.XMLParser(resolve_entities=False))
                except etree.XMLSyntaxError:
                    raise broken_output(name, part) from None


_PARTS = {
    "word/document.xml": "treść",
    "word/header": "nagłówek",
    "word/footer": "stopka",
    "word/footnotes": "przypisy",
}


def side_parts(tpl: DocxTemplate) -> list[tuple[str, str, str]]:
    """The parts docxtpl fills besides the body, as (name, XML, encoding): headers, footers
    and footnotes."""
    parts = []
    for uri in (tpl.HEADER_URI, tpl.FOOTER_URI):
        for _, part in tpl.get_headers_footers(uri):
            xml = tpl.get_part_xml(part)
            parts.append((part.partname.lstrip("/"), xml, tpl.get_headers_footers_encoding(xml)))
    for part in tpl.docx.part.package.parts:
        if part.content_type.endswith("wordprocessingml.footnotes+xml"):
            blob = part.blob.decode("utf-8") if isinstance(part.blob, bytes) else part.blob
            parts.append((part.partname.lstrip("/"), blob, "utf-8"))
    return parts


def part_label(part: str) -> str:
    """A document's part as staff know it: `word/header2.xml` is a nagłówek."""
    part = part.lstrip("/")
    return next((label for prefix, label in _PARTS.items() if part.startswith(prefix)), part)


def broken_output(template: str, part: str) -> TemplateError:
    """A rendered part is not well-formed XML, so Word would not open the document. What the
    parser says (a line and column of XML) means nothing to staff; the usual cause does."""
    return TemplateError(
        f"Dokument z szablonu {template} wyszedł uszkodzony ({part_label(part)}) i Word by go "
        "nie otworzył. "
        "Zwykle znacznik {% if %} albo {% for %} jest otwarty w jednym miejscu, a zamknięty "
        "w innym (np. otwarty w komórce tabeli, zamknięty za tabelą): umieść początek i koniec "
        "w tym samym akapicie, komórce albo wierszu tabeli lub użyj {%p %}, {%tr %}, {%tc %}; "
        "popraw szablon.",
        code="render_invalid_xml",
    )


def content_hash(data: bytes) -> str:
    """A hash of what a document says, blind to how it was serialized.

    XML parts are hashed in canonical form (C14N: no XML declaration, no redundant namespace
    declarations), so docxtpl's output and the batch engine's hash alike; zip timestamps and the
    metadata in docProps/ (author, title, dates) do not count.

    Canonicalising is the cost (styles alone are ~800 KB), and most parts of a document are the
    template's, byte for byte: each part's canonical form is remembered under the hash of its
    compressed bytes, so only the parts that were rendered are parsed again. The digest is the
    same as without the memory (registries and signed documents keep their hashes).
    """
    digest = hashlib.sha256()
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        for info in sorted(archive.infolist(), key=lambda i: i.filename):
            part = info.filename
            if part.startswith("docProps/"):
                continue
            digest.update(part.encode() + b"\0" + _canonical(archive, info) + b"\0")
    return digest.hexdigest()


def found_document_hash(data: bytes) -> str | None:
    """`content_hash` of a file's bytes found where a document should be, which may be any
    file: None when it is no document (emptied by a crash of Word, damaged, replaced by another
    kind of file, or one that would unpack to far more than a document): it is then kept as an
    earlier version and the document is made again, never a program error. (What is there and
    is not a file at all is put aside unread: `documents._found_file`.)"""
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            if zip_problem(archive) is not None:
                return None
        return content_hash(data)
    except (*DAMAGE, RuntimeError, KeyError, etree.Error):
        return None


_CANONICAL: dict[bytes, bytes] = {}  # hash of a part's compressed bytes -> its canonical bytes
_CANONICAL_MAX_BYTES = 64 * 1024 * 1024
_canonical_bytes = 0
_PARSER = etree.XMLParser(resolve_entities=False, remove_blank_text=False)


def _canonical(archive: zipfile.ZipFile, info: zipfile.ZipInfo) -> bytes:
    global _canonical_bytes
    stored = _compressed_bytes(archive, info)
    key = hashlib.sha256(
        b"%s\0%d\0%d\0%d\0" % (info.filename.encode(), info.compress_type, info.CRC, info.file_size)
        + stored
    ).digest()
    known = _CANONICAL.get(key)
    if known is not None:
        return known
    raw = archive.read(info)
    if info.filename.endswith((".xml", ".rels")):
        raw = canonical_xml(etree.fromstring(raw, _PARSER), raw)
    if _canonical_bytes + len(raw) > _CANONICAL_MAX_BYTES:
        _CANONICAL.clear()
        _canonical_bytes = 0
    _CANONICAL[key] = raw
    _canonical_bytes += len(raw)
    return raw


def _compressed_bytes(archive: zipfile.ZipFile, info: zipfile.ZipInfo) -> bytes:
    """A member's bytes as stored (still compressed), read past its local header (PKZIP
    APPNOTE 4.3.7): the same stored bytes always decompress to the same content."""
    handle = archive.fp
    if handle is None:
        raise zipfile.BadZipFile("archive closed")
    handle.seek(info.header_offset)
    header = handle.read(30)
    if len(header) != 30 or header[:4] != b"PK\x03\x04":
        raise zipfile.BadZipFile("bad local header")
    name_length, extra_length = struct.unpack("<HH", header[26:30])
    handle.seek(info.header_offset + 30 + name_length + extra_length)
    return handle.read(info.compress_size)


def write_if_changed(path: Path, data: bytes) -> bool:
    """Write a built .docx unless the file there already says the same (for the build tools:
    rebuilding leaves the committed forms and templates alone when nothing in them changed)."""
    if path.exists() and content_hash(path.read_bytes()) == content_hash(data):
        return False
    path.write_bytes(data)
    return True


_XML_DECLARATION = '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
_BODY_MARK = "@@asystent-body@@"
_PROPERTIES = ("author", "comments", "identifier", "language", "subject", "title")


class CompiledTemplate:
    """A template prepared once and rendered many times: the batch path of `generate --all`.

    A plain docxtpl render reopens the template, re-patches and recompiles its XML, and re-zips every
    part (styles, fonts, settings) for each document. Here the template is loaded, patched and
    compiled once, and each document is the pre-built zip of the unchanged parts plus the few parts
    that were rendered. docxtpl's own pre- and post-processing (`patch_xml`, `resolve_listing`,
    `fix_tables`, `fix_docpr_ids`) runs on every part, so the text is what docxtpl makes (bench/
    render.py compares them on 500 documents).
    """

    def __init__(self, template: Path) -> None:
        check_template_file(template)
        self.name = template.name
        self.env = make_environment()
        with _template_errors(self.name):
            self._tpl = DocxTemplate(str(template))
            self._tpl.render_init()
            self._compile(template)

    def _compiled(self, xml: str) -> jinja2.Template:
        """The same preparation as docxtpl's render_xml_part, done once."""
        return self.env.from_string(re.sub(r"<w:p([ >])", r"\n<w:p\1", self._tpl.patch_xml(xml)))

    def _compile(self, template: Path) -> None:
        tpl = self._tpl
        document = tpl.docx.part
        self.body_part = document.partname.lstrip("/")
        source = tpl.get_xml()
        self.body = self._compiled(source)
        # docxtpl's fix_tables only matters when {%tc %} tags change the number of cells, and
        # fix_docpr_ids only when the body has drawings; skipping them otherwise changes nothing.
        self.fix_tables = re.search(r"\{%-?\s*tc\b", source) is not None
        self.fix_ids = "docPr" in source
        shell = copy.deepcopy(tpl.docx._element)
        body = shell.body
        for child in list(body):
            body.remove(child)
        body.text = _BODY_MARK
        outer = etree.tostring(shell, encoding="unicode")
        marker = outer.index(_BODY_MARK)
        self.before = outer[: outer.rindex("<", 0, marker)]
        self.after = outer[outer.index(">", marker) + 1 :]
        self.parts: dict[str, tuple[jinja2.Template, str]] = {
            name: (self._compiled(xml), encoding) for name, xml, encoding in side_parts(tpl)
        }
        core = tpl.docx.core_properties
        self.properties = {
            name: self.env.from_string(getattr(core, name) or "")
            for name in _PROPERTIES
            if "{" in (getattr(core, name) or "")
        }
        changed = {self.body_part, *self.parts, "docProps/core.xml"}
        base = io.BytesIO()
        with (
            zipfile.ZipFile(template) as source,
            zipfile.ZipFile(base, "w", zipfile.ZIP_DEFLATED) as out,
        ):
            for info in source.infolist():
                if info.filename not in changed or (
                    info.filename == "docProps/core.xml" and not self.properties
                ):
                    out.writestr(info.filename, source.read(info.filename))
        self.base = base.getvalue()

    def _render_part(self, compiled: jinja2.Template, context: dict[str, Any]) -> str:
        xml = compiled.render(context).replace("\n<w:p ", "<w:p ").replace("\n<w:p>", "<w:p>")
        xml = (
            xml.replace("{_{", "{{").replace("}_}", "}}").replace("{_%", "{%").replace("%_}", "%}")
        )
        # resolve_listing rewrites only text holding raw tab, bell, newline or form feed characters.
        if any(char in xml for char in "\t\a\n\f"):
            xml = self._tpl.resolve_listing(xml)
        return xml

    def render(self, context: dict[str, Any]) -> bytes:
        """One finished document; raises TemplateError like `render_docx`."""
        with _template_errors(self.name):
            return self._zipped(self._rendered(context, keep_trees=False))

    def render_hashed(self, context: dict[str, Any]) -> tuple[bytes, str]:
        """The document and its `content_hash`, hashed from what was just rendered: the parts
        copied from the template were canonicalised once, when it was compiled, and the rendered
        ones are already parsed (their check), so nothing is unzipped or parsed again."""
        with _template_errors(self.name):
            rendered = self._rendered(context)
            data = self._zipped(rendered)
        canonical = {  # as content_hash does: XML parts canonical, any other part as it is
            name: canonical_xml(tree, raw) if name.endswith((".xml", ".rels")) else raw
            for name, (raw, tree) in rendered.items()
        }
        digest = hashlib.sha256()
        for name in sorted({*self._static_canonical, *canonical}):
            if not name.startswith("docProps/"):
                part = canonical[name] if name in canonical else self._static_canonical[name]
                digest.update(name.encode() + b"\0" + part + b"\0")
        return data, digest.hexdigest()

    @functools.cached_property
    def _static_canonical(self) -> dict[str, bytes]:
        """The canonical form of each part copied from the template, as `content_hash` makes it."""
        with zipfile.ZipFile(io.BytesIO(self.base)) as archive:
            return {info.filename: _canonical(archive, info) for info in archive.infolist()}

    def _rendered(
        self, context: dict[str, Any], keep_trees: bool = True
    ) -> dict[str, tuple[bytes, etree._Element | None]]:
        """The parts this template renders, each with its parsed tree (every part is parsed:
        a template must never produce a document Word cannot open). Without `keep_trees` each
        tree is dropped once parsed: an office's report renders megabytes of rows, and its
        tree took more memory than all the rest."""
        self.env.start_document(context)  # the budget is per document
        tpl = self._tpl
        body = self._render_part(self.body, context)
        if self.fix_tables or self.fix_ids:
            # fix_tables parses with recover=True: a broken body would come out mangled
            # (text moved into a table cell), never refused, so it is checked first
            try:
                etree.fromstring(body, _PARSER)
            except etree.XMLSyntaxError:
                raise broken_output(self.name, self.body_part) from None
            tree = tpl.fix_tables(body)
            tpl.docx_ids_index = 1000
            tpl.fix_docpr_ids(tree)
            body = etree.tostring(tree, encoding="unicode")
            del tree  # as large as the parsed check below: never both at once
        rendered = {
            self.body_part: (_XML_DECLARATION + self.before + body + self.after).encode("utf-8")
        }
        del body  # twice the size of its bytes (Polish letters): gone before the parsing
        for name, (compiled, encoding) in self.parts.items():
            rendered[name] = self._render_part(compiled, context).encode(encoding)
        if self.properties:
            core = tpl.docx.core_properties
            for prop, compiled in self.properties.items():
                setattr(core, prop, compiled.render(context))
            rendered["docProps/core.xml"] = tpl.docx.part.package._core_properties_part.blob
        parsed: dict[str, tuple[bytes, etree._Element | None]] = {}
        for name, data in rendered.items():
            try:
                tree = etree.fromstring(data, _PARSER)
            except etree.XMLSyntaxError:
                raise broken_output(self.name, name) from None
            parsed[name] = (data, tree if keep_trees else None)
            del tree
        return parsed

    def _zipped(self, rendered: dict[str, tuple[bytes, etree._Element | None]]) -> bytes:
        """The template's unchanged parts (zipped once) with the rendered ones added."""
        out = io.BytesIO(self.base)
        with zipfile.ZipFile(out, "a", zipfile.ZIP_DEFLATED) as archive:
            for name, (data, _) in rendered.items():
                archive.writestr(name, data)
        return out.getvalue()
