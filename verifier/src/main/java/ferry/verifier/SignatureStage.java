package ferry.verifier;

import ferry.format.BundleLayout;
import ferry.format.Limits;
import ferry.format.pgp.DetachedSignatures;
import ferry.format.pgp.SignatureCheck;
import ferry.format.trust.TrustStore;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** Checks every signature file against the manifest bytes and the trust store's threshold. */
final class SignatureStage {
    private SignatureStage() { }

    /** Returns the distinct trusted signers with a valid signature. */
    static List<Signer> run(Path bundleDir, byte[] manifestBytes, TrustStore trust, Problems problems) {
        Path dir = bundleDir.resolve(BundleLayout.SIGNATURES_DIR);
        List<Path> files = new ArrayList<>();
        if (Files.isDirectory(dir, LinkOption.NOFOLLOW_LINKS)) {
            try (DirectoryStream<Path> ds = Files.newDirectoryStream(dir)) {
                ds.forEach(files::add);
            } catch (IOException e) {
                problems.add(Problem.Code.SIGNATURE_MISSING, "signatures", "cannot list the signature directory: " + e);
            }
        }
        files.sort(Comparator.comparing(p -> p.getFileName().toString()));
        Map<String, Signer> signers = new LinkedHashMap<>();
        int checked = 0;
        for (Path f : files) {
            String name = f.getFileName().toString();
            String rel = BundleLayout.SIGNATURES_DIR + "/" + name;
            if (!BundleLayout.isSignatureFileName(name) || !Files.isRegularFile(f, LinkOption.NOFOLLOW_LINKS)) {
                continue; // LayoutStage reports it as an unexpected file
            }
            if (checked++ == Limits.MAX_SIGNATURES) {
                problems.add(Problem.Code.SIGNATURE_LIMIT, "signatures", "more than " + Limits.MAX_SIGNATURES
                        + " signature files; the rest were not checked");
                break;
            }
            String where = "signature " + rel;
            byte[] armored;
            try (InputStream in = Files.newInputStream(f, LinkOption.NOFOLLOW_LINKS)) {
                armored = in.readNBytes((int) Limits.MAX_SIGNATURE_FILE_BYTES + 1);
            } catch (IOException e) {
                problems.add(Problem.Code.SIGNATURE_MALFORMED, where, "cannot read: " + e.getMessage());
                continue;
            }
            if (armored.length > Limits.MAX_SIGNATURE_FILE_BYTES) {
                problems.add(Problem.Code.SIGNATURE_MALFORMED, where, "larger than " + Limits.MAX_SIGNATURE_FILE_BYTES + " bytes");
                continue;
            }
            if (manifestBytes == null) {
                continue; // nothing to check against; the manifest problem is reported already
            }
            List<SignatureCheck> checks = DetachedSignatures.verify(armored, manifestBytes, trust.keys());
            if (checks.size() != 1) {
                problems.add(Problem.Code.SIGNATURE_MALFORMED, where, "holds " + checks.size() + " signatures; one per file expected");
                continue;
            }
            SignatureCheck c = checks.get(0);
            switch (c.status()) {
                case MALFORMED -> problems.add(Problem.Code.SIGNATURE_MALFORMED, where, c.message());
                case UNKNOWN_KEY -> problems.add(Problem.Code.SIGNATURE_UNTRUSTED, where,
                        "signed by key " + c.fingerprint() + ", which is not in the trust store");
                case INVALID -> problems.add(Problem.Code.SIGNATURE_INVALID, where,
                        "by " + c.fingerprint() + ": " + c.message());
                case VALID -> {
                    if (!name.equals(BundleLayout.signatureFileName(c.fingerprint()))) {
                        problems.add(Problem.Code.SIGNATURE_NAME_MISMATCH, where, "signed by " + c.fingerprint()
                                + " but named for another key");
                    } else {
                        signers.putIfAbsent(c.fingerprint(), new Signer(c.fingerprint(), c.userId(), rel, c.signedAt()));
                    }
                }
                default -> throw new IllegalStateException(c.status().toString());
            }
        }
        if (checked == 0) {
            problems.add(Problem.Code.SIGNATURE_MISSING, "signatures", "no signature file (signatures/<FINGERPRINT>.asc)");
        } else if (manifestBytes != null && signers.size() < trust.threshold()) {
            problems.add(Problem.Code.THRESHOLD_NOT_MET, "signatures", signers.size() + " trusted signer(s) with a valid signature, "
                    + trust.threshold() + " required" + (signers.isEmpty() ? "" : " (" + String.join(", ", signers.keySet()) + ")"));
        }
        return List.copyOf(signers.values());
    }
}
