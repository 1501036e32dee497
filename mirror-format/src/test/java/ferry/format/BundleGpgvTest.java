package ferry.format;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ferry.format.pgp.Gpg;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The exact gpgv command documented in docs/bundle-format.md verifies a bundle BundleWriter wrote. */
class BundleGpgvTest {
    @TempDir
    Path tmp;

    @Test
    void documentedGpgvCommandVerifiesTheManifest() throws Exception {
        Gpg.assumeInstalled("gpgv");
        Gpg.assumeInstalled("gpg");
        try (Gpg g = new Gpg(Files.createDirectory(tmp.resolve("work")))) {
            Path bundle = g.home.resolve("bundle");
            TestData.smallBundle(bundle);
            Files.writeString(g.home.resolve("signer.pub.asc"), TestData.KEY.armoredPublicKey());
            String fpr = TestData.KEY.fingerprint();
            String cmd = "gpg --dearmor < signer.pub.asc > signer.gpg; "
                    + "gpgv --keyring ./signer.gpg bundle/signatures/" + fpr + ".asc bundle/manifest.json";
            Gpg.Result r = g.run(null, "sh", "-c", cmd);
            assertEquals(0, r.exit(), r.err());
            assertTrue(r.err().contains("Good signature"), r.err());

            byte[] m = Files.readAllBytes(bundle.resolve("manifest.json"));
            m[m.length / 2] ^= 1;
            Files.write(bundle.resolve("manifest.json"), m);
            r = g.run(null, "sh", "-c", cmd);
            assertNotEquals(0, r.exit(), "gpgv must reject a changed manifest");
        }
    }
}
