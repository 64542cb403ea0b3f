package io.dcgan4j.cli;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.dcgan4j.engine.api.MnistClassifier;
import io.dcgan4j.engine.api.SampleQuality;
import io.dcgan4j.engine.api.SampleQuality.Scores;

import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.Locale;

/** How scores are shown: the table of {@code eval}, the one line of {@code train --eval-every}, and eval.json. */
final class EvalReport {

    private static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

    private EvalReport() {
    }

    static void printTable(PrintWriter out, Scores s) {
        out.printf(Locale.ROOT, "  %-24s %10.3f   lower is better; 0 = the test images' own statistics%n",
                SampleQuality.FCD_NAME, s.fcd());
        out.printf(Locale.ROOT, "  %-24s %10.3f   1 to 10, higher is better%n", "classifier score",
                s.classifierScore());
        out.printf(Locale.ROOT, "  %-24s %10.3f   nats, of ln 10 = %.3f for balanced digits; low means few digits%n",
                "class entropy", s.classEntropy(), Scores.MAX_CLASS_ENTROPY);
        out.printf("  %-24s %s%n", "predicted digits", histogram(s));
    }

    static String oneLine(Scores s) {
        return String.format(Locale.ROOT, "%s %.3f, classifier score %.3f, class entropy %.3f nats (%d samples)",
                SampleQuality.FCD_NAME, s.fcd(), s.classifierScore(), s.classEntropy(), s.samples());
    }

    /** {@code 0: 9.8 %  1: 11.2 % ...}. */
    static String histogram(Scores s) {
        StringBuilder b = new StringBuilder();
        int[] h = s.classHistogram();
        for (int d = 0; d < h.length; d++) {
            b.append(String.format(Locale.ROOT, "%s%d: %.1f %%", d == 0 ? "" : "  ", d, 100.0 * h[d] / s.samples()));
        }
        return b.toString();
    }

    /** The scores and what they were measured on, as a JSON object. */
    static ObjectNode toJson(Scores s, String subject, long seed, int referenceCount, MnistClassifier classifier,
                             Path classifierFile, String device, double seconds) {
        ObjectNode o = JSON.createObjectNode();
        o.put("subject", subject);
        o.put("samples", s.samples());
        o.put("seed", seed);
        o.put("reference", "first " + referenceCount + " MNIST test images");
        o.put("fcd_name", SampleQuality.FCD_NAME);
        o.put("fcd_mnist_classifier", s.fcd());
        o.put("classifier_score", s.classifierScore());
        o.put("class_entropy_nats", s.classEntropy());
        o.put("max_class_entropy_nats", Scores.MAX_CLASS_ENTROPY);
        var histogram = o.putArray("class_histogram");
        for (int c : s.classHistogram()) {
            histogram.add(c);
        }
        ObjectNode c = o.putObject("classifier");
        c.put("file", classifierFile.toString());
        c.put("test_accuracy", classifier.testAccuracy());
        c.put("data_sha256", classifier.dataSha256());
        o.put("device", device);
        o.put("seconds", seconds);
        return o;
    }

    static void write(ObjectNode json, Path file) throws IOException {
        JSON.writeValue(file.toFile(), json);
    }
}
