"""Idioms of model libraries' helper code (MONAI's layer factories and option lookups, signature probes,
numpy padding arithmetic), each as a short model in that style with its exact figures."""

from __future__ import annotations


def test_a_layer_factory_with_getattr_and_a_growing_docstring(analyze_source) -> None:
    # monai.networks.layers.factories: `__getattr__` answers factory names and hands every other name to
    # `super().__getattribute__` (which must not ask `__getattr__` again); `self.__doc__ +=` reads the
    # class's docstring
    model = analyze_source(
        """
        import torch.nn as nn

        class LayerFactory:
            \"\"\"Factory of layers.\"\"\"

            def __init__(self):
                self.components = {}
                self.__doc__ = (self.__doc__ or "") + " Members:"

            def add(self, name, cls):
                self.components[name.upper()] = cls
                self.__doc__ += f" {name}"

            def __getitem__(self, name):
                return self.components[name.upper()]

            def __getattr__(self, key):
                if key in self.components:
                    return key
                return super().__getattribute__(key)

        Act = LayerFactory()
        Act.add("relu", nn.ReLU)
        Act.add("prelu", nn.PReLU)

        class Block(nn.Module):
            def __init__(self, act=Act.PRELU):
                super().__init__()
                self.conv = nn.Conv2d(4, 4, 3, padding=1)
                self.act = Act[act]() if not hasattr(Act, "missing") else nn.Identity()

            def forward(self, x):
                return self.act(self.conv(x))
        """,
        model="Block",
        inputs=[(1, 4, 8, 8)],
    )
    assert [layer.type for layer in model.layers] == ["Conv2d", "PReLU"]
    assert model.params == 4 * 4 * 9 + 4 + 1
    assert not model.assumptions, model.diagnostics


def test_signature_of_a_torch_layer_decides_its_keyword_arguments(analyze_source) -> None:
    # monai.networks.layers.utils.get_norm_layer: `num_features` only for the norms whose signature has it
    model = analyze_source(
        """
        import inspect
        import torch.nn as nn

        def has_option(obj, key):
            return key in inspect.signature(obj).parameters

        def norm_layer(norm_type, channels):
            kwargs = {}
            if has_option(norm_type, "num_features"):
                kwargs["num_features"] = channels
            if has_option(norm_type, "num_channels"):
                kwargs["num_channels"] = channels
                kwargs["num_groups"] = 2
            return norm_type(**kwargs)

        class Net(nn.Module):
            def __init__(self):
                super().__init__()
                self.bn = norm_layer(nn.BatchNorm2d, 8)
                self.gn = norm_layer(nn.GroupNorm, 8)

            def forward(self, x):
                return self.gn(self.bn(x))
        """,
        inputs=[(1, 8, 4, 4)],
    )
    assert [layer.type for layer in model.layers] == ["BatchNorm2d", "GroupNorm"]
    assert model.params == 2 * 8 + 2 * 8
    assert not model.assumptions, model.diagnostics


def test_same_padding_from_numpy_arithmetic(analyze_source) -> None:
    # monai.networks.layers.convutils.same_padding: numpy on the kernel size, then `int()` of each element
    model = analyze_source(
        """
        import numpy as np
        import torch.nn as nn

        def same_padding(kernel_size, dilation=1):
            k = np.atleast_1d(kernel_size)
            d = np.atleast_1d(dilation)
            if np.any((k - 1) * d % 2 == 1):
                raise NotImplementedError("no same padding")
            padding = tuple(int(p) for p in (k - 1) / 2 * d)
            return padding if len(padding) > 1 else padding[0]

        class Net(nn.Module):
            def __init__(self):
                super().__init__()
                self.conv = nn.Conv2d(3, 4, 5, padding=same_padding(5) + 7 // 2 % 2 * 0)

            def forward(self, x):
                return self.conv(x)
        """,
        inputs=[(1, 3, 8, 8)],
    )
    assert model.layers[0].output == (1, 4, 8, 8)
    assert model.flops == 4 * 8 * 8 * (2 * 3 * 25)
    assert not model.assumptions, model.diagnostics


def test_an_option_lookup_over_a_str_enum(analyze_source) -> None:
    # monai.utils.module.look_up_option: Hashable check, `.strip()` on a StrEnum member, EnumMeta check
    model = analyze_source(
        """
        import enum
        from collections.abc import Hashable
        import numpy as np
        import torch.nn as nn

        class StrEnum(str, enum.Enum):
            def __str__(self):
                return self.value

        class UpsampleMode(StrEnum):
            DECONV = "deconv"
            NONTRAINABLE = "nontrainable"

        def look_up_option(opt, supported):
            if not isinstance(opt, Hashable):
                raise ValueError(f"Unrecognized option type: {type(opt)}")
            if isinstance(opt, str):
                opt = opt.strip()
            if isinstance(supported, enum.EnumMeta) and opt in {item.value for item in supported}:
                return supported(opt)
            raise ValueError(f"{opt} is not a valid option")

        def as_tuple(value, n):
            if isinstance(value, np.ndarray):
                value = value.tolist()
            return tuple(value) if isinstance(value, (list, tuple)) else (value,) * n

        class Up(nn.Module):
            def __init__(self, mode=UpsampleMode.NONTRAINABLE):
                super().__init__()
                mode = look_up_option(mode, UpsampleMode)
                assert not isinstance([1], Hashable)
                scale = as_tuple(2, 2)
                if mode == UpsampleMode.DECONV:
                    self.up = nn.ConvTranspose2d(4, 4, scale, stride=scale)
                else:
                    self.up = nn.Upsample(scale_factor=scale, mode="nearest")

            def forward(self, x):
                return self.up(x)
        """,
        model="Up",
        inputs=[(1, 4, 8, 8)],
    )
    assert [layer.type for layer in model.layers] == ["Upsample"]
    assert model.layers[0].output == (1, 4, 16, 16)
    assert not model.assumptions, model.diagnostics


def test_optional_import_by_a_constant_name(analyze_source) -> None:
    # monai.utils.optional_import: `__import__` and `importlib.import_module` of a string the code spells
    model = analyze_source(
        """
        from importlib import import_module
        import torch.nn as nn

        def optional_import(module, name=""):
            try:
                __import__(module)
                the_module = import_module(module)
                if name:
                    the_module = getattr(the_module, name)
            except Exception:
                return None, False
            return the_module, True

        Linear, has_linear = optional_import("torch.nn", name="Linear")

        class Head(nn.Module):
            def __init__(self):
                super().__init__()
                self.fc = Linear(16, 4) if has_linear else nn.Identity()

            def forward(self, x):
                return self.fc(x)
        """,
        inputs=[(2, 16)],
    )
    assert [layer.type for layer in model.layers] == ["Linear"]
    assert model.params == 16 * 4 + 4


def test_a_deprecation_decorator_binds_the_call_to_the_signature(analyze_source) -> None:
    # monai.utils.deprecate_utils.deprecated_arg: `inspect.signature(func).bind(*args, **kwargs).arguments`
    model = analyze_source(
        """
        import functools
        import inspect
        import torch.nn as nn

        def deprecated_arg(name):
            def decorator(func):
                sig = inspect.signature(func)

                @functools.wraps(func)
                def wrapper(*args, **kwargs):
                    if name in sig.bind(*args, **kwargs).arguments:
                        raise TypeError(f"{name} is deprecated")
                    return func(*args, **kwargs)

                return wrapper

            return decorator

        class Net(nn.Module):
            @deprecated_arg("dimensions")
            def __init__(self, channels=8, dimensions=None):
                super().__init__()
                self.conv = nn.Conv2d(3, channels, 1)

            def forward(self, x):
                return self.conv(x)
        """,
        inputs=[(1, 3, 4, 4)],
    )
    assert model.params == 3 * 8 + 8
    assert not model.assumptions, model.diagnostics


def test_a_size_check_in_forward_computed_from_the_input_shape(analyze_source) -> None:
    # monai SwinUNETR._check_input_size: numpy on `x.shape[2:]` inside forward(), a raise after an assignment;
    # `torch.meshgrid.__kwdefaults__` tells which meshgrid signature torch has; as_tensor of a tensor is itself
    model = analyze_source(
        """
        import numpy as np
        import torch
        import torch.nn as nn
        import torch.nn.functional as F

        class Net(nn.Module):
            def __init__(self, patch_size=(2, 2), stride=1):
                super().__init__()
                self.patch_size = patch_size
                mesh_args = torch.meshgrid.__kwdefaults__
                self.indexing = "ij" if mesh_args is not None else None
                self.conv = nn.Conv2d(1, 4, 3, padding=1)
                if not np.all(np.atleast_1d(stride) == 1):
                    self.down = nn.Conv2d(1, 4, 1, stride=stride)

            def _check_input_size(self, spatial_shape):
                img_size = np.array(spatial_shape)
                remainder = (img_size % np.power(self.patch_size, 5)) > 0
                if remainder.any():
                    wrong_dims = (np.where(remainder)[0] + 2).tolist()
                    raise ValueError(f"spatial dimensions {wrong_dims} must be divisible by 32")

            def forward(self, x):
                self._check_input_size(x.shape[2:])
                return self.conv(x) + torch.as_tensor(F.pad(x, (0, 0, 0, 0, 1, 2)))
        """,
        inputs=[(1, 1, 64, 64)],
        convention="torch",
    )
    assert [layer.type for layer in model.layers][-3:] == ["Conv2d", "F.pad", "add"]
    assert model.layers[-1].inputs == [(1, 4, 64, 64), (1, 4, 64, 64)]
    assert model.params == 1 * 4 * 9 + 4  # stride 1: no `down` convolution
    # FlopCounterMode: the convolution's 2·Cin·K² per output, no bias; the numpy on the shape is not torch's work
    assert model.flops == 4 * 64 * 64 * (2 * 9)
    assert not model.assumptions and model.flops_complete, model.diagnostics


def test_no_mask_is_not_an_instance_of_a_class_the_analyzer_cannot_read(analyze_source) -> None:
    # transformers' masking_utils: `isinstance(attention_mask, (torch.Tensor, BlockMask))` with BlockMask from
    # torch.nn.attention (not in the catalog) and no mask: None is an instance of no such class, so the mask is
    # built (MPT then calls `.to(torch.bool)` on it), rather than the first branch assumed and None's `.shape` read.
    model = analyze_source(
        """
        import torch
        import torch.nn as nn
        from torch.nn.attention.flex_attention import BlockMask

        def prepare(mask):
            if isinstance(mask, (torch.Tensor, BlockMask)) and len(mask.shape) == 4:
                return mask
            return torch.ones(1, 1, 8, 8).to(torch.bool)

        class Net(nn.Module):
            def __init__(self):
                super().__init__()
                self.fc = nn.Linear(16, 16)

            def forward(self, x, attention_mask=None):
                mask = prepare(attention_mask).to(torch.bool)
                return self.fc(x).masked_fill(~mask[0, 0, :, :1], 0.0)
        """,
        inputs=[(8, 16)],
    )
    assert [layer.type for layer in model.layers if layer.type == "Linear"] == ["Linear"]
    assert not [d for d in model.diagnostics if d.code.code in ("SF306", "SF301")], model.diagnostics


def test_a_state_dict_hook_changes_nothing_priced(analyze_source) -> None:
    # Mamba renames old checkpoints' keys with `_register_load_state_dict_pre_hook`: loading is never priced
    model = analyze_source(
        """
        import torch.nn as nn

        class Net(nn.Module):
            def __init__(self):
                super().__init__()
                self.fc = nn.Linear(16, 4)
                self._register_load_state_dict_pre_hook(self.load_hook)
                self.register_state_dict_post_hook(lambda *args: None)

            def load_hook(self, state_dict, prefix, *args):
                pass

            def forward(self, x):
                return self.fc(x)
        """,
        inputs=[(2, 16)],
    )
    assert model.params == 16 * 4 + 4
    assert model.flops == 2 * 4 * (2 * 16 - 1 + 1)


def test_a_sequence_with_getitem_only_is_iterated_by_index(analyze_source) -> None:
    # transformers' per-layer config view: a `collections.abc.Sequence` with `__len__` and `__getitem__` only,
    # iterated (`zip(layer_types, config.per_layer_config)`) as Python iterates it, by index until IndexError
    model = analyze_source(
        """
        from collections.abc import Sequence
        import torch.nn as nn

        class Widths(Sequence):
            def __init__(self, widths):
                self._widths = widths

            def __len__(self):
                return len(self._widths)

            def __getitem__(self, index):
                if index >= len(self._widths):
                    raise IndexError("list index out of range")
                return self._widths[index]

        class Net(nn.Module):
            def __init__(self):
                super().__init__()
                widths = Widths([16, 8, 4])
                self.layers = nn.ModuleList(nn.Linear(a, b) for a, b in zip(widths, list(widths)[1:]))

            def forward(self, x):
                for layer in self.layers:
                    x = layer(x)
                return x
        """,
        inputs=[(2, 16)],
    )
    assert model.params == (16 * 8 + 8) + (8 * 4 + 4)


def test_a_str_enum_compared_with_not_equal(analyze_source) -> None:
    # timm.layers.format.Format(str, Enum) and PatchEmbed's `elif self.output_fmt != Format.NCHW:`: `!=` finds
    # its method on the type, as Python does, never through the member's `__getattr__`
    model = analyze_source(
        """
        from enum import Enum
        import torch.nn as nn

        class Format(str, Enum):
            NCHW = 'NCHW'
            NHWC = 'NHWC'

        class Embed(nn.Module):
            def __init__(self, output_fmt='NHWC'):
                super().__init__()
                self.proj = nn.Conv2d(3, 8, 4, 4)
                self.output_fmt = Format(output_fmt)

            def forward(self, x):
                x = self.proj(x)
                if self.output_fmt != Format.NCHW:
                    x = x.permute(0, 2, 3, 1)
                return x
        """,
        model="Embed",
        inputs=[(1, 3, 16, 16)],
    )
    assert model.layers[-1].output == (1, 4, 4, 8)
    assert model.flops == 8 * 4 * 4 * 2 * 3 * 4 * 4
    assert not model.diagnostics or all(d.code.code == "SF304" for d in model.diagnostics), model.diagnostics
