"""PyTorch reference for the end-to-end step benchmark (comparison only, never a dependency).

The same model as the Java step benchmark: a timm-style ViT (pre-norm blocks, qkv in one Linear,
GELU MLP with ratio 4, final LayerNorm) on 28x28 one-channel images with 4x4 patches (49 tokens).
  supervised: cls token + learned absolute position embedding + classifier head, cross entropy
  mp3:        no cls, no position embedding; per example a random context of M = N - floor(eta*N)
              tokens gives the keys and values of every layer (queries from all N tokens);
              linear position head D -> N, cross entropy against each token's own index.
One step = forward, backward, AdamW update. Prints one JSON line per mode with the median step time,
or, with --serve, times steps on request so that the Java benchmark can alternate them with its own.

Run (Debian python3-torch, 2 threads, OpenBLAS's AVX-512 kernels):
  env -u OPENBLAS_CORETYPE -u OPENBLAS_L2_SIZE /usr/bin/python3 bench/pytorch/vit_step.py
"""
import argparse
import json
import math
import statistics
import time

import torch
import torch.nn as nn
import torch.nn.functional as F


class Attention(nn.Module):
    def __init__(self, dim, heads):
        super().__init__()
        self.heads = heads
        self.qkv = nn.Linear(dim, 3 * dim)
        self.proj = nn.Linear(dim, dim)

    def forward(self, x, ctx=None):
        B, N, D = x.shape
        h, d = self.heads, D // self.heads
        if ctx is None:
            q, k, v = self.qkv(x).reshape(B, N, 3, h, d).permute(2, 0, 3, 1, 4)
        else:
            # Algorithm 1 of the paper: Q from all tokens, K and V only from the context rows.
            wq, wkv = self.qkv.weight.split([D, 2 * D])
            bq, bkv = self.qkv.bias.split([D, 2 * D])
            q = F.linear(x, wq, bq).reshape(B, N, h, d).transpose(1, 2)
            xc = x[torch.arange(B).unsqueeze(1), ctx]
            M = xc.shape[1]
            k, v = F.linear(xc, wkv, bkv).reshape(B, M, 2, h, d).permute(2, 0, 3, 1, 4)
        a = (q @ k.transpose(-2, -1)) * d ** -0.5
        y = a.softmax(-1) @ v
        return self.proj(y.transpose(1, 2).reshape(B, N, D))


class Block(nn.Module):
    def __init__(self, dim, heads):
        super().__init__()
        self.norm1 = nn.LayerNorm(dim, eps=1e-6)
        self.attn = Attention(dim, heads)
        self.norm2 = nn.LayerNorm(dim, eps=1e-6)
        self.fc1 = nn.Linear(dim, 4 * dim)
        self.fc2 = nn.Linear(4 * dim, dim)

    def forward(self, x, ctx=None):
        x = x + self.attn(self.norm1(x), ctx)
        return x + self.fc2(F.gelu(self.fc1(self.norm2(x))))


class ViT(nn.Module):
    def __init__(self, dim, depth, heads, patch, image, channels, classes, mp3):
        super().__init__()
        self.mp3 = mp3
        self.n = (image // patch) ** 2
        self.patch_embed = nn.Conv2d(channels, dim, patch, patch)
        if not mp3:
            self.cls_token = nn.Parameter(torch.zeros(1, 1, dim))
            self.pos_embed = nn.Parameter(torch.randn(1, self.n + 1, dim) * 0.02)
        self.blocks = nn.ModuleList(Block(dim, heads) for _ in range(depth))
        self.norm = nn.LayerNorm(dim, eps=1e-6)
        self.head = nn.Linear(dim, self.n if mp3 else classes)

    def forward(self, images, ctx=None):
        x = self.patch_embed(images).flatten(2).transpose(1, 2)
        if not self.mp3:
            x = torch.cat([self.cls_token.expand(x.shape[0], -1, -1), x], 1) + self.pos_embed
        for b in self.blocks:
            x = b(x, ctx)
        x = self.norm(x)
        return self.head(x if self.mp3 else x[:, 0])


class Runner:
    """One mode's model and optimizer; step() runs one training step on fresh random data and times it."""

    def __init__(self, args, mode):
        torch.manual_seed(0)
        self.mp3 = mode != "supervised"
        eta = {"supervised": 0.0, "mp3-eta0": 0.0, "mp3-eta0.75": 0.75}[mode]
        self.model = ViT(args.dim, args.depth, args.heads, args.patch, args.image, args.channels, 10, self.mp3)
        self.opt = torch.optim.AdamW(self.model.parameters(), lr=1e-3, weight_decay=0.05)
        self.args = args
        self.n = self.model.n
        self.m = self.n - math.floor(eta * self.n)

    def step(self):
        args, B, N, M = self.args, self.args.batch, self.n, self.m
        images = torch.randn(B, args.channels, args.image, args.image)
        labels = torch.randint(0, 10, (B,))
        t0 = time.perf_counter()
        if self.mp3:
            ctx = torch.rand(B, N).argsort(1)[:, :M] if M < N else None
            logits = self.model(images, ctx)
            loss = F.cross_entropy(logits.reshape(B * N, N), torch.arange(N).repeat(B))
        else:
            loss = F.cross_entropy(self.model(images), labels)
        self.opt.zero_grad(set_to_none=True)
        loss.backward()
        self.opt.step()
        return time.perf_counter() - t0


def step_times(args, mode):
    runner = Runner(args, mode)
    for _ in range(args.warmup):
        runner.step()
    return statistics.median(runner.step() for _ in range(args.steps))


def serve(args):
    """--serve: the step benchmark's twin, driven over stdin so that its steps interleave with ours.

    Prints one JSON line on start (version, OpenBLAS core), then answers each input line
    "<mode> <count>" with {"mode": ..., "seconds": [one per step]}; a mode's model is built (and
    warmed up for --warmup steps) on its first request. Ends at end of input.
    """
    import sys
    runners = {}
    print(json.dumps({"impl": "pytorch-" + torch.__version__, "openblas_core": openblas_core()}), flush=True)
    for line in sys.stdin:
        mode, count = line.split()
        if mode not in runners:
            runners[mode] = Runner(args, mode)
            for _ in range(args.warmup):
                runners[mode].step()
        seconds = [round(runners[mode].step(), 6) for _ in range(int(count))]
        print(json.dumps({"mode": mode, "seconds": seconds}), flush=True)


def openblas_core():
    """The kernel family OpenBLAS chose (OPENBLAS_CORETYPE, or its CPU detection), or None without OpenBLAS.

    A processor newer than the OpenBLAS build is detected as an old one (Debian's 0.3.21 calls an
    Emerald Rapids Xeon "Prescott" and runs SSE3 kernels), which makes every PyTorch figure slow.
    """
    import ctypes
    try:
        get = ctypes.CDLL("libblas.so.3").openblas_get_corename
    except (OSError, AttributeError):
        return None
    get.restype = ctypes.c_char_p
    return get().decode()


def main():
    p = argparse.ArgumentParser()
    p.add_argument("--dim", type=int, default=192)
    p.add_argument("--depth", type=int, default=6)
    p.add_argument("--heads", type=int, default=3)
    p.add_argument("--patch", type=int, default=4)
    p.add_argument("--image", type=int, default=28)
    p.add_argument("--channels", type=int, default=1)
    p.add_argument("--batch", type=int, default=128)
    p.add_argument("--warmup", type=int, default=3)
    p.add_argument("--steps", type=int, default=7)
    p.add_argument("--threads", type=int, default=2)
    p.add_argument("--modes", default="supervised,mp3-eta0,mp3-eta0.75")
    p.add_argument("--serve", action="store_true", help="take '<mode> <steps>' requests on stdin (see serve)")
    args = p.parse_args()
    torch.set_num_threads(args.threads)
    if args.serve:
        serve(args)
        return
    for mode in args.modes.split(","):
        t = step_times(args, mode)
        print(json.dumps({"impl": "pytorch-" + torch.__version__, "mode": mode, "batch": args.batch,
                          "median_step_s": round(t, 5), "images_per_s": round(args.batch / t, 1),
                          "openblas_core": openblas_core()}), flush=True)


if __name__ == "__main__":
    main()
