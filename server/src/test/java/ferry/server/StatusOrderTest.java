package ferry.server;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import ferry.store.SourceCatalog;
import ferry.store.StoreCounts;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The status page and status.json show each source type's figures in the order the source type gives them (its
 * catalog orders them, e.g. by type name), so two requests on an unchanged store read the same.
 */
class StatusOrderTest {

    @Test
    void sourceFiguresKeepTheirOrderInHtmlAndJson() throws Exception {
        List<SourceCatalog.Count> figures = List.of(new SourceCatalog.Count("updates", 8),
                new SourceCatalog.Count("fileBytes", 2048), new SourceCatalog.Count("updatesCategory", 3),
                new SourceCatalog.Count("updatesSoftware", 5), new SourceCatalog.Count("categoriesCompany", 1));
        StoreStatus s = new StoreStatus(Instant.EPOCH,
                new StoreCounts(1, 1, List.of(new StoreCounts.Source("wsus", figures))), List.of(), List.of(),
                new ServerTraffic.Traffic(Instant.EPOCH, 3, 2, 1, 0, 10, 4096));
        String html = new String(StatusHtml.render(s), StandardCharsets.UTF_8);
        List<Integer> at = new ArrayList<>();
        for (String label : List.of("wsus updates<", "wsus file bytes<", "wsus updates category<",
                "wsus updates software<", "wsus categories company<")) {
            int i = html.indexOf(label);
            assertTrue(i >= 0, label + " missing in " + html);
            at.add(i);
        }
        assertEquals(at.stream().sorted().toList(), at, html);
        assertTrue(html.contains("2048 (2.0 KiB)"), "bytes are also shown readably: " + html);

        JsonNode json = new ObjectMapper().readTree(StatusJson.render(s));
        List<String> names = new ArrayList<>();
        for (Iterator<String> it = json.get("sources").get("wsus").fieldNames(); it.hasNext(); ) {
            names.add(it.next());
        }
        assertEquals(figures.stream().map(SourceCatalog.Count::name).toList(), names);
        assertEquals(5, json.get("sources").get("wsus").get("updatesSoftware").asLong());
        assertEquals(1, json.get("counts").get("bundles").asLong());
    }
}
