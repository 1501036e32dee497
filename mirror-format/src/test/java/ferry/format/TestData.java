package ferry.format;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import ferry.format.pgp.GeneratedKey;
import ferry.format.pgp.KeyException;
import ferry.format.pgp.KeyGenerator;
import ferry.format.pgp.SigningKey;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.UUID;

/** Shared fixtures: deterministic data, a key, a header, a small multi-volume bundle. */
final class TestData {
    private TestData() { }

    static final GeneratedKey KEY = KeyGenerator.generateEd25519("Ferry Test <test@example.org>", null);

    static SigningKey signer() {
        try {
            return SigningKey.parse(KEY.armoredSecretKey(), null);
        } catch (KeyException e) {
            throw new IllegalStateException(e);
        }
    }

    static byte[] bytes(int n, long seed) {
        byte[] b = new byte[n];
        new Random(seed).nextBytes(b);
        return b;
    }

    static ManifestHeader header() {
        ObjectNode sel = JsonNodeFactory.instance.objectNode();
        sel.putArray("products").add("Windows 11");
        sel.put("languages", "en");
        return new ManifestHeader(UUID.fromString("0f0e0d0c-0b0a-4908-8706-050403020100"), "wsus-main", 7, 6L,
                Instant.parse("2024-05-14T10:00:00Z"), Instant.parse("2024-06-14T10:00:00Z"),
                new Producer("ferry", "0.1.0"), sel);
    }

    /** A bundle of 64 KiB volumes: small files, one spanning three volumes, an empty file. */
    static Manifest smallBundle(Path dir) throws IOException {
        try (BundleWriter w = BundleWriter.create(dir, Limits.MIN_VOLUME_SIZE)) {
            w.add("wsus/metadata/aaaa/1.xml", "application/xml", Map.of("kind", "wsus-metadata"),
                    in(bytes(3000, 1)), 3000);
            w.add("wsus/content/AB/0123456789ABCDEF0123456789ABCDEF012345AB.cab", "application/vnd.ms-cab-compressed",
                    Map.of("kind", "wsus-content", "updateId", "x", "revisionNumber", "200"), in(bytes(150_000, 2)), 150_000);
            w.add("empty.txt", "text/plain", Map.of(), in(new byte[0]), 0);
            w.add("wsus/metadata/bbbb/2.xml", "application/xml", Map.of(), in(bytes(700, 3)), 700);
            return w.finish(header(), List.of(signer()));
        }
    }

    static InputStream in(byte[] b) {
        return new ByteArrayInputStream(b);
    }
}
