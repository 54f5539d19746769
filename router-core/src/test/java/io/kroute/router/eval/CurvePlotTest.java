package io.kroute.router.eval;

import static org.assertj.core.api.Assertions.assertThat;

import java.awt.image.BufferedImage;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class CurvePlotTest {

    @Test
    void writes_a_png_and_an_svg_whose_legend_names_each_router_with_its_apgr(@TempDir Path dir) throws Exception {
        // given
        List<RoutingEvaluation.Result> results = List.of(
                result("ridge-knn", 0.6123, 0.55, 0.80),
                result("random", 0.5, 0.55, 0.70),
                result("a router with a rather long name that once ran off the edge", 0.48, 0.5, 0.7));
        Path png = dir.resolve("curve.png");

        // when
        CurvePlot.write(png, "gsm8k — cv — gpt-4-1106-preview vs mixtral-8x7b", results);

        // then
        BufferedImage image = ImageIO.read(png.toFile());
        assertThat(image.getWidth()).isEqualTo(1000);
        assertThat(image.getHeight()).isEqualTo(600);
        String svg = Files.readString(CurvePlot.svgBeside(png));
        assertThat(svg).startsWith("<?xml").contains("<svg");
        // XChart draws text as glyph paths in SVG: the legend's content is checked on the chart itself
        assertThat(CurvePlot.chart("t", results).getSeriesMap().keySet())
                .containsExactly(
                        "ridge-knn (APGR 0.612)",
                        "random (APGR 0.500)",
                        "a router with a rather long name that once ran off the edge (APGR 0.480)");
    }

    private static RoutingEvaluation.Result result(String router, double apgr, double from, double to) {
        List<RoutingEvaluation.Point> curve = new java.util.ArrayList<>();
        for (int i = 0; i <= 10; i++) {
            curve.add(new RoutingEvaluation.Point(1 - i / 10.0, i / 10.0, from + (to - from) * i / 10.0));
        }
        return new RoutingEvaluation.Result(router, "cv", 11, to, from, apgr, Double.NaN, 0.5, 0.8, curve);
    }
}
