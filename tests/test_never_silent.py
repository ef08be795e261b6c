"""Results that were wrong or incomplete with no diagnostic at all, each kept from coming back."""

from __future__ import annotations

from tests.conftest import codes


def test_a_branch_on_an_assumed_condition_makes_the_result_assumption_dependent(analyze_source) -> None:
    model = analyze_source(
        """
        import torch.nn as nn
        from unseen_settings import USE_WIDE_HEAD  # not in the project: its value is unknown

        class Net(nn.Module):
            def __init__(self):
                super().__init__()
                self.body = nn.Linear(8, 8)
                if USE_WIDE_HEAD:
                    self.head = nn.Linear(8, 64)
                else:
                    self.head = nn.Linear(8, 4)

            def forward(self, x):
                return self.head(self.body(x))
        """,
        inputs=[(1, 8)],
    )
    assert model.params == 72 + (8 * 64 + 64)  # the true branch, as assumed
    assert len(model.assumptions) == 1 and model.assumptions[0].endswith(":9")
    summary = [d for d in model.diagnostics if "decided by assumption" in d.message]
    assert summary and summary[0].code.code == "SF304"


def test_the_json_result_of_an_assumption_dependent_model_is_never_complete(tmp_path) -> None:
    import json

    from staticflops import analyze
    from staticflops.report.json import to_json

    path = tmp_path / "net.py"
    path.write_text(
        "import torch.nn as nn\nfrom elsewhere import FLAG\n\n\n"
        "class Net(nn.Module):\n    def __init__(self):\n        super().__init__()\n"
        "        self.fc = nn.Linear(4, 8 if FLAG else 2)\n\n    def forward(self, x):\n        return self.fc(x)\n"
    )
    (model,) = json.loads(json.dumps(to_json(analyze([path], inputs=[(1, 4)]))))["models"]
    assert model["complete"] is False
    assert model["assumptions"] == [f"{path}:8"]


def test_a_buffer_whose_shape_is_lost_is_reported_where_it_is_registered(analyze_source) -> None:
    model = analyze_source(
        """
        import numpy as np
        import torch
        import torch.nn as nn

        class Net(nn.Module):
            def __init__(self):
                super().__init__()
                self.register_buffer("table", torch.from_numpy(np.kaiser(16, 5.0)))  # np.kaiser: not modelled
                self.fc = nn.Linear(16, 4)

            def forward(self, x):
                return self.fc(x * self.table)
        """,
        inputs=[(1, 16)],
    )
    lost = [d for d in model.diagnostics if d.code.code == "SF301" and "buffer 'table'" in d.message]
    assert lost and lost[0].line == 9
    assert not model.flops_complete


def test_a_parameter_of_unknown_shape_says_why_and_the_count_is_a_lower_bound(analyze_source) -> None:
    model = analyze_source(
        """
        import torch
        import torch.nn as nn
        from unseen_init import make_table

        class Net(nn.Module):
            def __init__(self):
                super().__init__()
                self.table = nn.Parameter(make_table(8))
                self.fc = nn.Linear(8, 4)

            def forward(self, x):
                return self.fc(x)
        """,
        inputs=[(1, 8)],
    )
    assert model.params == 36 and not model.params_complete
    assert "SF301" in codes(model)
    assert any("nn.Parameter of unknown shape" in d.message and d.line == 9 for d in model.diagnostics)


def test_layers_reached_by_list_indexing_in_forward_are_all_counted(analyze_source) -> None:
    model = analyze_source(
        """
        import torch.nn as nn

        class Net(nn.Module):
            def __init__(self):
                super().__init__()
                self.blocks = nn.ModuleList([nn.Linear(8, 8) for _ in range(3)])
                self.extra = nn.Sequential(nn.Linear(8, 8), nn.ReLU(), nn.Linear(8, 4))

            def forward(self, x):
                for i in range(len(self.blocks)):
                    x = self.blocks[i](x)
                x = self.blocks[-1](x)
                return self.extra[-1](self.extra[:2](x))
        """,
        inputs=[(1, 8)],
    )
    assert [layer.path for layer in model.layers] == [
        "blocks.0", "blocks.1", "blocks.2", "blocks.2", "extra.0", "extra.1", "extra.2",
    ]  # fmt: skip
    assert model.flops == 5 * (2 * 8 * 8) + 8 + 2 * 8 * 4  # five biased Linear(8, 8) calls, a ReLU, Linear(8, 4)
    assert model.flops_complete


def test_dir_of_a_lazily_resolved_module_is_not_a_silently_short_list(analyze_source) -> None:
    # timm's create_act.py: `_has_silu = 'silu' in dir(torch.nn.functional)` chose a fallback, with no
    # diagnostic, when dir() listed only the names resolved so far; membership in it is now answered as
    # hasattr would be, from the catalog
    model = analyze_source(
        """
        import torch.nn as nn
        import torch.nn.functional as F

        HAS_SILU = "silu" in dir(F)

        class Net(nn.Module):
            def __init__(self):
                super().__init__()
                self.fc = nn.Linear(8, 8)
                self.act = nn.SiLU() if HAS_SILU else nn.Identity()

            def forward(self, x):
                return self.act(self.fc(x))
        """,
        inputs=[(1, 8)],
    )
    assert [layer.type for layer in model.layers] == ["Linear", "SiLU"]
    assert not model.assumptions


def test_probing_for_an_op_the_catalog_lacks_is_an_assumption_not_a_silent_yes(analyze_source) -> None:
    model = analyze_source(
        """
        import torch.nn as nn
        import torch.nn.functional as F

        class Act(nn.Module):
            def __init__(self):
                super().__init__()
                self.act = nn.Identity() if hasattr(F, 'no_such_op') else nn.ReLU()

            def forward(self, x):
                return self.act(x)
        """,
        inputs=[(1, 4)],
    )
    assert len(model.assumptions) == 1


def test_an_environment_variable_read_is_an_assumption_of_the_result(analyze_source) -> None:
    model = analyze_source(
        """
        import os
        import torch.nn as nn

        class Net(nn.Module):
            def __init__(self):
                super().__init__()
                width = int(os.environ.get("NET_WIDTH", "16"))  # taken as unset: the default holds
                self.fc = nn.Linear(8, width)

            def forward(self, x):
                return self.fc(x)
        """,
        inputs=[(1, 8)],
    )
    assert model.params == 8 * 16 + 16
    assert len(model.assumptions) == 1 and model.assumptions[0].endswith(":8")


def test_a_dict_display_unpacking_an_unknown_mapping_is_unknown(analyze_source) -> None:
    # `{"in_features": 8, **extra}` with `extra` unknown: its keys may override or add any argument, so the
    # display is unknown (it was the known part alone, and the layer silently built from it)
    analysis = analyze_source(
        """
        import torch.nn as nn
        from unseen_settings import EXTRA  # not in the project: its value is unknown

        class Net(nn.Module):
            def __init__(self):
                super().__init__()
                kwargs = {"in_features": 8, "out_features": 4, **EXTRA}
                self.fc = nn.Linear(**kwargs)

            def forward(self, x):
                return self.fc(x)
        """,
        inputs=[(1, 8)],
        all=True,
    )
    (model,) = analysis.models
    assert not model.params_complete and not model.flops_complete
    assert any("not a known mapping" in d.message for d in model.diagnostics), model.diagnostics
