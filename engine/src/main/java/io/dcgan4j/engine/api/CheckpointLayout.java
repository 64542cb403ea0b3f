package io.dcgan4j.engine.api;

import io.dcgan4j.engine.gan.Dcgan;
import io.dcgan4j.engine.nn.Variable;

import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** The tensor names and shapes a checkpoint of a model must hold: no more, no fewer. */
final class CheckpointLayout {

    static final String GENERATOR = "generator";
    static final String DISCRIMINATOR = "discriminator";

    private final Map<String, int[]> expected = new LinkedHashMap<>();

    private CheckpointLayout() {
    }

    static CheckpointLayout of(Dcgan model) {
        CheckpointLayout layout = new CheckpointLayout();
        for (Variable v : model.variables().values()) {
            layout.expected.put(v.name(), v.value().shape());
        }
        layout.addMoments(GENERATOR, model.generator().trainableVariables());
        layout.addMoments(DISCRIMINATOR, model.discriminator().trainableVariables());
        layout.expected.put(Checkpoint.PREVIEW_NOISE,
                new int[]{Trainer.PREVIEW_COUNT, model.config().noiseDim()});
        return layout;
    }

    private void addMoments(String network, List<Variable> trainables) {
        for (Variable v : trainables) {
            expected.put(moment(network, v.name(), "m"), v.value().shape());
            expected.put(moment(network, v.name(), "v"), v.value().shape());
        }
    }

    /** {@code adam/<network>/<variable>/<m or v>}. */
    static String moment(String network, String variable, String which) {
        return "adam/" + network + "/" + variable + "/" + which;
    }

    /** Fails on the first missing, misshapen or unexpected tensor, naming it. */
    void check(Checkpoint checkpoint) throws CheckpointException {
        for (Map.Entry<String, int[]> e : expected.entrySet()) {
            if (!checkpoint.tensorNames().contains(e.getKey())) {
                throw checkpoint.invalid("tensor '" + e.getKey() + "' is missing");
            }
            int[] shape = checkpoint.shape(e.getKey());
            if (!Arrays.equals(shape, e.getValue())) {
                throw checkpoint.invalid("tensor '" + e.getKey() + "' has shape " + Arrays.toString(shape)
                        + ", the model of its config needs " + Arrays.toString(e.getValue()));
            }
        }
        for (String name : checkpoint.tensorNames()) {
            if (!expected.containsKey(name)) {
                throw checkpoint.invalid("unexpected tensor '" + name + "' (not part of this model)");
            }
        }
    }
}
