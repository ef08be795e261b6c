"""The catalog: one entry per torch layer or op, one file per family.

`CATALOG.entries` holds every entry by qualified name. A family's file is imported on the first lookup
of one of its names (`index.py`, generated from the files, says which file defines which name): a run
over a convolutional network never imports the catalog's linear algebra, losses or einops patterns, a
tenth of its start-up. Iterating the entries imports every family.
"""

from staticflops.catalog.index import ENTRIES
from staticflops.catalog.spec import (
    FREE,
    Catalog,
    DataDependent,
    Example,
    FamilyEntries,
    LayerSpec,
    OpSpec,
    Output,
    RaisedError,
    Shape,
    ShapeError,
    Spec,
    Work,
    WorkKind,
    Works,
    as_works,
    primary,
)

CATALOG = Catalog(FamilyEntries(__name__, ENTRIES))

__all__ = [
    "CATALOG",
    "FREE",
    "Catalog",
    "DataDependent",
    "Example",
    "LayerSpec",
    "OpSpec",
    "Output",
    "RaisedError",
    "Shape",
    "ShapeError",
    "Spec",
    "Work",
    "WorkKind",
    "Works",
    "as_works",
    "primary",
]
