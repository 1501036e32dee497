package ferry.verifier;

import ferry.format.BundleLayout;
import ferry.format.pgp.DetachedSignatures;
import ferry.format.pgp.PublicKey;
import ferry.format.pgp.SignatureCheck;
import ferry.format.trust.SignedTrustChange;
import ferry.format.trust.TrustChange;
import ferry.format.trust.TrustStore;
import ferry.format.trust.TrustStoreException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Decides whether a trust policy change a bundle carries ({@code trust/}) may be applied, as The Update Framework
 * decides a new root: the change must be the next version ({@code version = trust store's + 1}), signed by at least
 * the <em>current</em> threshold of the currently trusted keys (the old keys vouch for the new policy) and by at least
 * the <em>new</em> threshold of its own new keys (the new keys show they can sign, so a typo cannot lock the site
 * out). Distinct primary fingerprints count once each; a key in both sets counts in both. A change at or below the
 * current version is ignored (already applied or superseded), never applied again.
 */
final class TrustChangeStage {
    private static final String WHERE = "file " + BundleLayout.TRUST_DIR + "/" + BundleLayout.TRUST_POLICY;

    private TrustChangeStage() { }

    /** @return the change to apply after the import, or null (none, ignored, or refused: then a problem is added) */
    static TrustChange run(Path bundleDir, TrustStore trust, Problems problems, List<String> notes) {
        SignedTrustChange signed;
        TrustChange change;
        try {
            signed = SignedTrustChange.read(bundleDir.resolve(BundleLayout.TRUST_DIR));
            if (signed == null) {
                return null;
            }
            change = TrustChange.parse(signed.document());
        } catch (TrustStoreException e) {
            problems.add(Problem.Code.TRUST_CHANGE_REFUSED, WHERE, e.getMessage());
            return null;
        }
        long current = trust.version();
        if (change.version() <= current) {
            notes.add("trust policy change to version " + change.version() + " ignored: the trust store is at version "
                    + current + " already");
            return null;
        }
        Map<String, PublicKey> candidates = new LinkedHashMap<>();
        trust.keys().forEach(k -> candidates.put(k.fingerprint(), k));
        change.keys().forEach(k -> candidates.putIfAbsent(k.fingerprint(), k));
        Set<String> valid = new HashSet<>();
        List<String> bad = new ArrayList<>();
        for (var e : signed.signatures().entrySet()) {
            List<SignatureCheck> checks = DetachedSignatures.verify(e.getValue(), signed.document(), candidates.values());
            if (checks.size() == 1 && checks.get(0).status() == SignatureCheck.Status.VALID
                    && checks.get(0).fingerprint().equals(e.getKey())) {
                valid.add(e.getKey());
            } else {
                bad.add(e.getKey() + (checks.size() == 1 ? " (" + checks.get(0).status() + ")" : ""));
            }
        }
        Set<String> currentKeys = new HashSet<>();
        trust.keys().forEach(k -> currentKeys.add(k.fingerprint()));
        long byCurrent = valid.stream().filter(currentKeys::contains).count();
        long byNew = valid.stream().filter(change.fingerprints()::contains).count();
        String ignored = bad.isEmpty() ? "" : "; signatures not counted: " + String.join(", ", bad);
        boolean ok = true;
        if (valid.isEmpty()) {
            problems.add(Problem.Code.TRUST_CHANGE_REFUSED, WHERE, "version " + change.version() + " is unsigned: no"
                    + " valid signature by a currently trusted or a new key (" + trust.threshold() + " of the current"
                    + " keys and " + change.policy().threshold() + " of the new keys required)" + ignored);
            return null;
        }
        if (byCurrent < trust.threshold()) {
            problems.add(Problem.Code.TRUST_CHANGE_REFUSED, WHERE, "version " + change.version() + " is signed by "
                    + byCurrent + " of the currently trusted keys, " + trust.threshold() + " required (the current"
                    + " threshold)" + ignored);
            ok = false;
        }
        if (byNew < change.policy().threshold()) {
            problems.add(Problem.Code.TRUST_CHANGE_REFUSED, WHERE, "version " + change.version() + " is signed by "
                    + byNew + " of its own new keys, " + change.policy().threshold() + " required (the new threshold)"
                    + ignored);
            ok = false;
        }
        if (!ok) {
            return null;
        }
        if (change.version() != current + 1) {
            problems.add(Problem.Code.TRUST_CHANGE_REFUSED, WHERE, "version " + change.version() + " skips versions: the"
                    + " trust store is at version " + current + "; import the bundle carrying version " + (current + 1)
                    + " first");
            return null;
        }

        notes.add("trust policy change to version " + change.version() + " (" + change.keys().size() + " keys, threshold "
                + change.policy().threshold() + "): signed by " + byCurrent + " current and " + byNew + " new key(s);"
                + " applied to the trust store when the bundle is imported");
        return change;
    }
}
