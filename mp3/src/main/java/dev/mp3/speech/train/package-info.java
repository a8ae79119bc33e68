/**
 * MP3 on speech (the paper's Section 4.3): the training loop, recipe, checkpoints and metrics of
 * the speech Transformer ({@link dev.mp3.nn.SpeechTransformer}: 8 blocks, width 32, feed-forward
 * 64, dropout 0.1, 70,156 parameters with the 12-class head) on the MFCC frames of
 * {@link dev.mp3.speech.SpeechData}.
 *
 * <h2>What each stage does</h2>
 * <ul>
 *   <li><b>MP3 pretraining</b> ({@link dev.mp3.speech.train.SpeechRecipe#pretrain()}): eta = 0, so
 *       every frame attends to every frame; the sinusoidal position embedding is added to a random
 *       5% of each clip's frames (5 of 98, drawn per clip by {@link dev.mp3.speech.train.PositionMask})
 *       and the others get none; the position head predicts every frame's index (98 classes) and
 *       the loss is the mean cross entropy over all frames. The paper reports 4% top-1 and 11% top-5
 *       position accuracy on Speech Commands; {@link dev.mp3.speech.train.SpeechEvaluation} reports
 *       both, over all frames and over the frames without position.</li>
 *   <li><b>Finetuning</b>: the pretrained encoder (its best-validation weights), the position head
 *       dropped, a fresh classifier on the cls frame; <b>the position embedding on every frame</b>.
 *       The paper's Table 6 finetunes "(eta = 0)" and says nothing of removing position information
 *       for speech, so finetuning follows the ordinary model: sinusoid on all frames
 *       ({@code positionFraction} 1). {@code --pe-fraction} changes it (0: no position at all).</li>
 *   <li><b>The supervised baseline</b>: the finetuning model and recipe from random weights.</li>
 * </ul>
 *
 * <h2>The recipe</h2>
 * As the paper, for every stage: Adam (PyTorch defaults, no weight decay), batch 256, 500 warm-up
 * updates at a constant 1e-4, then 1e-3 halved every 10k updates counted from update 0, label
 * smoothing 0.1 for classification, 30k updates, early stopping on validation accuracy. Choices
 * the paper leaves open: validation every 500 updates, patience 10 validations, the run ends with
 * its best validation's weights; pretraining validates on top-1 position accuracy and runs 10k
 * updates by default (Table 6's best).
 *
 * <h2>Reproducibility</h2>
 * {@link dev.mp3.speech.train.SpeechTrainer} draws batch order and augmentation from streams keyed
 * by epoch and update number, masks and dropout from two generators whose counters the
 * {@link dev.mp3.speech.train.SpeechCheckpoint} stores together with Adam's moments, the
 * early-stopping state, the partial loss and the validation history, so a killed run resumed from
 * its checkpoint ends with bit-identical weights and history.
 */
package dev.mp3.speech.train;
