package io.kroute.router.eval;

import java.awt.BasicStroke;
import java.awt.Color;
import java.awt.Font;
import java.awt.Graphics2D;
import java.awt.RenderingHints;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import javax.imageio.ImageIO;

/** Quality against strong share, one line per router, as a PNG (headless Java2D; no plotting library needed). */
public final class CurvePlot {

    private static final Color[] COLORS = {
        new Color(0x1f77b4), new Color(0xd62728), new Color(0x2ca02c), new Color(0x9467bd),
        new Color(0xff7f0e), new Color(0x8c564b), new Color(0xe377c2), new Color(0x17becf)
    };

    private CurvePlot() {}

    public static void write(Path file, String title, List<RoutingEvaluation.Result> results) throws IOException {
        System.setProperty("java.awt.headless", "true");
        int width = 900;
        int height = 600;
        int left = 80;
        int right = 260;
        int top = 50;
        int bottom = 60;
        BufferedImage image = new BufferedImage(width, height, BufferedImage.TYPE_INT_RGB);
        Graphics2D g = image.createGraphics();
        g.setRenderingHint(RenderingHints.KEY_ANTIALIASING, RenderingHints.VALUE_ANTIALIAS_ON);
        g.setColor(Color.WHITE);
        g.fillRect(0, 0, width, height);
        double min = Double.MAX_VALUE;
        double max = -Double.MAX_VALUE;
        for (RoutingEvaluation.Result r : results) {
            for (RoutingEvaluation.Point p : r.curve()) {
                min = Math.min(min, p.quality());
                max = Math.max(max, p.quality());
            }
        }
        double pad = (max - min) * 0.05 + 1e-9;
        min -= pad;
        max += pad;
        int plotW = width - left - right;
        int plotH = height - top - bottom;
        g.setColor(Color.BLACK);
        g.setFont(new Font(Font.SANS_SERIF, Font.BOLD, 16));
        g.drawString(title, left, 30);
        g.setFont(new Font(Font.SANS_SERIF, Font.PLAIN, 12));
        g.drawRect(left, top, plotW, plotH);
        for (int i = 0; i <= 10; i++) {
            int x = left + plotW * i / 10;
            g.drawString(i * 10 + "%", x - 10, top + plotH + 18);
            double q = min + (max - min) * i / 10;
            int y = top + plotH - plotH * i / 10;
            g.drawString(String.format("%.3f", q), 20, y + 4);
        }
        g.drawString("share of strong-model calls", left + plotW / 2 - 80, height - 15);
        for (int r = 0; r < results.size(); r++) {
            RoutingEvaluation.Result result = results.get(r);
            g.setColor(COLORS[r % COLORS.length]);
            g.setStroke(new BasicStroke(
                    result.router().equals("random") || result.router().equals("optimal") ? 1.5f : 2.5f));
            int[] xs = new int[result.curve().size()];
            int[] ys = new int[xs.length];
            for (int i = 0; i < xs.length; i++) {
                RoutingEvaluation.Point p = result.curve().get(i);
                xs[i] = left + (int) Math.round(plotW * p.strongShare());
                ys[i] = top + plotH - (int) Math.round(plotH * (p.quality() - min) / (max - min));
            }
            g.drawPolyline(xs, ys, xs.length);
            g.drawString(
                    String.format("%s  APGR %.3f", result.router(), result.apgr()),
                    width - right + 15,
                    top + 20 + 20 * r);
        }
        g.dispose();
        ImageIO.write(image, "png", file.toFile());
    }
}
