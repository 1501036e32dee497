package ferry.apt.fetch;

import ferry.apt.deb822.ControlFileException;
import ferry.apt.deb822.ControlFileReader;
import ferry.apt.deb822.Paragraph;
import ferry.apt.index.IndexFormatException;
import ferry.apt.index.PackageEntry;
import ferry.apt.index.ReleaseFile;
import ferry.apt.trust.ReleaseSignatureException;
import ferry.apt.trust.ReleaseVerifier;
import ferry.apt.trust.UpstreamKeyring;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.security.DigestInputStream;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Optional;
import java.util.regex.Pattern;
import java.util.zip.GZIPInputStream;
import org.apache.commons.compress.compressors.xz.XZCompressorInputStream;
import org.apache.commons.io.input.BoundedInputStream;

/**
 * Reads one suite of an upstream APT repository the way apt does, trusting nothing it has not checked: the
 * {@code InRelease} (or {@code Release} + {@code Release.gpg}) through {@link ReleaseVerifier}, its {@code Date} and
 * {@code Valid-Until}, then each wanted {@code Packages} index in the best compression the Release lists
 * ({@code .xz}, {@code .gz}, plain), fetched by hash when the Release says {@code Acquire-By-Hash: yes}, read no
 * further than its listed size, and checked against its listed SHA-256 before a byte of it is parsed.
 */
public final class SuiteReader {
    private static final Pattern SUITE = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._\\-/]{0,99}");
    private static final Pattern WORD = Pattern.compile("[a-z0-9][a-z0-9.\\-]{0,63}");
    /** Clock skew tolerated for a Release's Date, in seconds. */
    private static final long SKEW_SECONDS = 24 * 3600;
    /** Largest decompressed index accepted, in bytes. */
    public static final long MAX_INDEX_BYTES = 4L << 30;

    /**
     * A suite as read: its verified Release, the signers, and the entries of each index read.
     *
     * @param releasePath  the signed file the Release came from, below the repository root:
     *                     {@code dists/<suite>/InRelease}, or {@code dists/<suite>/Release} when the upstream has
     *                     only Release with Release.gpg
     * @param releaseBytes that file's bytes exactly as fetched (and verified); not copied, do not change them
     */
    public record Suite(ReleaseFile release, List<String> signerFingerprints, List<Index> indexes, String releasePath,
                        byte[] releaseBytes) {
        public Suite {
            signerFingerprints = List.copyOf(signerFingerprints);
            indexes = List.copyOf(indexes);
        }
    }

    /**
     * One Packages index: which component and architecture, the file fetched, its entries.
     *
     * @param verified the index file's bytes as fetched (compressed as {@code file} says), after their size and
     *                 SHA-256 matched the Release: {@link Stanzas} reads the upstream's paragraphs from them; not
     *                 copied, do not change them
     */
    public record Index(String component, String architecture, ReleaseFile.IndexFile file, List<PackageEntry> entries,
                        byte[] verified) {
        public Index {
            entries = List.copyOf(entries);
        }
    }

    private SuiteReader() {
    }

    /**
     * @param suite         e.g. {@code bookworm} or {@code stable}
     * @param architectures e.g. {@code amd64}; {@code all} is read too when the Release lists its own index
     * @param now           UTC, to judge Date and Valid-Until
     * @throws FetchException naming the file and what is wrong with it
     */
    public static Suite read(RepositoryTransport transport, String suite, List<String> components,
                             List<String> architectures, UpstreamKeyring keys, Instant now) throws FetchException {
        if (!SUITE.matcher(suite).matches() || suite.contains("..")) {
            throw new FetchException("suite '" + suite + "' is not a suite name");
        }
        for (String w : concat(components, architectures)) {
            if (!WORD.matcher(w).matches()) {
                throw new FetchException("'" + w + "' is not a component or architecture name");
            }
        }
        String dists = "dists/" + suite + "/";
        Signed signed = release(transport, dists, keys, now);
        ReleaseVerifier.Verified verified = signed.verified();
        ReleaseFile release;
        try {
            release = ReleaseFile.parse(verified.text());
        } catch (ControlFileException e) {
            throw new FetchException(dists + "InRelease: " + e.getMessage(), e);
        }
        if (release.date().isAfter(now.plusSeconds(SKEW_SECONDS))) {
            throw new FetchException(dists + "Release: Date " + release.date() + " is in the future");
        }
        if (release.expiredAt(now)) {
            throw new FetchException(dists + "Release: expired at " + release.validUntil().orElseThrow()
                    + " (Valid-Until); the upstream is stale or replayed");
        }
        List<Index> indexes = new ArrayList<>();
        for (String component : components) {
            List<String> archs = new ArrayList<>(architectures);
            if (!archs.contains("all") && release.index(component + "/binary-all/Packages").isPresent()) {
                archs.add("all");
            }
            for (String arch : archs) {
                String base = component + "/binary-" + arch + "/Packages";
                Optional<ReleaseFile.IndexFile> chosen = release.index(base + ".xz")
                        .or(() -> release.index(base + ".gz")).or(() -> release.index(base));
                if (chosen.isEmpty()) {
                    if (arch.equals("all")) {
                        continue;
                    }
                    throw new FetchException(dists + "Release lists no " + base + " (.xz, .gz or plain)");
                }
                indexes.add(packages(transport, dists, component, arch, chosen.get(), release.acquireByHash()));
            }
        }
        return new Suite(release, verified.signerFingerprints(), indexes, signed.path(), signed.bytes());
    }

    /** The Release as verified, and the file it came from with its bytes. */
    private record Signed(ReleaseVerifier.Verified verified, String path, byte[] bytes) {
    }

    private static Signed release(RepositoryTransport t, String dists, UpstreamKeyring keys,
                                  Instant now) throws FetchException {
        try {
            byte[] inRelease = bytes(t, dists + "InRelease", ReleaseVerifier.MAX_BYTES);
            if (inRelease != null) {
                return new Signed(ReleaseVerifier.verifyInRelease(inRelease, keys, now), dists + "InRelease",
                        inRelease);
            }
            byte[] release = bytes(t, dists + "Release", ReleaseVerifier.MAX_BYTES);
            byte[] signature = bytes(t, dists + "Release.gpg", 1 << 20);
            if (release == null || signature == null) {
                throw new FetchException(dists + ": no InRelease, and no Release with Release.gpg");
            }
            return new Signed(ReleaseVerifier.verifyDetached(release, signature, keys, now), dists + "Release",
                    release);
        } catch (ReleaseSignatureException e) {
            throw new FetchException(dists + e.getMessage(), e);
        }
    }

    private static Index packages(RepositoryTransport t, String dists, String component, String arch,
                                  ReleaseFile.IndexFile f, boolean byHash) throws FetchException {
        String path = f.path();
        String fetched = byHash ? dists + path.substring(0, path.lastIndexOf('/') + 1) + "by-hash/SHA256/" + f.sha256()
                : dists + path;
        MessageDigest sha = sha256();
        List<PackageEntry> entries = new ArrayList<>();
        byte[] compressed;
        InputStream opened;
        try {
            opened = t.open(fetched, f.size());
            if (opened == null && byHash) {
                // as apt does: a mirror that advertises by-hash but lacks the file (synced late) is read by name; the
                // bytes are checked against the Release's SHA-256 all the same
                fetched = dists + path;
                opened = t.open(fetched, f.size());
            }
        } catch (IOException e) {
            throw new FetchException(fetched + ": " + e.getMessage(), e);
        }
        try (InputStream raw = opened) {
            if (raw == null) {
                throw new FetchException(fetched + ": not found (the Release lists " + path + ")");
            }
            DigestInputStream hashed = new DigestInputStream(bounded(raw, f.size()), sha);
            // the compressed bytes are checked in full before parsing: read them into memory (indexes are tens of MiB)
            compressed = hashed.readAllBytes();
            boolean longer = raw.read() >= 0;
            if (longer || compressed.length != f.size()) {
                throw new FetchException(fetched + ": " + (longer ? "longer" : "shorter (" + compressed.length
                        + " bytes)") + " than the " + f.size() + " bytes the Release lists");
            }
            String got = HexFormat.of().formatHex(sha.digest());
            if (!got.equals(f.sha256())) {
                throw new FetchException(fetched + ": SHA-256 " + got + " differs from the Release's " + f.sha256());
            }
            try (ControlFileReader r = new ControlFileReader(new InputStreamReader(decompressed(compressed, path),
                    StandardCharsets.UTF_8), fetched)) {
                Paragraph p;
                while ((p = r.next()) != null) {
                    entries.add(PackageEntry.of(p));
                }
            }
        } catch (ControlFileException | IndexFormatException e) {
            throw new FetchException(fetched + ": " + e.getMessage(), e);
        } catch (IOException e) {
            throw new FetchException(fetched + ": " + e.getMessage(), e);
        }
        return new Index(component, arch, f, entries, compressed);
    }

    /**
     * The plain text of an index file's verified bytes, decompressed as its path's suffix says, refused past
     * {@link #MAX_INDEX_BYTES} with an IOException.
     */
    static InputStream decompressed(byte[] verified, String path) throws IOException {
        InputStream plain = new java.io.ByteArrayInputStream(verified);
        if (path.endsWith(".xz")) {
            plain = new XZCompressorInputStream(plain);
        } else if (path.endsWith(".gz")) {
            plain = new GZIPInputStream(plain);
        }
        return BoundedInputStream.builder().setInputStream(plain).setMaxCount(MAX_INDEX_BYTES)
                .setOnMaxCount((max, count) -> {
                    throw new IOException("decompressed index over " + max + " bytes");
                }).get();
    }

    private static byte[] bytes(RepositoryTransport t, String path, long max) throws FetchException {
        try (InputStream in = t.open(path, max)) {
            if (in == null) {
                return null;
            }
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            bounded(in, max).transferTo(out);
            if (in.read() >= 0) {
                throw new FetchException(path + ": over " + max + " bytes");
            }
            return out.toByteArray();
        } catch (IOException e) {
            throw new FetchException(path + ": " + e.getMessage(), e);
        }
    }

    /** At most {@code max} bytes of {@code in}, leaving {@code in} open so the caller can ask whether more follow. */
    private static InputStream bounded(InputStream in, long max) throws IOException {
        return BoundedInputStream.builder().setInputStream(in).setMaxCount(max).setPropagateClose(false).get();
    }

    private static MessageDigest sha256() {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    private static List<String> concat(List<String> a, List<String> b) {
        List<String> out = new ArrayList<>(a);
        out.addAll(b);
        return out;
    }
}
