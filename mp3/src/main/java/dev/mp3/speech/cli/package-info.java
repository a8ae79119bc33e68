/**
 * The speech training commands, mounted in {@code ./mp3.sh}:
 * <ul>
 *   <li>{@code speech-pretrain}, {@code speech-finetune --init CKPT}, {@code speech-train}: one
 *       stage each, the paper's recipe by default, a run folder with checkpoint, config, metrics
 *       and curves; {@code --resume} continues a killed run bit-exactly.</li>
 *   <li>{@code speech-demo}: the synthetic keyword set (made with espeak-ng when missing), the
 *       supervised Transformer against MP3 + finetuning, a table shaped like the paper's Table 5,
 *       a report folder; a scaled-down schedule (batch 32, 200 updates per stage, the paper's
 *       warm-up and halvings compressed to 25 and 100 updates) that runs in 6-8 minutes on 2
 *       cores.</li>
 *   <li>{@code speech-sweep}: the paper's Table 6 at small scale, finetuning after 0, N1, N2, ...
 *       pretraining updates (snapshots of one pretraining run).</li>
 * </ul>
 *
 * With the real Google Speech Commands v1:
 * <pre>
 * wget http://download.tensorflow.org/data/speech_commands_v0.01.tar.gz
 * mkdir speech_commands_v0.01 &amp;&amp; tar -xzf speech_commands_v0.01.tar.gz -C speech_commands_v0.01
 * ./mp3.sh speech-data --data speech_commands_v0.01
 * ./mp3.sh speech-train    --data speech_commands_v0.01 --out runs/sc-supervised
 * ./mp3.sh speech-pretrain --data speech_commands_v0.01 --out runs/sc-pretrain
 * ./mp3.sh speech-finetune --data speech_commands_v0.01 --init runs/sc-pretrain/checkpoint.safetensors --out runs/sc-mp3
 * </pre>
 */
package dev.mp3.speech.cli;
