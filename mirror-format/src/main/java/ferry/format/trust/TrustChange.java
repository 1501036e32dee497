package ferry.format.trust;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.StreamReadFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import ferry.format.CanonicalJson;
import ferry.format.pgp.KeyException;
import ferry.format.pgp.PublicKey;
import ferry.format.pgp.PublicKeys;
import java.io.IOException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.HashSet;
import java.util.List;
import java.util.Objects;
import java.util.Set;

/**
 * A new trust policy for the isolated side's trust store, carried by a bundle and signed like The Update Framework's
 * root metadata (docs/security.md, "Key rotation without a visit"): the keys to trust from now on, the threshold and
 * the rest of the policy, and a version that must be exactly one above the trust store's.
 *
 * <p>On disk ({@code <bundle>/trust/policy.json}): canonical JSON (docs/bundle-format.md, section 3.3)
 * <pre>{"formatVersion":1,"keys":["-----BEGIN PGP PUBLIC KEY BLOCK-----…"],"maxSequenceJump":1000,
 * "requireExpiry":true,"threshold":2,"version":2}</pre>
 * keys sorted by fingerprint, each exactly one armored OpenPGP v4 public key. Signatures are detached, one per file,
 * over those exact bytes: {@code trust/signatures/<FINGERPRINT>.asc}. Whether they suffice is the trust gate's
 * decision ({@code ferry.verifier.BundleVerifier}), not this class's.
 *
 * @param version the trust policy version this change creates, &ge; 2 (a trust store without a version is at 1)
 * @param policy  threshold, sequence-jump bound and expiry requirement; 1 &le; threshold &le; keys
 * @param keys    the keys trusted after the change, distinct, at most 256
 */
public record TrustChange(long version, TrustPolicy policy, List<PublicKey> keys) {
    /** The document's format version. */
    public static final int FORMAT_VERSION = 1;
    /** Largest document accepted: 256 keys of a few KiB each. */
    public static final int MAX_BYTES = 2 * 1024 * 1024;
    private static final List<String> FIELDS = List.of("formatVersion", "version", "threshold", "maxSequenceJump",
            "requireExpiry", "keys");
    private static final ObjectMapper JSON = JsonMapper.builder()
            .enable(StreamReadFeature.STRICT_DUPLICATE_DETECTION).build();

    public TrustChange {
        Objects.requireNonNull(policy, "policy");
        if (version < 2) {
            throw new IllegalArgumentException("a trust policy change creates version 2 or later, not " + version);
        }
        List<PublicKey> sorted = new ArrayList<>(keys);
        sorted.sort(Comparator.comparing(PublicKey::fingerprint));
        Set<String> seen = new HashSet<>();
        for (PublicKey k : sorted) {
            if (!seen.add(k.fingerprint())) {
                throw new IllegalArgumentException("key " + k.fingerprint() + " given twice");
            }
        }
        if (sorted.isEmpty() || sorted.size() > 256) {
            throw new IllegalArgumentException("a trust policy needs 1 to 256 keys, not " + sorted.size());
        }
        if (policy.threshold() > sorted.size()) {
            throw new IllegalArgumentException("threshold " + policy.threshold() + " is more than the "
                    + sorted.size() + " key(s) of the new policy");
        }
        keys = List.copyOf(sorted);
    }

    /** The fingerprints of {@link #keys}, sorted. */
    public List<String> fingerprints() {
        return keys.stream().map(PublicKey::fingerprint).toList();
    }

    /** The canonical bytes that are signed. */
    public byte[] toBytes() {
        ObjectNode o = JsonNodeFactory.instance.objectNode();
        o.put("formatVersion", FORMAT_VERSION);
        o.put("version", version);
        o.put("threshold", policy.threshold());
        o.put("maxSequenceJump", policy.maxSequenceJump());
        o.put("requireExpiry", policy.requireExpiry());
        var arr = o.putArray("keys");
        for (PublicKey k : keys) {
            arr.add(k.armored());
        }
        return CanonicalJson.write(o);
    }

    /**
     * Parses the signed document strictly: canonical form, known fields only, every key one valid public key.
     *
     * @throws TrustStoreException naming the field at fault
     */
    public static TrustChange parse(byte[] bytes) throws TrustStoreException {
        if (bytes.length > MAX_BYTES) {
            throw new TrustStoreException("trust policy change: larger than " + MAX_BYTES + " bytes");
        }
        JsonNode root;
        try (JsonParser p = JSON.createParser(bytes)) {
            root = JSON.readTree(p);
            if (p.nextToken() != null) {
                throw new TrustStoreException("trust policy change: data after the JSON object");
            }
        } catch (IOException e) {
            throw new TrustStoreException("trust policy change: not valid JSON: " + e.getMessage(), e);
        }
        if (root == null || !root.isObject()) {
            throw new TrustStoreException("trust policy change: not a JSON object");
        }
        for (var it = root.fieldNames(); it.hasNext(); ) {
            String f = it.next();
            if (!FIELDS.contains(f)) {
                throw new TrustStoreException("trust policy change: field '" + f + "': unknown field");
            }
        }
        long format = integer(root, "formatVersion");
        if (format != FORMAT_VERSION) {
            throw new TrustStoreException("trust policy change: field 'formatVersion': unsupported version " + format);
        }
        long version = integer(root, "version");
        long threshold = integer(root, "threshold");
        long jump = integer(root, "maxSequenceJump");
        JsonNode r = root.get("requireExpiry");
        if (r == null || !r.isBoolean()) {
            throw new TrustStoreException("trust policy change: field 'requireExpiry': must be true or false");
        }
        JsonNode ks = root.get("keys");
        if (ks == null || !ks.isArray()) {
            throw new TrustStoreException("trust policy change: field 'keys': must be an array of armored public keys");
        }
        List<PublicKey> keys = new ArrayList<>();
        for (int i = 0; i < ks.size(); i++) {
            if (!ks.get(i).isTextual()) {
                throw new TrustStoreException("trust policy change: field 'keys[" + i + "]': must be a string");
            }
            try {
                keys.add(PublicKeys.parse(ks.get(i).textValue()));
            } catch (KeyException e) {
                throw new TrustStoreException("trust policy change: field 'keys[" + i + "]': " + e.getMessage(), e);
            }
        }
        TrustChange change;
        try {
            if (threshold > Integer.MAX_VALUE) {
                throw new IllegalArgumentException("threshold too large: " + threshold);
            }
            change = new TrustChange(version, new TrustPolicy((int) threshold, jump, r.booleanValue()), keys);
        } catch (IllegalArgumentException e) {
            throw new TrustStoreException("trust policy change: " + e.getMessage(), e);
        }
        if (!Arrays.equals(change.toBytes(), bytes)) {
            throw new TrustStoreException("trust policy change: not in canonical form (keys sorted by fingerprint,"
                    + " each key as ferry armors it)");
        }
        return change;
    }

    private static long integer(JsonNode root, String field) throws TrustStoreException {
        JsonNode n = root.get(field);
        if (n == null || !n.isIntegralNumber() || !n.canConvertToLong()) {
            throw new TrustStoreException("trust policy change: field '" + field + "': must be an integer");
        }
        return n.longValue();
    }
}
