package ferry.format.trust;

import ferry.format.BundleLayout;
import ferry.format.Limits;
import ferry.format.pgp.DetachedSignatures;
import ferry.format.pgp.SigningKey;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * A trust policy change as it travels: the document bytes ({@link TrustChange}) and the detached signatures over them,
 * by fingerprint. On disk a directory: {@code policy.json} and {@code signatures/<FINGERPRINT>.asc}, the same in the
 * directory {@code ferry keys rotate} writes and in a bundle's {@code trust/}. Nothing here is verified: the trust
 * gate decides whether the signatures suffice. Equal to another change when the document bytes and the signatures are
 * equal (a record compares arrays by identity), so a change read back from its directory equals the one written.
 *
 * @param document   the exact bytes signed
 * @param signatures armored detached signatures by the fingerprint their file is named after, sorted
 */
public record SignedTrustChange(byte[] document, Map<String, String> signatures) {
    public SignedTrustChange {
        document = document.clone();
        signatures = java.util.Collections.unmodifiableMap(new TreeMap<>(signatures));
    }

    @Override
    public byte[] document() {
        return document.clone();
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof SignedTrustChange c && java.util.Arrays.equals(document, c.document)
                && signatures.equals(c.signatures);
    }

    @Override
    public int hashCode() {
        return 31 * java.util.Arrays.hashCode(document) + signatures.hashCode();
    }

    /** The document's size and the signers' fingerprints, not the bytes. */
    @Override
    public String toString() {
        return "SignedTrustChange[document=" + document.length + " bytes, signatures=" + signatures.keySet() + "]";
    }

    /** This change with one more signature by {@code key} (replacing an earlier one by the same key). */
    public SignedTrustChange signedBy(SigningKey key) {
        Map<String, String> s = new TreeMap<>(signatures);
        s.put(key.fingerprint(), DetachedSignatures.sign(key, document));
        return new SignedTrustChange(document, s);
    }

    /**
     * Reads a change directory.
     *
     * @return null when {@code dir} does not exist
     * @throws TrustStoreException naming the file when the layout is wrong (other files, links, oversized files)
     */
    public static SignedTrustChange read(Path dir) throws TrustStoreException {
        if (!Files.exists(dir, LinkOption.NOFOLLOW_LINKS)) {
            return null;
        }
        if (!Files.isDirectory(dir, LinkOption.NOFOLLOW_LINKS)) {
            throw new TrustStoreException(dir + ": a trust policy change must be a directory");
        }
        try {
            for (Path p : list(dir)) {
                String n = p.getFileName().toString();
                if (!(n.equals(BundleLayout.TRUST_POLICY) && Files.isRegularFile(p, LinkOption.NOFOLLOW_LINKS))
                        && !(n.equals(BundleLayout.SIGNATURES_DIR) && Files.isDirectory(p, LinkOption.NOFOLLOW_LINKS))) {
                    throw new TrustStoreException(p + ": unexpected file in a trust policy change (only "
                            + BundleLayout.TRUST_POLICY + " and " + BundleLayout.SIGNATURES_DIR + "/ belong there)");
                }
            }
            byte[] doc = read(dir.resolve(BundleLayout.TRUST_POLICY), TrustChange.MAX_BYTES);
            Map<String, String> sigs = new TreeMap<>();
            Path sd = dir.resolve(BundleLayout.SIGNATURES_DIR);
            if (Files.isDirectory(sd, LinkOption.NOFOLLOW_LINKS)) {
                List<Path> files = list(sd);
                if (files.size() > Limits.MAX_SIGNATURES * 16) {
                    throw new TrustStoreException(sd + ": too many signature files");
                }
                for (Path p : files) {
                    String n = p.getFileName().toString();
                    if (!BundleLayout.isSignatureFileName(n) || !Files.isRegularFile(p, LinkOption.NOFOLLOW_LINKS)) {
                        throw new TrustStoreException(p + ": unexpected file (signatures/<FINGERPRINT>.asc expected)");
                    }
                    sigs.put(n.substring(0, 40), new String(read(p, (int) Limits.MAX_SIGNATURE_FILE_BYTES),
                            StandardCharsets.US_ASCII));
                }
            }
            return new SignedTrustChange(doc, sigs);
        } catch (java.nio.file.NoSuchFileException e) {
            throw new TrustStoreException(dir.resolve(BundleLayout.TRUST_POLICY) + ": missing", e);
        } catch (IOException e) {
            throw new TrustStoreException(dir + ": cannot read: " + e.getMessage(), e);
        }
    }

    /**
     * Writes this change into {@code dir} (created; existing signature files replaced). Every file and both
     * directories are forced to disk before this returns, so that a bundle (or a {@code ferry keys rotate} output)
     * renamed into place afterwards never holds a trust change whose files a crash emptied.
     */
    public void write(Path dir) throws IOException {
        Path sigDir = dir.resolve(BundleLayout.SIGNATURES_DIR);
        Files.createDirectories(sigDir);
        TrustStore.writeSynced(dir.resolve(BundleLayout.TRUST_POLICY), document);
        for (var e : signatures.entrySet()) {
            TrustStore.writeSynced(sigDir.resolve(BundleLayout.signatureFileName(e.getKey())),
                    e.getValue().getBytes(StandardCharsets.US_ASCII));
        }
        TrustStore.syncDirectory(sigDir);
        TrustStore.syncDirectory(dir);
    }

    private static byte[] read(Path f, int max) throws IOException {
        try (InputStream in = Files.newInputStream(f, LinkOption.NOFOLLOW_LINKS)) {
            byte[] b = in.readNBytes(max + 1);
            if (b.length > max) {
                throw new IOException(f + ": larger than " + max + " bytes");
            }
            return b;
        }
    }

    private static List<Path> list(Path dir) throws IOException {
        List<Path> out = new ArrayList<>();
        try (DirectoryStream<Path> ds = Files.newDirectoryStream(dir)) {
            ds.forEach(out::add);
        }
        out.sort(java.util.Comparator.comparing(p -> p.getFileName().toString()));
        return out;
    }
}
