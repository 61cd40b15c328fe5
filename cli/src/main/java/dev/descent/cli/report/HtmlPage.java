package dev.descent.cli.report;

import java.util.Base64;
import java.util.List;

/**
 * Builds report.html as one self-contained file: styles inline and every chart embedded as a
 * base64 PNG data URI, so the file can be moved, attached to an email or archived on its own.
 */
final class HtmlPage {
    private final StringBuilder html = new StringBuilder();

    HtmlPage(String title) {
        html.append("<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n<title>")
                .append(escape(title)).append("</title>\n<style>\n")
                .append("body{font-family:system-ui,-apple-system,'Segoe UI',sans-serif;margin:2em auto;max-width:960px;padding:0 1em;color:#222}\n")
                .append("h1{margin-bottom:.2em}h2{border-bottom:1px solid #ddd;padding-bottom:.2em;margin-top:1.6em}\n")
                .append(".meta{color:#555;margin:.2em 0}\n")
                .append("table{border-collapse:collapse;margin:.5em 0}th,td{border:1px solid #ddd;padding:.3em .8em;text-align:right}")
                .append("th:first-child,td:first-child{text-align:left}th{background:#f4f4f4}\n")
                .append("figure{margin:1em 0}figcaption{color:#555;font-size:.9em}img{max-width:100%;height:auto;border:1px solid #eee}\n")
                .append("pre{background:#f7f7f7;border:1px solid #e3e3e3;padding:1em;overflow:auto;font-size:.9em}\n")
                .append("</style>\n</head>\n<body>\n");
    }

    HtmlPage heading(int level, String text, String id) {
        html.append("<h").append(level).append(id == null ? "" : " id=\"" + escape(id) + "\"").append('>')
                .append(escape(text)).append("</h").append(level).append(">\n");
        return this;
    }

    /** A line of secondary information: bold label, then value. */
    HtmlPage meta(String label, String value) {
        html.append("<p class=\"meta\"><b>").append(escape(label)).append(":</b> ").append(escape(value)).append("</p>\n");
        return this;
    }

    HtmlPage paragraph(String text) {
        html.append("<p>").append(escape(text)).append("</p>\n");
        return this;
    }

    HtmlPage table(List<String> header, List<List<String>> rows) {
        html.append("<table>\n<tr>");
        for (String h : header) html.append("<th>").append(escape(h)).append("</th>");
        html.append("</tr>\n");
        for (List<String> row : rows) {
            html.append("<tr>");
            for (String c : row) html.append("<td>").append(escape(c)).append("</td>");
            html.append("</tr>\n");
        }
        html.append("</table>\n");
        return this;
    }

    /** An embedded PNG with its caption; width and height let the browser lay out before decoding. */
    HtmlPage image(byte[] png, int width, int height, String caption) {
        html.append("<figure><img src=\"data:image/png;base64,").append(Base64.getEncoder().encodeToString(png))
                .append("\" width=\"").append(width).append("\" height=\"").append(height)
                .append("\" alt=\"").append(escape(caption)).append("\"><figcaption>").append(escape(caption))
                .append("</figcaption></figure>\n");
        return this;
    }

    HtmlPage preformatted(String text) {
        html.append("<pre>").append(escape(text)).append("</pre>\n");
        return this;
    }

    String finish() {
        return html + "</body>\n</html>\n";
    }

    static String escape(String s) {
        StringBuilder sb = new StringBuilder(s.length());
        for (char c : s.toCharArray()) {
            switch (c) {
                case '&' -> sb.append("&amp;");
                case '<' -> sb.append("&lt;");
                case '>' -> sb.append("&gt;");
                case '"' -> sb.append("&quot;");
                case '\'' -> sb.append("&#39;");
                default -> sb.append(c);
            }
        }
        return sb.toString();
    }
}
