package ferry.apt.catalog;

import ferry.apt.index.IndexPaths;
import ferry.apt.trust.ReleaseVerifier;
import ferry.format.Entry;
import ferry.store.BundleEntryException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * The APT entries of a verified manifest (docs/apt.md, "Bundle entries"), sorted by kind and checked against their
 * source identifiers before anything is copied: a suite's Release ({@code apt-release}), its Packages indexes
 * ({@code apt-packages}, the complete selection in every bundle) and the {@code .deb} files the far side did not have
 * yet ({@code apt-deb}).
 */
final class AptEntries {
    static final String KIND_RELEASE = "apt-release";
    static final String KIND_PACKAGES = "apt-packages";
    static final String KIND_DEB = "apt-deb";

    /** Largest Packages index read into memory at import (bytes, uncompressed). */
    static final long MAX_PACKAGES_BYTES = 512L * 1024 * 1024;

    // Suites and components may hold a slash (e.g. bookworm-security, updates/main); never an empty or dot segment.
    private static final Pattern NAME = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._+~-]{0,99}(/[A-Za-z0-9][A-Za-z0-9._+~-]{0,99}){0,3}");
    private static final Pattern ARCH = Pattern.compile("[a-z0-9][a-z0-9-]{0,63}");
    private static final Pattern HEX64 = Pattern.compile("[0-9a-f]{64}");

    /** A suite's upstream Release (clearsigned InRelease, or plain Release). */
    record Release(Entry entry, String suite, boolean clearsigned) {
    }

    /** One Packages index of a suite. */
    record Packages(Entry entry, String suite, String component, String architecture) {
        /** Its path below {@code dists/<suite>/}. */
        String indexPath() {
            return component + "/binary-" + architecture + "/Packages";
        }
    }

    /** A carried .deb. */
    record Deb(Entry entry, String pkg, String version, String architecture) {
        String sha256() {
            return entry.sha256();
        }
    }

    final Map<String, Release> releases;
    final List<Packages> packages;
    final Map<String, Deb> debs;

    private AptEntries(Map<String, Release> releases, List<Packages> packages, Map<String, Deb> debs) {
        this.releases = releases;
        this.packages = packages;
        this.debs = debs;
    }

    /** @throws BundleEntryException naming the first entry that is not usable */
    static AptEntries of(List<Entry> entries) throws BundleEntryException {
        Map<String, Release> releases = new LinkedHashMap<>();
        List<Packages> packages = new ArrayList<>();
        Map<String, String> indexPaths = new LinkedHashMap<>();
        Map<String, Deb> debs = new LinkedHashMap<>();
        for (Entry e : entries) {
            String kind = e.source().get("kind");
            if (KIND_RELEASE.equals(kind)) {
                String suite = name(e, "suite");
                boolean clearsigned = e.path().equals("apt/dists/" + suite + "/InRelease");
                if (!clearsigned && !e.path().equals("apt/dists/" + suite + "/Release")) {
                    throw invalid(e, "is not at apt/dists/" + suite + "/InRelease or apt/dists/" + suite + "/Release");
                }
                if (e.size() > ReleaseVerifier.MAX_BYTES) {
                    throw invalid(e, "is " + e.size() + " bytes, over the Release limit of " + ReleaseVerifier.MAX_BYTES);
                }
                if (releases.putIfAbsent(suite, new Release(e, suite, clearsigned)) != null) {
                    throw invalid(e, "suite " + suite + " has a second Release");
                }
            } else if (KIND_PACKAGES.equals(kind)) {
                Packages p = new Packages(e, name(e, "suite"), name(e, "component"), arch(e));
                String expected = "apt/dists/" + p.suite() + "/" + p.indexPath();
                if (!e.path().equals(expected)) {
                    throw invalid(e, "is not at " + expected + ", where its source identifiers place it");
                }
                if (e.size() > MAX_PACKAGES_BYTES) {
                    throw invalid(e, "is " + e.size() + " bytes, over the Packages limit of " + MAX_PACKAGES_BYTES);
                }
                if (indexPaths.put(expected, expected) != null) {
                    throw invalid(e, "is carried twice");
                }
                packages.add(p);
            } else if (KIND_DEB.equals(kind)) {
                Deb d = new Deb(e, require(e, "package"), require(e, "version"), arch(e));
                String sha256 = require(e, "sha256");
                if (!HEX64.matcher(sha256).matches()) {
                    throw invalid(e, "source identifier sha256 is not 64 lower-case hex digits");
                }
                if (!sha256.equals(e.sha256())) {
                    throw invalid(e, "content has SHA-256 " + e.sha256() + " but its Packages entry says " + sha256);
                }
                if (!e.path().startsWith("apt/") || !IndexPaths.safe(e.path().substring(4))) {
                    throw invalid(e, "is not at apt/<Filename>");
                }
                debs.putIfAbsent(sha256, d);
            } else {
                throw invalid(e, kind == null ? "has no source kind" : "has source kind \"" + kind
                        + "\", which this importer does not know");
            }
        }
        if (releases.isEmpty() && !entries.isEmpty()) {
            // a snapshot without a suite would leave every client of the channel with nothing
            throw invalid(entries.get(0), "the bundle carries no suite (no apt-release entry)");
        }
        for (Packages p : packages) {
            if (!releases.containsKey(p.suite())) {
                throw invalid(p.entry(), "suite " + p.suite() + " has no Release in the bundle");
            }
        }
        for (Release r : releases.values()) {
            if (packages.stream().noneMatch(p -> p.suite().equals(r.suite()))) {
                throw invalid(r.entry(), "suite " + r.suite() + " has no Packages index in the bundle");
            }
        }
        return new AptEntries(releases, packages, debs);
    }

    private static String name(Entry e, String key) throws BundleEntryException {
        String v = require(e, key);
        if (!NAME.matcher(v).matches()) {
            throw invalid(e, "source identifier " + key + " is not a usable name: \"" + clip(v) + "\"");
        }
        return v;
    }

    private static String arch(Entry e) throws BundleEntryException {
        String v = require(e, "architecture");
        if (!ARCH.matcher(v).matches()) {
            throw invalid(e, "source identifier architecture is not an architecture: \"" + clip(v) + "\"");
        }
        return v;
    }

    private static String require(Entry e, String key) throws BundleEntryException {
        String v = e.source().get(key);
        if (v == null || v.isEmpty()) {
            throw invalid(e, "has no source identifier " + key);
        }
        return v;
    }

    private static String clip(String s) {
        return s.length() > 60 ? s.substring(0, 60) + "..." : s;
    }

    static BundleEntryException invalid(Entry e, String problem) {
        return new BundleEntryException(e, problem);
    }
}
