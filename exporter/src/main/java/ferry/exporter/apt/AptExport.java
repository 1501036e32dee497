package ferry.exporter.apt;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import ferry.apt.fetch.FetchException;
import ferry.apt.fetch.Stanzas;
import ferry.apt.fetch.SuiteReader;
import ferry.apt.index.PackageEntry;
import ferry.apt.select.Closure;
import ferry.apt.trust.ReleaseSignatureException;
import ferry.apt.trust.UpstreamKeyring;
import ferry.exporter.ExportConfigException;
import ferry.exporter.ExportException;
import ferry.exporter.ExportOptions;
import ferry.exporter.ExportPlan;
import ferry.exporter.ExportUpstreamException;
import ferry.exporter.FetchedFiles;
import ferry.exporter.FileCounts;
import ferry.exporter.PlannedEntry;
import ferry.exporter.RemoteFile;
import ferry.exporter.SelectionException;
import ferry.exporter.SourceExport;
import ferry.format.EntryPaths;
import ferry.format.Progress;

import java.io.ByteArrayInputStream;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.HexFormat;
import java.util.IdentityHashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * The APT source type's export half: reads one suite of an upstream APT repository as apt does, selects packages
 * with their dependency closure, and plans what the channel has not carried yet.
 *
 * <ol>
 *   <li>{@code dists/<suite>/InRelease} (or {@code Release} + {@code Release.gpg}), verified against the
 *       operator's upstream keyring, its {@code Date} and {@code Valid-Until} judged ({@link SuiteReader});</li>
 *   <li>the {@code Packages} index of each component and architecture (and {@code all}), in the best compression
 *       the Release lists, by hash when it offers that, checked against the Release's size and SHA-256 before it is
 *       parsed;</li>
 *   <li>per architecture, the selection closed over {@code Pre-Depends}, {@code Depends} (and {@code Recommends}
 *       if asked) by {@link Closure}; a relation nothing meets fails the run with a {@link SelectionException}
 *       naming it (with {@code --whole-component} it is a warning: the component is carried as the upstream has
 *       it);</li>
 *   <li>the {@code .deb} files not carried on the channel yet are downloaded (in parallel, resumed, cached by
 *       SHA-256) and checked against the size and SHA-256 of their Packages paragraph.</li>
 * </ol>
 *
 * <h2>What a bundle carries ({@code docs/architecture.md}, "Bundle entry paths (APT source)")</h2>
 * The upstream's signed Release file exactly as fetched; for each component and architecture a {@code Packages}
 * file holding the upstream's own paragraphs of every selected package (the whole selection in every bundle, full
 * or delta, so the far side can publish from the last bundle alone), with {@code all} packages in each chosen
 * architecture's file, as Debian lays them out; and the {@code .deb} files the far side does not hold yet.
 *
 * <h2>How "only what changed" is decided</h2>
 * The channel's state records the SHA-256 of every {@code .deb} carried and a digest of the last Packages files
 * ({@link AptState}). A delta carries the {@code .deb} files whose SHA-256 is not recorded; a run that would carry
 * no new file and the same Packages files writes no bundle.
 */
public final class AptExport implements SourceExport {

    /** The one instance, registered in {@code ferry.exporter.SourceExports}. */
    public static final AptExport INSTANCE = new AptExport();

    static final String DEB_MEDIA_TYPE = "application/vnd.debian.binary-package";
    /** Unsatisfied relations named in an error message, at most (all of them are in the exception's candidates). */
    private static final int MAX_NAMED = 20;
    /** Unsatisfied relations listed in the manifest, at most (its selection is at most 1 MiB). */
    static final int MAX_LISTED_UNSATISFIED = 1000;

    private AptExport() {
    }

    @Override
    public String name() {
        return "apt";
    }

    /** An entry of the upstream's indexes and the index it was read from. */
    private record Located(PackageEntry entry, SuiteReader.Index index) {
    }

    @Override
    public ExportPlan plan(Context ctx) throws ExportException {
        ExportOptions o = ctx.options();
        AptOptions a = o.apt();
        Progress progress = ctx.progress();
        AptState previous = ctx.recorded(AptState.class);
        AptState baseline = ctx.baseline(AptState.class);
        URI base = root(o.upstream());
        if (previous != null && !previous.upstream().equals(base.toString())) {
            ctx.warn("the channel's earlier bundles came from " + previous.upstream() + ", this one from " + base
                    + "; .deb files are known by SHA-256, so only what is new to the channel is carried");
        }
        UpstreamKeyring keys;
        try {
            keys = UpstreamKeyring.load(a.upstreamKeyring());
        } catch (ReleaseSignatureException e) {
            throw new ExportConfigException("--upstream-keyring: " + e.getMessage(), e);
        }
        HttpRepositoryTransport transport = new HttpRepositoryTransport(base, o.clientOptions(),
                o.clientOptions().retry().with(o.downloadAttempts(), o.retryBackoff()), progress);
        SuiteReader.Suite suite;
        try {
            suite = SuiteReader.read(transport, a.suite(), a.components(), a.architectures(), keys, o.clock().instant());
        } catch (FetchException e) {
            throw upstream(base, e);
        }
        Map<String, Located> located = new LinkedHashMap<>();
        for (SuiteReader.Index index : suite.indexes()) {
            for (PackageEntry e : index.entries()) {
                // an arch-all package is listed in binary-all and again in each architecture's index: once is enough
                located.putIfAbsent(e.name() + " " + e.version() + " " + e.architecture(), new Located(e, index));
            }
        }
        progress.info("upstream " + base + " suite " + a.suite() + ": " + located.size() + " packages in "
                + suite.indexes().size() + " index(es), Release signed by " + String.join(", ",
                suite.signerFingerprints()));

        Selected sel = select(a, located, ctx);
        Map<String, Map<String, Located>> byPackagesFile = sel.byPackagesFile();
        Map<String, byte[]> packagesFiles = packagesFiles(base, byPackagesFile);
        String digest = digest(packagesFiles);

        Map<String, Located> debs = new TreeMap<>(); // by Filename
        Set<String> sha256s = new HashSet<>();
        int selected = 0;
        for (Map<String, Located> m : byPackagesFile.values()) {
            selected += m.size();
            for (Located l : m.values()) {
                if (sha256s.add(l.entry().sha256())) {
                    debs.put(l.entry().filename(), l);
                }
            }
        }
        Set<String> carried = baseline == null ? Set.of() : new HashSet<>(baseline.carriedDebs());
        List<Located> toCarry = debs.values().stream().filter(l -> !carried.contains(l.entry().sha256())).toList();
        List<String> unsatisfied = sel.unsatisfied();
        if (toCarry.isEmpty() && baseline != null && digest.equals(baseline.packagesDigest())) {
            return ExportPlan.nothing(figures(base, a, suite, selected, FileCounts.NONE, unsatisfied));
        }

        Map<RemoteFile, Located> remote = new LinkedHashMap<>();
        for (Located l : toCarry) {
            remote.put(remoteFile(base, l.entry()), l);
        }
        FetchedFiles fetched = ctx.fetch(base, new ArrayList<>(remote.keySet()));

        List<PlannedEntry> entries = new ArrayList<>();
        byte[] release = suite.releaseBytes();
        entries.add(new PlannedEntry("apt/" + suite.releasePath(), "text/plain",
                Map.of("kind", "apt-release", "suite", a.suite()), release.length,
                () -> new ByteArrayInputStream(release), null));
        for (Map.Entry<String, byte[]> p : packagesFiles.entrySet()) {
            byte[] bytes = p.getValue();
            String[] parts = p.getKey().split("/");
            // apt/dists/<suite>/<component>/binary-<arch>/Packages; the suite may hold '/'
            String component = parts[parts.length - 3];
            String arch = parts[parts.length - 2].substring("binary-".length());
            entries.add(new PlannedEntry(p.getKey(), "text/plain", Map.of("kind", "apt-packages", "suite", a.suite(),
                    "component", component, "architecture", arch), bytes.length,
                    () -> new ByteArrayInputStream(bytes), null));
        }
        long debBytes = 0;
        for (Map.Entry<RemoteFile, Located> r : remote.entrySet()) {
            entries.add(debEntry(r.getValue().entry(), r.getKey(), fetched.paths().get(r.getKey())));
            debBytes += r.getKey().size();
        }
        Set<String> nextCarried = new TreeSet<>(carried);
        toCarry.forEach(l -> nextCarried.add(l.entry().sha256()));
        AptState next = new AptState(base.toString(), a.suite(), a.components(), a.architectures(), a.packages(),
                a.recommends(), a.wholeComponent(), digest, List.copyOf(nextCarried));
        return new ExportPlan(entries, selection(base, a, o.full(), suite, selected, toCarry.size(), debBytes,
                unsatisfied), next, figures(base, a, suite, selected, fetched.counts(), unsatisfied),
                selected + " packages selected, " + toCarry.size() + " .deb files");
    }

    /**
     * The closure of the selection for each architecture, grouped by the bundle's Packages file it belongs in
     * ({@code apt/dists/<suite>/<component>/binary-<arch>/Packages}, one per component and architecture, empty
     * ones included), each by Filename; and the relations no package meets ({@code --whole-component} only:
     * otherwise they fail the run).
     */
    private record Selected(Map<String, Map<String, Located>> byPackagesFile, List<String> unsatisfied) {
    }

    private Selected select(AptOptions a, Map<String, Located> located, Context ctx)
            throws SelectionException {
        List<PackageEntry> universe = located.values().stream().map(Located::entry).toList();
        Map<PackageEntry, Located> origin = new IdentityHashMap<>();
        located.values().forEach(l -> origin.put(l.entry(), l));
        Map<String, Map<String, Located>> out = new TreeMap<>();
        for (String component : a.components()) {
            for (String arch : a.architectures()) {
                out.put(packagesPath(a.suite(), component, arch), new TreeMap<>());
            }
        }
        List<String> selection = a.wholeComponent() ? List.of("*") : a.packages();
        List<String> unsatisfied = new ArrayList<>();
        for (String arch : a.architectures()) {
            Closure.Result r = new Closure(universe, arch).resolve(selection, a.recommends());
            r.unsatisfied().forEach(u -> unsatisfied.add(u + " [" + arch + "]"));
            for (PackageEntry e : r.packages()) {
                Located l = origin.get(e);
                String target = e.architecture().equals("all") ? arch : e.architecture();
                out.computeIfAbsent(packagesPath(a.suite(), l.index().component(), target), k -> new TreeMap<>())
                        .putIfAbsent(e.filename(), l);
            }
        }
        if (!unsatisfied.isEmpty()) {
            String named = String.join("; ", unsatisfied.subList(0, Math.min(MAX_NAMED, unsatisfied.size())))
                    + (unsatisfied.size() > MAX_NAMED ? "; and " + (unsatisfied.size() - MAX_NAMED) + " more" : "");
            if (!a.wholeComponent()) {
                throw new SelectionException("the selection cannot be met from suite " + a.suite() + " ("
                        + String.join(", ", a.components()) + "): " + named, unsatisfied.get(0).split(" ")[0],
                        unsatisfied);
            }
            ctx.warn(unsatisfied.size() + " relation(s) of the whole component(s) cannot be met from the upstream"
                    + " and are carried as they are: " + named);
        }
        return new Selected(out, unsatisfied);
    }

    private static String packagesPath(String suite, String component, String arch) {
        return "apt/dists/" + suite + "/" + component + "/binary-" + arch + "/Packages";
    }

    /**
     * The bytes of each Packages file: the upstream's paragraphs of its packages, sorted by name, version and
     * architecture, separated by blank lines.
     */
    private static Map<String, byte[]> packagesFiles(URI base, Map<String, Map<String, Located>> groups)
            throws ExportUpstreamException {
        Map<SuiteReader.Index, Set<String>> wanted = new IdentityHashMap<>();
        for (Map<String, Located> m : groups.values()) {
            for (Located l : m.values()) {
                wanted.computeIfAbsent(l.index(), k -> new HashSet<>()).add(l.entry().filename());
            }
        }
        Map<SuiteReader.Index, Map<String, String>> stanzas = new IdentityHashMap<>();
        for (Map.Entry<SuiteReader.Index, Set<String>> w : wanted.entrySet()) {
            try {
                stanzas.put(w.getKey(), Stanzas.byFilename(w.getKey(), w.getValue()));
            } catch (FetchException e) {
                throw upstream(base, e);
            }
        }
        Map<String, byte[]> out = new TreeMap<>();
        for (Map.Entry<String, Map<String, Located>> g : groups.entrySet()) {
            List<Located> sorted = new ArrayList<>(g.getValue().values());
            sorted.sort(Comparator.comparing((Located l) -> l.entry().name())
                    .thenComparing(l -> l.entry().version())
                    .thenComparing(l -> l.entry().architecture()));
            StringBuilder text = new StringBuilder();
            for (Located l : sorted) {
                String stanza = stanzas.get(l.index()).get(l.entry().filename());
                if (stanza == null) {
                    throw new ExportUpstreamException("upstream " + base + ": " + l.index().file().path()
                            + ": the paragraph of " + l.entry().filename() + " cannot be cut out of the index", base,
                            "apt-index", null, null);
                }
                if (!text.isEmpty()) {
                    text.append('\n');
                }
                text.append(stanza);
            }
            out.put(g.getKey(), text.toString().getBytes(StandardCharsets.UTF_8));
        }
        return out;
    }

    private static RemoteFile remoteFile(URI base, PackageEntry e) throws ExportUpstreamException {
        String path = "apt/" + e.filename();
        String problem = EntryPaths.problem(path);
        if (problem == null && e.filename().startsWith("dists/")) {
            problem = "it lies below dists/";
        }
        if (problem != null) {
            throw new ExportUpstreamException("upstream " + base + ": package " + e.name() + " " + e.version()
                    + ": Filename " + e.filename() + " cannot be carried: " + problem, base, "apt-index", null, null);
        }
        return new RemoteFile(e.filename().substring(e.filename().lastIndexOf('/') + 1),
                "package " + e.name() + " " + e.version() + " (" + e.architecture() + ")",
                HttpRepositoryTransport.resolve(base, e.filename()), e.size(), null, e.sha256());
    }

    /**
     * {@code apt/<Filename>} from a verified cache file; the digests the writer computed while copying are compared
     * with the Packages paragraph once more, so a file changed on disk after its check cannot be carried.
     */
    private static PlannedEntry debEntry(PackageEntry e, RemoteFile f, Path cached) {
        return new PlannedEntry("apt/" + e.filename(), DEB_MEDIA_TYPE, Map.of("kind", "apt-deb", "package", e.name(),
                "version", e.version().toString(), "architecture", e.architecture(), "sha256", e.sha256()),
                e.size(), () -> Files.newInputStream(cached), w -> {
                    String problem = f.mismatchHex(w.size(), w.sha1(), w.sha256());
                    if (problem != null) {
                        throw new ExportConfigException("cached file " + cached
                                + " changed while the bundle was written: " + problem);
                    }
                });
    }

    /** SHA-256 over the Packages files' paths and bytes, in path order. */
    private static String digest(Map<String, byte[]> packagesFiles) {
        MessageDigest md;
        try {
            md = MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every Java platform has SHA-256", e);
        }
        for (Map.Entry<String, byte[]> p : packagesFiles.entrySet()) {
            md.update(p.getKey().getBytes(StandardCharsets.UTF_8));
            md.update((byte) 0);
            md.update(Long.toString(p.getValue().length).getBytes(StandardCharsets.US_ASCII));
            md.update((byte) 0);
            md.update(p.getValue());
        }
        return HexFormat.of().formatHex(md.digest());
    }

    /** The repository root with a trailing {@code /}, so paths below it resolve inside it. */
    static URI root(URI upstream) {
        String s = upstream.toString();
        return URI.create(s.endsWith("/") ? s : s + "/");
    }

    private static ExportUpstreamException upstream(URI base, FetchException e) {
        return new ExportUpstreamException("upstream " + base + ": " + e.getMessage(), base, "apt-index", null, e);
    }

    /**
     * The manifest's free-form selection: {@code source} "apt", {@code upstream}, {@code suite},
     * {@code components}, {@code architectures}, {@code packages} (names and patterns as asked), {@code recommends},
     * {@code wholeComponent}, {@code full}, {@code upstreamSigners}, {@code unsatisfied} (relations nothing meets,
     * carried as they are with {@code --whole-component}; at most {@value #MAX_LISTED_UNSATISFIED}, then
     * {@code unsatisfiedNotListed}) and {@code counts} ({@code selected} packages,
     * {@code debs} and {@code debBytes} carried).
     */
    private static ObjectNode selection(URI base, AptOptions a, boolean full, SuiteReader.Suite suite, int selected,
                                        int debs, long debBytes, List<String> unsatisfied) {
        JsonNodeFactory f = JsonNodeFactory.instance;
        ObjectNode o = f.objectNode();
        o.put("source", "apt");
        o.put("upstream", base.toString());
        o.put("suite", a.suite());
        ArrayNode c = o.putArray("components");
        a.components().forEach(c::add);
        ArrayNode ar = o.putArray("architectures");
        a.architectures().forEach(ar::add);
        ArrayNode p = o.putArray("packages");
        a.packages().forEach(p::add);
        o.put("recommends", a.recommends());
        o.put("wholeComponent", a.wholeComponent());
        o.put("full", full);
        ArrayNode s = o.putArray("upstreamSigners");
        suite.signerFingerprints().forEach(s::add);
        ArrayNode un = o.putArray("unsatisfied");
        unsatisfied.subList(0, Math.min(unsatisfied.size(), MAX_LISTED_UNSATISFIED)).forEach(un::add);
        if (unsatisfied.size() > MAX_LISTED_UNSATISFIED) {
            o.put("unsatisfiedNotListed", (long) unsatisfied.size() - MAX_LISTED_UNSATISFIED);
        }
        ObjectNode counts = o.putObject("counts");
        counts.put("selected", (long) selected);
        counts.put("debs", (long) debs);
        counts.put("debBytes", debBytes);
        return o;
    }

    private static AptFigures figures(URI base, AptOptions a, SuiteReader.Suite suite, int selected,
                                      FileCounts files, List<String> unsatisfied) {
        return new AptFigures(base.toString(), a.suite(), a.components(), a.architectures(), a.packages(),
                a.recommends(), a.wholeComponent(), suite.signerFingerprints(), selected, files, unsatisfied);
    }
}
