package ferry.exporter.wsus;

import ferry.format.JsonLocations;
import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.StreamReadFeature;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonMappingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import ferry.exporter.ExportConfigException;
import ferry.exporter.SelectionException;
import ferry.wsus.catalog.ApprovalSet;
import ferry.wsus.catalog.ApprovalSetJson;
import ferry.wsus.metadata.CategoryType;

import java.io.IOException;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The approval set a central team writes for {@code ferry export --approvals FILE} (docs/windows-clients.md,
 * "Approvals from the connected side"): YAML, or JSON when the file name ends in {@code .json}, bound to an
 * {@link ApprovalSet} and checked before the upstream is asked anything. Every problem is an
 * {@link ExportConfigException} with one line naming the file, the line and the field, e.g.
 * {@code approvals file approvals.yml line 7: approvals[1].kb[0]: not a KB number ...}. Public for {@code ferry config
 * check}, which checks a job's approval file the same way (all but what needs the upstream's categories).
 */
public final class ApprovalFile {
    /** A file larger than this is refused: 4 MiB. */
    static final long MAX_BYTES = 4L << 20;

    private final Path file;
    private final ApprovalSet set;
    private final Map<String, JsonLocation> lines;

    private ApprovalFile(Path file, ApprovalSet set, Map<String, JsonLocation> lines) {
        this.file = file;
        this.set = set;
        this.lines = lines;
    }

    /** The set as read (not yet normalized). */
    ApprovalSet set() {
        return set;
    }

    /**
     * Reads and checks {@code file}.
     *
     * @throws ExportConfigException naming the file, line and field of the first problem (and how many more there are)
     */
    public static ApprovalFile read(Path file) throws ExportConfigException {
        String text;
        try {
            if (Files.size(file) > MAX_BYTES) {
                throw problem(file, 0, "", "larger than " + MAX_BYTES + " bytes: not an approval set");
            }
            text = StandardCharsets.UTF_8.newDecoder().onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT)
                    .decode(java.nio.ByteBuffer.wrap(Files.readAllBytes(file))).toString();
        } catch (NoSuchFileException e) {
            throw problem(file, 0, "", "no such file");
        } catch (CharacterCodingException e) {
            throw problem(file, 0, "", "not UTF-8 text");
        } catch (IOException e) {
            throw problem(file, 0, "", "cannot read: " + e.getMessage());
        }
        ObjectMapper mapper = file.getFileName().toString().toLowerCase(Locale.ROOT).endsWith(".json")
                ? JsonMapper.builder().enable(StreamReadFeature.STRICT_DUPLICATE_DETECTION).build()
                : YAMLMapper.builder().enable(StreamReadFeature.STRICT_DUPLICATE_DETECTION).build();
        mapper = mapper.copy()
                .enable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
                .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS)
                .enable(DeserializationFeature.ACCEPT_SINGLE_VALUE_AS_ARRAY);
        Map<String, JsonLocation> lines = new HashMap<>();
        ApprovalSet set;
        try {
            lines.putAll(JsonLocations.locate(mapper, text));
            set = text.isBlank() ? null : mapper.readValue(text, ApprovalSet.class);
        } catch (JsonProcessingException e) {
            JsonLocation at = e.getLocation();
            String field = "";
            if (e instanceof JsonMappingException m) {
                field = path(m);
                // where the field starts, not where the parser stood when it gave up
                JsonLocation start = lines.get(pointer(m));
                at = start != null ? start : at;
            }
            throw problem(file, at == null ? 0 : at.getLineNr(), field,
                    e.getOriginalMessage().lines().findFirst().orElse("").replaceAll(" \\(class [^)]*\\)", ""));
        } catch (IOException e) {
            throw problem(file, 0, "", "cannot parse: " + e.getMessage().lines().findFirst().orElse(""));
        }
        if (set == null) {
            set = new ApprovalSet(null, null, null, null, null);
        }
        ApprovalFile read = new ApprovalFile(file, set, lines);
        List<ApprovalSet.Problem> problems = set.check(false);
        if (!problems.isEmpty()) {
            throw read.problem(problems.get(0).pointer(), problems.get(0).message()
                    + (problems.size() > 1 ? " (and " + (problems.size() - 1) + " more problem(s))" : ""));
        }
        return read;
    }

    /**
     * The carried bytes ({@link ApprovalSetJson}): products and classifications resolved to category ids against the
     * upstream's categories.
     *
     * @throws ExportConfigException naming the file, line and field of a product or classification the upstream lacks
     */
    byte[] carried(SelectionResolver categories) throws ExportConfigException {
        Map<String, String> products = new HashMap<>();
        Map<String, String> classifications = new HashMap<>();
        for (int i = 0; i < set.approvals().size(); i++) {
            var a = set.approvals().get(i);
            resolve(categories, "/approvals/" + i, a.product(), a.classification(), products, classifications);
        }
        for (int i = 0; i < set.declines().size(); i++) {
            var d = set.declines().get(i);
            resolve(categories, "/declines/" + i, d.product(), d.classification(), products, classifications);
        }
        for (int i = 0; i < set.rules().size(); i++) {
            var r = set.rules().get(i);
            resolve(categories, "/rules/" + i, r.product(), r.classification(), products, classifications);
        }
        return ApprovalSetJson.write(set.normalized(products::get, classifications::get));
    }

    private void resolve(SelectionResolver categories, String at, List<String> product, List<String> classification,
                         Map<String, String> products, Map<String, String> classifications)
            throws ExportConfigException {
        for (int i = 0; i < product.size(); i++) {
            resolve(categories, at + "/product/" + i, product.get(i).trim(), CategoryType.PRODUCT, "product", products);
        }
        for (int i = 0; i < classification.size(); i++) {
            resolve(categories, at + "/classification/" + i, classification.get(i).trim(),
                    CategoryType.UPDATE_CLASSIFICATION, "classification", classifications);
        }
    }

    private void resolve(SelectionResolver categories, String at, String name, CategoryType type, String what,
                         Map<String, String> out) throws ExportConfigException {
        if (out.containsKey(name)) {
            return;
        }
        try {
            out.put(name, categories.resolve(name, type, what).id());
        } catch (SelectionException e) {
            throw problem(at, e.getMessage());
        }
    }

    private ExportConfigException problem(String pointer, String message) {
        String p = pointer;
        JsonLocation at = lines.get(p);
        while (at == null && !p.isEmpty()) {
            p = p.substring(0, p.lastIndexOf('/'));
            at = lines.get(p);
        }
        return problem(file, at == null ? 0 : at.getLineNr(), new ApprovalSet.Problem(pointer, message).field(),
                message);
    }

    private static ExportConfigException problem(Path file, int line, String field, String message) {
        return new ExportConfigException("approvals file " + file + (line > 0 ? " line " + line : "")
                + (field.isEmpty() ? "" : ": " + field) + ": " + message);
    }

    private static String pointer(JsonMappingException e) {
        StringBuilder f = new StringBuilder();
        for (JsonMappingException.Reference r : e.getPath()) {
            if (r.getFieldName() != null) {
                f.append('/').append(r.getFieldName().replace("~", "~0").replace("/", "~1"));
            } else if (r.getIndex() >= 0) {
                f.append('/').append(r.getIndex());
            }
        }
        return f.toString();
    }

    private static String path(JsonMappingException e) {
        StringBuilder f = new StringBuilder();
        for (JsonMappingException.Reference r : e.getPath()) {
            if (r.getFieldName() != null) {
                f.append(f.length() == 0 ? "" : ".").append(r.getFieldName());
            } else if (r.getIndex() >= 0) {
                f.append('[').append(r.getIndex()).append(']');
            }
        }
        return f.toString();
    }
}
