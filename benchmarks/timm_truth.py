"""Reference ("truth") FLOPs/params for every timm architecture, measured with real PyTorch.

This script is a measurement tool for the project's own scoring. It needs ``torch`` and
``timm`` (it was written for torch 2.14.1 / timm 1.0.31) and is never imported by the
``staticflops`` package or its tests.

Run (from the repository root, with a Python that has torch + timm)::

    python benchmarks/timm_truth.py                    # every name of timm.list_models()
    python benchmarks/timm_truth.py resnet50 vit_base_patch16_224   # just these names
    nohup python benchmarks/timm_truth.py > /work/timm_truth.log 2>&1 &

Options: ``--out PATH`` (default ``benchmarks/timm_reference.tsv``), ``--force`` (re-measure
names already in the TSV), ``--retry-failed`` (re-measure only rows that have an error),
``--timeout S`` (per-model, per-device limit, default 120 s), ``--chunk N`` (models per
worker process, default 25), ``--cpu-max-params N`` (default 150M), ``--max-rss-gb G``
(a worker above this resident size is killed, default 14).

How it works: the parent process starts one worker subprocess per chunk of models (one
worker at a time, ``torch.set_num_threads(1)``). A worker reports each model as it starts
and finishes through a pipe; a model that crashes or hangs the worker (or exceeds the
memory limit) loses only that model, which gets an error row, and a new worker carries on
with the rest. Rows are written as they finish: after every row the whole TSV is rewritten
atomically, sorted by name, so an interrupted run loses nothing and is resumed by running
the same command again (names already in the TSV are skipped unless ``--force``).

Per model:

* ``with torch.device("meta"): model = timm.create_model(name, pretrained=False)``;
  ``model.eval()``; input ``torch.randn((1, *model.pretrained_cfg["input_size"]),
  device="meta")`` (``default_cfg`` if there is no ``pretrained_cfg``).
* One forward pass under ``torch.no_grad()`` inside a ``torch.overrides.TorchFunctionMode``
  that sees every ``F.linear``, ``F.conv1d/2d/3d`` and ``F.conv_transpose1d/2d/3d`` call
  (``nn.Linear``/``nn.Conv*`` forwards call these, so module and functional calls are both
  counted, each once). ``F.multi_head_attention_forward`` (``nn.MultiheadAttention``) is
  handled explicitly, because the mode is popped while its handler runs: its q, k, v
  in-projections and its out-projection are added as linear work.
* A second forward pass under ``torch.no_grad()`` inside
  ``torch.utils.flop_counter.FlopCounterMode(display=False)``.
* If anything fails on the meta device (typically data-dependent ops such as ``.item()``),
  the model is rebuilt on the CPU (``torch.manual_seed(0)``, real ``torch.randn`` input) and
  measured the same way, but only when it has fewer than ``--cpu-max-params`` parameters
  (counted on the meta model, or, if even the meta build failed, on a build whose parameters
  are moved to the meta device as they are registered). Otherwise the error is recorded.

TSV columns (tab-separated, one row per model, sorted by name; numbers are exact integers,
empty when the model failed):

``name``
    the timm architecture name (``timm.list_models()``).
``input``
    the input shape used, e.g. ``1x3x224x224`` (batch 1 + ``pretrained_cfg["input_size"]``).
``params``
    ``sum(p.numel() for p in model.parameters())`` (shared parameters counted once).
``seed_conv_linear_flops_all``
    seed FLOPs of every convolution / transposed convolution / linear op the forward
    executed (module or functional, plus ``nn.MultiheadAttention`` projections). Per call:
    conv ``out_numel * (2*(Cin/groups)*prod(K) - 1 + bias)``; linear
    ``out_numel * (2*in_features - 1 + bias)``; transposed conv ``2*MACs - covered +
    (out_numel if bias)`` with ``MACs = N*Cin*prod(in_spatial)*(Cout/groups)*prod(K)`` and
    ``covered`` = output elements that receive at least one product (computed exactly per
    spatial dim from stride, padding and dilation); ``bias`` is 1 when a bias is passed.
    MHA: q/k/v projections as linears of ``L*N`` (query) / ``S*N`` (key, value) rows with
    the ``E x E`` blocks of ``in_proj_weight`` (or ``q/k/v_proj_weight``) and
    ``in_proj_bias``; out-projection as a linear of ``L*N`` rows with ``out_proj_bias``.
``seed_conv_linear_macs_all``
    multiply-accumulates of the same ops: conv ``out_numel*(Cin/groups)*prod(K)``, linear
    ``out_numel*in_features``, transposed conv ``MACs`` above.
``torch_flop_counter_meta``
    ``FlopCounterMode(display=False).get_total_flops()`` of the second forward pass
    (``torch.no_grad()``). On the CPU fallback the pass also runs with
    ``sdpa_kernel(SDPBackend.MATH)`` and inside a pass-through ``TorchFunctionMode`` (which
    disables ``nn.MultiheadAttention``'s fused inference path), so attention is counted as
    on the meta device instead of as 0.
``device``
    where the row was measured: ``meta`` or ``cpu``; ``/grad`` is appended when
    ``FlopCounterMode`` failed under ``no_grad`` (e.g. pit models: ``Expected gradient
    function to be set`` in its module tracker) and the counter pass was redone with grad
    enabled (the seed pass is always ``no_grad``).
``error``
    empty on success; otherwise the first line of the error (``Type: message``, tabs and
    newlines removed, at most 300 characters), also for models that timed out (``--timeout``
    per device), crashed or killed the worker, or were too large for the CPU fallback.
"""

from __future__ import annotations

import argparse
import contextlib
import inspect
import json
import math
import os
import select
import signal
import subprocess
import sys
import time
import traceback
import warnings
from collections.abc import Iterator, Sequence
from pathlib import Path
from typing import Any

COLUMNS = [
    "name",
    "input",
    "params",
    "seed_conv_linear_flops_all",
    "seed_conv_linear_macs_all",
    "torch_flop_counter_meta",
    "device",
    "error",
]
DEFAULT_OUT = Path(__file__).resolve().parent / "timm_reference.tsv"


# ---------------------------------------------------------------------------------------
# seed rule per op
# ---------------------------------------------------------------------------------------
def _arg(args: Sequence[Any], kwargs: dict[str, Any], i: int, name: str, default: Any = None) -> Any:
    if len(args) > i:
        return args[i]
    return kwargs.get(name, default)


def _ntuple(v: Any, n: int) -> tuple[int, ...]:
    if isinstance(v, int):
        return (v,) * n
    t = tuple(int(e) for e in v)
    return t * n if len(t) == 1 else t


def _first_tensor(obj: Any) -> Any:
    import torch

    if isinstance(obj, torch.Tensor):
        return obj
    if isinstance(obj, (list, tuple)):
        for e in obj:
            t = _first_tensor(e)
            if t is not None:
                return t
    return None


def linear_seed(rows: int, in_features: int, out_features: int, bias: bool) -> tuple[int, int]:
    """(seed FLOPs, MACs) of a linear map applied to ``rows`` vectors."""
    n_out = rows * out_features
    return n_out * (2 * in_features - 1 + (1 if bias else 0)), n_out * in_features


def conv_seed(weight: Any, out: Any, bias: bool) -> tuple[int, int]:
    """(seed FLOPs, MACs) of a convolution with ``weight`` (Cout, Cin/groups, *K)."""
    cin_g_k = int(weight.shape[1]) * math.prod(int(k) for k in weight.shape[2:])
    n_out = out.numel()
    return n_out * (2 * cin_g_k - 1 + (1 if bias else 0)), n_out * cin_g_k


def covered_positions(n_in: int, kernel: int, stride: int, padding: int, dilation: int, n_out: int) -> int:
    """Output positions of one transposed-conv dim that receive at least one product."""
    if stride <= dilation * (kernel - 1) + 1 and dilation == 1:
        lo, hi = -padding, (n_in - 1) * stride + (kernel - 1) - padding
        return max(0, min(hi, n_out - 1) - max(lo, 0) + 1)
    hit = {i * stride + k * dilation - padding for i in range(n_in) for k in range(kernel)}
    return sum(1 for j in hit if 0 <= j < n_out)


def conv_transpose_seed(
    x: Any, weight: Any, out: Any, bias: bool, stride: Any, padding: Any, dilation: Any
) -> tuple[int, int]:
    """(seed FLOPs, MACs) of a transposed convolution, ``weight`` (Cin, Cout/groups, *K)."""
    nd = weight.dim() - 2
    ks = [int(k) for k in weight.shape[2:]]
    macs = x.numel() * int(weight.shape[1]) * math.prod(ks)
    s, p, d = _ntuple(stride, nd), _ntuple(padding, nd), _ntuple(dilation, nd)
    in_sp = [int(v) for v in x.shape[-nd:]]
    out_sp = [int(v) for v in out.shape[-nd:]]
    lead = out.numel() // math.prod(out_sp)  # N * Cout
    covered = lead * math.prod(covered_positions(in_sp[i], ks[i], s[i], p[i], d[i], out_sp[i]) for i in range(nd))
    return 2 * macs - covered + (out.numel() if bias else 0), macs


def mha_seed(bound: dict[str, Any]) -> tuple[int, int]:
    """(seed FLOPs, MACs) of the q/k/v in-projections and out-projection of one
    ``F.multi_head_attention_forward`` call (arguments bound to its signature)."""
    q, k, v = bound["query"], bound["key"], bound["value"]
    e = int(bound["embed_dim_to_check"])
    rows_q = q.numel() // q.shape[-1]
    rows_k = k.numel() // k.shape[-1]
    rows_v = v.numel() // v.shape[-1]
    in_bias = bound.get("in_proj_bias") is not None
    if bound.get("use_separate_proj_weight"):
        wq, wk, wv = bound["q_proj_weight"], bound["k_proj_weight"], bound["v_proj_weight"]
        dims = [(int(w.shape[1]), int(w.shape[0])) for w in (wq, wk, wv)]
    else:
        w = bound["in_proj_weight"]
        dims = [(int(w.shape[1]), int(w.shape[0]) // 3)] * 3
    parts = [
        linear_seed(rows_q, *dims[0], in_bias),
        linear_seed(rows_k, *dims[1], in_bias),
        linear_seed(rows_v, *dims[2], in_bias),
    ]
    wo = bound["out_proj_weight"]
    parts.append(linear_seed(rows_q, int(wo.shape[1]), int(wo.shape[0]), bound.get("out_proj_bias") is not None))
    if int(wo.shape[0]) != e:  # pragma: no cover - sanity only
        raise ValueError("unexpected out_proj shape")
    return sum(f for f, _ in parts), sum(m for _, m in parts)


def _seed_capture_mode() -> Any:
    import torch
    import torch.nn.functional as F
    from torch.overrides import TorchFunctionMode

    conv = {torch.conv1d, torch.conv2d, torch.conv3d, F.conv1d, F.conv2d, F.conv3d}
    convt = {
        torch.conv_transpose1d,
        torch.conv_transpose2d,
        torch.conv_transpose3d,
        F.conv_transpose1d,
        F.conv_transpose2d,
        F.conv_transpose3d,
    }
    mha_sig = inspect.signature(F.multi_head_attention_forward)

    class SeedCapture(TorchFunctionMode):
        """Adds up seed FLOPs / MACs of every conv / conv-transpose / linear call."""

        def __init__(self) -> None:
            super().__init__()
            self.flops = 0
            self.macs = 0
            self.calls = 0

        def _add(self, fm: tuple[int, int]) -> None:
            self.flops += fm[0]
            self.macs += fm[1]
            self.calls += 1

        def __torch_function__(
            self, func: Any, types: Any, args: Sequence[Any] = (), kwargs: dict[str, Any] | None = None
        ) -> Any:
            kwargs = kwargs or {}
            if func is F.multi_head_attention_forward:
                bound = mha_sig.bind(*args, **kwargs)
                bound.apply_defaults()
                self._add(mha_seed(dict(bound.arguments)))
                return func(*args, **kwargs)
            out = func(*args, **kwargs)
            if func is F.linear:
                w = _arg(args, kwargs, 1, "weight")
                b = _arg(args, kwargs, 2, "bias")
                y = _first_tensor(out)
                self._add(linear_seed(y.numel() // y.shape[-1], int(w.shape[1]), int(w.shape[0]), b is not None))
            elif func in conv:
                w = _arg(args, kwargs, 1, "weight")
                b = _arg(args, kwargs, 2, "bias")
                self._add(conv_seed(w, _first_tensor(out), b is not None))
            elif func in convt:
                x = _arg(args, kwargs, 0, "input")
                w = _arg(args, kwargs, 1, "weight")
                b = _arg(args, kwargs, 2, "bias")
                stride = _arg(args, kwargs, 3, "stride", 1)
                padding = _arg(args, kwargs, 4, "padding", 0)
                dilation = _arg(args, kwargs, 7, "dilation", 1)
                self._add(conv_transpose_seed(x, w, _first_tensor(out), b is not None, stride, padding, dilation))
            return out

    return SeedCapture()


# ---------------------------------------------------------------------------------------
# measurement of one built model
# ---------------------------------------------------------------------------------------
class ModelTimeout(Exception):
    """Raised by the per-model alarm."""


def _torch_counter(model: Any, x: Any, on_cpu: bool, grad: bool) -> int:
    import torch
    from torch.nn.attention import SDPBackend, sdpa_kernel
    from torch.overrides import TorchFunctionMode
    from torch.utils.flop_counter import FlopCounterMode

    class PassThrough(TorchFunctionMode):
        def __torch_function__(
            self, func: Any, types: Any, args: Sequence[Any] = (), kwargs: dict[str, Any] | None = None
        ) -> Any:
            return func(*args, **(kwargs or {}))

    with contextlib.ExitStack() as st:
        st.enter_context(torch.enable_grad() if grad else torch.no_grad())
        if on_cpu:
            st.enter_context(sdpa_kernel(SDPBackend.MATH))
            st.enter_context(PassThrough())
        fc = st.enter_context(FlopCounterMode(display=False))
        model(x)
    return int(fc.get_total_flops())


def measure_model(model: Any, shape: Sequence[int], device: str) -> dict[str, Any]:
    """Measure an already built model (on ``device``: ``meta`` or ``cpu``, eval mode).

    Returns ``params``, ``seed_conv_linear_flops_all``, ``seed_conv_linear_macs_all``,
    ``torch_flop_counter_meta`` and ``device`` (with ``/grad`` if the counter needed grad).
    """
    import torch

    params = sum(p.numel() for p in model.parameters())
    if device == "meta":
        x = torch.randn(tuple(shape), device="meta")
    else:
        torch.manual_seed(0)
        x = torch.randn(tuple(shape))
    mode = _seed_capture_mode()
    with torch.no_grad(), mode:
        model(x)
    dev = device
    try:
        total = _torch_counter(model, x, device == "cpu", grad=False)
    except ModelTimeout:
        raise
    except Exception:
        total = _torch_counter(model, x, device == "cpu", grad=True)
        dev += "/grad"
    return {
        "params": params,
        "seed_conv_linear_flops_all": mode.flops,
        "seed_conv_linear_macs_all": mode.macs,
        "torch_flop_counter_meta": total,
        "device": dev,
    }


# ---------------------------------------------------------------------------------------
# timm specifics
# ---------------------------------------------------------------------------------------
@contextlib.contextmanager
def time_limit(seconds: int) -> Iterator[None]:
    def handler(signum: int, frame: Any) -> None:
        raise ModelTimeout(f"timed out after {seconds}s")

    old = signal.signal(signal.SIGALRM, handler)
    signal.alarm(max(1, int(seconds)))
    try:
        yield
    finally:
        signal.alarm(0)
        signal.signal(signal.SIGALRM, old)


@contextlib.contextmanager
def params_on_meta() -> Iterator[None]:
    """Move every parameter to the meta device as it is registered (low-memory param count)."""
    import torch
    from torch import nn

    orig = nn.Module.register_parameter

    def register(self: nn.Module, name: str, param: Any) -> None:
        if param is not None:
            param = nn.Parameter(param.to("meta"), requires_grad=param.requires_grad)
        orig(self, name, param)

    nn.Module.register_parameter = register  # type: ignore[method-assign]
    try:
        with torch.no_grad():
            yield
    finally:
        nn.Module.register_parameter = orig  # type: ignore[method-assign]


def input_shape(model: Any) -> tuple[int, ...]:
    cfg = getattr(model, "pretrained_cfg", None) or getattr(model, "default_cfg", None)
    return (1, *tuple(int(v) for v in cfg["input_size"]))


def error_line(e: BaseException) -> str:
    text = f"{type(e).__name__}: {e}".strip().splitlines()
    line = text[0] if text else type(e).__name__
    return line.replace("\t", " ").replace("\r", " ")[:300]


def shape_str(shape: Sequence[int] | None) -> str:
    return "x".join(str(v) for v in shape) if shape else ""


def measure_timm(name: str, timeout: int, cpu_max_params: int, log: Any) -> dict[str, Any]:
    """One TSV row (as a dict) for the timm architecture ``name``."""
    import timm
    import torch

    row: dict[str, Any] = {"name": name}
    shape: tuple[int, ...] | None = None
    params: int | None = None
    try:
        with time_limit(timeout):
            with torch.device("meta"):
                model = timm.create_model(name, pretrained=False)
            model.eval()
            shape = input_shape(model)
            params = sum(p.numel() for p in model.parameters())
            row.update(measure_model(model, shape, "meta"))
        row["input"] = shape_str(shape)
        return row
    except ModelTimeout as e:
        row.update(input=shape_str(shape), error=error_line(e))
        return row
    except Exception as e:
        meta_err = e
        log(f"{name}: meta failed: {error_line(e)}\n{traceback.format_exc()[-1500:]}")
    finally:
        model = None
    try:
        with time_limit(timeout):
            if params is None or shape is None:
                with params_on_meta():
                    probe = timm.create_model(name, pretrained=False)
                shape = input_shape(probe)
                params = sum(p.numel() for p in probe.parameters())
                del probe
            if params >= cpu_max_params:
                row.update(
                    input=shape_str(shape), error=f"meta: {error_line(meta_err)} (no CPU retry: {params} params)"
                )
                return row
            torch.manual_seed(0)
            model = timm.create_model(name, pretrained=False)
            model.eval()
            shape = input_shape(model)
            row.update(measure_model(model, shape, "cpu"))
            row["input"] = shape_str(shape)
            return row
    except Exception as e:
        log(f"{name}: cpu failed: {error_line(e)}\n{traceback.format_exc()[-1500:]}")
        row.update(input=shape_str(shape), error=f"meta: {error_line(meta_err)}; cpu: {error_line(e)}"[:300])
        return row


# ---------------------------------------------------------------------------------------
# worker process
# ---------------------------------------------------------------------------------------
def worker(names: Sequence[str], fd: int, timeout: int, cpu_max_params: int) -> int:
    import torch

    torch.set_num_threads(1)
    warnings.filterwarnings("ignore")
    out = os.fdopen(fd, "w", buffering=1)

    def send(obj: dict[str, Any]) -> None:
        out.write(json.dumps(obj) + "\n")
        out.flush()

    def log(msg: str) -> None:
        print(msg, file=sys.stderr, flush=True)

    for name in names:
        send({"event": "start", "name": name, "t": time.time()})
        t0 = time.perf_counter()
        row = measure_timm(name, timeout, cpu_max_params, log)
        row["seconds"] = round(time.perf_counter() - t0, 2)
        send({"event": "row", "row": row})
    out.close()
    return 0


# ---------------------------------------------------------------------------------------
# parent: chunking, watchdog, TSV
# ---------------------------------------------------------------------------------------
def read_tsv(path: Path) -> dict[str, dict[str, str]]:
    rows: dict[str, dict[str, str]] = {}
    if not path.exists():
        return rows
    lines = path.read_text().splitlines()
    if not lines:
        return rows
    header = lines[0].split("\t")
    for line in lines[1:]:
        if line.strip():
            vals = line.split("\t")
            vals += [""] * (len(header) - len(vals))
            rows[vals[0]] = dict(zip(header, vals, strict=False))
    return rows


def write_tsv(path: Path, rows: dict[str, dict[str, Any]]) -> None:
    tmp = path.with_suffix(path.suffix + ".tmp")
    with tmp.open("w") as f:
        f.write("\t".join(COLUMNS) + "\n")
        for name in sorted(rows):
            r = rows[name]
            vals = ["" if r.get(c) is None else str(r.get(c)) for c in COLUMNS]
            f.write("\t".join(v.replace("\t", " ").replace("\n", " ") for v in vals) + "\n")
    os.replace(tmp, path)


def rss_gb(pid: int) -> float:
    try:
        with open(f"/proc/{pid}/status") as f:
            for line in f:
                if line.startswith("VmRSS:"):
                    return int(line.split()[1]) / 1024**2
    except OSError:
        pass
    return 0.0


def run_chunk(
    chunk: list[str], args: argparse.Namespace, rows: dict[str, dict[str, Any]], out: Path
) -> tuple[set[str], bool]:
    """Run one worker over ``chunk``; returns (names finished, worker started any model)."""
    rfd, wfd = os.pipe()
    cmd = [
        sys.executable,
        os.path.abspath(__file__),
        "--worker-fd",
        str(wfd),
        "--timeout",
        str(args.timeout),
        "--cpu-max-params",
        str(args.cpu_max_params),
        *chunk,
    ]
    proc = subprocess.Popen(cmd, pass_fds=(wfd,))
    os.close(wfd)
    done: set[str] = set()
    current: str | None = None
    started = 0.0
    any_started = False
    buf = b""
    hard_limit = 2 * args.timeout + 60
    kill_reason: str | None = None
    try:
        while True:
            ready, _, _ = select.select([rfd], [], [], 2.0)
            if ready:
                data = os.read(rfd, 65536)
                if not data:
                    break
                buf += data
                while b"\n" in buf:
                    line, buf = buf.split(b"\n", 1)
                    msg = json.loads(line)
                    if msg["event"] == "start":
                        current, started, any_started = msg["name"], time.time(), True
                    else:
                        row = msg["row"]
                        rows[row["name"]] = row
                        done.add(row["name"])
                        write_tsv(out, rows)
                        status = row.get("error") or f"ok {row.get('device')}"
                        print(f"[{len(rows)}] {row['name']} {row.get('seconds')}s {status}", flush=True)
                        current = None
            if current is not None and time.time() - started > hard_limit:
                kill_reason = f"killed by parent: no result after {hard_limit}s"
            elif (g := rss_gb(proc.pid)) > args.max_rss_gb:
                kill_reason = f"killed by parent: worker RSS {g:.1f} GB > {args.max_rss_gb} GB"
            if kill_reason:
                proc.kill()
                break
    finally:
        os.close(rfd)
        rc = proc.wait()
    if current is not None:
        reason = kill_reason or f"worker died (exit code {rc})"
        rows[current] = {"name": current, "error": reason}
        done.add(current)
        write_tsv(out, rows)
        print(f"[{len(rows)}] {current} {reason}", flush=True)
    return done, any_started


def main(argv: Sequence[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("names", nargs="*", help="timm architecture names (default: timm.list_models())")
    ap.add_argument("--out", type=Path, default=DEFAULT_OUT)
    ap.add_argument("--force", action="store_true", help="re-measure names already in the TSV")
    ap.add_argument("--retry-failed", action="store_true", help="re-measure rows with an error")
    ap.add_argument("--timeout", type=int, default=120, help="seconds per model and device")
    ap.add_argument("--chunk", type=int, default=25, help="models per worker process")
    ap.add_argument("--cpu-max-params", type=int, default=150_000_000)
    ap.add_argument("--max-rss-gb", type=float, default=14.0)
    ap.add_argument("--worker-fd", type=int, default=None, help=argparse.SUPPRESS)
    args = ap.parse_args(argv)

    if args.worker_fd is not None:
        return worker(args.names, args.worker_fd, args.timeout, args.cpu_max_params)

    names = list(args.names)
    if not names:
        import timm

        names = list(timm.list_models())
    rows: dict[str, dict[str, Any]] = dict(read_tsv(args.out))
    if args.force:
        todo = sorted(set(names))
    else:
        todo = sorted(n for n in set(names) if n not in rows or (args.retry_failed and rows[n].get("error")))
    print(f"{len(names)} names, {len(todo)} to measure, {len(rows)} rows in {args.out}", flush=True)
    t0 = time.time()
    failures_to_start = 0
    while todo:
        chunk = todo[: args.chunk]
        done, any_started = run_chunk(chunk, args, rows, args.out)
        if not any_started:
            failures_to_start += 1
            if failures_to_start >= 3:
                print("worker failed to start three times; giving up", flush=True)
                return 1
        todo = [n for n in todo if n not in done]
    write_tsv(args.out, rows)
    print(f"finished in {time.time() - t0:.0f}s", flush=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
