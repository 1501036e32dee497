package ferry.server;

import ferry.store.BundleInfo;
import ferry.store.ChannelState;
import ferry.store.SourceCatalog;
import ferry.store.StoreCounts;

import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Locale;

/**
 * {@code /}: the status as one small HTML page, no script, every value escaped (bundle ids, channels and producers
 * come from signed manifests, but a page must not trust them to be markup-free). Newest imports first, at most
 * {@value #MAX_BUNDLES} of them; {@code /status.json} has all.
 */
final class StatusHtml {
    static final int MAX_BUNDLES = 100;

    private StatusHtml() {
    }

    static byte[] render(StoreStatus s) {
        StringBuilder h = new StringBuilder(8192);
        h.append("<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\"><title>ferry store</title>\n")
                .append("<style>body{font-family:sans-serif;margin:2em}table{border-collapse:collapse;margin-bottom:1.5em}")
                .append("td,th{border:1px solid #ccc;padding:.2em .6em;text-align:left}td.n{text-align:right}")
                .append("code{font-size:90%}</style></head><body>\n<h1>ferry store</h1>\n");
        h.append("<p>As of ").append(esc(s.generatedAt().toString()))
                .append(". Machine-readable: <a href=\"status.json\">status.json</a>. Windows computers and what they")
                .append(" installed: <a href=\"clients\">clients</a>.</p>\n");

        h.append("<h2>Contents</h2>\n<table>\n");
        row(h, "bundles", s.counts().bundles());
        row(h, "channels", s.counts().channels());
        for (StoreCounts.Source source : s.counts().sources()) {
            for (SourceCatalog.Count c : source.counts()) {
                String label = source.name() + " " + words(c.name());
                if (c.name().endsWith("Bytes")) {
                    h.append("<tr><th>").append(esc(label)).append("</th><td class=\"n\">").append(c.value())
                            .append(" (").append(esc(human(c.value()))).append(")</td></tr>\n");
                } else {
                    row(h, label, c.value());
                }
            }
        }
        h.append("</table>\n");

        ServerTraffic.Traffic t = s.traffic();
        h.append("<h2>Served since ").append(esc(t.since().toString())).append("</h2>\n<table>\n");
        row(h, "requests", t.requests());
        row(h, "2xx responses", t.responses2xx());
        row(h, "4xx responses", t.responses4xx());
        row(h, "5xx responses", t.responses5xx());
        h.append("<tr><th>bytes sent</th><td class=\"n\">").append(t.bytesWritten()).append(" (")
                .append(esc(human(t.bytesWritten()))).append(")</td></tr>\n");
        h.append("</table>\n");

        h.append("<h2>Channels</h2>\n");
        if (s.channels().isEmpty()) {
            h.append("<p>Nothing imported yet.</p>\n");
        } else {
            h.append("<table><tr><th>channel</th><th>last sequence</th><th>last bundle</th></tr>\n");
            for (ChannelState c : s.channels()) {
                h.append("<tr><td>").append(esc(c.name())).append("</td><td class=\"n\">").append(c.lastSequence())
                        .append("</td><td><code>").append(esc(c.lastBundleId())).append("</code></td></tr>\n");
            }
            h.append("</table>\n");
        }

        h.append("<h2>Imported bundles</h2>\n");
        List<BundleInfo> bundles = s.bundles();
        if (!bundles.isEmpty()) {
            h.append("<table><tr><th>imported at</th><th>bundle</th><th>channel</th><th>sequence</th><th>base</th>")
                    .append("<th>created at</th><th>producer</th><th>signers</th><th>revisions (new)</th>")
                    .append("<th>files (new)</th></tr>\n");
            for (int i = bundles.size() - 1; i >= Math.max(0, bundles.size() - MAX_BUNDLES); i--) {
                BundleInfo b = bundles.get(i);
                h.append("<tr><td>").append(esc(b.importedAt().toString())).append("</td><td><code>")
                        .append(esc(b.bundleId())).append("</code></td><td>").append(esc(b.channel()))
                        .append("</td><td class=\"n\">").append(b.sequenceNumber()).append("</td><td class=\"n\">")
                        .append(b.baseSequence() == null ? "full" : b.baseSequence().toString()).append("</td><td>")
                        .append(esc(b.createdAt().toString())).append("</td><td>")
                        .append(esc(b.producer() == null ? "" : b.producer())).append("</td><td>");
                for (String fp : b.signerFingerprints()) {
                    h.append("<code>").append(esc(fp)).append("</code><br>");
                }
                h.append("</td><td class=\"n\">").append(b.revisionCount()).append(" (").append(b.newRevisionCount())
                        .append(")</td><td class=\"n\">").append(b.fileCount()).append(" (").append(b.newFileCount())
                        .append(")</td></tr>\n");
            }
            h.append("</table>\n");
            if (bundles.size() > MAX_BUNDLES) {
                h.append("<p>").append(bundles.size() - MAX_BUNDLES).append(" older imports are in status.json.</p>\n");
            }
        } else {
            h.append("<p>None.</p>\n");
        }
        h.append("</body></html>\n");
        return h.toString().getBytes(StandardCharsets.UTF_8);
    }

    private static void row(StringBuilder h, String label, long value) {
        h.append("<tr><th>").append(esc(label)).append("</th><td class=\"n\">").append(value).append("</td></tr>\n");
    }

    // "fileBytes" -> "file bytes", "updatesSoftware" -> "updates software"
    private static String words(String camel) {
        return camel.replaceAll("([a-z])([A-Z])", "$1 $2").toLowerCase(Locale.ROOT);
    }

    static String esc(String s) {
        StringBuilder out = new StringBuilder(s.length() + 16);
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            switch (c) {
                case '&' -> out.append("&amp;");
                case '<' -> out.append("&lt;");
                case '>' -> out.append("&gt;");
                case '"' -> out.append("&quot;");
                case '\'' -> out.append("&#39;");
                default -> out.append(c);
            }
        }
        return out.toString();
    }

    static String human(long bytes) {
        String[] units = {"B", "KiB", "MiB", "GiB", "TiB"};
        double v = bytes;
        int u = 0;
        while (v >= 1024 && u < units.length - 1) {
            v /= 1024;
            u++;
        }
        return u == 0 ? bytes + " B" : String.format(Locale.ROOT, "%.1f %s", v, units[u]);
    }
}
