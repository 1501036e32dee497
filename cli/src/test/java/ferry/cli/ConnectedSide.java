package ferry.cli;

import ferry.samples.SampleUpstream;

import java.nio.file.Path;

/**
 * The connected side most transfer tests start from: the sample upstream on 127.0.0.1 (a free port) and a fresh
 * signing key in {@code dir/keys} trusted by the trust store {@code dir/trust}. Close it to stop the upstream.
 */
record ConnectedSide(SampleUpstream upstream, Path keys, Path trust) implements AutoCloseable {

    /** @param signer the signing key's OpenPGP user id, e.g. {@code "a <a@ferry.invalid>"} */
    static ConnectedSide start(Path dir, String signer) throws Exception {
        SampleUpstream upstream = SampleUpstream.start(dir.resolve("upstream-files"), "127.0.0.1", 0);
        Path keys = dir.resolve("keys");
        Path trust = dir.resolve("trust");
        InProcess.signerTrustedIn(keys, trust, signer);
        return new ConnectedSide(upstream, keys, trust);
    }

    @Override
    public void close() throws Exception {
        upstream.close();
    }
}
