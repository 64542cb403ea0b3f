package io.dcgan4j.engine.nn;

import io.dcgan4j.engine.backend.Backend;
import io.dcgan4j.engine.backend.Tensor;

/**
 * {@code tf.nn.relu}: {@code y = max(x, 0)}, gradient 1 for {@code x > 0} and 0 otherwise (0 at 0, as TensorFlow).
 * It is the leaky ReLU kernel with slope 0, which computes exactly that (a negative input gives −0, which compares
 * and multiplies as 0): one kernel, one set of tests.
 */
public final class ReLU extends Activation {

    public ReLU(String name) {
        super(name);
    }

    @Override
    protected void apply(Backend backend, Tensor x, Tensor y) {
        backend.leakyReluForward(x, y, 0f);
    }

    @Override
    protected void gradient(Backend backend, Tensor x, Tensor y, Tensor dy, Tensor dx) {
        backend.leakyReluBackward(x, dy, dx, 0f);
    }
}
