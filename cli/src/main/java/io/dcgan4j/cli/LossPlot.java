package io.dcgan4j.cli;

import io.dcgan4j.engine.api.ImageGrid;
import org.knowm.xchart.BitmapEncoder;
import org.knowm.xchart.XYChart;
import org.knowm.xchart.XYChartBuilder;
import org.knowm.xchart.XYSeries.XYSeriesRenderStyle;
import org.knowm.xchart.style.markers.SeriesMarkers;

import java.io.IOException;
import java.nio.file.Path;
import java.util.List;

/** {@code losses.png}: d_loss and g_loss over the steps of the run, drawn with XChart. */
final class LossPlot {

    static final String FILE_NAME = "losses.png";
    static final int WIDTH = 900;
    static final int HEIGHT = 500;

    private LossPlot() {
    }

    static void write(List<MetricsCsv.Row> rows, Path file) throws IOException {
        double[] steps = new double[rows.size()];
        double[] d = new double[rows.size()];
        double[] g = new double[rows.size()];
        for (int i = 0; i < rows.size(); i++) {
            steps[i] = rows.get(i).step();
            d[i] = rows.get(i).discriminatorLoss();
            g[i] = rows.get(i).generatorLoss();
        }
        XYChart chart = new XYChartBuilder().width(WIDTH).height(HEIGHT).title("dcgan4j: losses per train step")
                .xAxisTitle("step").yAxisTitle("binary cross-entropy").build();
        chart.getStyler().setDefaultSeriesRenderStyle(XYSeriesRenderStyle.Line);
        chart.getStyler().setMarkerSize(0);
        chart.addSeries("d_loss (discriminator)", steps, d).setMarker(SeriesMarkers.NONE);
        chart.addSeries("g_loss (generator)", steps, g).setMarker(SeriesMarkers.NONE);
        ImageGrid.writePng(BitmapEncoder.getBufferedImage(chart), file);
    }
}
