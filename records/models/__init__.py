"""Form models, one module per form kind, and the registry that maps `formularz` to its model.

Data flow: a reader turns a file into a dict of text; `FORMS[kind]` turns it into a validated model;
the model's `rules(today)` and `case_rules(case, settings)` add the checks that span fields and the
case. Each model class carries its `KIND` (title, date field, Word layout, whether it makes a
document), so adding a kind is one module here, one template and its blank forms.
"""

from __future__ import annotations

from records.models.common import SCHEMA_VERSION, Form, Kind, case_folder, case_key, for_display
from records.models.interwencja import Interwencja
from records.models.kontrakt import Kontrakt
from records.models.metryczka import MetryczkaRodziny
from records.models.niebieska_karta import NiebieskaKarta
from records.models.notatka import Notatka
from records.models.ocena import OcenaOkresowa
from records.models.plan import PlanPracy
from records.models.podpisanie import PodpisanieDokumentu
from records.models.postanowienie import PostanowienieSadu
from records.models.przydzielenie import PrzydzielenieAsystenta
from records.models.sprawozdanie_sadu import SprawozdanieDlaSadu
from records.models.umieszczenie import UmieszczenieDziecka
from records.models.wizyta import ProtokolWizyty
from records.models.wniosek import WniosekOAsystenta
from records.models.zakonczenie import ZakonczeniePracy
from records.models.zgoda import ZgodaRodziny

# In the order forms are listed to people (and blank forms are made).
_MODELS: tuple[type[Form], ...] = (
    WniosekOAsystenta,
    MetryczkaRodziny,
    PrzydzielenieAsystenta,
    ZgodaRodziny,
    PostanowienieSadu,
    PlanPracy,
    ProtokolWizyty,
    Notatka,
    Interwencja,
    UmieszczenieDziecka,
    NiebieskaKarta,
    Kontrakt,
    OcenaOkresowa,
    ZakonczeniePracy,
    SprawozdanieDlaSadu,
    PodpisanieDokumentu,
)

FORMS: dict[str, type[Form]] = {model.KIND.code: model for model in _MODELS}
KINDS: dict[str, Kind] = {code: model.KIND for code, model in FORMS.items()}
TITLES: dict[str, str] = {code: kind.title for code, kind in KINDS.items()}
DATE_FIELD: dict[str, str] = {code: kind.date_field for code, kind in KINDS.items()}
LAYOUTS = {code: kind.layout for code, kind in KINDS.items()}
DOCUMENT_KINDS = [code for code, kind in KINDS.items() if kind.document]

__all__ = [
    "DATE_FIELD",
    "DOCUMENT_KINDS",
    "FORMS",
    "KINDS",
    "LAYOUTS",
    "SCHEMA_VERSION",
    "TITLES",
    "Form",
    "Kind",
    "case_folder",
    "case_key",
    "for_display",
]
