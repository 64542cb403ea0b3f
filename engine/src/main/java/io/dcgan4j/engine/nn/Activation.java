package io.dcgan4j.engine.nn;

import io.dcgan4j.engine.backend.Backend;
import io.dcgan4j.engine.backend.Tensor;

/** An element-wise function without variables: the output has the input's shape. */
public abstract sealed class Activation extends BufferedModule<Activation.Buffers> permits LeakyReLU, ReLU, Tanh {

    private Backend backend;

    record Buffers(Tensor y, Tensor dx) implements BufferedModule.Buffers {
    }

    protected Activation(String name) {
        super(name);
    }

    /** Writes {@code y = f(x)}. */
    protected abstract void apply(Backend backend, Tensor x, Tensor y);

    /** Writes {@code dx = f'(x)·dy}, from the forward's input {@code x} or output {@code y}. */
    protected abstract void gradient(Backend backend, Tensor x, Tensor y, Tensor dy, Tensor dx);

    @Override
    public int[] build(Backend backend, int[] inputShape) {
        this.backend = backend;
        buffers(n -> new Buffers(backend.zeros(withBatch(n, inputShape)),
                backend.zeros(withBatch(n, inputShape))));
        return inputShape.clone();
    }

    @Override
    public Tensor forward(Tensor x, Mode mode) {
        Buffers b = begin(x);
        apply(backend, x, b.y);
        return b.y;
    }

    @Override
    public Tensor backward(Tensor dy, boolean inputGradient, boolean paramGradients) {
        if (!inputGradient) {
            return null;
        }
        Buffers b = last();
        gradient(backend, input(), b.y, dy, b.dx);
        return b.dx;
    }
}
