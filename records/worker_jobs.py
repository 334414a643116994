"""What the template worker (`records.worker`) may be asked to do, run inside the worker.

Only these functions can be called through the worker's connection. Compiled templates are kept
by the file's identity (path, modification time, size), so a template replaced on disk is
compiled again and never served stale.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

from records.render import CompiledTemplate, check_template_file

_compiled: dict[tuple[str, int, int], CompiledTemplate] = {}


def render(template: str, context: dict[str, Any]) -> bytes:
    return _compiled_template(template).render(context)


def render_hashed(template: str, context: dict[str, Any]) -> tuple[bytes, str]:
    """The document and its `content_hash`, hashed here: the service's process writes the
    previous document meanwhile (`generate --all` renders one case ahead)."""
    return _compiled_template(template).render_hashed(context)


def compile_template(template: str) -> None:
    """Compile and keep `template` ahead of its first render (`TemplateWorker.warm_up`)."""
    _compiled_template(template)


def _compiled_template(template: str) -> CompiledTemplate:
    path = Path(template)
    stat = path.stat()
    key = (template, stat.st_mtime_ns, stat.st_size)
    compiled = _compiled.get(key)
    if compiled is None:
        check_template_file(path)
        compiled = CompiledTemplate(path)
        for old in [k for k in _compiled if k[0] == template]:
            del _compiled[old]
        _compiled[key] = compiled
    return compiled


def check_template(ws: Any, kind: str, path: str) -> list[str]:
    from records.template_check import problems_of

    return problems_of(ws, kind, Path(path))


JOBS: dict[str, Callable[..., Any]] = {
    "compile": compile_template,
    "render": render,
    "render_hashed": render_hashed,
    "check_template": check_template,
}
