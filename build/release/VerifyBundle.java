import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import java.util.zip.ZipFile;
import javax.xml.parsers.DocumentBuilderFactory;
import org.w3c.dom.Document;
import org.w3c.dom.Element;
import org.w3c.dom.Node;

/**
 * Checks an unpacked Maven Central bundle as Central's validation does, and then some:
 * every deployed artifact has its POM, and (for jars) its jar, -sources.jar and -javadoc.jar;
 * every file has a .asc signature that gpg verifies against the expected key, and .md5 and
 * .sha1 checksums that match (and .sha256/.sha512 when present); every POM, with what it
 * inherits from its parent resolved as Central resolves it (the parent must be in the bundle),
 * has name, description, url, licenses, developers and scm, with no property left unresolved;
 * no SNAPSHOT; nothing of an artifact that must never be published.
 *
 * <p>Usage: {@code java VerifyBundle.java BUNDLE_DIR GNUPGHOME FINGERPRINT GROUP VERSION
 * DEPLOYED FORBIDDEN}, DEPLOYED as {@code artifactId:packaging,...}, FORBIDDEN as
 * {@code artifactId,...}. Exit 0 and one summary line, or exit 1 and every problem found.
 */
public final class VerifyBundle {
    private static final List<String> problems = new ArrayList<>();
    private static final Pattern PROPERTY = Pattern.compile("\\$\\{([^}]+)}");

    public static void main(String[] args) throws Exception {
        if (args.length != 7) {
            System.err.println("usage: VerifyBundle BUNDLE_DIR GNUPGHOME FINGERPRINT GROUP VERSION DEPLOYED FORBIDDEN");
            System.exit(2);
        }
        Path bundle = Path.of(args[0]);
        String gnupg = args[1];
        String fingerprint = args[2];
        String group = args[3];
        String version = args[4];
        Map<String, String> deployed = new LinkedHashMap<>();
        for (String d : args[5].split(",")) {
            String[] p = d.split(":");
            deployed.put(p[0], p[1]);
        }
        Set<String> forbidden = Set.of(args[6].split(","));
        Path groupDir = bundle.resolve(group.replace('.', '/'));

        if (version.endsWith("-SNAPSHOT")) {
            problem("version " + version + " is a SNAPSHOT: Central takes releases only");
        }
        // every file belongs to a deployed artifact of this group and version
        List<Path> files;
        try (Stream<Path> s = Files.walk(bundle)) {
            files = s.filter(Files::isRegularFile).sorted().toList();
        }
        if (files.isEmpty()) {
            problem("the bundle is empty: " + bundle);
        }
        Set<String> seenArtifacts = new TreeSet<>();
        for (Path f : files) {
            Path rel = bundle.relativize(f);
            if (!f.startsWith(groupDir) || rel.getNameCount() != group.split("\\.").length + 3) {
                problem("file outside " + group + ":ARTIFACT:VERSION: " + rel);
                continue;
            }
            String artifact = groupDir.relativize(f).getName(0).toString();
            String ver = groupDir.relativize(f).getName(1).toString();
            seenArtifacts.add(artifact);
            if (forbidden.contains(artifact)) {
                problem("the bundle holds " + rel + ": " + artifact + " must never be published");
            } else if (!deployed.containsKey(artifact)) {
                problem("the bundle holds an unexpected artifact " + artifact + " (" + rel + ")");
            }
            if (!ver.equals(version)) {
                problem("version directory " + ver + " is not " + version + ": " + rel);
            }
        }
        int signatures = 0;
        int checksums = 0;
        for (Map.Entry<String, String> e : deployed.entrySet()) {
            String a = e.getKey();
            Path dir = groupDir.resolve(a).resolve(version);
            String base = a + "-" + version;
            List<String> required = new ArrayList<>(List.of(base + ".pom"));
            if (e.getValue().equals("jar")) {
                required.addAll(List.of(base + ".jar", base + "-sources.jar", base + "-javadoc.jar"));
            }
            for (String r : required) {
                if (!Files.isRegularFile(dir.resolve(r))) {
                    problem(group + ":" + a + ":" + version + " lacks " + r);
                }
            }
            if (!Files.isDirectory(dir)) {
                continue;
            }
            // every primary file (any classifier) is signed and checksummed
            List<Path> primaries;
            try (Stream<Path> s = Files.list(dir)) {
                primaries = s.filter(p -> !p.getFileName().toString().matches(".*\\.(asc|md5|sha1|sha256|sha512)$"))
                        .sorted().toList();
            }
            for (Path p : primaries) {
                signatures += verifySignature(p, gnupg, fingerprint);
                checksums += verifyChecksums(p);
                String n = p.getFileName().toString();
                if (n.endsWith(".jar")) {
                    checkJar(p, n);
                }
            }
            if (Files.isRegularFile(dir.resolve(base + ".pom"))) {
                checkPom(dir.resolve(base + ".pom"), bundle, group, a, version);
            }
        }
        for (String a : deployed.keySet()) {
            if (!seenArtifacts.contains(a)) {
                problem("the bundle has nothing of " + group + ":" + a);
            }
        }
        if (!problems.isEmpty()) {
            System.err.println("release-check: the Central bundle " + bundle + " would be refused:");
            problems.forEach(p -> System.err.println("  - " + p));
            System.exit(1);
        }
        System.out.println("release-check: bundle ok: " + deployed.size() + " artifacts, " + files.size() + " files, "
                + signatures + " signatures verified, " + checksums + " checksums matched, POMs complete");
    }

    static void problem(String p) {
        problems.add(p);
    }

    static int verifySignature(Path file, String gnupg, String fingerprint) throws Exception {
        Path asc = Path.of(file + ".asc");
        if (!Files.isRegularFile(asc)) {
            problem("no signature " + asc.getFileName());
            return 0;
        }
        Process p = new ProcessBuilder("gpg", "--homedir", gnupg, "--batch", "--no-tty", "--status-fd", "1",
                "--verify", asc.toString(), file.toString())
                .redirectError(ProcessBuilder.Redirect.DISCARD).start();
        String status = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (!p.waitFor(30, TimeUnit.SECONDS)) {
            p.destroyForcibly();
            problem("gpg --verify " + asc.getFileName() + " did not end in 30 s");
            return 0;
        }
        boolean good = status.contains("[GNUPG:] GOODSIG ") && status.contains("[GNUPG:] VALIDSIG " + fingerprint);
        if (p.exitValue() != 0 || !good) {
            problem("bad signature " + asc.getFileName() + " (gpg exit " + p.exitValue() + ", expected a good signature by "
                    + fingerprint + "): " + status.lines().filter(l -> l.matches(".*(BADSIG|ERRSIG|NO_PUBKEY|EXPKEYSIG|REVKEYSIG|VALIDSIG|NODATA).*"))
                            .findFirst().orElse("no status"));
            return 0;
        }
        return 1;
    }

    static int verifyChecksums(Path file) throws Exception {
        byte[] data = Files.readAllBytes(file);
        int n = 0;
        for (String[] algo : new String[][] {{"md5", "MD5"}, {"sha1", "SHA-1"}, {"sha256", "SHA-256"}, {"sha512", "SHA-512"}}) {
            Path sum = Path.of(file + "." + algo[0]);
            boolean required = algo[0].equals("md5") || algo[0].equals("sha1");
            if (!Files.isRegularFile(sum)) {
                if (required) {
                    problem("no checksum " + sum.getFileName());
                }
                continue;
            }
            String want = HexFormat.of().formatHex(MessageDigest.getInstance(algo[1]).digest(data));
            String got = Files.readString(sum).trim().split("\\s+")[0].toLowerCase();
            if (!got.equals(want)) {
                problem("checksum " + sum.getFileName() + " is " + got + ", the file's is " + want);
            } else {
                n++;
            }
        }
        return n;
    }

    static void checkJar(Path jar, String name) {
        try (ZipFile z = new ZipFile(jar.toFile())) {
            boolean sources = name.endsWith("-sources.jar");
            boolean javadoc = name.endsWith("-javadoc.jar");
            boolean ok = sources ? z.stream().anyMatch(e -> e.getName().endsWith(".java"))
                    : javadoc ? z.getEntry("index.html") != null
                    : z.stream().anyMatch(e -> e.getName().endsWith(".class"));
            if (!ok) {
                problem(name + " holds no " + (sources ? ".java file" : javadoc ? "index.html" : "class"));
            }
        } catch (IOException e) {
            problem(name + " is not a readable jar: " + e.getMessage());
        }
    }

    /** The POM's required elements, each from the POM or, failing that, from its parent chain. */
    static void checkPom(Path pomFile, Path bundle, String group, String artifact, String version) throws Exception {
        List<Element> chain = new ArrayList<>();
        Element pom = parse(pomFile);
        chain.add(pom);
        for (Element p = pom; child(p, "parent").isPresent(); ) {
            Element parent = child(p, "parent").get();
            String g = text(parent, "groupId");
            String a = text(parent, "artifactId");
            String v = text(parent, "version");
            Path pp = bundle.resolve(g.replace('.', '/')).resolve(a).resolve(v).resolve(a + "-" + v + ".pom");
            if (!Files.isRegularFile(pp)) {
                problem(artifact + ".pom: its parent " + g + ":" + a + ":" + v + " is not in the bundle");
                break;
            }
            p = parse(pp);
            chain.add(p);
        }
        Map<String, String> props = new LinkedHashMap<>();
        for (int i = chain.size() - 1; i >= 0; i--) {
            child(chain.get(i), "properties").ifPresent(ps -> {
                for (Node n = ps.getFirstChild(); n != null; n = n.getNextSibling()) {
                    if (n instanceof Element e) {
                        props.put(e.getTagName(), e.getTextContent().trim());
                    }
                }
            });
        }
        props.put("project.version", version);
        props.put("project.artifactId", artifact);
        props.put("project.groupId", group);
        String where = artifact + "-" + version + ".pom";
        String g = Optional.ofNullable(text(pom, "groupId")).orElse(child(pom, "parent").map(p -> text(p, "groupId")).orElse(null));
        String v = Optional.ofNullable(text(pom, "version")).orElse(child(pom, "parent").map(p -> text(p, "version")).orElse(null));
        if (!group.equals(g) || !artifact.equals(text(pom, "artifactId")) || !version.equals(v)) {
            problem(where + ": coordinates " + g + ":" + text(pom, "artifactId") + ":" + v + " are not "
                    + group + ":" + artifact + ":" + version);
        }
        for (String path : List.of("name", "description", "url", "licenses/license/name", "licenses/license/url",
                "developers/developer/name", "scm/url", "scm/connection")) {
            String value = null;
            for (Element e : chain) {
                value = text(e, path);
                // name and description are the artifact's own: Central does not take them from a parent
                if (value != null || path.equals("name") || path.equals("description")) {
                    break;
                }
            }
            String resolved = value == null ? null : interpolate(value, props);
            if (resolved == null || resolved.isBlank()) {
                problem(where + ": no <" + path.replace("/", "><") + "> (also none inherited)");
            } else if (resolved.contains("${")) {
                problem(where + ": <" + path + "> keeps an unresolved property: " + resolved);
            } else if ((path.endsWith("url")) && !resolved.matches("https?://\\S+")) {
                problem(where + ": <" + path + "> is not an address: " + resolved);
            }
        }
    }

    static String interpolate(String s, Map<String, String> props) {
        for (int depth = 0; depth < 10 && s.contains("${"); depth++) {
            Matcher m = PROPERTY.matcher(s);
            StringBuilder b = new StringBuilder();
            while (m.find()) {
                String v = props.get(m.group(1));
                m.appendReplacement(b, Matcher.quoteReplacement(v != null ? v : m.group()));
            }
            m.appendTail(b);
            if (b.toString().equals(s)) {
                break;
            }
            s = b.toString();
        }
        return s;
    }

    static Element parse(Path f) throws Exception {
        DocumentBuilderFactory f0 = DocumentBuilderFactory.newInstance();
        f0.setNamespaceAware(false);
        f0.setFeature("http://apache.org/xml/features/disallow-doctype-decl", true);
        try (InputStream in = Files.newInputStream(f)) {
            Document d = f0.newDocumentBuilder().parse(in);
            return d.getDocumentElement();
        }
    }

    static Optional<Element> child(Element e, String name) {
        for (Node n = e.getFirstChild(); n != null; n = n.getNextSibling()) {
            if (n instanceof Element c && c.getTagName().equals(name)) {
                return Optional.of(c);
            }
        }
        return Optional.empty();
    }

    /** The trimmed text at a slash-separated path of first children, or null. */
    static String text(Element e, String path) {
        Element cur = e;
        for (String step : path.split("/")) {
            Optional<Element> c = child(cur, step);
            if (c.isEmpty()) {
                return null;
            }
            cur = c.get();
        }
        return cur.getTextContent().trim();
    }
}
