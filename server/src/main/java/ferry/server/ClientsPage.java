package ferry.server;

import ferry.wsus.wusp.ClientApprovals;
import ferry.wsus.wusp.ClientRegistry;
import ferry.wsus.wusp.ClientScope;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/**
 * The clients page of the status site: {@code GET /clients} (HTML) and {@code /clients.json} ({@link ClientsReport}),
 * HEAD as well ({@link ReportPage}): the registered Windows computers, the approved updates offered to each and what each reported, and the
 * approved updates not offered because the store lacks some of their files. Owns the clients database while the server
 * runs: closes it when the server stops.
 */
final class ClientsPage extends ReportPage implements AutoCloseable {
    private final ClientRegistry registry;
    private final ClientScope scope;
    private final ClientApprovals approvals;
    private final java.util.concurrent.atomic.AtomicBoolean closed = new java.util.concurrent.atomic.AtomicBoolean();

    ClientsPage(ClientRegistry registry, ClientScope scope, ClientApprovals approvals) {
        super("/clients", "/clients.json");
        this.registry = registry;
        this.scope = scope;
        this.approvals = approvals;
    }

    /** Files of updates approved for any group that the store does not hold, by update. */
    static List<ferry.wsus.wusp.ClientScope.MissingFile> missingFiles(ClientScope scope, ClientApprovals approvals) {
        List<ClientScope.MissingFile> out = new ArrayList<>();
        if (approvals.approvedForAnyGroup().isEmpty()) {
            return out; // reading the scope parses every update document: not at start when nothing is approved
        }
        ClientScope.Snapshot s = scope.current();
        for (String updateId : approvals.approvedForAnyGroup().stream().sorted().toList()) {
            out.addAll(s.missingFiles(updateId));
        }
        return out;
    }

    @Override
    byte[] render(boolean html) {
        ClientsReport.ReportJson report = ClientsReport.model(registry.computers(), missingFiles(scope, approvals),
                Instant.now());
        return html ? ClientsReport.html(report) : ClientsReport.json(report);
    }

    @Override
    protected void doStop() throws Exception {
        super.doStop();
        close();
    }

    /** Closes the clients database (once): when the server stops, or when it could not start. */
    @Override
    public void close() {
        if (closed.compareAndSet(false, true)) {
            registry.close();
        }
    }
}
