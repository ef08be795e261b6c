"""`torch.autograd.Function`, written for staticflops' interpreter.

Custom autograd functions wrap the forward computation of memory-efficient activations, straight-
through estimators and gradient-reversal layers: `SwishFn.apply(x)` runs the class's static
`forward`, whose ops are what torch runs (and what its counters see) in a forward pass. `backward`
is never called. Both styles torch accepts: `forward(ctx, *args)`, and `forward(*args)` with a
separate `setup_context(ctx, inputs, output)`.
"""


class FunctionCtx:
    """What `forward` and `setup_context` receive as `ctx`: saving tensors for backward is bookkeeping
    without cost; attributes set on it are kept, as on torch's."""

    def __init__(self, inputs):
        self.needs_input_grad = tuple(True for _ in inputs)
        self.saved_tensors = ()
        self.materialize_grads = True

    def save_for_backward(self, *tensors):
        self.saved_tensors = tensors

    def save_for_forward(self, *tensors):
        pass

    def mark_dirty(self, *tensors):
        pass

    def mark_non_differentiable(self, *tensors):
        pass

    def set_materialize_grads(self, value):
        self.materialize_grads = value


class Function:
    generate_vmap_rule = False

    def __init__(self, *args, **kwargs):
        pass

    @staticmethod
    def setup_context(ctx, inputs, output):
        raise NotImplementedError("setup_context is not implemented")

    @staticmethod
    def backward(ctx, *grad_outputs):
        raise NotImplementedError("backward is not implemented")

    @staticmethod
    def vmap(info, in_dims, *args):
        raise NotImplementedError("vmap is not implemented")

    @classmethod
    def apply(cls, *args, **kwargs):
        ctx = FunctionCtx(args)
        if cls.setup_context is Function.setup_context:
            return cls.forward(ctx, *args, **kwargs)
        output = cls.forward(*args, **kwargs)
        cls.setup_context(ctx, args, output)
        return output


class InplaceFunction(Function):
    def __init__(self, inplace=False):
        self.inplace = inplace


def once_differentiable(fn):
    return fn
