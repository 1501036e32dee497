package ferry.apt.catalog;

import ferry.apt.deb822.ControlFileException;
import ferry.apt.deb822.ControlFileReader;
import ferry.apt.deb822.Paragraph;
import ferry.apt.index.IndexFormatException;
import ferry.apt.index.PackageEntry;
import ferry.apt.publish.PublishSettings;
import ferry.apt.publish.ReleaseText;
import ferry.apt.publish.ReleaseWriter;
import ferry.apt.publish.SiteKey;
import ferry.apt.publish.SnapshotFiles;
import ferry.format.Entry;
import ferry.format.pgp.SigningKey;
import ferry.store.BundleEntryException;
import ferry.store.CatalogWrite;
import ferry.store.SourceCatalog;
import ferry.store.SourceImport;
import ferry.store.Store;
import ferry.store.StoreException;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.Reader;
import java.io.ByteArrayInputStream;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

/**
 * The APT source's import half: a bundle's {@code apt-release}, {@code apt-packages} and {@code apt-deb} entries
 * (docs/apt.md, "Bundle entries") become a new published snapshot of the bundle's channel. Every package its Packages
 * indexes name must have its {@code .deb} in the bundle or already in the store, else the bundle is refused naming
 * the package. The snapshot's files are made here, before the commit: Packages exactly as carried (plus {@code .gz}
 * and {@code .xz}), a Release repeating the upstream's Origin, Label, Suite, Codename, Version and Description, signed
 * with the site's repository key ({@link SiteKey}); the store's commit then records them and switches the channel to
 * them in the same transaction as the bundle ({@link AptCatalogWrite}).
 */
public final class AptImport implements SourceImport {
    /** The one instance, publishing with the system clock. */
    public static final AptImport INSTANCE = new AptImport(Clock.systemUTC());

    private final Clock clock;

    /** @param clock the source of each snapshot's {@code Date} (tests pin it) */
    public AptImport(Clock clock) {
        this.clock = clock;
    }

    @Override
    public SourceCatalog catalog() {
        return AptTables.INSTANCE;
    }

    @Override
    public Set<String> kinds() {
        return Set.of(AptEntries.KIND_RELEASE, AptEntries.KIND_PACKAGES, AptEntries.KIND_DEB);
    }

    @Override
    public Plan plan(List<Entry> entries) throws BundleEntryException {
        AptEntries sorted = AptEntries.of(entries);
        return (bundleId, store) -> new Publication(sorted, store, clock.instant()).rows(bundleId);
    }

    /** One bundle's snapshot, made from its entries' objects in the store. */
    private static final class Publication {
        private final AptEntries entries;
        private final Store store;
        private final Instant now;
        private final Map<String, String> pool = new LinkedHashMap<>();
        private final Set<String> named = new LinkedHashSet<>();

        Publication(AptEntries entries, Store store, Instant now) {
            this.entries = entries;
            this.store = store;
            this.now = now.truncatedTo(ChronoUnit.SECONDS);
        }

        CatalogWrite<?> rows(String bundleId) throws BundleEntryException {
            PublishSettings settings = PublishSettings.load(store.directory());
            List<SnapshotFiles.Suite> suites = new ArrayList<>();
            for (AptEntries.Release r : entries.releases.values()) {
                suites.add(suite(r));
            }
            SigningKey key = SiteKey.loadOrCreate(store.directory());
            List<SnapshotFiles.File> files = SnapshotFiles.of(suites, key, now,
                    settings.validFor().map(now::plus));
            List<AptCatalogWrite.Package> carried = new ArrayList<>();
            for (AptEntries.Deb d : entries.debs.values()) {
                carried.add(new AptCatalogWrite.Package(d.sha256(), d.pkg(), d.version(), d.architecture(),
                        d.entry().size()));
            }
            return new AptCatalogWrite(bundleId, carried, pool, files, settings.keepSnapshots(), now, named.size());
        }

        private SnapshotFiles.Suite suite(AptEntries.Release r) throws BundleEntryException {
            Paragraph release;
            try {
                release = ReleaseText.parse(new String(read(r.entry()), StandardCharsets.UTF_8), r.clearsigned());
            } catch (ControlFileException e) {
                throw AptEntries.invalid(r.entry(), e.getMessage());
            }
            Map<String, byte[]> indexes = new LinkedHashMap<>();
            Set<String> components = new LinkedHashSet<>();
            Set<String> architectures = new TreeSet<>();
            for (AptEntries.Packages p : entries.packages) {
                if (p.suite().equals(r.suite())) {
                    byte[] bytes = read(p.entry());
                    checkStanzas(p, bytes);
                    indexes.put(p.indexPath(), bytes);
                    components.add(p.component());
                    architectures.add(p.architecture());
                }
            }
            ReleaseWriter.Suite fields = new ReleaseWriter.Suite(field(release, "Origin"), field(release, "Label"),
                    field(release, "Suite"), field(release, "Codename"), field(release, "Version"),
                    List.copyOf(architectures), List.copyOf(components), field(release, "Description"));
            return new SnapshotFiles.Suite(r.suite(), fields, indexes);
        }

        private static String field(Paragraph p, String name) {
            return p.get(name).map(String::strip).filter(v -> v.indexOf('\n') < 0).orElse(null);
        }

        /** Every stanza parses and its .deb is carried or stored; records the pool. */
        private void checkStanzas(AptEntries.Packages p, byte[] bytes) throws BundleEntryException {
            List<PackageEntry> stanzas = new ArrayList<>();
            Reader text = new InputStreamReader(new ByteArrayInputStream(bytes), StandardCharsets.UTF_8.newDecoder()
                    .onMalformedInput(CodingErrorAction.REPORT).onUnmappableCharacter(CodingErrorAction.REPORT));
            try (ControlFileReader r = new ControlFileReader(text, p.entry().path())) {
                for (Paragraph para = r.next(); para != null; para = r.next()) {
                    stanzas.add(PackageEntry.of(para));
                }
            } catch (IOException | ControlFileException | IndexFormatException e) {
                throw AptEntries.invalid(p.entry(), e.getMessage());
            }
            Set<String> wanted = new HashSet<>();
            for (PackageEntry s : stanzas) {
                if (!entries.debs.containsKey(s.sha256())) {
                    wanted.add(s.sha256());
                }
            }
            Set<String> stored = stored(wanted);
            for (PackageEntry s : stanzas) {
                String what = "package " + s.name() + " " + s.version() + " (" + s.architecture() + ")";
                AptEntries.Deb carried = entries.debs.get(s.sha256());
                if (carried != null && carried.entry().size() != s.size()) {
                    throw AptEntries.invalid(p.entry(), what + ": Size " + s.size() + " but its .deb "
                            + carried.entry().path() + " is " + carried.entry().size() + " bytes");
                }
                if (carried == null && !stored.contains(s.sha256())) {
                    throw AptEntries.invalid(p.entry(), what + ": its .deb " + s.filename() + " (SHA-256 " + s.sha256()
                            + ") is neither in the bundle nor in the store");
                }
                String before = pool.putIfAbsent(s.filename(), s.sha256());
                if (before != null && !before.equals(s.sha256())) {
                    throw AptEntries.invalid(p.entry(), what + ": Filename " + s.filename()
                            + " names another .deb elsewhere in the bundle (SHA-256 " + before + ")");
                }
                named.add(s.sha256());
            }
        }

        /** Those of {@code sha256s} the store holds as .deb files (a row and its object). */
        private Set<String> stored(Set<String> sha256s) {
            if (sha256s.isEmpty()) {
                return Set.of();
            }
            Set<String> rows = store.read(c -> AptTables.held(c, sha256s));
            rows.removeIf(sha -> !store.hasObject(sha));
            return rows;
        }

        private byte[] read(Entry e) {
            try (InputStream in = store.openObject(e.sha256())) {
                return in.readNBytes((int) Math.min(e.size(), Integer.MAX_VALUE - 8));
            } catch (IOException ex) {
                throw new StoreException("object " + e.sha256() + ": cannot read: " + ex.getMessage(), ex);
            }
        }
    }
}
