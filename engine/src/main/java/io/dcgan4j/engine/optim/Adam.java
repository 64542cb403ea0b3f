package io.dcgan4j.engine.optim;

import io.dcgan4j.engine.backend.Backend;
import io.dcgan4j.engine.backend.Tensor;
import io.dcgan4j.engine.nn.Variable;

import java.util.ArrayList;
import java.util.List;

/**
 * Keras's Adam (keras-semantics.md §3) over a fixed list of trainable variables, with its own step counter:
 * {@code α_t = lr·sqrt(1−β2^t)/(1−β1^t)}, {@code m += (g−m)(1−β1)}, {@code v += (g²−v)(1−β2)},
 * {@code θ −= α_t·m/(sqrt(v)+ε)}; t = 1 at the first step. Not PyTorch's form, which puts ε inside the correction.
 */
public final class Adam {

    private final Backend backend;
    private final List<Slot> slots;
    private float learningRate;
    private final float beta1;
    private final float beta2;
    private final float epsilon;
    private long iterations;

    /** The moment estimates of one variable; named {@code <variable>/m} and {@code <variable>/v}. */
    public record Slot(Variable variable, Tensor m, Tensor v) {
    }

    public Adam(Backend backend, List<Variable> variables, float learningRate, float beta1, float beta2,
                float epsilon) {
        if (!(learningRate > 0) || !(beta1 >= 0 && beta1 < 1) || !(beta2 >= 0 && beta2 < 1) || !(epsilon > 0)) {
            throw new IllegalArgumentException("Adam needs lr > 0, beta1 and beta2 in [0,1), epsilon > 0; got lr "
                    + learningRate + ", beta1 " + beta1 + ", beta2 " + beta2 + ", epsilon " + epsilon);
        }
        this.backend = backend;
        this.learningRate = learningRate;
        this.beta1 = beta1;
        this.beta2 = beta2;
        this.epsilon = epsilon;
        List<Slot> s = new ArrayList<>();
        for (Variable v : variables) {
            if (!v.trainable()) {
                throw new IllegalArgumentException(v.name() + " is not trainable");
            }
            int[] shape = v.value().shape();
            s.add(new Slot(v, backend.zeros(shape), backend.zeros(shape)));
        }
        this.slots = List.copyOf(s);
    }

    /** Sets the learning rate of the following steps (a schedule); the moments are kept. */
    public void setLearningRate(float value) {
        if (!(value > 0) || Float.isInfinite(value)) {
            throw new IllegalArgumentException("Adam needs lr > 0, got " + value);
        }
        learningRate = value;
    }

    /** Applies one update to every variable from its gradient buffer. */
    public void step() {
        long t = ++iterations;
        for (int i = 0; i < slots.size(); i++) {
            Slot s = slots.get(i);
            backend.adamUpdate(s.variable().value(), s.variable().gradient(), s.m(), s.v(),
                    learningRate, beta1, beta2, epsilon, t);
        }
    }

    /** Continues from {@code steps} updates already taken; the moments are restored through {@link #slots()}. */
    public void restoreIterations(long steps) {
        if (steps < 0) {
            throw new IllegalArgumentException("Adam step count must not be negative, got " + steps);
        }
        iterations = steps;
    }

    /** The number of steps taken (Keras's {@code iterations}). */
    public long iterations() {
        return iterations;
    }

    public List<Slot> slots() {
        return slots;
    }
}
