package io.kroute.router.eval;

import java.awt.BasicStroke;
import java.awt.Color;
import java.awt.Font;
import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import org.knowm.xchart.BitmapEncoder;
import org.knowm.xchart.VectorGraphicsEncoder;
import org.knowm.xchart.XYChart;
import org.knowm.xchart.XYChartBuilder;
import org.knowm.xchart.XYSeries;
import org.knowm.xchart.style.Styler;
import org.knowm.xchart.style.XYStyler;
import org.knowm.xchart.style.markers.SeriesMarkers;

/**
 * Quality against the share of strong-model calls, one line per router with its APGR in the legend, drawn with XChart
 * (headless): a PNG for a quick look and an SVG beside it for reports. The axes get XChart's round ticks, the legend sits
 * outside the plot to the right so no curve hides it, and the baselines (random, optimal) are thin and dashed.
 */
public final class CurvePlot {

    private static final Color[] COLORS = {
        new Color(0x1f77b4), new Color(0xd62728), new Color(0x2ca02c), new Color(0x9467bd),
        new Color(0xff7f0e), new Color(0x8c564b), new Color(0xe377c2), new Color(0x17becf)
    };

    private static final int WIDTH = 1000;
    private static final int HEIGHT = 600;

    private CurvePlot() {}

    /** Writes {@code file} (a {@code .png}) and the same chart as SVG beside it (same name, {@code .svg}). */
    public static void write(Path file, String title, List<RoutingEvaluation.Result> results) throws IOException {
        System.setProperty("java.awt.headless", "true");
        XYChart chart = chart(title, results);
        String base = file.toString().replaceFirst("\\.png$", "");
        BitmapEncoder.saveBitmap(chart, base, BitmapEncoder.BitmapFormat.PNG);
        VectorGraphicsEncoder.saveVectorGraphic(chart, base, VectorGraphicsEncoder.VectorGraphicsFormat.SVG);
    }

    /** The SVG written beside a PNG by {@link #write}. */
    public static Path svgBeside(Path png) {
        return png.resolveSibling(png.getFileName().toString().replaceFirst("\\.png$", "") + ".svg");
    }

    static XYChart chart(String title, List<RoutingEvaluation.Result> results) {
        XYChart chart = new XYChartBuilder()
                .width(WIDTH)
                .height(HEIGHT)
                .title(title)
                .xAxisTitle("share of strong-model calls (%)")
                .yAxisTitle("quality")
                .build();
        XYStyler styler = chart.getStyler();
        styler.setLegendPosition(Styler.LegendPosition.OutsideE);
        styler.setChartTitleFont(new Font(Font.SANS_SERIF, Font.BOLD, 16));
        styler.setLegendFont(new Font(Font.SANS_SERIF, Font.PLAIN, 12));
        styler.setChartBackgroundColor(Color.WHITE);
        styler.setPlotGridLinesColor(new Color(0xe0e0e0));
        styler.setAntiAlias(true);
        chart.getStyler().setXAxisMin(0.0).setXAxisMax(100.0).setXAxisDecimalPattern("0");
        chart.getStyler().setYAxisDecimalPattern("0.00");
        for (int r = 0; r < results.size(); r++) {
            RoutingEvaluation.Result result = results.get(r);
            double[] x = new double[result.curve().size()];
            double[] y = new double[x.length];
            for (int i = 0; i < x.length; i++) {
                RoutingEvaluation.Point p = result.curve().get(i);
                x[i] = 100 * p.strongShare();
                y[i] = p.quality();
            }
            String name = Double.isNaN(result.apgr())
                    ? result.router()
                    : String.format(Locale.ROOT, "%s (APGR %.3f)", result.router(), result.apgr());
            XYSeries series = chart.addSeries(unique(chart, name), x, y);
            series.setMarker(SeriesMarkers.NONE);
            series.setLineColor(COLORS[r % COLORS.length]);
            boolean baseline =
                    result.router().equals("random") || result.router().equals("optimal");
            series.setLineStyle(
                    baseline
                            ? new BasicStroke(
                                    1.5f, BasicStroke.CAP_BUTT, BasicStroke.JOIN_ROUND, 10f, new float[] {6f, 4f}, 0f)
                            : new BasicStroke(2.5f));
        }
        return chart;
    }

    /** XChart refuses two series of one name: a second router of the same name gets a number. */
    private static String unique(XYChart chart, String name) {
        String candidate = name;
        for (int n = 2; chart.getSeriesMap().containsKey(candidate); n++) {
            candidate = name + " #" + n;
        }
        return candidate;
    }
}
