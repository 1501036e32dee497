package ferry.server;

import ferry.store.Store;

/**
 * The status page: {@code GET /} (HTML) and {@code GET /status.json} (see {@link StatusJson}); HEAD as well, as every
 * {@link ReportPage}.
 */
final class StatusHandler extends ReportPage {
    private final Store store;
    private final ServerTraffic traffic;

    StatusHandler(Store store, ServerTraffic traffic) {
        super("/", "/status.json");
        this.store = store;
        this.traffic = traffic;
    }

    @Override
    byte[] render(boolean html) {
        StoreStatus status = StoreStatus.of(store, traffic.snapshot());
        return html ? StatusHtml.render(status) : StatusJson.render(status);
    }
}
