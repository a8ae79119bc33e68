/**
 * Speech data for the paper's keyword-spotting experiments (section 4.3): Google Speech Commands
 * v1 read from disk, TC-ResNet's 12-class split and augmentation, and its MFCC front end, ending in
 * batches of {@code [B, 98, 40]} float features and {@code [B]} int labels.
 *
 * <h2>Pieces, bottom to top</h2>
 * <ul>
 *   <li>{@link dev.mp3.speech.Wav}: 16-bit PCM WAV read (strict 16 kHz mono for clips, with errors
 *       that name the file and the format found) and atomic write;
 *       {@link dev.mp3.speech.Resampler}: windowed-sinc rate conversion (espeak-ng's 22,050 Hz to
 *       16 kHz).</li>
 *   <li>{@link dev.mp3.speech.Mfcc}: TensorFlow's stft / linear_to_mel_weight_matrix / log /
 *       mfccs_from_log_mel_spectrograms as TC-ResNet calls them (30 ms Hann windows every 10 ms,
 *       512-point FFT, power spectrum, 64 mel bins over 80-7600 Hz, log(x + 1e-6), DCT-II, first
 *       40); a Vector API path over {@link dev.mp3.speech.FrameBatchFft} and its scalar twin over
 *       {@link dev.mp3.speech.RealFft}, checked against numpy (mfcc_reference.py in the test
 *       resources).</li>
 *   <li>{@link dev.mp3.speech.SpeechCommandsLayout} (files and splits),
 *       {@link dev.mp3.speech.SpeechData} (classes, unknown and silence sampling, loading),
 *       {@link dev.mp3.speech.SpeechAugment} (noise p = 0.8 at U(0, 0.1), shift within 100 ms),
 *       {@link dev.mp3.speech.SpeechSplit} (batches, epochs), configured by
 *       {@link dev.mp3.speech.SpeechDataConfig}; {@link dev.mp3.speech.SpeechBatches}, the seeded
 *       training schedule whose batch s is a pure function of the seed and s.</li>
 *   <li>{@link dev.mp3.speech.SyntheticSpeech}: an offline stand-in dataset spoken by espeak-ng,
 *       Flite and Festival ({@link dev.mp3.speech.Synthesiser}), resumable.</li>
 * </ul>
 *
 * <h2>Using it from a training loop</h2>
 * <pre>{@code
 * SpeechData data = SpeechData.load(root, SpeechDataConfig.TC_RESNET, seed);
 * Rng rng = new Rng(seed);
 * for (int[] idx : data.train().epoch(256, rng)) {
 *     SpeechBatch b = data.train().batch(idx, rng);   // augmented, MFCCs computed in parallel
 *     ... b.features() [B, 98, 40] F32, b.labels() [B] I32 ...
 * }
 * for (int[] idx : data.validation().epoch(256, null)) {
 *     SpeechBatch b = data.validation().batch(idx, null); // cached clean MFCCs
 * }
 * }</pre>
 *
 * <h2>Commands</h2>
 * The speech commands live with the others in {@code dev.mp3.cli}, and train through the same
 * {@link dev.mp3.train.Trainer} as the vision ones. Offline default: {@code make-speech-data DIR}
 * (needs {@code apt-get install espeak-ng}) writes about 3,500 clips in the v1 layout in a minute
 * or two on 2 cores. With the real dataset:
 * <pre>
 * wget http://download.tensorflow.org/data/speech_commands_v0.01.tar.gz
 * mkdir speech_commands_v0.01 &amp;&amp; tar -xzf speech_commands_v0.01.tar.gz -C speech_commands_v0.01
 * ./mp3.sh speech-data --data speech_commands_v0.01
 * ./mp3.sh speech-train    --data speech_commands_v0.01 --out runs/sc-supervised
 * ./mp3.sh speech-pretrain --data speech_commands_v0.01 --out runs/sc-pretrain
 * ./mp3.sh speech-finetune --data speech_commands_v0.01 --init runs/sc-pretrain/checkpoint.safetensors --out runs/sc-mp3
 * </pre>
 * {@code speech-data} loads the directory exactly as training does and prints examples per class
 * and split (the paper's Table 1 has 22,246 / 3,093 / 3,081 for the real data) and the training
 * front end's clips per second.
 */
package dev.mp3.speech;
