package io.dcgan4j.cli;

import io.dcgan4j.engine.api.DcganConfig;
import io.dcgan4j.engine.api.DcganConfig.DiscriminatorActivation;
import io.dcgan4j.engine.api.DcganConfig.KernelInit;
import io.dcgan4j.engine.api.Preset;
import io.dcgan4j.engine.api.TrainingOptions;
import picocli.CommandLine.ITypeConverter;
import picocli.CommandLine.TypeConversionException;

import java.math.BigDecimal;
import java.util.Locale;
import java.util.function.Function;

/** The presets as {@code train} shows them: its usage footer, the run header, and the option converters. */
final class PresetText {

    /** Footer lines stay within picocli's 80-column usage width. */
    private static final int WIDTH = 76;

    private PresetText() {
    }

    /** Every preset with every value it sets, written as the {@code train} options that override them. */
    static String help() {
        StringBuilder b = new StringBuilder("%nPresets (--preset NAME; an option given explicitly overrides the "
                + "preset's value):%n");
        for (Preset p : Preset.values()) {
            b.append(String.format(Locale.ROOT, "  %s: %s%n", p, p.summary()));
            StringBuilder line = new StringBuilder();
            for (String option : options(p.config(), p.options()).split(" (?=--)")) {
                if (line.length() + option.length() > WIDTH) {
                    b.append(line).append("%n");
                    line.setLength(0);
                }
                line.append(line.isEmpty() ? "    " : " ").append(option);
            }
            b.append(line).append("%n");
        }
        return b.toString();
    }

    /** The values of a run as the options that would set them, e.g. {@code --epochs 5 --samples 2000 ...}. */
    static String options(DcganConfig c, TrainingOptions o) {
        return String.format(Locale.ROOT, "--epochs %d --samples %s --batch-size %d --noise-dim %d --shuffle-buffer %d"
                        + " --lr %s --beta1 %s --beta2 %s --d-activation %s --kernel-init %s",
                o.epochs(), o.samples() == TrainingOptions.ALL_SAMPLES ? "all" : Integer.toString(o.samples()),
                c.batchSize(), c.noiseDim(), o.shuffleBuffer(), plain(c.learningRate()), plain(c.beta1()),
                plain(c.beta2()),
                c.discriminatorActivation(), c.kernelInit());
    }

    /** {@code 0.0002} rather than {@code 2.0E-4}: what a user would type. */
    private static String plain(float value) {
        return new BigDecimal(Float.toString(value)).stripTrailingZeros().toPlainString();
    }

    /** A converter from the names the engine's enums print, with their own list of valid names on a mistake. */
    private abstract static class Named<T> implements ITypeConverter<T> {
        private final Function<String, T> parse;

        Named(Function<String, T> parse) {
            this.parse = parse;
        }

        @Override
        public T convert(String value) {
            try {
                return parse.apply(value);
            } catch (IllegalArgumentException e) {
                throw new TypeConversionException(e.getMessage());
            }
        }
    }

    static final class PresetConverter extends Named<Preset> {
        PresetConverter() {
            super(Preset::parse);
        }
    }

    static final class ActivationConverter extends Named<DiscriminatorActivation> {
        ActivationConverter() {
            super(DiscriminatorActivation::parse);
        }
    }

    static final class KernelInitConverter extends Named<KernelInit> {
        KernelInitConverter() {
            super(KernelInit::parse);
        }
    }
}
