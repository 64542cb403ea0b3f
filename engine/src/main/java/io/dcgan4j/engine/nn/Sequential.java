package io.dcgan4j.engine.nn;

import io.dcgan4j.engine.backend.Backend;
import io.dcgan4j.engine.backend.Tensor;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** Modules applied in order; backward runs them in reverse. */
public final class Sequential extends Module {

    private final List<Module> modules;
    private int[] inputShape;
    private int[] outputShape;

    public Sequential(String name, List<Module> modules) {
        super(name);
        if (modules.isEmpty()) {
            throw new IllegalArgumentException(name + ": no modules");
        }
        this.modules = List.copyOf(modules);
    }

    @Override
    public int[] build(Backend backend, int[] sampleShape) {
        inputShape = sampleShape.clone();
        int[] shape = sampleShape;
        for (Module m : modules) {
            shape = m.build(backend, shape);
        }
        outputShape = shape;
        return shape.clone();
    }

    /** The per-sample input shape given to {@link #build}. */
    public int[] inputShape() {
        return inputShape.clone();
    }

    /** The per-sample output shape. */
    public int[] outputShape() {
        return outputShape.clone();
    }

    public List<Module> modules() {
        return modules;
    }

    @Override
    public Tensor forward(Tensor x, Mode mode) {
        if (inputShape == null) {
            throw notBuilt();
        }
        checkInput(x);
        Tensor h = x;
        for (int i = 0; i < modules.size(); i++) {
            h = modules.get(i).forward(h, mode);
        }
        return h;
    }

    @Override
    public Tensor backward(Tensor dy, boolean inputGradient, boolean paramGradients) {
        Tensor g = dy;
        for (int i = modules.size() - 1; i >= 0; i--) {
            g = modules.get(i).backward(g, inputGradient || i > 0, paramGradients);
        }
        return g;
    }

    @Override
    public Tensor output() {
        return modules.getLast().output();
    }

    @Override
    public List<Variable> variables() {
        List<Variable> all = new ArrayList<>();
        for (Module m : modules) {
            all.addAll(m.variables());
        }
        return List.copyOf(all);
    }

    /**
     * Every variable of {@code networks} by name, network after network in layer order (unmodifiable).
     *
     * @throws IllegalArgumentException two variables share a name
     */
    public static Map<String, Variable> variablesByName(Sequential... networks) {
        Map<String, Variable> all = new LinkedHashMap<>();
        for (Sequential network : networks) {
            for (Variable v : network.variables()) {
                if (all.putIfAbsent(v.name(), v) != null) {
                    throw new IllegalArgumentException("two variables are named " + v.name());
                }
            }
        }
        return Collections.unmodifiableMap(all);
    }

    /** The trainable variables, in layer order. */
    public List<Variable> trainableVariables() {
        return variables().stream().filter(Variable::trainable).toList();
    }

    @Override
    public void repeatStateUpdate() {
        for (int i = 0; i < modules.size(); i++) {
            modules.get(i).repeatStateUpdate();
        }
    }

    private void checkInput(Tensor x) {
        boolean ok = x.rank() == inputShape.length + 1;
        for (int i = 0; ok && i < inputShape.length; i++) {
            ok = x.dim(i + 1) == inputShape[i];
        }
        if (!ok) {
            throw new IllegalArgumentException(name() + " expects inputs [N, " + Arrays.toString(inputShape)
                    .replace("[", "").replace("]", "") + "], got " + Arrays.toString(x.shape()));
        }
    }
}
