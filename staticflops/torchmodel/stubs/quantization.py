"""The float-mode modules of eager-mode quantization, written for staticflops' interpreter.

A model prepared for quantization but not converted (torchvision's `quantize=False`) runs these as
torch defines them in float mode: `QuantStub` and `DeQuantStub` pass their input through (they only
mark where `convert` will put a quantize or dequantize op), and `FloatFunctional`'s methods are the
plain tensor ops they name, each result going through an `activation_post_process` Identity (the
slot an observer takes once prepared). Same submodules under the same names as torch's, so module
paths and the calls counters see match.
"""

import torch
import torch.nn as nn


class QuantStub(nn.Module):
    def __init__(self, qconfig=None):
        super().__init__()
        if qconfig:
            self.qconfig = qconfig

    def forward(self, x):
        return x


class DeQuantStub(nn.Module):
    def __init__(self, qconfig=None):
        super().__init__()
        if qconfig:
            self.qconfig = qconfig

    def forward(self, x):
        return x


class FloatFunctional(nn.Module):
    def __init__(self):
        super().__init__()
        self.activation_post_process = torch.nn.Identity()

    def forward(self, x):
        raise RuntimeError("FloatFunctional is not intended to use the 'forward'. Please use the underlying operation")

    def add(self, x, y):
        r = torch.add(x, y)
        r = self.activation_post_process(r)
        return r

    def add_scalar(self, x, y):
        # not observed: the quantized op needs no observation
        r = torch.add(x, y)
        return r

    def mul(self, x, y):
        r = torch.mul(x, y)
        r = self.activation_post_process(r)
        return r

    def mul_scalar(self, x, y):
        r = torch.mul(x, y)
        return r

    def cat(self, x, dim=0):
        r = torch.cat(x, dim=dim)
        r = self.activation_post_process(r)
        return r

    def add_relu(self, x, y):
        r = torch.add(x, y)
        r = torch.nn.functional.relu(r)
        r = self.activation_post_process(r)
        return r

    def matmul(self, x, y):
        r = torch.matmul(x, y)
        r = self.activation_post_process(r)
        return r
