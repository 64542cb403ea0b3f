package io.dcgan4j.bench;

import io.dcgan4j.kernels.cpu.ConvShape;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

/** The shapes and FLOP counts read off the engine, against values worked out by hand from Dcgan's layer list. */
class ModelShapesTest {

    private final ModelShapes model = ModelShapes.model();

    @Test
    void findsEveryConvolutionInModelOrder() {
        assertEquals(List.of("g_convT1", "g_convT2", "g_convT3", "g_conv", "d_conv1", "d_conv2", "d_conv3"),
                model.convLayers());
    }

    @Test
    void convT2HasItsLayerShape() {
        // ConvT(128, k5, s2) on 9×9×256: out = 9·2 + (5 − 2) = 21.
        assertEquals(ConvShape.convTranspose2d(256, 9, 9, 256, 5, 5, 2, 128), model.conv("g_convT2", 256));
    }

    @Test
    void convT2PassFlopsAtBatch256() {
        // A transposed convolution scatters a k·k·Cout patch per input pixel and input channel:
        // MACs = N·Hin·Win·Cin·k·k·Cout = 256·9·9·256·5·5·128.
        assertEquals(2L * 256 * 9 * 9 * 256 * 5 * 5 * 128, model.convPassFlops("g_convT2", 256));
        assertEquals(33_973_862_400L, model.convPassFlops("g_convT2", 256));
    }

    @Test
    void convPassFlopsOfAConv2dCountOutputPixels() {
        // Conv(64, k3, s2) on 28×28×1: 13×13 outputs, each 3·3·1 taps per filter.
        assertEquals(2L * 256 * 13 * 13 * 64 * 3 * 3, model.convPassFlops("d_conv1", 256));
    }

    @Test
    void trainStepFlopsMatchTheStepsStructure() {
        // Per-sample MACs of one pass (forward = input gradient = weight gradient).
        long gDense = 100 * 4608;
        long g = gDense + 9L * 512 * 9 * 256 + 81L * 256 * 25 * 128 + 441L * 128 * 16 * 3 + 28L * 28 * 81 * 3;
        long dConv1 = 169L * 9 * 64;
        long d = dConv1 + 36L * 9 * 64 * 128 + 9L * 4 * 128 * 256 + 2304;
        // D step: G forward, D forward ×2, D weight gradients ×2, D input gradients ×2 except d_conv1's.
        // G step: the G forward is reused; D forward, D input gradients, G weight gradients, G input gradients
        // except g_dense's.
        long dStep = g + 2 * d + 2 * d + 2 * (d - dConv1);
        long gStep = d + d + g + (g - gDense);
        assertEquals(2 * dStep * 256, model.discriminatorStepFlops(256));
        assertEquals(2 * gStep * 256, model.generatorStepFlops(256));
        assertEquals(2 * (dStep + gStep) * 256, model.trainStepFlops(256));
        // The seed's 180.3 GFLOP less the repeated generator forward.
        assertEquals(139_167_277_056L, model.trainStepFlops(256));
    }

    @Test
    void gemmOfAConvolutionsForwardIsOneTaskOnEachThread() {
        // g_convT2: 9·9 = 81 input pixels, at least the 64 rows a task needs: one sample per task.
        ModelShapes.GemmShape convT2 = model.gemm("g_convT2", "forward", 256);
        assertEquals(new ModelShapes.GemmShape(false, true, 81, 25 * 128, 256, false, true), convT2);
        assertEquals(2L * 81 * 3200 * 256 * 2, convT2.flops(2));
        // d_conv3: 3·3 = 9 output pixels a sample: 8 samples per task.
        assertEquals(new ModelShapes.GemmShape(false, false, 72, 256, 2 * 2 * 128, true, true),
                model.gemm("d_conv3", "forward", 256));
    }

    @Test
    void gemmOfAWeightGradientIsOneChunkOnThePool() {
        // A g_convT2 sample's patch matrix is 9·9 × 5·5·128 = 259200 floats; 16 fit the 2^22-float budget.
        ModelShapes.GemmShape dw = model.gemm("g_convT2", "backwardWeight", 256);
        assertEquals(new ModelShapes.GemmShape(true, false, 25 * 128, 256, 16 * 81, true, false), dw);
        assertEquals(2L * 3200 * 256 * 16 * 81, dw.flops(2));
    }

    @Test
    void gemmOfDenseCoversTheBatch() {
        assertEquals(new ModelShapes.GemmShape(true, false, 100, 4608, 256, true, false),
                model.gemm("g_dense", "backwardWeight", 256));
    }

    @Test
    void singleFilterConvolutionHasNoGemm() {
        assertThrows(IllegalArgumentException.class, () -> model.gemm("g_conv", "forward", 256));
    }

    @Test
    void shallowPatchHasAGemmOnlyForItsInputGradient() {
        assertThrows(IllegalArgumentException.class, () -> model.gemm("d_conv1", "forward", 256));
        assertThrows(IllegalArgumentException.class, () -> model.gemm("d_conv1", "backwardWeight", 256));
        assertEquals(new ModelShapes.GemmShape(false, true, 169, 9, 64, false, true),
                model.gemm("d_conv1", "backwardInput", 256));
    }

    @Test
    void activationAndBatchNormSizes() {
        assertEquals(256 * 21 * 21 * 128, model.activationSize("g_lrelu2", 256));
        assertEquals(256 * 28 * 28, model.activationSize("g_tanh", 256));
        assertEquals(new ModelShapes.BatchNormShape(13 * 13, 64), model.batchNorm("d_bn1"));
    }

    @Test
    void unknownLayerIsNamed() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> model.conv("g_convT9", 1));
        assertEquals(true, e.getMessage().contains("g_convT9"));
    }
}
