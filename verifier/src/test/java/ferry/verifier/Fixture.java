package ferry.verifier;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import ferry.format.BundleWriter;
import ferry.format.Limits;
import ferry.format.Manifest;
import ferry.format.ManifestHeader;
import ferry.format.Producer;
import ferry.format.pgp.GeneratedKey;
import ferry.format.pgp.KeyException;
import ferry.format.pgp.KeyGenerator;
import ferry.format.pgp.PublicKey;
import ferry.format.pgp.PublicKeys;
import ferry.format.pgp.SigningKey;
import ferry.format.trust.TrustStore;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.UUID;

/** Keys, trust stores and a small multi-volume bundle for verifier tests. */
final class Fixture {
    private Fixture() { }

    static final GeneratedKey ALICE = KeyGenerator.generateEd25519("Alice <alice@example.org>", null);
    static final GeneratedKey BOB = KeyGenerator.generateEd25519("Bob <bob@example.org>", null);
    static final GeneratedKey MALLORY = KeyGenerator.generateEd25519("Mallory <mallory@example.org>", null);
    static final Instant CREATED = Instant.parse("2024-05-14T10:00:00Z");
    static final Instant EXPIRES = Instant.parse("2024-06-14T10:00:00Z");
    static final Instant NOW = Instant.parse("2024-05-20T08:00:00Z");

    static SigningKey signer(GeneratedKey k) {
        try {
            return SigningKey.parse(k.armoredSecretKey(), null);
        } catch (KeyException e) {
            throw new IllegalStateException(e);
        }
    }

    static PublicKey pub(GeneratedKey k) {
        try {
            return PublicKeys.parse(k.armoredPublicKey());
        } catch (KeyException e) {
            throw new IllegalStateException(e);
        }
    }

    static TrustStore trust(int threshold, GeneratedKey... keys) {
        List<PublicKey> pubs = new ArrayList<>();
        for (GeneratedKey k : keys) {
            pubs.add(pub(k));
        }
        return TrustStore.of(pubs, threshold);
    }

    static byte[] bytes(int n, long seed) {
        byte[] b = new byte[n];
        new Random(seed).nextBytes(b);
        return b;
    }

    static ManifestHeader header() {
        var sel = JsonNodeFactory.instance.objectNode();
        sel.putArray("classifications").add("Security Updates");
        return new ManifestHeader(UUID.fromString("11111111-2222-4333-8444-555555555555"), "wsus-main", 3, null,
                CREATED, EXPIRES, new Producer("ferry", "0.1.0"), sel);
    }

    /**
     * Four 64 KiB volumes: entry 0 (small) and 1 (spans volumes 1-3) and 2 (empty) and 3 (small, last
     * volume).
     */
    static Manifest write(Path dir, GeneratedKey... signers) throws IOException {
        List<SigningKey> keys = new ArrayList<>();
        for (GeneratedKey k : signers) {
            keys.add(signer(k));
        }
        try (BundleWriter w = BundleWriter.create(dir, Limits.MIN_VOLUME_SIZE)) {
            w.add("wsus/metadata/6a9b0f8e-0000-4000-8000-000000000001/200.xml", "application/xml",
                    Map.of("kind", "wsus-metadata", "updateId", "6a9b0f8e-0000-4000-8000-000000000001", "revisionNumber", "200"),
                    new ByteArrayInputStream(bytes(5000, 1)), 5000);
            w.add("wsus/content/4F/0123456789ABCDEF0123456789ABCDEF0123454F.cab", "application/vnd.ms-cab-compressed",
                    Map.of("kind", "wsus-content"), new ByteArrayInputStream(bytes(160_000, 2)), 160_000);
            w.add("wsus/content/00/empty.txt", "text/plain", Map.of(), new ByteArrayInputStream(new byte[0]), 0);
            w.add("wsus/content/77/tail.bin", "application/octet-stream", Map.of(),
                    new ByteArrayInputStream(bytes(40_000, 3)), 40_000);
            return w.finish(header(), keys);
        }
    }
}
