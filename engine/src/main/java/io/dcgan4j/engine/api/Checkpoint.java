package io.dcgan4j.engine.api;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.dcgan4j.engine.checkpoint.AtomicFiles;
import io.dcgan4j.engine.checkpoint.MetadataFields;
import io.dcgan4j.engine.checkpoint.Safetensors;
import io.dcgan4j.engine.checkpoint.Safetensors.Entry;

import java.io.IOException;
import java.nio.channels.WritableByteChannel;
import java.nio.file.Path;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import java.util.function.UnaryOperator;

/**
 * A training run frozen between two steps, held in memory and stored as one safetensors file.
 *
 * <p>Tensors, all float32 under Keras-style names: every variable of both networks ({@code g_convT2_kernel},
 * {@code d_bn1_moving_variance}, ...), both optimisers' moments ({@code adam/generator/<variable>/m} and
 * {@code .../v}) and the fixed preview noise ({@code preview_noise}, {@code [16, noiseDim]}). Metadata strings: the
 * format, the model config (with the preset it was resolved from) and training options as JSON, the run's seed, its
 * position (epochs done, steps into the next epoch, steps in all), its random state (the noise and shuffle seeds: with
 * the position they fix every later draw), both optimisers' step counts and the data set's size. Python's
 * {@code safetensors} and PyTorch read the tensors as they are.
 */
public final class Checkpoint {

    /** The value of the {@code format} metadata entry. */
    public static final String FORMAT = "dcgan4j-checkpoint";
    /** The value of the {@code format_version} metadata entry this build reads and writes. */
    public static final int FORMAT_VERSION = 1;
    /** The name of the preview noise tensor. */
    public static final String PREVIEW_NOISE = "preview_noise";

    /** Decimal numbers stay exact until converted, so a float written as its shortest decimal reads back bit-exact. */
    private static final ObjectMapper JSON = new ObjectMapper()
            .enable(DeserializationFeature.USE_BIG_DECIMAL_FOR_FLOATS);

    private final DcganConfig config;
    private final TrainingOptions options;
    private final RunState state;
    private final Map<String, Entry> tensors;
    private final Path source;

    /**
     * Where a run stands; internal to the engine's trainer and its checkpoints.
     *
     * @param seed               the run's seed
     * @param epochsDone         epochs completed
     * @param stepInEpoch        steps completed in the epoch under way
     * @param steps              steps completed in all
     * @param noiseSeed          seed of the per-step noise
     * @param shuffleSeed        seed of the per-epoch shuffle
     * @param dataCount          images in the data set the run trains on
     * @param generatorAdamSteps the generator optimiser's step count
     * @param discriminatorAdamSteps the discriminator optimiser's step count
     */
    record RunState(long seed, int epochsDone, int stepInEpoch, long steps, long noiseSeed, long shuffleSeed,
                    int dataCount, long generatorAdamSteps, long discriminatorAdamSteps) {
    }

    Checkpoint(DcganConfig config, TrainingOptions options, RunState state, Map<String, Entry> tensors,
               Path source) {
        this.source = source;
        this.config = config;
        this.options = options;
        this.state = state;
        this.tensors = Collections.unmodifiableMap(new LinkedHashMap<>(tensors));
    }

    /**
     * Reads and checks a checkpoint file: its format, metadata and every tensor's dtype and byte range. Whether the
     * tensors fit a model is checked when the checkpoint is applied ({@link Gan#load}, {@link Trainer#resume}).
     *
     * @param file the file to read
     * @return the checkpoint, fully in memory
     * @throws CheckpointException the file is not a valid dcgan4j checkpoint; the message names the entry
     * @throws IOException         the file cannot be read
     */
    public static Checkpoint read(Path file) throws IOException {
        Safetensors.Contents contents = Safetensors.read(file);
        Map<String, String> meta = contents.metadata();
        if (!FORMAT.equals(meta.get("format"))) {
            throw new CheckpointException(file, "a safetensors file, but not a dcgan4j checkpoint (metadata 'format'"
                    + " is " + (meta.get("format") == null ? "missing" : "'" + meta.get("format") + "'") + ")");
        }
        Metadata m = new Metadata(file, meta);
        int version = m.integer("format_version");
        if (version != FORMAT_VERSION) {
            throw new CheckpointException(file, "checkpoint format version " + version + "; this build reads version "
                    + FORMAT_VERSION);
        }
        DcganConfig config = m.config();
        TrainingOptions options = m.options();
        RunState state = new RunState(m.longValue("seed"), m.integer("epochs_done"), m.integer("step_in_epoch"),
                m.longValue("steps"), m.longValue("noise_seed"), m.longValue("shuffle_seed"),
                m.integer("data_count"), m.longValue("adam/generator/iterations"),
                m.longValue("adam/discriminator/iterations"));
        if (state.epochsDone() < 0 || state.stepInEpoch() < 0 || state.steps() < 0 || state.dataCount() < 1
                || state.generatorAdamSteps() < 0 || state.discriminatorAdamSteps() < 0) {
            throw new CheckpointException(file, "metadata holds a negative position or step count: " + state);
        }
        return new Checkpoint(config, options, state, contents.tensors(), file);
    }

    /**
     * Writes this checkpoint to {@code file} atomically: a temporary file beside it, forced to disk, renamed over it.
     * If anything fails, the previous {@code file} is left as it was.
     *
     * @param file where to write
     * @throws IOException the file cannot be written; {@code file} is unchanged
     */
    public void write(Path file) throws IOException {
        write(file, UnaryOperator.identity());
    }

    /** {@link #write(Path)} through a channel wrapper: how tests make a write fail halfway. */
    void write(Path file, UnaryOperator<WritableByteChannel> channels) throws IOException {
        Map<String, String> meta = new LinkedHashMap<>();
        meta.put("format", FORMAT);
        meta.put("format_version", Integer.toString(FORMAT_VERSION));
        meta.put("config", Metadata.toJson(config));
        meta.put("training", Metadata.toJson(options));
        meta.put("seed", Long.toString(state.seed()));
        meta.put("epochs_done", Integer.toString(state.epochsDone()));
        meta.put("step_in_epoch", Integer.toString(state.stepInEpoch()));
        meta.put("steps", Long.toString(state.steps()));
        meta.put("noise_seed", Long.toString(state.noiseSeed()));
        meta.put("shuffle_seed", Long.toString(state.shuffleSeed()));
        meta.put("data_count", Integer.toString(state.dataCount()));
        meta.put("adam/generator/iterations", Long.toString(state.generatorAdamSteps()));
        meta.put("adam/discriminator/iterations", Long.toString(state.discriminatorAdamSteps()));
        AtomicFiles.write(file, channel -> Safetensors.write(channels.apply(channel), tensors, meta));
    }

    /** {@return the model and optimiser hyper-parameters the run was made with} */
    public DcganConfig config() {
        return config;
    }

    /** {@return the training options the run was made with} */
    public TrainingOptions options() {
        return options;
    }

    /** {@return the run's seed} */
    public long seed() {
        return state.seed();
    }

    /** {@return epochs completed} */
    public int epochsDone() {
        return state.epochsDone();
    }

    /** {@return steps completed in the epoch under way (0 at an epoch boundary)} */
    public int stepInEpoch() {
        return state.stepInEpoch();
    }

    /** {@return train steps completed in all} */
    public long steps() {
        return state.steps();
    }

    /** {@return the names of the stored tensors, in file order} */
    public Set<String> tensorNames() {
        return tensors.keySet();
    }

    /**
     * The shape of a stored tensor.
     *
     * @param name a tensor name from {@link #tensorNames()}
     * @return a copy of the tensor's shape
     * @throws IllegalArgumentException there is no such tensor
     */
    public int[] shape(String name) {
        return entry(name).shape().clone();
    }

    /**
     * The values of a stored tensor.
     *
     * @param name a tensor name from {@link #tensorNames()}
     * @return a copy of the tensor's values, row-major
     * @throws IllegalArgumentException there is no such tensor
     */
    public float[] tensor(String name) {
        return entry(name).values().clone();
    }

    /** {@return the file this checkpoint was read from, or null when it was taken from a running trainer} */
    public Path source() {
        return source;
    }

    /** The failure to report for this checkpoint, naming its file when it has one. */
    CheckpointException invalid(String reason) {
        return new CheckpointException(source != null ? source : Path.of("checkpoint"), reason);
    }

    RunState state() {
        return state;
    }

    Map<String, Entry> entries() {
        return tensors;
    }

    private Entry entry(String name) {
        Entry e = tensors.get(name);
        if (e == null) {
            throw new IllegalArgumentException("no tensor named '" + name + "' in this checkpoint");
        }
        return e;
    }

    /** Typed access to the metadata strings, each failure naming its key. */
    private record Metadata(Path file, Map<String, String> meta) {

        String text(String key) throws CheckpointException {
            return new MetadataFields(file, meta).text(key);
        }

        long longValue(String key) throws CheckpointException {
            return new MetadataFields(file, meta).longValue(key);
        }

        int integer(String key) throws CheckpointException {
            return new MetadataFields(file, meta).integer(key);
        }

        static String toJson(DcganConfig c) {
            ObjectNode o = JSON.createObjectNode();
            o.put("preset", c.preset().toString()).put("noise_dim", c.noiseDim()).put("batch_size", c.batchSize())
                    .put("learning_rate", c.learningRate()).put("beta_1", c.beta1()).put("beta_2", c.beta2())
                    .put("adam_epsilon", c.adamEpsilon()).put("leaky_relu_alpha", c.leakyAlpha())
                    .put("bn_momentum", c.bnMomentum()).put("bn_epsilon", c.bnEpsilon())
                    .put("d_activation", c.discriminatorActivation().toString())
                    .put("kernel_init", c.kernelInit().toString());
            return o.toString();
        }

        static String toJson(TrainingOptions t) {
            ObjectNode o = JSON.createObjectNode();
            o.put("epochs", t.epochs()).put("samples", t.samples()).put("shuffle_buffer", t.shuffleBuffer());
            return o.toString();
        }

        DcganConfig config() throws CheckpointException {
            JsonNode c = json("config");
            try {
                // Checkpoints written before presets existed lack the last three entries: they are seed runs.
                DcganConfig seed = Preset.SEED.config();
                return new DcganConfig(
                        Preset.parse(optionalText(c, "preset", seed.preset().toString())),
                        intField(c, "config", "noise_dim"), intField(c, "config", "batch_size"),
                        floatField(c, "config", "learning_rate"), floatField(c, "config", "beta_1"),
                        floatField(c, "config", "beta_2"), floatField(c, "config", "adam_epsilon"),
                        floatField(c, "config", "leaky_relu_alpha"), floatField(c, "config", "bn_momentum"),
                        floatField(c, "config", "bn_epsilon"),
                        DcganConfig.DiscriminatorActivation.parse(optionalText(c, "d_activation",
                                seed.discriminatorActivation().toString())),
                        DcganConfig.KernelInit.parse(optionalText(c, "kernel_init", seed.kernelInit().toString())));
            } catch (IllegalArgumentException e) {
                throw new CheckpointException(file, "metadata entry 'config' is invalid: " + e.getMessage());
            }
        }

        TrainingOptions options() throws CheckpointException {
            JsonNode t = json("training");
            try {
                return new TrainingOptions(intField(t, "training", "epochs"), intField(t, "training", "samples"),
                        intField(t, "training", "shuffle_buffer"));
            } catch (IllegalArgumentException e) {
                throw new CheckpointException(file, "metadata entry 'training' is invalid: " + e.getMessage());
            }
        }

        private JsonNode json(String key) throws CheckpointException {
            try {
                JsonNode n = JSON.readTree(text(key));
                if (n == null || !n.isObject()) {
                    throw new CheckpointException(file, "metadata entry '" + key + "' is not a JSON object");
                }
                return n;
            } catch (JsonProcessingException e) {
                throw new CheckpointException(file, "metadata entry '" + key + "' is not valid JSON", e);
            }
        }

        private String optionalText(JsonNode o, String field, String absent) throws CheckpointException {
            JsonNode v = o.get(field);
            if (v == null) {
                return absent;
            }
            if (!v.isTextual()) {
                throw new CheckpointException(file, "metadata entry 'config' has a '" + field + "' that is not text");
            }
            return v.textValue();
        }

        private int intField(JsonNode o, String key, String field) throws CheckpointException {
            JsonNode v = o.get(field);
            if (v == null || !v.isIntegralNumber() || !v.canConvertToInt()) {
                throw new CheckpointException(file, "metadata entry '" + key + "' has no whole number '" + field
                        + "'");
            }
            return v.intValue();
        }

        private float floatField(JsonNode o, String key, String field) throws CheckpointException {
            JsonNode v = o.get(field);
            if (v == null || !v.isNumber()) {
                throw new CheckpointException(file, "metadata entry '" + key + "' has no number '" + field + "'");
            }
            return v.decimalValue().floatValue();
        }
    }
}
