"""Form models, one module per form kind, and the registry that maps `formularz` to its model.

Data flow: a reader turns a file into a dict of text; `FORMS[kind]` turns it into a validated model;
the model's `rules(today)` adds the checks that span fields.
"""

from __future__ import annotations

from records.models.common import SCHEMA_VERSION, Form, case_folder, case_key
from records.models.kontrakt import Kontrakt
from records.models.metryczka import MetryczkaRodziny
from records.models.ocena import OcenaOkresowa
from records.models.plan import PlanPracy
from records.models.wizyta import ProtokolWizyty
from records.models.zakonczenie import ZakonczeniePracy

FORMS: dict[str, type[Form]] = {
    "metryczka_rodziny": MetryczkaRodziny,
    "plan_pracy": PlanPracy,
    "protokol_wizyty": ProtokolWizyty,
    "kontrakt": Kontrakt,
    "ocena_okresowa": OcenaOkresowa,
    "zakonczenie_pracy": ZakonczeniePracy,
}

TITLES = {
    "metryczka_rodziny": "Metryczka rodziny",
    "plan_pracy": "Plan pracy z rodziną",
    "protokol_wizyty": "Protokół z wejścia do rodziny",
    "kontrakt": "Kontrakt",
    "ocena_okresowa": "Okresowa ocena sytuacji rodziny",
    "zakonczenie_pracy": "Sprawozdanie z zakończenia pracy z rodziną",
}

# The date that names a form's document and orders waiting files (SPEC "Order and retries").
DATE_FIELD = {
    "metryczka_rodziny": "data_przydzielenia",
    "plan_pracy": "data_sporzadzenia",
    "protokol_wizyty": "data",
    "kontrakt": "data_zawarcia",
    "ocena_okresowa": "data",
    "zakonczenie_pracy": "data_zakonczenia",
}

__all__ = [
    "DATE_FIELD",
    "FORMS",
    "SCHEMA_VERSION",
    "TITLES",
    "Form",
    "case_folder",
    "case_key",
]
