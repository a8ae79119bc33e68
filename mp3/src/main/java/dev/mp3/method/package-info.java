/**
 * MP3, Masked Patch Position Prediction (Zhai et al., "Position Prediction as an Effective
 * Pretraining Strategy", ICML 2022), in one place. Start reading here; each piece maps to the paper:
 *
 * <table>
 *   <caption>The method, piece by piece</caption>
 *   <tr><th>paper</th><th>here</th></tr>
 *   <tr><td>Algorithm 1, {@code mask_sample}; Section 3.2: "randomly select 1 - eta fraction of
 *       patches as context patches"</td>
 *       <td>{@link dev.mp3.method.ContextMasking}: per example, the first M = N - floor(eta N)
 *       entries of a random permutation; eta = 0 is full attention. (The pseudo code's
 *       {@code M = int(N * eta)} contradicts the text and Figure 3, where a higher eta means fewer
 *       context tokens; the text is followed.)</td></tr>
 *   <tr><td>Algorithm 1, {@code masked_attention}: queries from all tokens, keys and values from
 *       the context only</td>
 *       <td>wired through {@link dev.mp3.nn.Context}: {@link dev.mp3.nn.Attention} gathers the M
 *       context rows once and runs the key/value projections on them only, in every block; the
 *       fused attention kernel takes N queries and M keys.</td></tr>
 *   <tr><td>Section 3.2: no position embedding in pretraining; a linear head d to n;
 *       Algorithm 1, {@code mp3_loss}: cross entropy against each patch's own index</td>
 *       <td>{@link dev.mp3.method.PositionPrediction}: the pretraining model configs, the
 *       logits [B, N, N], the targets and the loss.</td></tr>
 *   <tr><td>Algorithm 1, {@code forward}: one pretraining update</td>
 *       <td>{@link dev.mp3.method.ImagePretraining}, a {@link dev.mp3.train.Task} that the one
 *       {@link dev.mp3.train.Trainer} runs.</td></tr>
 *   <tr><td>Section 3.3: finetuning drops the position head, adds a position embedding (learned,
 *       sin-cos, or none), a cls token and a classifier; full attention</td>
 *       <td>{@link dev.mp3.method.Pipeline}: pretraining, then finetuning (and the supervised
 *       baseline: the same classifier from random weights), as plain code.</td></tr>
 *   <tr><td>Table 1: datasets, models, patch sizes, number of positions</td>
 *       <td>the model presets in {@link dev.mp3.nn.ViTConfig} ({@code cifar100()},
 *       {@code tinyImageNet()}, {@code base()}) and {@link dev.mp3.nn.SpeechConfig#paper()}; the
 *       recipes in {@link dev.mp3.train.ImageRecipe} and {@link dev.mp3.train.SpeechRecipe}.</td></tr>
 *   <tr><td>Section 4.3, speech: eta = 0, a sinusoidal position embedding on a random 5% of the
 *       frames, position prediction over frames</td>
 *       <td>{@link dev.mp3.method.PositionMask} and {@link dev.mp3.method.SpeechPretraining}.</td></tr>
 *   <tr><td>Figure 3: position accuracy against test eta; Section 4.3's top-1/top-5 position
 *       accuracy</td>
 *       <td>{@link dev.mp3.method.PositionAccuracy}.</td></tr>
 *   <tr><td>Figure 2: images reassembled from predicted positions</td>
 *       <td>{@link dev.mp3.method.Reconstruction}.</td></tr>
 * </table>
 *
 * <p>The model code in {@code nn} knows nothing of MP3 beyond two generic options: attention may
 * take a {@link dev.mp3.nn.Context} of key/value tokens, and a model may carry a linear head on
 * every token ({@code position_head}). The training loop in {@code train} knows nothing of it at
 * all: it runs {@link dev.mp3.train.Task}s.
 *
 * <p>The whole method as a caller writes it, without the command line:
 * <pre>{@code
 * ImageRecipe pretrain = ImageRecipe.pretrain(epochs, 0.75f).withSeed(seed);
 * Pipeline.Run<VisionTransformer> mp3 = Pipeline.pretraining(encoder, unlabelled, pretrain, device);
 * mp3.trainer().run();
 * Pipeline.Run<VisionTransformer> fine = Pipeline.finetuning(mp3.model().stateDict(), encoder,
 *         PositionEmbedding.LEARNED, labelled, ImageRecipe.classify(epochs), seed, device);
 * fine.trainer().run();
 * double accuracy = Evaluation.accuracy(fine.model(), test, Evaluation.BATCH, device);
 * }</pre>
 */
package dev.mp3.method;
