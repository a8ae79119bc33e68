#!/usr/bin/env python3
"""Reference MFCCs for MfccTest, computed independently of the Java code with numpy (float64).

Follows the TensorFlow ops that TC-ResNet's MFCCPreprocessor calls (tf.signal.stft with
frame_length 480, frame_step 160, default fft_length 512 and periodic Hann window; power
spectrum; linear_to_mel_weight_matrix(64, 257, 16000, 80, 7600); log(x + 1e-6);
mfccs_from_log_mel_spectrograms, i.e. unnormalised DCT-II times 1/sqrt(2N); first 40).
The FFTs are numpy's; the DCT-II is computed through an FFT (Makhoul's reordering) and checked
against the direct cosine sum.

Writes, next to this script:
  mfcc_reference_tones.wav      1 s of tones + noise, 16 kHz mono 16-bit (Python's wave module)
  mfcc_reference_short.wav      0.73 s chirp + noise (the Java side zero-pads it to 1 s)
  <name>.logmel.txt             98 x 64 log-mel values, one frame per line
  <name>.mfcc.txt               98 x 40 MFCCs, one frame per line

Run: python3 mfcc_reference.py   (numpy 2.x; output is deterministic)
"""
import pathlib
import wave

import numpy as np

SR, CLIP, WIN, HOP, NFFT = 16000, 16000, 480, 160, 512
MELS, LO, HI, NCOEF, LOG_OFFSET = 64, 80.0, 7600.0, 40, 1e-6
HERE = pathlib.Path(__file__).resolve().parent


def hz_to_mel(f):
    return 1127.0 * np.log1p(np.asarray(f, dtype=np.float64) / 700.0)


def mel_matrix():
    bins = NFFT // 2 + 1
    freqs = np.linspace(0.0, SR / 2, bins)
    mel = hz_to_mel(freqs)[:, None]                       # [257, 1]
    edges = np.linspace(hz_to_mel(LO), hz_to_mel(HI), MELS + 2)
    lower, centre, upper = edges[:-2][None], edges[1:-1][None], edges[2:][None]
    w = np.maximum(0.0, np.minimum((mel - lower) / (centre - lower), (upper - mel) / (upper - centre)))
    w[0, :] = 0.0                                         # DC bin excluded (HTK, TensorFlow)
    return w                                              # [257, 64]


def dct2_unnormalised(x):
    """y_k = 2 sum_n x_n cos(pi k (2n + 1) / 2N) along the last axis, via one FFT of length N."""
    n = x.shape[-1]
    v = np.concatenate([x[..., 0::2], x[..., 1::2][..., ::-1]], axis=-1)
    k = np.arange(n)
    return 2.0 * np.real(np.exp(-1j * np.pi * k / (2 * n)) * np.fft.fft(v, axis=-1))


def features(samples):
    x = np.zeros(CLIP)
    x[:min(CLIP, len(samples))] = samples[:CLIP]
    frames = 1 + (CLIP - WIN) // HOP
    idx = np.arange(WIN)[None, :] + HOP * np.arange(frames)[:, None]
    window = 0.5 - 0.5 * np.cos(2 * np.pi * np.arange(WIN) / WIN)       # periodic Hann
    spec = np.fft.rfft(x[idx] * window, n=NFFT, axis=-1)
    power = spec.real ** 2 + spec.imag ** 2
    log_mel = np.log(power @ mel_matrix() + LOG_OFFSET)
    mfcc = dct2_unnormalised(log_mel) / np.sqrt(2.0 * MELS)
    n = np.arange(MELS)
    direct = np.sqrt(2.0 / MELS) * log_mel @ np.cos(np.pi * np.outer(2 * n + 1, n) / (2 * MELS))
    assert np.allclose(mfcc, direct, atol=1e-9), "FFT-based DCT disagrees with the direct sum"
    return log_mel, mfcc[:, :NCOEF]


def write_wav(path, pcm):
    with wave.open(str(path), "wb") as w:
        w.setnchannels(1)
        w.setsampwidth(2)
        w.setframerate(SR)
        w.writeframes(pcm.astype("<i2").tobytes())


def main():
    rng = np.random.default_rng(20240601)
    t = np.arange(CLIP) / SR
    envelope = 0.5 + 0.5 * np.sin(2 * np.pi * 1.5 * t)
    tones = envelope * (0.3 * np.sin(2 * np.pi * 300 * t) + 0.2 * np.sin(2 * np.pi * 1234 * t)
                        + 0.1 * np.sin(2 * np.pi * 4321 * t)) + 0.02 * rng.standard_normal(CLIP)
    n_short = 11680
    ts = np.arange(n_short) / SR
    chirp = 0.4 * np.sin(2 * np.pi * (200 * ts + 0.5 * 6000 * ts ** 2 / ts[-1])) + 0.01 * rng.standard_normal(n_short)
    for name, signal in (("mfcc_reference_tones", tones), ("mfcc_reference_short", chirp)):
        pcm = np.clip(np.round(signal * 32768), -32768, 32767).astype(np.int16)
        write_wav(HERE / f"{name}.wav", pcm)
        log_mel, mfcc = features(pcm.astype(np.float64) / 32768.0)   # what the WAV holds
        np.savetxt(HERE / f"{name}.logmel.txt", log_mel, fmt="%.9e")
        np.savetxt(HERE / f"{name}.mfcc.txt", mfcc, fmt="%.9e")
        print(name, "log-mel", log_mel.shape, "mfcc", mfcc.shape, "mfcc[0,:3]", mfcc[0, :3])


if __name__ == "__main__":
    main()
