package io.dcgan4j.engine.gan;

import io.dcgan4j.engine.api.DcganConfig;
import io.dcgan4j.engine.Golden;
import io.dcgan4j.engine.backend.Backend;
import io.dcgan4j.engine.backend.Tensor;
import io.dcgan4j.engine.nn.Mode;
import io.dcgan4j.engine.nn.Module;
import io.dcgan4j.engine.nn.Sequential;
import io.dcgan4j.engine.nn.Variable;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * One full train step at batch 4 on a backend against the golden tensors (float64 reference rounded to float32): every
 * tensor of the manifest checked and reported with its largest error. Activations, losses and gradients are held to
 * {@code scale·max(1, max|golden|)}, the gradients whose true value is 0 to {@code scale}; the variables after the Adam
 * step to the golden README's tolerances, whatever the backend.
 */
final class GoldenStepCheck {

    /** The parameters whose true gradient is 0 (a later training-mode BN removes them); see the golden README. */
    private static final Set<String> ZERO_GRADIENT = Set.of("g_convT1_bias", "g_convT2_bias", "d_conv1_bias",
            "d_conv2_bias", "d_conv3_bias", "d_bn1_beta", "d_bn2_beta");

    /** The golden set's batch size. */
    static final int BATCH = 4;
    private final Golden golden;
    private final double scale;
    private final Set<String> checked = new LinkedHashSet<>();
    private final List<String> report = new ArrayList<>();
    private final List<String> failures = new ArrayList<>();

    GoldenStepCheck(Golden golden, double scale) {
        this.golden = golden;
        this.scale = scale;
    }

    void run(Backend backend) {
        checkForward(backend);
        checkStep(backend);

        Set<String> missing = new LinkedHashSet<>(golden.names());
        missing.removeAll(checked);
        missing.removeIf(n -> n.startsWith("init_") || n.startsWith("input_"));
        System.out.println("golden step on " + backend.describe() + ":\n  " + String.join("\n  ", report));
        assertTrue(missing.isEmpty(), "golden tensors not checked: " + missing);
        assertTrue(failures.isEmpty(), failures.size() + " golden tensors out of tolerance:\n"
                + String.join("\n", failures));
    }

    /** Forward in training mode from the initial weights: every activation, both D-step logit batches. */
    private void checkForward(Backend backend) {
        Dcgan model = initialModel(backend);
        Tensor z = upload(backend, "input_noise");
        Tensor real = upload(backend, "input_real");
        Sequential g = model.generator();
        Tensor fake = g.forward(z, Mode.TRAINING);
        Map<String, String> gOutputs = Map.of("g_reshape", "act_g_dense_out", "g_convT1", "act_g_ct1_out",
                "g_lrelu1", "act_g_block1_out", "g_convT2", "act_g_ct2_out", "g_lrelu2", "act_g_block2_out",
                "g_convT3", "act_g_ct3_out", "g_conv", "act_g_conv_out", "g_tanh", "g_out_train");
        for (Module m : g.modules()) {
            String golden = gOutputs.get(m.name());
            if (golden != null) {
                compareActivation(backend, golden, m.output());
            }
        }
        Sequential d = model.discriminator();
        Tensor logitsReal = d.forward(real, Mode.TRAINING);
        for (Module m : d.modules()) {
            if (m.name().matches("d_(conv|bn)\\d")) {
                compareActivation(backend, "act_real_d_" + m.name().substring(2) + "_out", m.output());
            }
        }
        compareActivation(backend, "d_logits_real", logitsReal);
        compareActivation(backend, "d_logits_fake", d.forward(fake, Mode.TRAINING));
    }

    /** The full step: losses, every gradient, every variable afterwards, and the eval-mode output. */
    private void checkStep(Backend backend) {
        Dcgan model = initialModel(backend);
        GanTrainer trainer = new GanTrainer(backend, model, 0);
        StepResult losses = trainer.step(golden.get("input_real"), BATCH, golden.get("input_noise"));

        compare("d_loss", new float[]{losses.discriminatorLoss()}, activationTolerance("d_loss"));
        compare("g_loss", new float[]{losses.generatorLoss()}, activationTolerance("g_loss"));
        compareActivation(backend, "d_logits_fake_after_d_update", model.discriminator().output());
        compareActivation(backend, "grad_wrt_fake_image_g_step", trainer.imageGradient());
        for (Variable v : model.variables().values()) {
            if (v.trainable()) {
                String name = "grad_" + v.name();
                double tol = ZERO_GRADIENT.contains(v.name()) ? scale : activationTolerance(name);
                compare(name, download(backend, v.gradient()), tol);
            }
            String after = "after_" + v.name();
            double tol = ZERO_GRADIENT.contains(v.name()) ? 1e-3 : v.name().endsWith("moving_mean") ? 2e-5 : 1e-4;
            compare(after, download(backend, v.value()), tol);
        }
        Tensor eval = model.generator().forward(upload(backend, "input_noise"), Mode.INFERENCE);
        compare("g_out_eval_after_step", download(backend, eval), 1e-4);
        assertEquals(1, trainer.discriminatorOptimizer().iterations());
        assertEquals(1, trainer.generatorOptimizer().iterations());
    }

    private Dcgan initialModel(Backend backend) {
        return initialModel(backend, golden, DcganConfig.seedDefaults());
    }

    /** A model of {@code config} at the golden batch size, holding the golden set's initial values. */
    static Dcgan initialModel(Backend backend, Golden golden, DcganConfig config) {
        Dcgan model = new Dcgan(backend, config.withBatchSize(BATCH), 1);
        for (Variable v : model.variables().values()) {
            String init = "init_" + v.name();
            assertTrue(Arrays.equals(golden.shape(init), v.value().shape()), init + " shape "
                    + Arrays.toString(golden.shape(init)) + " vs model " + Arrays.toString(v.value().shape()));
            backend.upload(golden.get(init), v.value());
        }
        long initTensors = golden.names().stream().filter(n -> n.startsWith("init_")).count();
        assertEquals(initTensors, model.variables().size(), "the model and the golden set name the same variables");
        return model;
    }

    private double activationTolerance(String name) {
        float max = 0;
        for (float f : golden.get(name)) {
            max = Math.max(max, Math.abs(f));
        }
        return scale * Math.max(1, max);
    }

    private void compareActivation(Backend backend, String name, Tensor actual) {
        assertTrue(Arrays.equals(golden.shape(name), actual.shape()), name + ": shape "
                + Arrays.toString(actual.shape()) + " vs golden " + Arrays.toString(golden.shape(name)));
        compare(name, download(backend, actual), activationTolerance(name));
    }

    private void compare(String name, float[] actual, double tolerance) {
        float[] expected = golden.get(name);
        assertEquals(expected.length, actual.length, name + ": element count");
        double worst = 0;
        int at = 0;
        for (int i = 0; i < expected.length; i++) {
            double e = Math.abs((double) actual[i] - expected[i]);
            if (!(e <= worst)) {
                worst = e;
                at = i;
            }
        }
        String line = String.format("%-34s max|err| %.3e at %7d (tolerance %.1e)", name, worst, at, tolerance);
        report.add(line);
        checked.add(name);
        if (!(worst <= tolerance)) {
            failures.add(line + ": got " + actual[at] + ", expected " + expected[at]);
        }
    }

    private Tensor upload(Backend backend, String name) {
        Tensor t = backend.zeros(golden.shape(name));
        backend.upload(golden.get(name), t);
        return t;
    }

    private static float[] download(Backend backend, Tensor t) {
        float[] out = new float[t.size()];
        backend.download(t, out);
        return out;
    }
}
