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

    private FrontierPlot() {}

    public static void write(
            Path png,
            String title,
            Map<String, List<SelectionEvaluation.Point>> curves,
            List<SelectionEvaluation.Single> singles)
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
            double[] x = points.stream().mapToDouble(p -> 1000 * p.cost()).toArray();
            double[] y = points.stream()
                    .mapToDouble(SelectionEvaluation.Point::quality)
                    .toArray();
            XYSeries s = chart.addSeries(e.getKey(), x, y);
            s.setMarker(SeriesMarkers.NONE);
            boolean baseline = e.getKey().equals("random mix") || e.getKey().equals("oracle");
            s.setLineColor(baseline ? Color.GRAY : COLORS[color++ % COLORS.length]);
            s.setLineStyle(
                    baseline
                            ? new BasicStroke(
                                    1.5f, BasicStroke.CAP_BUTT, BasicStroke.JOIN_ROUND, 10f, new float[] {6f, 4f}, 0f)
                            : new BasicStroke(2.5f));
        }
        for (SelectionEvaluation.Single single : singles) {
            XYSeries dot = chart.addSeries(
                    single.model(), new double[] {1000 * single.cost()}, new double[] {single.quality()});
            dot.setXYSeriesRenderStyle(XYSeries.XYSeriesRenderStyle.Scatter);
            dot.setMarker(SeriesMarkers.CIRCLE);
        }
        String base = png.toString().replaceFirst("\\.png$", "");
        BitmapEncoder.saveBitmap(chart, base, BitmapEncoder.BitmapFormat.PNG);
        VectorGraphicsEncoder.saveVectorGraphic(chart, base, VectorGraphicsEncoder.VectorGraphicsFormat.SVG);
    }
}
