package ferry.samples;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import ferry.format.BundleWriter;
import ferry.format.ManifestHeader;
import ferry.format.Producer;
import ferry.format.pgp.KeyException;
import ferry.format.pgp.SigningKey;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/**
 * Writes a {@link SyntheticCatalog} as a chain of signed, metadata-only bundles on one channel, exactly as
 * {@code ferry export} lays them out (entries {@code wsus/metadata/<updateId>/<revision>.xml}, media type
 * {@code application/xml}, source identifiers {@code kind}, {@code updateId}, {@code revisionNumber}; see
 * docs/architecture.md), so that {@code ferry import} of each in turn builds a store of that size through the real
 * import path. Bundle 1 is full, every later one incremental to the one before. A bundle holds at most
 * {@code --per-bundle} documents: a manifest of 500,000 entries would pass the 64 MiB manifest limit.
 *
 * <pre>
 * java -cp ferry-cli.jar:lib/* ferry.samples.SyntheticBundles --out DIR --key signer.sec.asc
 *     [--revisions 500000] [--seed 1] [--per-bundle 50000] [--channel synthetic]
 * </pre>
 *
 * <p>Writes {@code DIR/bundle-0001} ... and {@code DIR/summary.properties} ({@link SyntheticCatalog.Summary}:
 * the counts, the bundles, and the product × classification holding the most updates). The key must be
 * unprotected (as {@code ferry keys generate} makes it without a passphrase option). Exit status 2 on bad
 * arguments, 1 on an I/O or key error, with a one-line message.
 */
public final class SyntheticBundles {

    private SyntheticBundles() {
    }

    /** What {@link #write} produced. */
    public record Written(List<Path> bundles, SyntheticCatalog.Summary summary) {
    }

    public static void main(String[] args) {
        Path out = null;
        Path key = null;
        int revisions = 500_000;
        long seed = 1;
        int perBundle = 50_000;
        String channel = "synthetic";
        try {
            for (int i = 0; i < args.length; i++) {
                String a = args[i];
                String v = i + 1 < args.length ? args[i + 1] : null;
                if (v == null) {
                    throw new IllegalArgumentException(a + " needs a value");
                }
                switch (a) {
                    case "--out" -> out = Path.of(v);
                    case "--key" -> key = Path.of(v);
                    case "--revisions" -> revisions = Integer.parseInt(v);
                    case "--seed" -> seed = Long.parseLong(v);
                    case "--per-bundle" -> perBundle = Integer.parseInt(v);
                    case "--channel" -> channel = v;
                    default -> throw new IllegalArgumentException("unknown option " + a);
                }
                i++;
            }
            if (out == null || key == null) {
                throw new IllegalArgumentException("--out and --key are required");
            }
        } catch (IllegalArgumentException e) {
            System.err.println("synthetic bundles: " + e.getMessage());
            System.exit(2);
            return;
        }
        try {
            long t0 = System.nanoTime();
            SigningKey signer = SigningKey.load(key, null);
            Written w = write(out, new SyntheticCatalog(seed, revisions), perBundle, channel, signer);
            System.err.printf("synthetic bundles: %d revisions in %d bundle(s) under %s in %.1f s%n",
                    w.summary().revisions(), w.bundles().size(), out, (System.nanoTime() - t0) / 1e9);
        } catch (IOException | UncheckedIOException | KeyException e) {
            System.err.println("synthetic bundles: " + e.getMessage());
            System.exit(1);
        }
    }

    /**
     * Writes the catalog as bundles {@code outDir/bundle-NNNN} of at most {@code perBundle} documents each, signed
     * by {@code signer}, plus {@code outDir/summary.properties}.
     *
     * @throws IOException if a bundle cannot be written (a bundle directory that exists already included)
     */
    public static Written write(Path outDir, SyntheticCatalog catalog, int perBundle, String channel,
                                SigningKey signer) throws IOException {
        if (perBundle < 1) {
            throw new IllegalArgumentException("--per-bundle must be at least 1");
        }
        Files.createDirectories(outDir);
        Chain chain = new Chain(outDir, perBundle, channel, signer);
        SyntheticCatalog.Summary summary;
        try {
            summary = catalog.generate(chain::add);
            chain.finishCurrent();
        } catch (UncheckedIOException e) {
            throw e.getCause();
        } finally {
            chain.closeCurrent();
        }
        String props = "revisions=" + summary.revisions() + "\ncategories=" + summary.categories()
                + "\ndetectoids=" + summary.detectoids() + "\nupdates=" + summary.updates()
                + "\nbundles=" + summary.bundles() + "\nleaves=" + summary.leaves()
                + "\nlaterRevisions=" + summary.laterRevisions()
                + "\nbundleCount=" + chain.written.size() + "\nmetadataBytes=" + chain.bytes
                + "\nlargestProduct=" + summary.largestProduct()
                + "\nlargestProductTitle=" + summary.largestProductTitle()
                + "\nlargestClassification=" + summary.largestClassification()
                + "\nlargestSelectionUpdates=" + summary.largestSelectionUpdates() + "\n";
        Files.writeString(outDir.resolve("summary.properties"), props, StandardCharsets.UTF_8);
        return new Written(List.copyOf(chain.written), summary);
    }

    /** The bundle being written and those done. */
    private static final class Chain {
        private final Path outDir;
        private final int perBundle;
        private final String channel;
        private final SigningKey signer;
        private final List<Path> written = new java.util.ArrayList<>();
        private BundleWriter current;
        private int inCurrent;
        private long bytes;

        Chain(Path outDir, int perBundle, String channel, SigningKey signer) {
            this.outDir = outDir;
            this.perBundle = perBundle;
            this.channel = channel;
            this.signer = signer;
        }

        void add(SyntheticCatalog.Document d) {
            try {
                if (current == null) {
                    current = BundleWriter.create(bundleDir(written.size() + 1), 1L << 40);
                    inCurrent = 0;
                }
                byte[] xml = d.xml().getBytes(StandardCharsets.UTF_8);
                current.add("wsus/metadata/" + d.updateId() + "/" + d.revisionNumber() + ".xml", "application/xml",
                        Map.of("kind", "wsus-metadata", "updateId", d.updateId(),
                                "revisionNumber", Integer.toString(d.revisionNumber())),
                        new ByteArrayInputStream(xml), xml.length);
                bytes += xml.length;
                if (++inCurrent == perBundle) {
                    finishCurrent();
                }
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }

        void finishCurrent() throws IOException {
            if (current == null) {
                return;
            }
            long sequence = written.size() + 1;
            Instant now = Instant.now().truncatedTo(ChronoUnit.SECONDS);
            ObjectNode selection = JsonNodeFactory.instance.objectNode();
            selection.put("source", "wsus");
            selection.put("upstream", "synthetic:" + channel);
            selection.put("mode", "metadata-only");
            selection.put("full", sequence == 1);
            ManifestHeader header = new ManifestHeader(UUID.randomUUID(), channel, sequence,
                    sequence == 1 ? null : sequence - 1, now, now.plus(Duration.ofDays(30)),
                    new Producer("ferry-synthetic", "1"), selection);
            current.finish(header, List.of(signer));
            current.close();
            current = null;
            written.add(bundleDir(sequence));
        }

        void closeCurrent() throws IOException {
            if (current != null) {
                current.close();
                current = null;
            }
        }

        private Path bundleDir(long sequence) {
            return outDir.resolve(String.format("bundle-%04d", sequence));
        }
    }
}
