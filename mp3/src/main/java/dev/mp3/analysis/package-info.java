/**
 * The paper's analyses of a trained ViT (Zhai et al., "Position Prediction as an Effective
 * Pretraining Strategy", ICML 2022), one class each, as plain code over the model's forward pass;
 * the {@code analyze} commands in {@code dev.mp3.cli} only load, call and write.
 *
 * <ul>
 *   <li>{@link dev.mp3.analysis.KnnProbe}: Appendix C, Figure 9, the layerwise k-NN probe.</li>
 *   <li>{@link dev.mp3.analysis.RelativeAttention}: Section 4.2.5 and Appendix E, Figures 8 and 11,
 *       average relative 2D attention maps with heads ordered by attention entropy.</li>
 *   <li>{@link dev.mp3.analysis.PositionCorrelation}: Appendix D, Figure 10, Pearson correlation of
 *       the last layer's tokens between positions, within an image and across image pairs.</li>
 *   <li>{@link dev.mp3.analysis.TwoImageReconstruction}: Appendix F, Figures 14 and 15, patches of
 *       two images shuffled together, split into two sets and reassembled from predicted positions.</li>
 * </ul>
 * {@link dev.mp3.analysis.Heatmap} colours the maps.
 */
package dev.mp3.analysis;
