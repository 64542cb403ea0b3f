package io.dcgan4j.engine.classifier;

import io.dcgan4j.engine.backend.Backend;
import io.dcgan4j.engine.backend.Tensor;
import io.dcgan4j.engine.gan.Dcgan;
import io.dcgan4j.engine.nn.BatchNormalization;
import io.dcgan4j.engine.nn.Conv2D;
import io.dcgan4j.engine.nn.Dense;
import io.dcgan4j.engine.nn.Initializers;
import io.dcgan4j.engine.nn.Mode;
import io.dcgan4j.engine.nn.ReLU;
import io.dcgan4j.engine.nn.Reshape;
import io.dcgan4j.engine.nn.Sequential;
import io.dcgan4j.engine.nn.Variable;

import java.util.List;
import java.util.Map;

/**
 * A small LeNet-like MNIST classifier made of the engine's own layers, strided convolutions in place of pooling
 * (per-sample shapes, NHWC):
 *
 * <pre>
 * features: x[28,28,1] → Conv(32,k3,s1) 26×26×32 → BN → relu → Conv(64,k3,s2) 12×12×64 → BN → relu
 *           → Conv(128,k3,s2) 5×5×128 → BN → relu → flatten 3200 → Dense 128 → relu
 * head:     Dense 10 (logits)
 * </pre>
 * The 128 penultimate activations are the features of the Fréchet classifier distance. Kernels start from
 * glorot_uniform drawn in variable order from one seeded generator, biases at 0.
 */
public final class ClassifierNet {

    /** Digits 0 to 9. */
    public static final int CLASSES = 10;
    /** Length of the penultimate feature vector. */
    public static final int FEATURES = 128;
    /**
     * BatchNorm's moving averages keep 0.9 of the old value per step, not Keras's 0.99: a classifier trained for a few
     * dozen steps (the tests' small runs) would otherwise predict with statistics still near their initial values.
     */
    private static final float BN_MOMENTUM = 0.9f;
    private static final float BN_EPSILON = 1e-3f;

    private final Sequential features;
    private final Sequential head;
    private final Map<String, Variable> variables;

    public ClassifierNet(Backend backend, long seed) {
        features = new Sequential("features", List.of(
                new Conv2D("c_conv1", 32, 3, 1),
                new BatchNormalization("c_bn1", BN_MOMENTUM, BN_EPSILON),
                new ReLU("c_relu1"),
                new Conv2D("c_conv2", 64, 3, 2),
                new BatchNormalization("c_bn2", BN_MOMENTUM, BN_EPSILON),
                new ReLU("c_relu2"),
                new Conv2D("c_conv3", 128, 3, 2),
                new BatchNormalization("c_bn3", BN_MOMENTUM, BN_EPSILON),
                new ReLU("c_relu3"),
                Reshape.flatten("c_flatten"),
                new Dense("c_dense1", FEATURES, true),
                new ReLU("c_relu4")));
        head = new Sequential("head", List.of(new Dense("c_dense2", CLASSES, true)));
        head.build(backend, features.build(backend, Dcgan.imageShape()));
        variables = Sequential.variablesByName(features, head);
        Initializers.glorotUniformKernels(backend, variables.values(), seed);
    }

    /** Logits {@code [N,10]} of images {@code [N,28,28,1]}; the features stay in {@link #featureOutput()}. */
    public Tensor forward(Tensor images, Mode mode) {
        return head.forward(features.forward(images, mode), mode);
    }

    /** Back-propagates the gradient of the loss with respect to the last forward's logits into the variables. */
    public void backward(Tensor dLogits) {
        features.backward(head.backward(dLogits, true, true), false, true);
    }

    /** The penultimate activations {@code [N,128]} of the last forward. */
    public Tensor featureOutput() {
        return features.output();
    }

    /** Every variable by name, in layer order. */
    public Map<String, Variable> variables() {
        return variables;
    }

    /** The trainable variables, in layer order. */
    public List<Variable> trainableVariables() {
        return variables.values().stream().filter(Variable::trainable).toList();
    }
}
