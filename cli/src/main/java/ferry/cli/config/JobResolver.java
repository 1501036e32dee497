package ferry.cli.config;

import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Turns one job of a checked {@code ferry.yml} into {@code ferry export} option values: the long option name (with
 * dashes) to its values, one for a single-valued option, several for a repeatable one, {@code "true"} or
 * {@code "false"} for a flag. Relative paths are resolved against the configuration file's directory.
 */
public final class JobResolver {
    /** The export options a job's own fields set (without dashes); its {@code options} map may not set them. */
    public static final Set<String> FIELD_OPTIONS = Set.of("upstream", "proxy", "upstream-ca", "connect-timeout",
            "read-timeout", "retries", "download-threads", "product", "classification", "language", "metadata-only",
            "key", "passphrase-file", "passphrase-env", "out", "volume-size", "channel", "state", "cache", "expires-in",
            "no-expiry", "full", "summary-json", "audit-log", "job", "config", "media-size", "recovery", "rebase-every",
            "assume-delivered", "approvals");

    private JobResolver() {
    }

    /**
     * The option values of job {@code name}.
     *
     * @param loaded a configuration {@link ConfigChecks#check} found no problem in
     * @param now    the time the run starts (names the output directory)
     * @throws IllegalArgumentException when there is no such job (the message lists the jobs there are)
     */
    public static Map<String, List<String>> resolve(ConfigLoader.Loaded loaded, String name, Instant now) {
        FerryConfig c = loaded.config();
        FerryConfig.Job j = c.jobs().get(name);
        if (j == null) {
            throw new IllegalArgumentException("no job named \"" + name + "\" in " + loaded.file()
                    + (c.jobs().isEmpty() ? " (it has none)" : " (jobs: " + String.join(", ", c.jobs().keySet()) + ")"));
        }
        Path base = loaded.file().toAbsolutePath().getParent();
        Map<String, List<String>> o = new LinkedHashMap<>();
        String channel = j.channel() != null ? j.channel() : name;
        FerryConfig.Upstream u = c.upstreams().get(j.upstream());
        put(o, "--upstream", u.url());
        put(o, "--proxy", u.proxy());
        if (u.ca() != null && !u.ca().isEmpty()) {
            o.put("--upstream-ca", u.ca().stream().map(p -> path(base, p)).toList());
        }
        put(o, "--connect-timeout", u.connectTimeout());
        put(o, "--read-timeout", u.readTimeout());
        put(o, "--retries", u.retries());
        put(o, "--download-threads", u.downloadThreads());
        FerryConfig.Selection s = c.selections().get(j.selection());
        o.put("--product", List.copyOf(s.products()));
        if (s.classifications() != null && !s.classifications().isEmpty()) {
            o.put("--classification", List.copyOf(s.classifications()));
        }
        if (s.languages() != null && !s.languages().isEmpty()) {
            o.put("--language", List.copyOf(s.languages()));
        }
        put(o, "--metadata-only", s.metadataOnly());
        List<String> keyFiles = new ArrayList<>();
        for (String k : j.keys()) {
            FerryConfig.Key key = c.keys().get(k);
            keyFiles.add(path(base, key.file()));
            if (key.passphraseFile() != null) {
                o.put("--passphrase-file", List.of(path(base, key.passphraseFile())));
            }
            put(o, "--passphrase-env", key.passphraseEnv());
        }
        o.put("--key", keyFiles);
        FerryConfig.Output out = c.outputs().get(j.output());
        o.put("--out", List.of(OutputNames.next(Path.of(path(base, out.dir())), out.name(), name, channel, now).toString()));
        if (j.media() != null) {
            put(o, "--volume-size", c.media().get(j.media()).volumeSize());
            put(o, "--media-size", c.media().get(j.media()).mediaSize());
        }
        put(o, "--recovery", j.recovery());
        put(o, "--rebase-every", j.rebaseEvery());
        put(o, "--assume-delivered", j.assumeDelivered());
        o.put("--channel", List.of(channel));
        putPath(o, base, "--state", j.state());
        putPath(o, base, "--cache", j.cache());
        put(o, "--expires-in", j.expiresIn());
        put(o, "--no-expiry", j.noExpiry());
        put(o, "--full", j.full());
        putPath(o, base, "--summary-json", j.summaryJson());
        putPath(o, base, "--audit-log", j.auditLog());
        putPath(o, base, "--approvals", j.approvals());
        if (j.options() != null) {
            j.options().forEach((k, v) -> {
                if (v instanceof List<?> list) {
                    o.put("--" + k, list.stream().map(String::valueOf).toList());
                } else if (v != null) {
                    o.put("--" + k, List.of(String.valueOf(v)));
                }
            });
        }
        return o;
    }

    private static void put(Map<String, List<String>> o, String option, Object value) {
        if (value != null) {
            o.put(option, List.of(String.valueOf(value)));
        }
    }

    private static void putPath(Map<String, List<String>> o, Path base, String option, String value) {
        if (value != null) {
            o.put(option, List.of(path(base, value)));
        }
    }

    /** A path of the configuration as the export uses it: {@code ~/} is the home directory, relative is to {@code base}. */
    static String path(Path base, String p) {
        String expanded = p.startsWith("~/") ? System.getProperty("user.home") + p.substring(1) : p;
        return base == null ? expanded : base.resolve(expanded).toString();
    }
}
