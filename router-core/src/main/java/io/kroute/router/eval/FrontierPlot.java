package io.kroute.router.eval;

import io.kroute.router.multi.SelectionEvaluation;
import java.awt.BasicStroke;
import java.awt.Color;
import java.awt.Font;
import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.knowm.xchart.BitmapEncoder;
import org.knowm.xchart.VectorGraphicsEncoder;
import org.knowm.xchart.XYChart;
import org.knowm.xchart.XYChartBuilder;
import org.knowm.xchart.XYSeries;
import org.knowm.xchart.style.Styler;
import org.knowm.xchart.style.markers.SeriesMarkers;

/**
 * The many-model cost-quality frontier, drawn with XChart: quality against USD per thousand calls (log scale: the
 * models' prices span two orders of magnitude), one line per predictor's selector, the random mixes and the oracle
 * dashed, every single model a labelled dot. PNG and SVG, like {@link CurvePlot}.
 */
public final class FrontierPlot {

    private static final Color[] COLORS = {
        new Color(0x1f77b4), new Color(0x2ca02c), new Color(0x9467bd), new Color(0xff7f0e), new Color(0x8c564b)
    };

    /** Tableau's 20 colours: sixteen models get a colour each. */
    private static final Color[] DOTS = {
        new Color(0x1f77b4), new Color(0xff7f0e), new Color(0x2ca02c), new Color(0xd62728), new Color(0x9467bd),
        new Color(0x8c564b), new Color(0xe377c2), new Color(0x7f7f7f), new Color(0xbcbd22), new Color(0x17becf),
        new Color(0xaec7e8), new Color(0xffbb78), new Color(0x98df8a), new Color(0xff9896), new Color(0xc5b0d5),
        new Color(0xc49c94), new Color(0xf7b6d2), new Color(0xc7c7c7), new Color(0xdbdb8d), new Color(0x9edae5)
    };

    private static final org.knowm.xchart.style.markers.Marker[] MARKERS = {
        SeriesMarkers.CIRCLE, SeriesMarkers.SQUARE, SeriesMarkers.TRIANGLE_UP
    };

    /** Points drawn between two operating points, so a random mix of them (a straight line in cost) shows curved. */
    private static final int STEPS = 24;

    private FrontierPlot() {}

    /**
     * The hull with each segment filled in: mixing two settings at random moves cost and quality linearly, which on a
     * log cost axis is a curve, not the straight line a plotter would draw between the two points.
     */
    static double[][] mixes(List<SelectionEvaluation.Point> hull) {
        java.util.List<double[]> out = new java.util.ArrayList<>();
        for (int i = 0; i < hull.size(); i++) {
            SelectionEvaluation.Point b = hull.get(i);
            if (i > 0) {
                SelectionEvaluation.Point a = hull.get(i - 1);
                for (int k = 1; k < STEPS; k++) {
                    double t = k / (double) STEPS;
                    out.add(new double[] {
                        1000 * (a.cost() + t * (b.cost() - a.cost())), a.quality() + t * (b.quality() - a.quality())
                    });
                }
            }
            out.add(new double[] {1000 * b.cost(), b.quality()});
        }
        return new double[][] {
            out.stream().mapToDouble(p -> p[0]).toArray(),
            out.stream().mapToDouble(p -> p[1]).toArray()
        };
    }

    public static void write(
            Path png,
            String title,
            Map<String, List<SelectionEvaluation.Point>> curves,
            List<SelectionEvaluation.Single> singles)
            throws IOException {
        write(png, title, curves, singles, null);
    }

    /** As above, with one more point drawn apart from the single models: a run's own. */
    public static void write(
            Path png,
            String title,
            Map<String, List<SelectionEvaluation.Point>> curves,
            List<SelectionEvaluation.Single> singles,
            SelectionEvaluation.Single highlight)
            throws IOException {
        System.setProperty("java.awt.headless", "true");
        XYChart chart = new XYChartBuilder()
                .width(1100)
                .height(650)
                .title(title)
                .xAxisTitle("USD per 1,000 calls (log scale)")
                .yAxisTitle("quality")
                .build();
        chart.getStyler().setLegendPosition(Styler.LegendPosition.OutsideE);
        chart.getStyler().setChartTitleFont(new Font(Font.SANS_SERIF, Font.BOLD, 15));
        chart.getStyler().setLegendFont(new Font(Font.SANS_SERIF, Font.PLAIN, 12));
        chart.getStyler().setChartBackgroundColor(Color.WHITE);
        chart.getStyler().setPlotGridLinesColor(new Color(0xe0e0e0));
        chart.getStyler().setXAxisLogarithmic(true);
        chart.getStyler().setYAxisDecimalPattern("0.00");
        chart.getStyler().setAntiAlias(true);
        int color = 0;
        for (var e : curves.entrySet()) {
            List<SelectionEvaluation.Point> points =
                    e.getKey().equals("random mix") ? e.getValue() : SelectionEvaluation.upperHull(e.getValue());
            double[][] xy = mixes(points);
            XYSeries s = chart.addSeries(e.getKey(), xy[0], xy[1]);
            s.setMarker(SeriesMarkers.NONE);
            boolean mix = e.getKey().equals("random mix");
            boolean oracle = e.getKey().endsWith("oracle");
            boolean taskOracle = e.getKey().equals("task oracle");
            s.setLineColor(
                    mix
                            ? Color.GRAY
                            : taskOracle ? Color.DARK_GRAY : oracle ? Color.BLACK : COLORS[color++ % COLORS.length]);
            float[] dash =
                    taskOracle ? new float[] {8f, 3f, 2f, 3f} : oracle ? new float[] {2f, 3f} : new float[] {6f, 4f};
            s.setLineStyle(
                    mix || oracle
                            ? new BasicStroke(1.5f, BasicStroke.CAP_BUTT, BasicStroke.JOIN_ROUND, 10f, dash, 0f)
                            : new BasicStroke(2.5f));
        }
        for (int i = 0; i < singles.size(); i++) {
            SelectionEvaluation.Single single = singles.get(i);
            XYSeries dot = chart.addSeries(
                    single.model(), new double[] {1000 * single.cost()}, new double[] {single.quality()});
            dot.setXYSeriesRenderStyle(XYSeries.XYSeriesRenderStyle.Scatter);
            dot.setMarker(MARKERS[(i / DOTS.length) % MARKERS.length]);
            dot.setMarkerColor(DOTS[i % DOTS.length]);
        }
        if (highlight != null) {
            XYSeries run = chart.addSeries(
                    highlight.model(), new double[] {1000 * highlight.cost()}, new double[] {highlight.quality()});
            run.setXYSeriesRenderStyle(XYSeries.XYSeriesRenderStyle.Scatter);
            run.setMarker(SeriesMarkers.DIAMOND);
            run.setMarkerColor(Color.BLACK);
        }
        String base = png.toString().replaceFirst("\\.png$", "");
        BitmapEncoder.saveBitmap(chart, base, BitmapEncoder.BitmapFormat.PNG);
        VectorGraphicsEncoder.saveVectorGraphic(chart, base, VectorGraphicsEncoder.VectorGraphicsFormat.SVG);
    }
}
