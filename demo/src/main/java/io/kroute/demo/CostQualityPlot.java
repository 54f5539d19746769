package io.kroute.demo;

import java.awt.BasicStroke;
import java.awt.Color;
import java.awt.Font;
import java.io.IOException;
import java.nio.file.Path;
import java.util.Locale;
import org.knowm.xchart.BitmapEncoder;
import org.knowm.xchart.VectorGraphicsEncoder;
import org.knowm.xchart.XYChart;
import org.knowm.xchart.XYChartBuilder;
import org.knowm.xchart.XYSeries;
import org.knowm.xchart.style.Styler;
import org.knowm.xchart.style.markers.SeriesMarkers;

/**
 * The demo's run as one point of cost against quality, beside sending every prompt to the weak model, to the strong
 * one, and the random mixes between them (the straight line): a router is worth its training when its point sits above
 * that line. PNG and SVG, drawn with XChart.
 */
final class CostQualityPlot {

    private CostQualityPlot() {}

    /** Writes {@code <base>.png} and {@code <base>.svg}. */
    static void write(Path base, DemoSummary summary, double costAllWeakUsd) throws IOException {
        System.setProperty("java.awt.headless", "true");
        XYChart chart = chart(summary, costAllWeakUsd);
        BitmapEncoder.saveBitmap(chart, base.toString(), BitmapEncoder.BitmapFormat.PNG);
        VectorGraphicsEncoder.saveVectorGraphic(chart, base.toString(), VectorGraphicsEncoder.VectorGraphicsFormat.SVG);
    }

    static XYChart chart(DemoSummary s, double costAllWeakUsd) {
        XYChart chart = new XYChartBuilder()
                .width(900)
                .height(560)
                .title(String.format(
                        Locale.ROOT, "%s, %d prompts: cost and quality of the run", s.benchmark(), s.prompts()))
                .xAxisTitle("cost (USD)")
                .yAxisTitle("quality (accuracy)")
                .build();
        chart.getStyler()
                .setLegendPosition(Styler.LegendPosition.OutsideE)
                .setChartTitleFont(new Font(Font.SANS_SERIF, Font.BOLD, 16))
                .setChartBackgroundColor(Color.WHITE)
                .setAntiAlias(true);
        chart.getStyler().setPlotGridLinesColor(new Color(0xe0e0e0)).setXAxisDecimalPattern("0.00");
        chart.getStyler().setYAxisDecimalPattern("0.00");
        XYSeries mixes =
                chart.addSeries("random mixes", new double[] {costAllWeakUsd, s.costAllStrongUsd()}, new double[] {
                    s.qualityAllWeak(), s.qualityAllStrong()
                });
        mixes.setMarker(SeriesMarkers.NONE);
        mixes.setLineColor(Color.GRAY);
        mixes.setLineStyle(
                new BasicStroke(1.5f, BasicStroke.CAP_BUTT, BasicStroke.JOIN_ROUND, 10f, new float[] {6f, 4f}, 0f));
        point(chart, "all weak", costAllWeakUsd, s.qualityAllWeak(), new Color(0x2ca02c));
        point(chart, "all strong", s.costAllStrongUsd(), s.qualityAllStrong(), new Color(0xd62728));
        point(
                chart,
                String.format(
                        Locale.ROOT,
                        "kroute, %s (%d%% strong, PGR %.2f)",
                        s.router(),
                        Math.round(100.0 * s.strongCalls() / Math.max(1, s.strongCalls() + s.weakCalls())),
                        s.performanceGapRecovered()),
                s.costUsd(),
                s.quality(),
                new Color(0x1f77b4));
        return chart;
    }

    private static void point(XYChart chart, String name, double cost, double quality, Color color) {
        XYSeries series = chart.addSeries(name, new double[] {cost}, new double[] {quality});
        series.setMarker(SeriesMarkers.CIRCLE);
        series.setMarkerColor(color);
        series.setLineColor(color);
        series.setXYSeriesRenderStyle(XYSeries.XYSeriesRenderStyle.Scatter);
    }
}
