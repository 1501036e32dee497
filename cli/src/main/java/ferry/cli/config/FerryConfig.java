package ferry.cli.config;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A {@code ferry.yml}: named upstreams, selections, signing keys, outputs, media and the jobs that combine them.
 * Bound from YAML by {@link ConfigLoader}; every section is optional and every map keeps the file's order. Paths are
 * as written (relative ones are resolved against the file's directory by {@link JobResolver}). See docs/jobs.md.
 */
public record FerryConfig(
        Map<String, Upstream> upstreams,
        Map<String, Selection> selections,
        Map<String, Key> keys,
        Map<String, Output> outputs,
        Map<String, Media> media,
        Map<String, Job> jobs) {

    public FerryConfig {
        upstreams = copy(upstreams);
        selections = copy(selections);
        keys = copy(keys);
        outputs = copy(outputs);
        media = copy(media);
        jobs = copy(jobs);
    }

    private static <V> Map<String, V> copy(Map<String, V> m) {
        // LinkedHashMap, not Map.copyOf: keeps the file's order and tolerates a section whose entries failed to bind
        return m == null ? Map.of() : java.util.Collections.unmodifiableMap(new LinkedHashMap<>(m));
    }

    /**
     * Where updates come from and how to reach it.
     *
     * @param url             the upstream server (http or https URL); required
     * @param proxy           an HTTP proxy URL, or null for the proxy environment variables
     * @param ca              PEM files whose certificates are trusted for an https upstream
     * @param connectTimeout  e.g. {@code 15s}
     * @param readTimeout     e.g. {@code 120s}
     * @param retries         0-9
     * @param downloadThreads 1-64
     */
    public record Upstream(String url, String proxy, List<String> ca, String connectTimeout, String readTimeout,
                           Integer retries, Integer downloadThreads) {
    }

    /**
     * What to export.
     *
     * @param products        product titles or category GUIDs; required, at least one
     * @param classifications classification titles or GUIDs (none: all)
     * @param languages       language codes (none: all)
     * @param metadataOnly    carry metadata only, no update files
     */
    public record Selection(List<String> products, List<String> classifications, List<String> languages,
                            Boolean metadataOnly) {
    }

    /**
     * A signing key and where its passphrase is: a file or an environment variable, never the file itself.
     *
     * @param file           the armored OpenPGP secret key; required
     * @param passphraseFile file whose first line is the passphrase, or null
     * @param passphraseEnv  environment variable holding the passphrase, or null
     */
    public record Key(String file, String passphraseFile, String passphraseEnv) {
    }

    /**
     * Where bundles go: each run writes a new bundle directory {@code <dir>/<name>}.
     *
     * @param dir  the directory bundles are written into (an outbox, a mounted medium); required
     * @param name the bundle directory's name, with {@code {job}}, {@code {channel}}, {@code {date}} (yyyyMMdd, UTC) and
     *             {@code {time}} (HHmmss, UTC); default {@code {channel}-{date}-{time}}. When the name is taken,
     *             {@code -2}, {@code -3}, ... is appended.
     */
    public record Output(String dir, String name) {
    }

    /**
     * The removable medium.
     *
     * @param volumeSize the largest volume file, as {@code --volume-size} takes it (e.g. {@code 4095MiB}, {@code 4.7GB})
     * @param mediaSize  null, or the capacity of one medium to split each bundle over, as {@code --media-size} takes
     *                   it (e.g. {@code dvd}, {@code bd25})
     */
    public record Media(String volumeSize, String mediaSize) {
    }

    /**
     * One export job: {@code ferry export --job NAME}.
     *
     * @param upstream    name of an upstream; required
     * @param selection   name of a selection; required
     * @param keys        names of signing keys; required, at least one
     * @param output      name of an output; required
     * @param media       name of a media entry, or null for the default volume size
     * @param channel     the channel (default: the job's name)
     * @param state       the export state directory (default: ~/.ferry/export/&lt;channel&gt;)
     * @param cache       the file cache (default: &lt;state&gt;/cache)
     * @param expiresIn   bundle validity, e.g. {@code 30d}
     * @param noExpiry    bundles never expire
     * @param full        always write a full bundle
     * @param summaryJson where each run writes its JSON summary
     * @param auditLog    the audit log (default: &lt;state&gt;/audit.jsonl)
     * @param recovery    PAR 2.0 recovery data, as {@code --recovery} takes it (e.g. {@code 10%}); null for none
     * @param rebaseEvery every N-th bundle a full one ({@code --rebase-every}); null for never
     * @param assumeDelivered a one-way link: {@code --assume-delivered}
     * @param options     any other {@code ferry export} option by its long name without dashes, e.g.
     *                    {@code recovery: 10%}; a list for a repeatable option, {@code true} for a flag
     * @param approvals   an approval set file the bundles carry ({@code --approvals}), or null
     */
    public record Job(String upstream, String selection, List<String> keys, String output, String media,
                      String channel, String state, String cache, String expiresIn, Boolean noExpiry, Boolean full,
                      String summaryJson, String auditLog, String recovery, Integer rebaseEvery,
                      Boolean assumeDelivered, Map<String, Object> options, String approvals) {
    }
}
