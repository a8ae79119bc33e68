package dev.mp3.speech;

import dev.mp3.tensor.Tensor;

/**
 * One batch for a speech model: {@code features} F32 [B, frames, coefficients] (98 x 40 MFCC
 * frames per clip, each frame one "patch" in the paper's terms) and {@code labels} I32 [B], indices
 * into {@link SpeechDataConfig#classes()}.
 */
public record SpeechBatch(Tensor features, Tensor labels) {}
