"""asystent: records and documents of family assistants (asystent rodziny) in Polish centres.

Data flow, one module per stage:
    readers (file -> dict of text) -> validate + models (dict -> form model)
    -> store (model -> stored record) -> documents + render (record -> .docx)
    -> pipeline (the stages in order, filing originals away) -> cli (wiring only)
"""

__version__ = "0.1.0"
