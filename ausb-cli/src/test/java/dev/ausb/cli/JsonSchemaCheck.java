package dev.ausb.cli;

import java.io.IOException;
import java.math.BigDecimal;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * A strict JSON parser and a validator for the part of JSON Schema 2020-12 that ausb's schemas
 * (docs/schema) use: {@code type}, {@code properties}, {@code required}, {@code additionalProperties}
 * (false), {@code items}, {@code maxItems}, {@code enum}, {@code minimum}, {@code maximum},
 * {@code pattern}, {@code oneOf} and local {@code $ref}s into {@code $defs}. A schema with any other
 * keyword is refused, so a schema cannot say more than is checked. Also used by the lab's tests.
 */
public final class JsonSchemaCheck {
    private static final Set<String> KEYWORDS = Set.of("$schema", "$id", "$defs", "title", "description", "type",
            "properties", "required", "additionalProperties", "items", "maxItems", "enum", "minimum", "maximum",
            "pattern", "oneOf", "$ref");

    private final Map<String, Object> root;

    private JsonSchemaCheck(Map<String, Object> root) {
        this.root = root;
    }

    /** The schema {@code docs/schema/NAME.schema.json} of the checkout {@code repo}. */
    public static JsonSchemaCheck load(Path repo, String name) throws IOException {
        @SuppressWarnings("unchecked")
        Map<String, Object> schema = (Map<String, Object>) parse(
                Files.readString(repo.resolve("docs/schema/" + name + ".schema.json")));
        return new JsonSchemaCheck(schema);
    }

    /** The checkout's root: the nearest directory up from here that has docs/schema. */
    public static Path repo() {
        for (Path p = Path.of("").toAbsolutePath(); p != null; p = p.getParent()) {
            if (Files.isDirectory(p.resolve("docs/schema"))) {
                return p;
            }
        }
        throw new IllegalStateException("no docs/schema above " + Path.of("").toAbsolutePath());
    }

    /** The problems of {@code json} (text) against the schema; empty when it conforms. */
    public List<String> problems(String json) {
        List<String> out = new ArrayList<>();
        Object value;
        try {
            value = parse(json);
        } catch (IllegalArgumentException e) {
            return List.of("not JSON: " + e.getMessage());
        }
        check(root, value, "$", out);
        return out;
    }

    @SuppressWarnings("unchecked")
    private void check(Map<String, Object> schema, Object v, String at, List<String> out) {
        for (String k : schema.keySet()) {
            if (!KEYWORDS.contains(k)) {
                throw new IllegalArgumentException("schema keyword " + k + " is not checked by this validator");
            }
        }
        if (schema.containsKey("$ref")) {
            String ref = (String) schema.get("$ref");
            if (!ref.startsWith("#/$defs/")) {
                throw new IllegalArgumentException("only local $refs: " + ref);
            }
            Map<String, Object> defs = (Map<String, Object>) root.get("$defs");
            Object target = defs == null ? null : defs.get(ref.substring(8));
            if (target == null) {
                throw new IllegalArgumentException("no such $def: " + ref);
            }
            check((Map<String, Object>) target, v, at, out);
        }
        if (schema.containsKey("oneOf")) {
            int matched = 0;
            for (Object alt : (List<Object>) schema.get("oneOf")) {
                List<String> p = new ArrayList<>();
                check((Map<String, Object>) alt, v, at, p);
                matched += p.isEmpty() ? 1 : 0;
            }
            if (matched != 1) {
                out.add(at + ": matches " + matched + " of oneOf's schemas, not 1");
            }
        }
        if (schema.containsKey("type")) {
            Object t = schema.get("type");
            List<Object> types = t instanceof List<?> l ? (List<Object>) l : List.of(t);
            if (types.stream().noneMatch(type -> is((String) type, v))) {
                out.add(at + ": " + describe(v) + ", not " + types);
                return;
            }
        }
        if (schema.containsKey("enum") && !((List<Object>) schema.get("enum")).contains(v)) {
            out.add(at + ": " + describe(v) + " is not one of " + schema.get("enum"));
        }
        if (v instanceof BigDecimal n) {
            if (schema.containsKey("minimum") && n.compareTo((BigDecimal) schema.get("minimum")) < 0) {
                out.add(at + ": " + n + " < minimum " + schema.get("minimum"));
            }
            if (schema.containsKey("maximum") && n.compareTo((BigDecimal) schema.get("maximum")) > 0) {
                out.add(at + ": " + n + " > maximum " + schema.get("maximum"));
            }
        }
        if (v instanceof String s && schema.containsKey("pattern")
                && !Pattern.compile((String) schema.get("pattern")).matcher(s).find()) {
            out.add(at + ": \"" + s + "\" does not match " + schema.get("pattern"));
        }
        if (v instanceof List<?> l) {
            if (schema.containsKey("maxItems") && l.size() > ((BigDecimal) schema.get("maxItems")).intValue()) {
                out.add(at + ": " + l.size() + " items, more than " + schema.get("maxItems"));
            }
            if (schema.containsKey("items")) {
                for (int i = 0; i < l.size(); i++) {
                    check((Map<String, Object>) schema.get("items"), l.get(i), at + "[" + i + "]", out);
                }
            }
        }
        if (v instanceof Map<?, ?> m) {
            Map<String, Object> props = (Map<String, Object>) schema.getOrDefault("properties", Map.of());
            for (Object r : (List<Object>) schema.getOrDefault("required", List.of())) {
                if (!m.containsKey(r)) {
                    out.add(at + ": no " + r);
                }
            }
            for (var e : m.entrySet()) {
                Object p = props.get(e.getKey());
                if (p != null) {
                    check((Map<String, Object>) p, e.getValue(), at + "." + e.getKey(), out);
                } else if (Boolean.FALSE.equals(schema.get("additionalProperties"))) {
                    out.add(at + ": " + e.getKey() + " is not in the schema");
                }
            }
        }
    }

    private static boolean is(String type, Object v) {
        return switch (type) {
            case "null" -> v == null;
            case "boolean" -> v instanceof Boolean;
            case "string" -> v instanceof String;
            case "number" -> v instanceof BigDecimal;
            case "integer" -> v instanceof BigDecimal n && n.stripTrailingZeros().scale() <= 0;
            case "array" -> v instanceof List;
            case "object" -> v instanceof Map;
            default -> throw new IllegalArgumentException("no such type: " + type);
        };
    }

    private static String describe(Object v) {
        String s = String.valueOf(v);
        return (v == null ? "null" : v.getClass().getSimpleName() + " " + (s.length() > 60 ? s.substring(0, 60) + "..." : s));
    }

    // ---- a strict parser: RFC 8259, numbers as BigDecimal, objects in order ----

    /** Parses one JSON value (surrounding white space allowed); throws IllegalArgumentException at the first fault. */
    public static Object parse(String text) {
        int[] pos = {0};
        Object v = value(text, pos);
        skip(text, pos);
        if (pos[0] != text.length()) {
            throw new IllegalArgumentException("text after the value at " + pos[0]);
        }
        return v;
    }

    private static void skip(String t, int[] p) {
        while (p[0] < t.length() && " \t\r\n".indexOf(t.charAt(p[0])) >= 0) {
            p[0]++;
        }
    }

    private static Object value(String t, int[] p) {
        skip(t, p);
        if (p[0] >= t.length()) {
            throw new IllegalArgumentException("end of text where a value belongs");
        }
        char c = t.charAt(p[0]);
        switch (c) {
            case '{' -> {
                Map<String, Object> m = new LinkedHashMap<>();
                p[0]++;
                skip(t, p);
                if (t.startsWith("}", p[0])) {
                    p[0]++;
                    return m;
                }
                while (true) {
                    skip(t, p);
                    String k = string(t, p);
                    skip(t, p);
                    expect(t, p, ':');
                    if (m.containsKey(k)) {
                        throw new IllegalArgumentException("duplicate key " + k);
                    }
                    m.put(k, value(t, p));
                    skip(t, p);
                    if (t.startsWith(",", p[0])) {
                        p[0]++;
                    } else {
                        expect(t, p, '}');
                        return m;
                    }
                }
            }
            case '[' -> {
                List<Object> l = new ArrayList<>();
                p[0]++;
                skip(t, p);
                if (t.startsWith("]", p[0])) {
                    p[0]++;
                    return l;
                }
                while (true) {
                    l.add(value(t, p));
                    skip(t, p);
                    if (t.startsWith(",", p[0])) {
                        p[0]++;
                    } else {
                        expect(t, p, ']');
                        return l;
                    }
                }
            }
            case '"' -> {
                return string(t, p);
            }
            default -> {
                for (var lit : List.of(Map.entry("true", Boolean.TRUE), Map.entry("false", Boolean.FALSE))) {
                    if (t.startsWith(lit.getKey(), p[0])) {
                        p[0] += lit.getKey().length();
                        return lit.getValue();
                    }
                }
                if (t.startsWith("null", p[0])) {
                    p[0] += 4;
                    return null;
                }
                var m = Pattern.compile("-?(0|[1-9][0-9]*)(\\.[0-9]+)?([eE][+-]?[0-9]+)?").matcher(t).region(p[0], t.length());
                if (!m.lookingAt()) {
                    throw new IllegalArgumentException("no value at " + p[0] + ": " + c);
                }
                p[0] = m.end();
                return new BigDecimal(m.group());
            }
        }
    }

    private static void expect(String t, int[] p, char c) {
        if (p[0] >= t.length() || t.charAt(p[0]) != c) {
            throw new IllegalArgumentException("'" + c + "' expected at " + p[0]);
        }
        p[0]++;
    }

    private static String string(String t, int[] p) {
        expect(t, p, '"');
        StringBuilder b = new StringBuilder();
        while (true) {
            if (p[0] >= t.length()) {
                throw new IllegalArgumentException("unterminated string");
            }
            char c = t.charAt(p[0]++);
            if (c == '"') {
                return b.toString();
            }
            if (c < 0x20) {
                throw new IllegalArgumentException(String.format("control character U+%04X in a string", (int) c));
            }
            if (c != '\\') {
                b.append(c);
                continue;
            }
            char e = t.charAt(p[0]++);
            switch (e) {
                case '"', '\\', '/' -> b.append(e);
                case 'b' -> b.append('\b');
                case 'f' -> b.append('\f');
                case 'n' -> b.append('\n');
                case 'r' -> b.append('\r');
                case 't' -> b.append('\t');
                case 'u' -> {
                    if (!t.substring(p[0], Math.min(t.length(), p[0] + 4)).matches("[0-9a-fA-F]{4}")) {
                        throw new IllegalArgumentException("bad \\u escape at " + p[0]);
                    }
                    b.append((char) Integer.parseInt(t.substring(p[0], p[0] + 4), 16));
                    p[0] += 4;
                }
                default -> throw new IllegalArgumentException("bad escape \\" + e);
            }
        }
    }
}
