package ferry.cli.config;

import java.net.URI;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Function;

/**
 * The meaning of a bound {@code ferry.yml}: required fields, references between sections, and values the export
 * options would refuse, each reported at its line. Knows ferry's option syntax only through {@link Syntax}.
 */
public final class ConfigChecks {
    private ConfigChecks() {
    }

    /**
     * What the {@code ferry export} options accept.
     *
     * @param size     null when a volume size is valid, else why not
     * @param duration null when a duration is valid, else why not
     * @param options  the long names (without dashes) of every {@code ferry export} option a job's {@code options} may set
     * @param approvalFile null when the approval set file at the path (a job's {@code approvals}, resolved) reads and
     *                 checks as {@code ferry export --approvals} reads it, else the one-line problem naming the file,
     *                 its line and field
     */
    public record Syntax(Function<String, String> size, Function<String, String> duration, Set<String> options,
                         Function<Path, String> approvalFile) {
    }

    /** Every problem of {@code loaded}, binding errors first; empty when the file is good. */
    public static List<ConfigProblem> check(ConfigLoader.Loaded loaded, Syntax syntax) {
        List<ConfigProblem> out = new ArrayList<>(loaded.problems());
        FerryConfig c = loaded.config();
        Map<String, Map<String, ?>> sections = new java.util.LinkedHashMap<>();
        sections.put("upstreams", c.upstreams());
        sections.put("selections", c.selections());
        sections.put("keys", c.keys());
        sections.put("outputs", c.outputs());
        sections.put("media", c.media());
        sections.put("jobs", c.jobs());
        sections.forEach((section, entries) -> entries.forEach((name, value) -> {
            if (value == null) {
                out.add(loaded.problem("/" + section + "/" + name, "is empty"));
            }
        }));
        c.upstreams().forEach((name, u) -> {
            String at = "/upstreams/" + name;
            if (u == null) {
                return;
            }
            if (u.url() == null) {
                out.add(loaded.problem(at, "url is required"));
            } else {
                String why = httpUrl(u.url());
                if (why != null) {
                    out.add(loaded.problem(at + "/url", why));
                }
            }
            if (u.proxy() != null && httpUrl(u.proxy()) != null) {
                out.add(loaded.problem(at + "/proxy", httpUrl(u.proxy())));
            }
            duration(loaded, syntax, at + "/connectTimeout", u.connectTimeout(), out);
            duration(loaded, syntax, at + "/readTimeout", u.readTimeout(), out);
            if (u.retries() != null && (u.retries() < 0 || u.retries() > 9)) {
                out.add(loaded.problem(at + "/retries", "must be 0 to 9: " + u.retries()));
            }
            if (u.downloadThreads() != null && (u.downloadThreads() < 1 || u.downloadThreads() > 64)) {
                out.add(loaded.problem(at + "/downloadThreads", "must be 1 to 64: " + u.downloadThreads()));
            }
        });
        c.selections().forEach((name, s) -> {
            if (s != null && (s.products() == null || s.products().isEmpty())) {
                out.add(loaded.problem("/selections/" + name, "products is required (at least one product)"));
            }
        });
        c.keys().forEach((name, k) -> {
            if (k == null) {
                return;
            }
            if (k.file() == null) {
                out.add(loaded.problem("/keys/" + name, "file is required (the armored secret key)"));
            }
            if (k.passphraseFile() != null && k.passphraseEnv() != null) {
                out.add(loaded.problem("/keys/" + name + "/passphraseEnv", "give passphraseFile or passphraseEnv, not both"));
            }
        });
        c.outputs().forEach((name, o) -> {
            if (o == null) {
                return;
            }
            if (o.dir() == null) {
                out.add(loaded.problem("/outputs/" + name, "dir is required (where bundles are written)"));
            }
            if (o.name() != null) {
                String unknown = OutputNames.unknownPlaceholder(o.name());
                if (unknown != null) {
                    out.add(loaded.problem("/outputs/" + name + "/name", "unknown placeholder " + unknown
                            + "; known: " + String.join(", ", OutputNames.PLACEHOLDERS)));
                }
            }
        });
        c.media().forEach((name, m) -> {
            if (m != null && m.volumeSize() != null) {
                String why = syntax.size().apply(m.volumeSize());
                if (why != null) {
                    out.add(loaded.problem("/media/" + name + "/volumeSize", why));
                }
            }
            if (m != null && m.mediaSize() != null) {
                String why = syntax.size().apply(m.mediaSize());
                if (why != null) {
                    out.add(loaded.problem("/media/" + name + "/mediaSize", why));
                }
            }
        });
        c.jobs().forEach((name, j) -> {
            if (j != null) {
                job(loaded, syntax, name, j, out);
            }
        });
        return out;
    }

    private static void job(ConfigLoader.Loaded loaded, Syntax syntax, String name, FerryConfig.Job j, List<ConfigProblem> out) {
        FerryConfig c = loaded.config();
        String at = "/jobs/" + name;
        reference(loaded, at, "upstream", j.upstream(), c.upstreams(), true, out);
        reference(loaded, at, "selection", j.selection(), c.selections(), true, out);
        reference(loaded, at, "output", j.output(), c.outputs(), true, out);
        reference(loaded, at, "media", j.media(), c.media(), false, out);
        if (j.keys() == null || j.keys().isEmpty()) {
            out.add(loaded.problem(at, "keys is required (at least one signing key)"));
        } else {
            String passphrase = null;
            for (int i = 0; i < j.keys().size(); i++) {
                String k = j.keys().get(i);
                FerryConfig.Key key = k == null ? null : c.keys().get(k);
                if (key == null) {
                    out.add(loaded.problem(at + "/keys/" + i, "no key named \"" + k + "\" under keys" + known(c.keys())));
                    continue;
                }
                String source = key.passphraseFile() != null ? "file " + key.passphraseFile()
                        : key.passphraseEnv() != null ? "env " + key.passphraseEnv() : "none";
                if (passphrase != null && !passphrase.equals(source)) {
                    out.add(loaded.problem(at + "/keys/" + i, "the keys of one job must share one passphrase source"
                            + " (ferry export reads one passphrase for all its keys)"));
                }
                passphrase = source;
            }
        }
        if (j.approvals() != null) {
            if (j.approvals().isBlank()) {
                out.add(loaded.problem(at + "/approvals", "must not be empty"));
            } else {
                Path base = loaded.file().toAbsolutePath().getParent();
                String why = syntax.approvalFile().apply(Path.of(JobResolver.path(base, j.approvals())));
                if (why != null) {
                    out.add(loaded.problem(at + "/approvals", why));
                }
            }
        }
        if (j.channel() != null && j.channel().isBlank()) {
            out.add(loaded.problem(at + "/channel", "must not be empty"));
        }
        duration(loaded, syntax, at + "/expiresIn", j.expiresIn(), out);
        if (j.expiresIn() != null && Boolean.TRUE.equals(j.noExpiry())) {
            out.add(loaded.problem(at + "/noExpiry", "expiresIn and noExpiry exclude each other"));
        }
        if (j.recovery() != null && !j.recovery().strip().matches("(100|[1-9][0-9]?)%?")) {
            out.add(loaded.problem(at + "/recovery", "expected a whole percentage from 1% to 100%, e.g. 10%, got \""
                    + j.recovery() + "\""));
        }
        if (j.rebaseEvery() != null && j.rebaseEvery() < 1) {
            out.add(loaded.problem(at + "/rebaseEvery", "must be at least 1: " + j.rebaseEvery()));
        }
        if (j.options() != null) {
            for (Map.Entry<String, Object> o : j.options().entrySet()) {
                String opt = o.getKey();
                if (JobResolver.FIELD_OPTIONS.contains(opt)) {
                    out.add(loaded.problem(at + "/options/" + opt, "set by the job's own fields; not an option here"));
                } else if (!syntax.options().contains(opt)) {
                    out.add(loaded.problem(at + "/options/" + opt, "not a ferry export option"));
                } else if (o.getValue() instanceof Map<?, ?>) {
                    out.add(loaded.problem(at + "/options/" + opt, "expected a value or a list of values, found a mapping"));
                }
            }
        }
    }

    private static void reference(ConfigLoader.Loaded loaded, String at, String field, String name,
                                  Map<String, ?> section, boolean required, List<ConfigProblem> out) {
        String sectionName = switch (field) {
            case "upstream" -> "upstreams";
            case "selection" -> "selections";
            case "output" -> "outputs";
            default -> field;
        };
        if (name == null) {
            if (required) {
                out.add(loaded.problem(at, field + " is required (the name of an entry under " + sectionName + ")"));
            }
        } else if (!section.containsKey(name)) {
            out.add(loaded.problem(at + "/" + field, "no entry named \"" + name + "\" under " + sectionName + known(section)));
        }
    }

    private static String known(Map<String, ?> section) {
        return section.isEmpty() ? " (there are none)" : " (known: " + String.join(", ", section.keySet()) + ")";
    }

    private static void duration(ConfigLoader.Loaded loaded, Syntax syntax, String pointer, String value, List<ConfigProblem> out) {
        if (value != null) {
            String why = syntax.duration().apply(value);
            if (why != null) {
                out.add(loaded.problem(pointer, why));
            }
        }
    }

    private static String httpUrl(String text) {
        try {
            URI u = new URI(text);
            if (!"http".equalsIgnoreCase(u.getScheme()) && !"https".equalsIgnoreCase(u.getScheme()) || u.getHost() == null) {
                return "not an http or https URL: " + text;
            }
            return null;
        } catch (java.net.URISyntaxException e) {
            return "not a URL: " + text;
        }
    }
}
