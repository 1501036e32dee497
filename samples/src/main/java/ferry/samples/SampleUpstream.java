package ferry.samples;

import ferry.wsus.server.ServerSyncSettings;
import ferry.wsus.server.WsusServer;

import java.net.URI;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;

/**
 * The sample upstream server: the {@link SampleCatalog} served over MS-WSUSSS (and its files over
 * {@code /Content/}) by ferry's own server half, and a small signed APT repository ({@link SampleAptRepository}) below
 * {@code /debian/}, so the whole path runs on one machine with no network. Bounded by
 * {@link WsusServer.Limits} (by default 64 threads, 256 connections, 4 MiB request bodies that must arrive within
 * 20 s, 30 s idle timeout), so a slow client cannot hold it.
 */
public final class SampleUpstream implements AutoCloseable {

    private final SampleCatalog catalog;
    private final SampleAptRepository apt;
    private final WsusServer server;

    private SampleUpstream(SampleCatalog catalog, SampleAptRepository apt, WsusServer server) {
        this.catalog = catalog;
        this.apt = apt;
        this.server = server;
    }

    /**
     * Builds the catalog (files under {@code filesDir}) and starts serving it.
     *
     * @param bindHost address to listen on, normally {@code 127.0.0.1}
     * @param port     TCP port, 0 for any free one
     * @throws Exception if the port cannot be bound or the files cannot be written
     */
    public static SampleUpstream start(Path filesDir, String bindHost, int port) throws Exception {
        return start(filesDir, bindHost, port, 0);
    }

    /** As {@link #start(Path, String, int)}, with a feature update of that many bytes (0 = none). */
    public static SampleUpstream start(Path filesDir, String bindHost, int port, long featureUpdateBytes) throws Exception {
        return start(filesDir, bindHost, port, featureUpdateBytes, WsusServer.Limits.defaults());
    }

    /** As {@link #start(Path, String, int, long)}, with other limits against slow clients (tests use short times). */
    public static SampleUpstream start(Path filesDir, String bindHost, int port, long featureUpdateBytes,
                                       WsusServer.Limits limits) throws Exception {
        return start(SampleCatalog.create(filesDir, featureUpdateBytes), filesDir, bindHost, port, limits);
    }

    /**
     * As {@link #start(Path, String, int, long)}, plus {@code smallFiles} files of {@code smallFileBytes} bytes in
     * one more update (see {@link SampleCatalog#create(Path, long, int, long)}).
     *
     * @throws Exception if the port cannot be bound or the files cannot be written
     */
    public static SampleUpstream start(Path filesDir, String bindHost, int port, long featureUpdateBytes,
                                       int smallFiles, long smallFileBytes) throws Exception {
        return start(SampleCatalog.create(filesDir, featureUpdateBytes, smallFiles, smallFileBytes), filesDir, bindHost,
                port, WsusServer.Limits.defaults());
    }

    private static SampleUpstream start(SampleCatalog catalog, Path filesDir, String bindHost, int port,
                                        WsusServer.Limits limits) throws Exception {
        SampleAptRepository apt = SampleAptRepository.create(filesDir, Instant.now());
        return new SampleUpstream(catalog, apt, WsusServer.start(bindHost, port, catalog, catalog,
                ServerSyncSettings.defaults(), List.of(apt.handler()), limits));
    }

    /** The base URL, e.g. {@code http://127.0.0.1:8531/}: pass it to {@code ferry export --upstream}. */
    public URI uri() {
        return server.uri();
    }

    /**
     * The APT repository served beside the WSUS services, at {@link #aptUri()}; its upstream keyring is
     * {@link SampleAptRepository#keyring()}.
     */
    public SampleAptRepository apt() {
        return apt;
    }

    /** The APT repository's URL, e.g. {@code http://127.0.0.1:8531/debian/}: pass it to {@code ferry export --source apt --upstream}. */
    public URI aptUri() {
        return server.uri().resolve(SampleAptRepository.PREFIX.substring(1));
    }

    /** The catalog being served; {@link SampleCatalog#add(String)} publishes more revisions. */
    public SampleCatalog catalog() {
        return catalog;
    }

    @Override
    public void close() throws Exception {
        server.close();
    }
}
