package ferry.server;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import ferry.wsus.wusp.ClientRegistry.Computer;
import ferry.wsus.wusp.ClientRegistry.Status;
import ferry.wsus.wusp.ClientRegistry.UpdateStatus;
import ferry.wsus.wusp.ClientScope.MissingFile;
import ferry.wsus.wusp.ClientService;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The Windows clients of a served store as an administrator reads them (what the WSUS console's computer view
 * shows): each computer, its groups, when it was last in contact, and each approved update ferry offered it with
 * what the computer reported (offered, needed, downloading, downloaded, installing, installed, pending-restart,
 * failed). One model, three forms: JSON ({@code ferry clients list --json}, {@code /clients.json}), text
 * ({@code ferry clients list}) and HTML ({@code /clients}). Times are ISO-8601 UTC.
 */
public final class ClientsReport {
    private static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

    private ClientsReport() {
    }

    /** One update on one computer. */
    public record UpdateJson(String updateId, int revisionNumber, String title, String status, Integer win32HResult,
                             String changedAt) {
    }

    /** One computer; {@code summary} counts its updates by status. */
    public record ComputerJson(String clientId, String name, String targetGroup, List<String> groups, String osVersion,
                               String osDescription, String architecture, String clientVersion, String firstContact,
                               String lastContact, String registeredAt, String lastSync, String lastReport,
                               Map<String, Integer> summary, List<UpdateJson> updates) {
    }

    /** A file of an approved update the store does not hold (the update is not offered for install). */
    public record MissingJson(String approvedUpdateId, String updateId, String fileName, String sha1, long size) {
    }

    /** The whole report; {@code missingFiles} is null where it was not computed (the command line). */
    public record ReportJson(String generatedAt, List<ComputerJson> computers, List<MissingJson> missingFiles) {
    }

    public static ReportJson model(List<Computer> computers, List<MissingFile> missing, Instant now) {
        List<ComputerJson> out = new ArrayList<>();
        for (Computer c : computers) {
            Map<String, Integer> summary = new LinkedHashMap<>();
            List<UpdateJson> updates = new ArrayList<>();
            for (UpdateStatus u : c.updates()) {
                summary.merge(u.status().text(), 1, Integer::sum);
                updates.add(new UpdateJson(u.updateId(), u.revisionNumber(), u.title(), u.status().text(),
                        u.win32HResult(), text(u.changedAt())));
            }
            out.add(new ComputerJson(c.clientId(), c.dnsName(), c.targetGroup(), ClientService.groups(c.targetGroup()),
                    c.osVersion(), c.osDescription(), c.architecture(), c.clientVersion(), text(c.firstContact()),
                    text(c.lastContact()), text(c.registeredAt()), text(c.lastSync()), text(c.lastReport()), summary,
                    updates));
        }
        List<MissingJson> m = missing == null ? null : missing.stream()
                .map(f -> new MissingJson(f.approvedUpdateId(), f.updateId(), f.fileName(), f.sha1Hex(), f.size()))
                .toList();
        return new ReportJson(now.toString(), out, m);
    }

    public static byte[] json(ReportJson report) {
        try {
            return JSON.writeValueAsBytes(report);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("cannot write the clients report", e);
        }
    }

    /** One line per computer, then one indented line per update. */
    public static String text(ReportJson report) {
        StringBuilder t = new StringBuilder();
        if (report.computers().isEmpty()) {
            t.append("no Windows client has contacted this store's server yet\n");
        }
        for (ComputerJson c : report.computers()) {
            t.append(c.name() == null ? "(no name)" : c.name()).append("  ").append(c.clientId())
                    .append("  groups: ").append(String.join(", ", c.groups()))
                    .append("  OS: ").append(c.osVersion() == null ? "?" : c.osVersion())
                    .append("  last contact: ").append(c.lastContact()).append('\n');
            for (UpdateJson u : c.updates()) {
                t.append("    ").append(String.format(Locale.ROOT, "%-15s", u.status())).append(' ')
                        .append(u.updateId()).append(" r").append(u.revisionNumber());
                if (u.title() != null) {
                    t.append("  ").append(u.title());
                }
                if (u.win32HResult() != null && u.win32HResult() != 0) {
                    t.append(String.format(Locale.ROOT, "  (0x%08X)", u.win32HResult()));
                }
                t.append('\n');
            }
        }
        if (report.missingFiles() != null && !report.missingFiles().isEmpty()) {
            t.append("approved updates not offered for install, files missing from the store:\n");
            for (MissingJson m : report.missingFiles()) {
                t.append("    ").append(m.approvedUpdateId()).append("  ").append(m.fileName()).append("  SHA-1 ")
                        .append(m.sha1()).append('\n');
            }
        }
        return t.toString();
    }

    /** {@code /clients}: no script, every value escaped (names and titles come from clients). */
    public static byte[] html(ReportJson report) {
        StringBuilder h = new StringBuilder(8192);
        h.append("<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\"><title>ferry: Windows clients</title>\n")
                .append("<style>body{font-family:sans-serif;margin:2em}table{border-collapse:collapse;margin-bottom:1.5em}")
                .append("td,th{border:1px solid #ccc;padding:.2em .6em;text-align:left}.failed{color:#a00}")
                .append(".installed{color:#070}</style></head><body>\n<h1>Windows clients</h1>\n<p>As of ")
                .append(esc(report.generatedAt())).append(". Machine-readable: <a href=\"clients.json\">clients.json</a>;")
                .append(" the store: <a href=\"/\">status</a>.</p>\n");
        if (report.missingFiles() != null && !report.missingFiles().isEmpty()) {
            h.append("<h2>Approved, not offered: files missing from the store</h2>\n<table><tr><th>approved update</th>")
                    .append("<th>file of</th><th>file</th><th>SHA-1</th><th>bytes</th></tr>\n");
            for (MissingJson m : report.missingFiles()) {
                h.append("<tr><td><code>").append(esc(m.approvedUpdateId())).append("</code></td><td><code>")
                        .append(esc(m.updateId())).append("</code></td><td>").append(esc(m.fileName()))
                        .append("</td><td><code>").append(esc(m.sha1())).append("</code></td><td>").append(m.size())
                        .append("</td></tr>\n");
            }
            h.append("</table>\n");
        }
        h.append("<h2>Computers</h2>\n");
        if (report.computers().isEmpty()) {
            h.append("<p>No Windows client has contacted this server yet.</p>\n");
        } else {
            h.append("<table><tr><th>computer</th><th>groups</th><th>OS</th><th>last contact</th><th>last report</th>")
                    .append("<th>approved updates</th></tr>\n");
            for (ComputerJson c : report.computers()) {
                h.append("<tr><td>").append(esc(c.name() == null ? "(no name)" : c.name())).append("<br><code>")
                        .append(esc(c.clientId())).append("</code></td><td>").append(esc(String.join(", ", c.groups())))
                        .append("</td><td>").append(esc(c.osVersion() == null ? "" : c.osVersion())).append(' ')
                        .append(esc(c.osDescription() == null ? "" : c.osDescription())).append("</td><td>")
                        .append(esc(String.valueOf(c.lastContact()))).append("</td><td>")
                        .append(esc(c.lastReport() == null ? "never" : c.lastReport())).append("</td><td>");
                for (UpdateJson u : c.updates()) {
                    String cls = u.status().equals(Status.FAILED.text()) ? "failed"
                            : u.status().equals(Status.INSTALLED.text()) ? "installed" : "";
                    h.append("<span class=\"").append(cls).append("\">").append(esc(u.status())).append("</span> ")
                            .append(esc(u.title() == null ? u.updateId() : u.title())).append("<br>");
                }
                h.append("</td></tr>\n");
            }
            h.append("</table>\n");
        }
        h.append("</body></html>\n");
        return h.toString().getBytes(StandardCharsets.UTF_8);
    }

    private static String text(Instant i) {
        return i == null ? null : i.toString();
    }

    private static String esc(String s) {
        return StatusHtml.esc(s == null ? "" : s);
    }
}
