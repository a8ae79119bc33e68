package dev.mp3.method;

import dev.mp3.data.ImageDataset;
import dev.mp3.nn.Module;
import dev.mp3.nn.PositionEmbedding;
import dev.mp3.nn.SpeechConfig;
import dev.mp3.nn.SpeechTransformer;
import dev.mp3.nn.ViTConfig;
import dev.mp3.nn.VisionTransformer;
import dev.mp3.speech.SpeechData;
import dev.mp3.tensor.Device;
import dev.mp3.tensor.Rng;
import dev.mp3.tensor.Tensor;
import dev.mp3.train.ImageClassification;
import dev.mp3.train.ImageRecipe;
import dev.mp3.train.SpeechClassification;
import dev.mp3.train.SpeechRecipe;
import dev.mp3.train.Trainer;

import java.util.List;
import java.util.Map;

/**
 * MP3's two phases as plain code: pretraining (Section 3.2) builds a position-free encoder with a
 * position head and trains it on unlabelled data; finetuning (Section 3.3) builds a classifier
 * (cls token, the chosen position embedding, a fresh head), copies the pretrained encoder into it
 * and trains every parameter on labels. The supervised baseline is the same classifier trained
 * from its random weights. Each method returns the model (built on the CPU from its seed, then
 * moved to {@code device}) with a {@link Trainer} ready to run; the caller adds checkpoints,
 * snapshots or a resume and calls {@code run}:
 *
 * <pre>{@code
 * Pipeline.Run<VisionTransformer> pre = Pipeline.pretraining(encoder, unlabelled, pretrainRecipe, device);
 * pre.trainer().run();
 * Pipeline.Run<VisionTransformer> fine = Pipeline.finetuning(pre.model().stateDict(), encoder,
 *         PositionEmbedding.LEARNED, labelled, classifyRecipe, seed, device);
 * fine.trainer().run();
 * double accuracy = Evaluation.accuracy(fine.model(), test, Evaluation.BATCH, device);
 * }</pre>
 */
public final class Pipeline {
    private Pipeline() {}

    /** A model on its device, the trainer that trains it, and what loading pretrained weights left new (none for a fresh model). */
    public record Run<M extends Module>(M model, Trainer trainer, Module.LoadResult loaded) {}

    /** MP3 pretraining of a fresh encoder of shape {@code encoder} on {@code unlabelled}, initialised from the recipe's seed. */
    public static Run<VisionTransformer> pretraining(ViTConfig encoder, ImageDataset unlabelled, ImageRecipe recipe,
                                                     Device device) {
        VisionTransformer model = new VisionTransformer(PositionPrediction.pretrainingModel(encoder),
                new Rng(recipe.seed()));
        model.to(device);
        return new Run<>(model, new Trainer(new ImagePretraining(model, unlabelled, recipe, device), recipe, "pretrain"),
                load(model, null));
    }

    /**
     * A classifier of {@code encoder}'s shape with position embedding {@code pe}, initialised from
     * {@code initSeed}; with {@code pretrained} weights (null: the supervised baseline) its encoder
     * starts from them and only the new parts (cls token, position embedding, head) stay random.
     */
    public static Run<VisionTransformer> finetuning(Map<String, Tensor> pretrained, ViTConfig encoder,
                                                    PositionEmbedding pe, ImageDataset labelled, ImageRecipe recipe,
                                                    long initSeed, Device device) {
        return finetuning(pretrained, encoder, pe, labelled, null, recipe, initSeed, device);
    }

    /** The same, validated on {@code validation} after every epoch (null: no validation). */
    public static Run<VisionTransformer> finetuning(Map<String, Tensor> pretrained, ViTConfig encoder,
                                                    PositionEmbedding pe, ImageDataset labelled,
                                                    ImageDataset validation, ImageRecipe recipe, long initSeed,
                                                    Device device) {
        VisionTransformer model = new VisionTransformer(encoder.forFinetuning(pe, labelled.numClasses()),
                new Rng(initSeed));
        Module.LoadResult loaded = load(model, pretrained);
        model.to(device);
        return new Run<>(model, new Trainer(new ImageClassification(model, labelled, validation, recipe, device), recipe,
                pretrained == null ? "train" : "finetune"), loaded);
    }

    /** MP3 pretraining on speech of a fresh speech Transformer of shape {@code encoder}. */
    public static Run<SpeechTransformer> pretraining(SpeechConfig encoder, SpeechData data, SpeechRecipe recipe,
                                                     Device device) {
        SpeechTransformer model = new SpeechTransformer(PositionPrediction.pretrainingModel(encoder),
                new Rng(recipe.seed()));
        model.to(device);
        return new Run<>(model, new Trainer(new SpeechPretraining(model, data.train(), data.validation(), recipe,
                device), recipe, "pretrain"), load(model, null));
    }

    /** A keyword classifier of {@code encoder}'s shape, from {@code pretrained} weights or (null) from scratch. */
    public static Run<SpeechTransformer> finetuning(Map<String, Tensor> pretrained, SpeechConfig encoder,
                                                    SpeechData data, SpeechRecipe recipe, Device device) {
        SpeechTransformer model = new SpeechTransformer(encoder.forFinetuning(data.classes().size()),
                new Rng(recipe.seed()));
        Module.LoadResult loaded = load(model, pretrained);
        model.to(device);
        return new Run<>(model, new Trainer(new SpeechClassification(model, data.train(), data.validation(), recipe,
                device), recipe, pretrained == null ? "train" : "finetune"), loaded);
    }

    /** Copies the encoder part of {@code pretrained} into {@code model}; what stays new is reported. */
    private static Module.LoadResult load(Module model, Map<String, Tensor> pretrained) {
        if (pretrained == null) {
            return new Module.LoadResult(List.of(), List.of());
        }
        return model.loadStateDict(PositionPrediction.encoderOnly(pretrained), false);
    }
}
