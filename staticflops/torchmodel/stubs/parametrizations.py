"""`torch.nn.utils`' weight reparametrizations, written for staticflops' interpreter.

What they change is what is counted: which parameters and buffers a layer holds, under which
names. The older hooks (`weight_norm`, `spectral_norm`) replace `weight` by `weight_g` and
`weight_v`, or by `weight_orig` with the buffers `weight_u` and `weight_v`; the parametrizations
(`parametrizations.weight_norm`, `spectral_norm`, `orthogonal`, `parametrize.register_parametrization`)
move it under `parametrizations.weight.original` (`original0`, `original1` when the
parametrization's `right_inverse` returns two tensors), with the parametrization as a submodule.
Shapes follow torch's `norm_except_dim`: the norm keeps `dim`'s size, and `dim=-1` (or None)
reduces the whole tensor to a scalar.

The layer's `weight` stays a tensor of the same shape, so its call is priced as before. Recomputing
the weight at each forward is not priced (docs/conventions.md).
"""

import torch
import torch.nn as nn


def _norm_except_dim(weight, dim):
    if dim == -1:
        return torch.empty((), dtype=weight.dtype)
    dim = dim % weight.dim()
    shape = [1] * weight.dim()
    shape[dim] = weight.shape[dim]
    return torch.empty(shape, dtype=weight.dtype)


def _detach(module, name):
    """Take tensor `name` out of the module's parameters (or buffers), leaving a plain tensor of its
    shape in its place."""
    original = getattr(module, name)
    if name in module._parameters:
        del module._parameters[name]
    elif name in module._buffers:
        del module._buffers[name]
    else:
        raise ValueError(f"Module '{module}' has no parameter or buffer with name '{name}'")
    object.__setattr__(module, name, torch.empty(original.shape, dtype=original.dtype))
    return original


def _spectral_dim(module, dim):
    if dim is not None:
        return dim
    transposed = (nn.ConvTranspose1d, nn.ConvTranspose2d, nn.ConvTranspose3d)
    return 1 if isinstance(module, transposed) else 0


def weight_norm(module, name="weight", dim=0):
    weight = _detach(module, name)
    if dim is None:
        dim = -1
    module.register_parameter(name + "_g", nn.Parameter(_norm_except_dim(weight, dim)))
    module.register_parameter(name + "_v", nn.Parameter(torch.empty(weight.shape, dtype=weight.dtype)))
    return module


def remove_weight_norm(module, name="weight"):
    weight = getattr(module, name)
    del module._parameters[name + "_g"]
    del module._parameters[name + "_v"]
    delattr(module, name)
    module.register_parameter(name, nn.Parameter(torch.empty(weight.shape, dtype=weight.dtype)))
    return module


def spectral_norm(module, name="weight", n_power_iterations=1, eps=1e-12, dim=None):
    weight = _detach(module, name)
    dim = _spectral_dim(module, dim)
    height = weight.shape[dim]
    module.register_parameter(name + "_orig", nn.Parameter(torch.empty(weight.shape, dtype=weight.dtype)))
    module.register_buffer(name + "_u", torch.empty(height, dtype=weight.dtype))
    module.register_buffer(name + "_v", torch.empty(weight.numel() // height, dtype=weight.dtype))
    return module


def remove_spectral_norm(module, name="weight"):
    weight = getattr(module, name)
    del module._parameters[name + "_orig"]
    del module._buffers[name + "_u"]
    del module._buffers[name + "_v"]
    delattr(module, name)
    module.register_parameter(name, nn.Parameter(torch.empty(weight.shape, dtype=weight.dtype)))
    return module


class ParametrizationList(nn.ModuleList):
    """The parametrizations of one tensor and its original(s), as torch registers them."""

    def __init__(self, modules, original, unsafe=False):
        super().__init__(modules)
        self.unsafe = unsafe
        first = modules[0]
        inverse = first.right_inverse(original) if hasattr(first, "right_inverse") else original
        if isinstance(inverse, (tuple, list)):
            self.is_tensor = False
            self.ntensors = len(inverse)
            for i, tensor in enumerate(inverse):
                self.register_parameter(f"original{i}", nn.Parameter(torch.empty(tensor.shape, dtype=tensor.dtype)))
        else:
            self.is_tensor = True
            self.ntensors = 1
            self.original = nn.Parameter(torch.empty(inverse.shape, dtype=inverse.dtype))


def register_parametrization(module, tensor_name, parametrization, *, unsafe=False):
    if "parametrizations" in module._modules and tensor_name in module.parametrizations:
        module.parametrizations[tensor_name].append(parametrization)
        return module
    original = _detach(module, tensor_name)
    if "parametrizations" not in module._modules:
        module.parametrizations = nn.ModuleDict()
    module.parametrizations[tensor_name] = ParametrizationList([parametrization], original, unsafe=unsafe)
    return module


def is_parametrized(module, tensor_name=None):
    parametrizations = module._modules.get("parametrizations")
    if parametrizations is None:
        return False
    return tensor_name is None or tensor_name in parametrizations


class _WeightNorm(nn.Module):
    def __init__(self, dim=0):
        super().__init__()
        if dim is None:
            dim = -1
        self.dim = dim

    def right_inverse(self, weight):
        return _norm_except_dim(weight, self.dim), torch.empty(weight.shape, dtype=weight.dtype)


class _SpectralNorm(nn.Module):
    def __init__(self, weight, n_power_iterations=1, dim=0, eps=1e-12):
        super().__init__()
        dim = dim % weight.dim()
        self.dim = dim
        self.eps = eps
        if weight.dim() > 1:
            self.n_power_iterations = n_power_iterations
            height = weight.shape[dim]
            self.register_buffer("_u", torch.empty(height, dtype=weight.dtype))
            self.register_buffer("_v", torch.empty(weight.numel() // height, dtype=weight.dtype))

    def right_inverse(self, value):
        return value


class _Orthogonal(nn.Module):
    def __init__(self, weight, orthogonal_map, use_trivialization=True):
        super().__init__()
        self.shape = weight.shape
        self.orthogonal_map = orthogonal_map
        if use_trivialization:
            self.register_buffer("base", torch.empty(weight.shape, dtype=weight.dtype))

    def right_inverse(self, value):
        return value


def parametrized_weight_norm(module, name="weight", dim=0):
    return register_parametrization(module, name, _WeightNorm(dim), unsafe=True)


def parametrized_spectral_norm(module, name="weight", n_power_iterations=1, eps=1e-12, dim=None):
    weight = getattr(module, name)
    dim = _spectral_dim(module, dim)
    return register_parametrization(module, name, _SpectralNorm(weight, n_power_iterations, dim, eps))


def orthogonal(module, name="weight", orthogonal_map=None, *, use_trivialization=True):
    weight = getattr(module, name)
    return register_parametrization(module, name, _Orthogonal(weight, orthogonal_map, use_trivialization))
