"""CUDA reference for bench/gpu-bench.sh (comparison only): the same measurements as
dev.mp3.bench.GpuBench, in PyTorch fp32 with TF32 off.

  SGEMM (cuBLAS) at 1024^2, 4096^2, 8192^2 and the ViT shapes
  scaled_dot_product_attention forward and forward+backward, M = N and M = N/4
  ViT-S on 32x32 (patch 4) training steps, supervised and MP3 eta = 0.75, batch 256, eager fp32

Run: python3 bench/pytorch/gpu_reference.py [--quick]   (uses CUDA when present, else the CPU)
"""
import argparse
import os
import statistics
import sys
import time

import torch
import torch.nn.functional as F

sys.path.insert(0, os.path.dirname(__file__))
import vit_step  # noqa: E402  (the same model definition as the CPU step benchmark)


def sync(dev):
    if dev.type == "cuda":
        torch.cuda.synchronize()


def sdpa(q, k, v):
    """torch >= 2.0's fused kernel; the explicit formula on older versions (CPU smoke tests)."""
    if hasattr(F, "scaled_dot_product_attention"):
        return F.scaled_dot_product_attention(q, k, v)
    return ((q @ k.transpose(-2, -1)) * q.shape[-1] ** -0.5).softmax(-1) @ v


def timed(fn, dev, reps):
    fn()
    sync(dev)
    ts = []
    for _ in range(reps):
        t0 = time.perf_counter()
        fn()
        sync(dev)
        ts.append(time.perf_counter() - t0)
    return statistics.median(ts)


def main():
    p = argparse.ArgumentParser()
    p.add_argument("--quick", action="store_true")
    args = p.parse_args()
    dev = torch.device("cuda" if torch.cuda.is_available() else "cpu")
    torch.backends.cuda.matmul.allow_tf32 = False
    torch.backends.cudnn.allow_tf32 = False
    print(f"torch {torch.__version__} on {torch.cuda.get_device_name() if dev.type == 'cuda' else 'cpu'}, TF32 off")
    reps = 3 if args.quick else 10

    gemms = [(256, 256, 256), (512, 512, 512)] if args.quick else [
        (1024, 1024, 1024), (4096, 4096, 4096), (8192, 8192, 8192),
        (6400, 576, 192), (6400, 768, 192), (6400, 192, 768), (6400, 192, 192)]
    for m, n, k in gemms:
        a = torch.randn(m, k, device=dev)
        b = torch.randn(k, n, device=dev)
        t = timed(lambda: a @ b, dev, reps)
        print(f"sgemm m={m} n={n} k={k}: {t * 1e3:.3f} ms, {2 * m * n * k / t / 1e9:.1f} GFLOP/s")

    shapes = [(4, 2, 17, 16)] if args.quick else [(256, 6, 65, 64), (64, 12, 197, 64)]
    for B, H, N, d in shapes:
        for M in (N, max(1, N // 4)):
            q = torch.randn(B, H, N, d, device=dev, requires_grad=True)
            k = torch.randn(B, H, M, d, device=dev, requires_grad=True)
            v = torch.randn(B, H, M, d, device=dev, requires_grad=True)
            g = torch.randn(B, H, N, d, device=dev)
            fwd = timed(lambda: sdpa(q, k, v), dev, reps)

            def both():
                sdpa(q, k, v).backward(g)
            t = timed(both, dev, reps)
            print(f"attention B={B} H={H} N={N} M={M} d={d}: forward {fwd * 1e3:.3f} ms, forward+backward {t * 1e3:.3f} ms")

    dim, depth, heads, batch = (64, 2, 2, 8) if args.quick else (384, 12, 6, 256)
    patch = 8 if args.quick else 4
    for mode, eta in (("supervised", None), ("mp3-eta0.75", 0.75)):
        torch.manual_seed(0)
        model = vit_step.ViT(dim, depth, heads, patch, 32, 3, 100, eta is not None).to(dev)
        opt = torch.optim.AdamW(model.parameters(), lr=1e-3, weight_decay=0.05)
        n = model.n
        m = n - int(eta * n) if eta is not None else n

        def step():
            images = torch.randn(batch, 3, 32, 32, device=dev)
            if eta is None:
                loss = F.cross_entropy(model(images), torch.randint(0, 100, (batch,), device=dev))
            else:
                ctx = torch.rand(batch, n, device=dev).argsort(1)[:, :m]
                logits = model(images, ctx)
                loss = F.cross_entropy(logits.reshape(batch * n, n), torch.arange(n, device=dev).repeat(batch))
            opt.zero_grad(set_to_none=True)
            loss.backward()
            opt.step()
            loss.item()
        t = timed(step, dev, 3 if args.quick else 5)
        print(f"step {mode} ViT {dim}/{depth}/{heads} on 32x32 patch {patch}, batch {batch}: {t * 1e3:.1f} ms, {batch / t:.0f} img/s")


if __name__ == "__main__":
    main()
