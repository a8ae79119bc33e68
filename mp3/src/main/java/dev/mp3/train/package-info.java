/**
 * The one training loop and what it needs, for images and speech alike.
 *
 * <ul>
 *   <li>{@link dev.mp3.train.Task}: what a run optimises (model, batch of each update, loss,
 *       optional validation metric). Classification is here ({@link dev.mp3.train.ImageClassification},
 *       {@link dev.mp3.train.SpeechClassification}, serving finetuning and the supervised baselines);
 *       MP3's pretraining tasks are in {@code dev.mp3.method}.</li>
 *   <li>{@link dev.mp3.train.Recipe}: what the loop reads of a recipe (updates, schedule, optimizer,
 *       report cadence, patience), implemented by {@link dev.mp3.train.ImageRecipe} (epochs, AdamW,
 *       warm-up and cosine, as DeiT) and {@link dev.mp3.train.SpeechRecipe} (the paper's Section 4.3:
 *       Adam, batch 256, 500 warm-up updates at 1e-4, then 1e-3 halved every 10k updates, early
 *       stopping on validation).</li>
 *   <li>{@link dev.mp3.train.Trainer}: the loop; {@link dev.mp3.train.EarlyStopping} keeps the best
 *       validation's weights; {@link dev.mp3.train.Checkpoint} is the one checkpoint format (model,
 *       recipe, optimizer, random streams, early stopping, history), so any killed run resumes
 *       bit-exactly; {@link dev.mp3.train.RunFiles} writes the history next to it.</li>
 * </ul>
 *
 * <p>Speech choices the paper leaves open, as the recipes set them: validation every 500 updates,
 * patience 10 validations, the run ends with its best validation's weights; pretraining validates
 * on top-1 position accuracy and runs 10k updates by default (Table 6's best); finetuning gives
 * every frame its position (the paper finetunes with position information), which
 * {@code --pe-fraction} changes.
 */
package dev.mp3.train;
