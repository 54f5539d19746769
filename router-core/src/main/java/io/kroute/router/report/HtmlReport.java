package io.kroute.router.report;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

/**
 * One self-contained HTML page a person opens: a title, what was run and on which data, whether the numbers are held
 * out (in words), tables, and the SVG plots inlined, so the file can be mailed or archived alone. No script and no
 * external resource: it renders the same offline, in any browser, forever.
 */
public final class HtmlReport {

    private static final String STYLE =
            "body{font-family:system-ui,-apple-system,'Segoe UI',sans-serif;margin:2em auto;"
                    + "max-width:1150px;color:#222;line-height:1.45;padding:0 1em}"
                    + "h1{font-size:1.5em;margin-bottom:.2em}h2{font-size:1.15em;margin-top:1.6em;border-bottom:1px solid #ddd}"
                    + "table{border-collapse:collapse;margin:.6em 0 1.2em;font-size:.92em}"
                    + "th,td{border:1px solid #ccc;padding:.25em .6em;text-align:right}"
                    + "th{background:#f3f3f3}td:first-child,th:first-child{text-align:left}"
                    + "caption{text-align:left;font-weight:600;padding:.3em 0}"
                    + "dl{display:grid;grid-template-columns:max-content auto;gap:.2em 1em}dt{font-weight:600}dd{margin:0}"
                    + ".note{background:#fff8e1;border-left:4px solid #f0b400;padding:.5em .8em}"
                    + "figure{margin:1em 0}figure svg{max-width:100%;height:auto}figcaption{font-size:.9em;color:#555}";

    private final StringBuilder body = new StringBuilder();
    private final String title;

    public HtmlReport(String title) {
        this.title = title;
        body.append("<h1>").append(escape(title)).append("</h1>\n");
    }

    public HtmlReport heading(String text) {
        body.append("<h2>").append(escape(text)).append("</h2>\n");
        return this;
    }

    public HtmlReport paragraph(String text) {
        body.append("<p>").append(escape(text)).append("</p>\n");
        return this;
    }

    /** A highlighted paragraph: what a reader must not miss (held out or in sample, a target missed). */
    public HtmlReport note(String text) {
        body.append("<p class=\"note\">").append(escape(text)).append("</p>\n");
        return this;
    }

    /** What was run, as a definition list. */
    public HtmlReport facts(Map<String, String> facts) {
        body.append("<dl>\n");
        facts.forEach((k, v) -> body.append("<dt>")
                .append(escape(k))
                .append("</dt><dd>")
                .append(escape(v))
                .append("</dd>\n"));
        body.append("</dl>\n");
        return this;
    }

    public HtmlReport table(String caption, List<String> header, List<List<String>> rows) {
        body.append("<table>\n<caption>").append(escape(caption)).append("</caption>\n<thead><tr>");
        header.forEach(h -> body.append("<th>").append(escape(h)).append("</th>"));
        body.append("</tr></thead>\n<tbody>\n");
        for (List<String> row : rows) {
            body.append("<tr>");
            row.forEach(cell -> body.append("<td>").append(escape(cell)).append("</td>"));
            body.append("</tr>\n");
        }
        body.append("</tbody>\n</table>\n");
        return this;
    }

    /** Inlines an SVG file (as XChart writes it) with a caption. */
    public HtmlReport svg(String caption, Path svg) throws IOException {
        String text = Files.readString(svg, StandardCharsets.UTF_8);
        int start = text.indexOf("<svg");
        if (start < 0) {
            throw new IllegalArgumentException(svg + " is not an SVG file");
        }
        body.append("<figure>\n")
                .append(text.substring(start))
                .append("\n<figcaption>")
                .append(escape(caption))
                .append("</figcaption>\n</figure>\n");
        return this;
    }

    public String html() {
        return "<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n<title>" + escape(title)
                + "</title>\n<style>" + STYLE + "</style>\n</head>\n<body>\n" + body + "</body>\n</html>\n";
    }

    public void write(Path file) throws IOException {
        Files.writeString(file, html(), StandardCharsets.UTF_8);
    }

    static String escape(String text) {
        if (text == null) {
            return "";
        }
        StringBuilder out = new StringBuilder(text.length());
        for (char c : text.toCharArray()) {
            switch (c) {
                case '<' -> out.append("&lt;");
                case '>' -> out.append("&gt;");
                case '&' -> out.append("&amp;");
                case '"' -> out.append("&quot;");
                default -> out.append(c);
            }
        }
        return out.toString();
    }
}
