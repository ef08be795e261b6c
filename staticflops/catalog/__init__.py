"""The catalog: one entry per torch layer or op, one file per family.

`CATALOG` is built once from the family tables and never changes; a name defined
twice fails at import.
"""

from staticflops.catalog import (
    activation,
    attention,
    complex,
    conv,
    dropout,
    einops,
    elementwise,
    embedding,
    indexing,
    linear,
    loss,
    norm,
    pooling,
    recurrent,
    reduction,
    resample,
    reshape,
)
from staticflops.catalog.spec import (
    FREE,
    Catalog,
    DataDependent,
    Example,
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

CATALOG = Catalog.build(
    conv.SPECS,
    linear.SPECS,
    norm.SPECS,
    activation.SPECS,
    pooling.SPECS,
    dropout.SPECS,
    reshape.SPECS,
    elementwise.SPECS,
    reduction.SPECS,
    attention.SPECS,
    embedding.SPECS,
    indexing.SPECS,
    resample.SPECS,
    recurrent.SPECS,
    einops.SPECS,
    complex.SPECS,
    loss.SPECS,
)

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
