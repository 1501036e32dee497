package ferry.format.receipt;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.StreamReadFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import ferry.format.CanonicalJson;
import ferry.format.pgp.DetachedSignatures;
import ferry.format.pgp.SignatureCheck;
import ferry.format.pgp.SigningKey;
import ferry.format.trust.TrustStore;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * What the isolated side's store holds, per channel, signed with isolated-side keys (docs/transfer.md, "Receipts"):
 * carried back to the connected side, it lets {@code ferry export --receipt} build the next bundle against what the far
 * side really has, so a lost bundle is recovered by exporting again.
 *
 * <p>On disk, one JSON file: {@code {"receipt": {...}, "signatures": {"<FINGERPRINT>": "<armored detached signature>"}}};
 * each signature is over the canonical serialization (docs/bundle-format.md, section 3.3) of the {@code receipt}
 * object, which is {@code {"channels": [...], "createdAt": "...", "formatVersion": 1}}.
 *
 * @param createdAt when the receipt was written (UTC, whole seconds)
 * @param channels  every channel the store holds, sorted by name
 */
public record Receipt(Instant createdAt, List<ChannelPosition> channels) {
    /** The receipt format version. */
    public static final int FORMAT_VERSION = 1;
    private static final int MAX_BYTES = 4 * 1024 * 1024;
    private static final ObjectMapper JSON = JsonMapper.builder()
            .enable(StreamReadFeature.STRICT_DUPLICATE_DETECTION).build();

    public Receipt {
        channels = channels.stream().sorted(java.util.Comparator.comparing(ChannelPosition::channel)).toList();
    }

    /** The position of {@code channel}, or empty when the store holds nothing on it. */
    public Optional<ChannelPosition> channel(String channel) {
        return channels.stream().filter(c -> c.channel().equals(channel)).findFirst();
    }

    /** The canonical bytes that are signed. */
    public byte[] signedBytes() {
        return CanonicalJson.write(tree());
    }

    private ObjectNode tree() {
        ObjectNode o = JsonNodeFactory.instance.objectNode();
        o.put("formatVersion", FORMAT_VERSION);
        o.put("createdAt", createdAt.toString());
        var arr = o.putArray("channels");
        for (ChannelPosition c : channels) {
            ObjectNode n = arr.addObject();
            n.put("channel", c.channel());
            n.put("lastSequence", c.lastSequence());
            n.put("lastBundleId", c.lastBundleId());
            n.put("bundles", c.bundles());
            n.put("revisions", c.revisions());
            n.put("files", c.files());
            n.put("bundlesSha256", c.bundlesSha256());
        }
        return o;
    }

    /** The receipt file signed by each of {@code keys}, pretty-printed UTF-8 JSON. */
    public byte[] toFile(List<SigningKey> keys) {
        if (keys.isEmpty()) {
            throw new IllegalArgumentException("a receipt needs at least one signing key");
        }
        ObjectNode root = JsonNodeFactory.instance.objectNode();
        root.set("receipt", tree());
        ObjectNode sigs = root.putObject("signatures");
        byte[] bytes = signedBytes();
        for (SigningKey k : keys) {
            sigs.put(k.fingerprint(), DetachedSignatures.sign(k, bytes));
        }
        try {
            return JSON.writerWithDefaultPrettyPrinter().writeValueAsBytes(root);
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    /**
     * Reads a receipt file and checks its signatures against {@code trust} (the isolated side's keys, as the
     * connected side trusts them): at least the trust store's threshold of distinct trusted keys must have signed the
     * canonical receipt bytes, else nothing in it is believed.
     *
     * @throws ReceiptException naming the file and what is wrong: unreadable, malformed, unsigned, or signed by fewer
     *         trusted keys than the threshold
     */
    public static Receipt readVerified(Path file, TrustStore trust) throws ReceiptException {
        byte[] bytes;
        try (InputStream in = Files.newInputStream(file)) {
            bytes = in.readNBytes(MAX_BYTES + 1);
        } catch (IOException e) {
            throw new ReceiptException(file + ": cannot read the receipt: " + e.getMessage(), e);
        }
        if (bytes.length > MAX_BYTES) {
            throw new ReceiptException(file + ": larger than " + MAX_BYTES + " bytes: not a receipt");
        }
        JsonNode root;
        try (JsonParser p = JSON.createParser(bytes)) {
            root = JSON.readTree(p);
        } catch (IOException e) {
            throw new ReceiptException(file + ": not a receipt (not JSON): " + e.getMessage(), e);
        }
        JsonNode r = root == null ? null : root.get("receipt");
        JsonNode s = root == null ? null : root.get("signatures");
        if (r == null || !r.isObject() || s == null || !s.isObject() || root.size() != 2) {
            throw new ReceiptException(file + ": not a receipt: expected {\"receipt\": {...}, \"signatures\": {...}}");
        }
        byte[] signed;
        try {
            signed = CanonicalJson.write(r);
        } catch (IllegalArgumentException e) {
            throw new ReceiptException(file + ": field receipt: " + e.getMessage(), e);
        }
        Set<String> valid = new LinkedHashSet<>();
        for (var it = s.fields(); it.hasNext(); ) {
            var e = it.next();
            if (!e.getValue().isTextual()) {
                continue;
            }
            List<SignatureCheck> checks = DetachedSignatures.verify(e.getValue().textValue(), signed, trust.keys());
            if (checks.size() == 1 && checks.get(0).status() == SignatureCheck.Status.VALID
                    && checks.get(0).fingerprint().equals(e.getKey())) {
                valid.add(e.getKey());
            }
        }
        if (valid.size() < trust.threshold()) {
            throw new ReceiptException(file + ": signed by " + valid.size() + " trusted isolated-side key(s), "
                    + trust.threshold() + " required; the receipt is not believed");
        }
        try {
            if (r.path("formatVersion").asInt(-1) != FORMAT_VERSION) {
                throw new IllegalArgumentException("field formatVersion: not " + FORMAT_VERSION);
            }
            List<ChannelPosition> channels = new ArrayList<>();
            for (JsonNode c : r.path("channels")) {
                channels.add(new ChannelPosition(text(c, "channel"), c.path("lastSequence").asLong(-1),
                        c.hasNonNull("lastBundleId") ? text(c, "lastBundleId") : null, c.path("bundles").asLong(),
                        c.path("revisions").asLong(), c.path("files").asLong(),
                        c.hasNonNull("bundlesSha256") ? text(c, "bundlesSha256") : null));
            }
            return new Receipt(Instant.parse(text(r, "createdAt")), channels);
        } catch (RuntimeException e) {
            throw new ReceiptException(file + ": malformed receipt: " + e.getMessage(), e);
        }
    }

    private static String text(JsonNode n, String field) {
        JsonNode v = n.get(field);
        if (v == null || !v.isTextual()) {
            throw new IllegalArgumentException("field " + field + ": missing or not a string");
        }
        return v.textValue();
    }

    /** The SHA-256 line digest of {@link ChannelPosition#bundlesSha256()} for lines already in sequence order. */
    public static String digestLines(List<String> lines) {
        try {
            var md = java.security.MessageDigest.getInstance("SHA-256");
            for (String l : lines) {
                md.update((l + "\n").getBytes(StandardCharsets.UTF_8));
            }
            return java.util.HexFormat.of().formatHex(md.digest());
        } catch (java.security.NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
