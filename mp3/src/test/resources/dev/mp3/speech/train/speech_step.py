"""PyTorch twin of one speech training step (dev.mp3.nn.SpeechTransformer), for timing only.

The paper's speech Transformer: 40 MFCCs per frame -> Linear to 32, the fixed sinusoid added to
all frames (supervised) or to 5 of 98 frames per clip (MP3), a cls frame in front, 8 pre-norm
blocks (4 heads, ReLU feed-forward 64, dropout 0.1), final LayerNorm, then a 12-class head on the
cls frame or a 98-way position head on every frame. One step: forward, cross entropy, backward,
Adam, loss read back. Prints "<mode> <median seconds>" per mode.

    /usr/bin/python3 speech_step.py --batch 256 --steps 7 --warmup 3 --threads 2
"""
import argparse
import math
import statistics
import time

import torch
import torch.nn as nn


class Block(nn.Module):
    def __init__(self, dim, heads, ff, drop):
        super().__init__()
        self.norm1 = nn.LayerNorm(dim)
        self.attn = nn.MultiheadAttention(dim, heads, dropout=0.0, batch_first=True)
        self.drop1 = nn.Dropout(drop)
        self.norm2 = nn.LayerNorm(dim)
        self.mlp = nn.Sequential(nn.Linear(dim, ff), nn.ReLU(), nn.Dropout(drop), nn.Linear(ff, dim), nn.Dropout(drop))

    def forward(self, x):
        h = self.norm1(x)
        x = x + self.drop1(self.attn(h, h, h, need_weights=False)[0])
        return x + self.mlp(self.norm2(x))


class SpeechTransformer(nn.Module):
    def __init__(self, frames=98, features=40, dim=32, depth=8, heads=4, ff=64, drop=0.1, classes=12, position=False):
        super().__init__()
        pe = torch.zeros(frames, dim)
        pos = torch.arange(frames, dtype=torch.float32).unsqueeze(1)
        div = torch.exp(torch.arange(0, dim, 2, dtype=torch.float32) * (-math.log(10000.0) / dim))
        pe[:, 0::2] = torch.sin(pos * div)
        pe[:, 1::2] = torch.cos(pos * div)
        self.register_buffer("pos_embed", pe.unsqueeze(0))
        self.cls_token = nn.Parameter(torch.zeros(1, 1, dim))
        self.frame_embed = nn.Linear(features, dim)
        self.pos_drop = nn.Dropout(drop)
        self.blocks = nn.ModuleList([Block(dim, heads, ff, drop) for _ in range(depth)])
        self.norm = nn.LayerNorm(dim)
        self.head = nn.Linear(dim, frames if position else classes)
        self.position = position

    def forward(self, x, mask):
        x = self.frame_embed(x)
        x = x + (self.pos_embed if mask is None else self.pos_embed * mask.unsqueeze(2))
        x = torch.cat([self.cls_token.expand(x.shape[0], -1, -1), x], dim=1)
        x = self.pos_drop(x)
        for b in self.blocks:
            x = b(x)
        x = self.norm(x)
        return self.head(x[:, 1:] if self.position else x[:, 0])


def step_time(mode, batch, warmup, steps):
    frames = 98
    model = SpeechTransformer(position=(mode == "mp3"))
    model.train()
    opt = torch.optim.Adam(model.parameters(), lr=1e-3)
    times = []
    for i in range(warmup + steps):
        x = torch.randn(batch, frames, 40)
        if mode == "mp3":
            mask = torch.zeros(batch, frames)
            idx = torch.rand(batch, frames).argsort(dim=1)[:, :5]
            mask.scatter_(1, idx, 1.0)
            target = torch.arange(frames).repeat(batch)
        else:
            mask = None
            target = torch.randint(0, 12, (batch,))
        t0 = time.perf_counter()
        logits = model(x, mask)
        loss = nn.functional.cross_entropy(logits.reshape(-1, logits.shape[-1]), target,
                                           label_smoothing=0.0 if mode == "mp3" else 0.1)
        opt.zero_grad(set_to_none=True)
        loss.backward()
        opt.step()
        loss.item()
        if i >= warmup:
            times.append(time.perf_counter() - t0)
    return statistics.median(times)


def main():
    p = argparse.ArgumentParser()
    p.add_argument("--batch", type=int, default=256)
    p.add_argument("--steps", type=int, default=7)
    p.add_argument("--warmup", type=int, default=3)
    p.add_argument("--threads", type=int, default=2)
    a = p.parse_args()
    torch.set_num_threads(a.threads)
    torch.manual_seed(0)
    for mode in ("supervised", "mp3"):
        print(mode, step_time(mode, a.batch, a.warmup, a.steps), flush=True)


if __name__ == "__main__":
    main()
