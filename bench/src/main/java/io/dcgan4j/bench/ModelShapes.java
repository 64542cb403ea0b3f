package io.dcgan4j.bench;

import io.dcgan4j.engine.backend.Backend;
import io.dcgan4j.engine.backend.ConvOp;
import io.dcgan4j.engine.backend.Tensor;
import io.dcgan4j.engine.backend.cpu.CpuBackend;
import io.dcgan4j.engine.gan.Dcgan;
import io.dcgan4j.engine.api.DcganConfig;
import io.dcgan4j.engine.gan.GanTrainer;
import io.dcgan4j.engine.nn.BatchNormalization;
import io.dcgan4j.engine.nn.Conv2D;
import io.dcgan4j.engine.nn.Conv2DTranspose;
import io.dcgan4j.engine.nn.Dense;
import io.dcgan4j.engine.nn.LeakyReLU;
import io.dcgan4j.engine.nn.Module;
import io.dcgan4j.engine.nn.Tanh;
import io.dcgan4j.engine.nn.Variable;
import io.dcgan4j.kernels.cpu.Conv2d;
import io.dcgan4j.kernels.cpu.ConvShape;
import io.dcgan4j.kernels.cpu.ConvTranspose2d;

import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.lang.reflect.Proxy;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The model's layer shapes, read from the engine rather than written down: one train step of a {@link Dcgan} at
 * batch 1 runs on a {@link Backend} wrapped so that it records every convolution plan and BatchNorm it is asked for
 * and counts the multiply-adds of every convolution and Dense call. Names are the engine's layer names
 * ({@code g_convT2}, {@code d_bn1}, {@code g_lrelu2}, …); shapes come per sample and are scaled to a batch on request,
 * which is exact because every count here is linear in the batch.
 *
 * <pre>
 * conv       ConvShape at batch 1, one per Conv2D / Conv2DTranspose, in model order (generator, then discriminator)
 * dense      [in, out] of each Dense kernel
 * batchNorm  rows per sample (H·W) and channels of each BatchNormalization
 * activation elements per sample of each LeakyReLU and Tanh output
 * step MACs  multiply-adds of one whole train step per sample, as GanTrainer actually calls the backend
 * </pre>
 * FLOPs are 2·MACs throughout; element-wise and BatchNorm work is not part of the step's count (as in the seed's
 * 180-GFLOP figure, which counts convolutions and Dense layers only).
 */
public final class ModelShapes {

    /** The seed's batch size: the shape every benchmark uses unless told otherwise. */
    public static final int DEFAULT_BATCH = 256;

    /** Seed of the throw-away model the shapes are read from; its values do not matter. */
    private static final long DISCOVERY_SEED = 1;

    /** Rows per sample and channels of one BatchNormalization layer. */
    public record BatchNormShape(int rowsPerSample, int channels) {

        /** Rows {@code N·H·W} of the layer's {@code [R, C]} input at batch {@code batch}. */
        public int rows(int batch) {
            return batch * rowsPerSample;
        }
    }

    /** {@code [in, out]} of a Dense layer's kernel. */
    public record DenseShape(int in, int out) {
    }

    /**
     * One GEMM call {@code C[m,n] (+)= op(A)[m,k]·op(B)[k,n]} as a kernel issues it (see {@link
     * io.dcgan4j.kernels.cpu.Gemm}).
     */
    public record GemmShape(boolean transA, boolean transB, int m, int n, int k, boolean accumulate,
                            boolean perThread) {

        /** FLOPs of one call, or, for a per-thread call, of the calls all {@code threads} threads make at once. */
        public long flops(int threads) {
            return 2L * m * n * k * (perThread ? threads : 1);
        }
    }

    private static final class Holder {
        static final ModelShapes MODEL = discover();
    }

    private final Map<String, ConvShape> conv;
    private final Map<String, DenseShape> dense;
    private final Map<String, BatchNormShape> batchNorm;
    private final Map<String, Integer> activation;
    private final long discriminatorStepMacsPerSample;
    private final long generatorStepMacsPerSample;
    private final int trainableParameters;

    private ModelShapes(Map<String, ConvShape> conv, Map<String, DenseShape> dense,
                        Map<String, BatchNormShape> batchNorm, Map<String, Integer> activation,
                        long discriminatorStepMacsPerSample, long generatorStepMacsPerSample,
                        int trainableParameters) {
        this.conv = conv;
        this.dense = dense;
        this.batchNorm = batchNorm;
        this.activation = activation;
        this.discriminatorStepMacsPerSample = discriminatorStepMacsPerSample;
        this.generatorStepMacsPerSample = generatorStepMacsPerSample;
        this.trainableParameters = trainableParameters;
    }

    /** The shapes of the engine's {@link Dcgan}, read once per JVM. */
    public static ModelShapes model() {
        return Holder.MODEL;
    }

    /** Names of the Conv2D and Conv2DTranspose layers in model order. */
    public List<String> convLayers() {
        return List.copyOf(conv.keySet());
    }

    /** The geometry of convolution layer {@code layer} at batch {@code batch}. */
    public ConvShape conv(String layer, int batch) {
        return require(conv, layer, "convolution").withBatch(batch);
    }

    /** FLOPs of one pass (forward, input gradient or weight gradient: they do as many) of a convolution layer. */
    public long convPassFlops(String layer, int batch) {
        return 2 * conv(layer, batch).macs();
    }

    public DenseShape dense(String layer) {
        return require(dense, layer, "Dense");
    }

    public BatchNormShape batchNorm(String layer) {
        return require(batchNorm, layer, "BatchNormalization");
    }

    /** Elements of the output of activation layer {@code layer} (LeakyReLU or Tanh) at batch {@code batch}. */
    public int activationSize(String layer, int batch) {
        return batch * require(activation, layer, "activation");
    }

    /** Trainable parameters of both networks together: what the two Adam optimisers update per step. */
    public int trainableParameters() {
        return trainableParameters;
    }

    /** FLOPs (2·MACs of convolutions and Dense layers) of one {@link GanTrainer#step} at batch {@code batch}. */
    public long trainStepFlops(int batch) {
        return discriminatorStepFlops(batch) + generatorStepFlops(batch);
    }

    /** FLOPs of one {@link GanTrainer#discriminatorStep} at batch {@code batch}. */
    public long discriminatorStepFlops(int batch) {
        return 2 * discriminatorStepMacsPerSample * batch;
    }

    /** FLOPs of one {@link GanTrainer#generatorStep} at batch {@code batch}. */
    public long generatorStepFlops(int batch) {
        return 2 * generatorStepMacsPerSample * batch;
    }

    /**
     * The GEMM that pass {@code pass} ({@code forward}, {@code backwardInput} or {@code backwardWeight}) of layer
     * {@code layer} issues, at batch {@code batch}. Dense layers make one call over the whole batch
     * ({@code CpuBackend.dense*}). A convolution's forward pass and input gradient make one call per task, each
     * thread on its own task ({@code perThread}: {@code Gemm.gemmOnWorker}), of {@code Conv2d.samplesPerTask} samples;
     * its weight gradient makes one pooled call per chunk of {@code weightChunkSamples} samples. This is the call of a
     * full task or chunk, written out from {@code Conv2d} and {@code ConvTranspose2d} (legend there: P output pixels,
     * Q input pixels, KKC = KH·KW·C, KKF = KH·KW·F).
     *
     * @throws IllegalArgumentException for a convolution pass that makes no GEMM (few filters; a shallow patch's
     *                                  forward pass and weight gradient)
     */
    public GemmShape gemm(String layer, String pass, int batch) {
        if (dense.containsKey(layer)) {
            DenseShape d = dense(layer);
            return switch (pass) {
                case "forward" -> new GemmShape(false, false, batch, d.out(), d.in(), false, false);
                case "backwardInput" -> new GemmShape(false, true, batch, d.in(), d.out(), false, false);
                case "backwardWeight" -> new GemmShape(true, false, d.in(), d.out(), batch, true, false);
                default -> throw unknownPass(pass);
            };
        }
        ConvShape s = conv(layer, batch);
        if (!s.transposed() && !Conv2d.usesGemm(s)) {
            throw new IllegalArgumentException(layer + " has " + s.outC()
                    + " filters and runs without a GEMM (Conv2dDirect)");
        }
        int taps = s.kernelH() * s.kernelW();
        if (s.transposed()) {
            int pixels = s.inH() * s.inW();
            int rows = ConvTranspose2d.samplesPerTask(s) * pixels;
            int depth = ConvTranspose2d.weightChunkSamples(s) * pixels;
            int kkf = taps * s.outC();
            return switch (pass) {
                case "forward" -> new GemmShape(false, true, rows, kkf, s.inC(), false, true);
                case "backwardInput" -> new GemmShape(false, false, rows, s.inC(), kkf, false, true);
                case "backwardWeight" -> new GemmShape(true, false, kkf, s.inC(), depth, true, false);
                default -> throw unknownPass(pass);
            };
        }
        if (Conv2d.isShallow(s) && !pass.equals("backwardInput")) {
            throw new IllegalArgumentException(layer + "'s " + pass + " pass runs without a GEMM (Conv2dShallow)");
        }
        int pixels = s.outH() * s.outW();
        int rows = Conv2d.samplesPerTask(s) * pixels;
        int depth = Conv2d.weightChunkSamples(s) * pixels;
        int kkc = taps * s.inC();
        return switch (pass) {
            case "forward" -> new GemmShape(false, false, rows, s.outC(), kkc, true, true);
            case "backwardInput" -> new GemmShape(false, true, rows, kkc, s.outC(), false, true);
            case "backwardWeight" -> new GemmShape(true, false, kkc, s.outC(), depth, true, false);
            default -> throw unknownPass(pass);
        };
    }

    private static IllegalArgumentException unknownPass(String pass) {
        return new IllegalArgumentException("no pass '" + pass + "'; passes are forward, backwardInput, backwardWeight");
    }

    private static <T> T require(Map<String, T> map, String layer, String kind) {
        T value = map.get(layer);
        if (value == null) {
            throw new IllegalArgumentException("no " + kind + " layer '" + layer + "'; the model has " + map.keySet());
        }
        return value;
    }

    /** Runs one batch-1 train step on a recording backend and reads the shapes off it and off the modules. */
    private static ModelShapes discover() {
        Recorder recorder = new Recorder();
        try (CpuBackend cpu = new CpuBackend(1)) {
            Backend backend = recorder.wrap(cpu);
            Dcgan model = new Dcgan(backend, DcganConfig.seedDefaults().withBatchSize(1), DISCOVERY_SEED);
            GanTrainer trainer = new GanTrainer(backend, model, DISCOVERY_SEED);
            trainer.discriminatorStep(new float[Dcgan.IMAGE_SIZE], 1, new float[model.config().noiseDim()]);
            long discriminatorStepMacs = recorder.macs;
            trainer.generatorStep();
            long generatorStepMacs = recorder.macs - discriminatorStepMacs;

            List<Module> modules = new ArrayList<>(model.generator().modules());
            modules.addAll(model.discriminator().modules());
            Map<String, ConvShape> conv = new LinkedHashMap<>();
            Map<String, DenseShape> dense = new LinkedHashMap<>();
            Map<String, BatchNormShape> batchNorm = new LinkedHashMap<>();
            Map<String, Integer> activation = new LinkedHashMap<>();
            // Plans are made on a layer's first forward, so the recorded order is the order of the layers.
            int nextConv = 0;
            int nextBatchNorm = 0;
            for (Module m : modules) {
                switch (m) {
                    case Conv2D c -> conv.put(c.name(), recorder.convShapes.get(nextConv++));
                    case Conv2DTranspose c -> conv.put(c.name(), recorder.convShapes.get(nextConv++));
                    case BatchNormalization b -> batchNorm.put(b.name(), recorder.batchNorms.get(nextBatchNorm++));
                    case Dense d -> {
                        int[] kernel = d.variables().getFirst().value().shape();
                        dense.put(d.name(), new DenseShape(kernel[0], kernel[1]));
                    }
                    case LeakyReLU a -> activation.put(a.name(), a.output().size());
                    case Tanh a -> activation.put(a.name(), a.output().size());
                    default -> { }
                }
            }
            if (nextConv != recorder.convShapes.size() || nextBatchNorm != recorder.batchNorms.size()) {
                throw new IllegalStateException("the engine planned " + recorder.convShapes.size()
                        + " convolutions and " + recorder.batchNorms.size() + " BatchNorms for " + nextConv
                        + " and " + nextBatchNorm + " layers");
            }
            int parameters = 0;
            for (Variable v : model.variables().values()) {
                if (v.trainable()) {
                    parameters += v.value().size();
                }
            }
            return new ModelShapes(conv, dense, batchNorm, activation, discriminatorStepMacs, generatorStepMacs,
                    parameters);
        }
    }

    /** A pass-through {@link Backend} that notes the plans it hands out and the multiply-adds it runs. */
    private static final class Recorder {
        final List<ConvShape> convShapes = new ArrayList<>();
        final List<BatchNormShape> batchNorms = new ArrayList<>();
        long macs;

        Backend wrap(Backend target) {
            return (Backend) Proxy.newProxyInstance(Backend.class.getClassLoader(), new Class<?>[]{Backend.class},
                    (proxy, method, args) -> record(method, args, invoke(target, method, args)));
        }

        private Object record(Method method, Object[] args, Object result) {
            switch (method.getName()) {
                case "conv" -> {
                    ConvShape shape = (ConvShape) args[0];
                    convShapes.add(shape);
                    return counting((ConvOp) result, shape.macs());
                }
                case "batchNorm" -> {
                    int rows = (int) args[0];
                    int channels = (int) args[1];
                    batchNorms.add(new BatchNormShape(rows, channels));
                }
                // Each Dense pass multiplies [N, in] by [in, out] in some arrangement: N·in·out multiply-adds.
                case "denseForward", "denseBackwardInput" -> macs += denseMacs((Tensor) args[0], (Tensor) args[1]);
                case "denseBackwardWeight" -> macs += denseMacs((Tensor) args[0], (Tensor) args[2]);
                default -> { }
            }
            return result;
        }

        private static long denseMacs(Tensor batchRows, Tensor kernel) {
            return (long) batchRows.dim(0) * kernel.dim(0) * kernel.dim(1);
        }

        private ConvOp counting(ConvOp op, long macsPerPass) {
            return new ConvOp() {
                @Override
                public ConvShape shape() {
                    return op.shape();
                }

                @Override
                public void forward(Tensor x, Tensor kernel, Tensor bias, Tensor y) {
                    macs += macsPerPass;
                    op.forward(x, kernel, bias, y);
                }

                @Override
                public void backwardInput(Tensor dy, Tensor kernel, Tensor dx) {
                    macs += macsPerPass;
                    op.backwardInput(dy, kernel, dx);
                }

                @Override
                public void backwardWeight(Tensor x, Tensor dy, Tensor dKernel, Tensor dBias) {
                    macs += macsPerPass;
                    op.backwardWeight(x, dy, dKernel, dBias);
                }
            };
        }

        private static Object invoke(Backend target, Method method, Object[] args) throws Throwable {
            try {
                return method.invoke(target, args);
            } catch (InvocationTargetException e) {
                throw e.getCause();
            }
        }
    }
}
