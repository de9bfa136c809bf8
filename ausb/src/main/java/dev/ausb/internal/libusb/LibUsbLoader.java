package dev.ausb.internal.libusb;

import java.lang.foreign.Arena;
import java.lang.foreign.SymbolLookup;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * Finds and loads the system's libusb-1.0 once per JVM.
 *
 * <p>The library is looked for, in order, at the path named by the system property
 * {@value #PROPERTY}, at the path named by the environment variable {@value #ENV}, and then by the
 * platform's usual names and places. A failure is remembered and reported again, with the same
 * message, by every later call: the JVM never sees a bare {@link UnsatisfiedLinkError}.
 */
public final class LibUsbLoader {
    /** System property naming the libusb shared library file to load. */
    public static final String PROPERTY = "ausb.libusb.path";
    /** Environment variable naming the libusb shared library file to load. */
    public static final String ENV = "AUSB_LIBUSB";

    private static final Object LOCK = new Object();
    private static SymbolLookup lookup;
    private static LibraryMissingException failure;

    private LibUsbLoader() {}

    /** Thrown when libusb-1.0 cannot be loaded; the message says what was tried and how to install it. */
    public static final class LibraryMissingException extends RuntimeException {
        private static final long serialVersionUID = 1L;

        LibraryMissingException(String message) {
            super(message);
        }
    }

    /**
     * Returns the lookup of the loaded library, loading it on first use.
     *
     * @throws LibraryMissingException if no libusb-1.0 could be loaded
     */
    public static SymbolLookup lookup() {
        synchronized (LOCK) {
            if (lookup != null) {
                return lookup;
            }
            if (failure != null) {
                throw new LibraryMissingException(failure.getMessage());
            }
            try {
                lookup = load(System.getProperty(PROPERTY), System.getenv(ENV), osName());
                return lookup;
            } catch (LibraryMissingException e) {
                failure = e;
                throw e;
            }
        }
    }

    /**
     * Loads libusb without touching the cached state: an explicit path (property, then
     * environment) wins; otherwise the platform's candidates are tried in order.
     */
    static SymbolLookup load(String propertyPath, String envPath, String os) {
        List<String> tried = new ArrayList<>();
        String explicit = propertyPath != null && !propertyPath.isBlank() ? propertyPath
                : envPath != null && !envPath.isBlank() ? envPath : null;
        if (explicit != null) {
            String source = propertyPath != null && !propertyPath.isBlank() ? "-D" + PROPERTY : "$" + ENV;
            Path p = Path.of(explicit);
            if (!Files.isRegularFile(p)) {
                throw new LibraryMissingException("libusb-1.0 not found at " + explicit + " (named by " + source
                        + "); " + installHint(os));
            }
            try {
                return SymbolLookup.libraryLookup(p, Arena.global());
            } catch (IllegalArgumentException e) {
                throw new LibraryMissingException("libusb-1.0 at " + explicit + " (named by " + source
                        + ") could not be loaded: " + e.getMessage() + "; " + installHint(os));
            }
        }
        for (String candidate : candidates(os)) {
            tried.add(candidate);
            try {
                if (candidate.startsWith("/") && !Files.exists(Path.of(candidate))) {
                    continue;
                }
                SymbolLookup l = candidate.startsWith("/")
                        ? SymbolLookup.libraryLookup(Path.of(candidate), Arena.global())
                        : SymbolLookup.libraryLookup(candidate, Arena.global());
                if (l.find("libusb_init").isPresent()) {
                    return l;
                }
            } catch (IllegalArgumentException notThere) {
                // try the next one
            }
        }
        throw new LibraryMissingException("libusb-1.0 is not installed (tried " + String.join(", ", tried)
                + "); " + installHint(os) + ", or name the library file with -D" + PROPERTY + "=PATH or $" + ENV);
    }

    static List<String> candidates(String os) {
        if (os.startsWith("mac") || os.startsWith("darwin")) {
            return List.of("libusb-1.0.0.dylib", "libusb-1.0.dylib",
                    "/opt/homebrew/lib/libusb-1.0.0.dylib", "/usr/local/lib/libusb-1.0.0.dylib",
                    "/opt/local/lib/libusb-1.0.0.dylib");
        }
        if (os.startsWith("windows")) {
            return List.of("libusb-1.0.dll", "libusb-1.0");
        }
        return List.of("libusb-1.0.so.0", "libusb-1.0.so",
                "/usr/lib/x86_64-linux-gnu/libusb-1.0.so.0", "/usr/lib/aarch64-linux-gnu/libusb-1.0.so.0",
                "/usr/lib64/libusb-1.0.so.0", "/usr/lib/libusb-1.0.so.0", "/usr/local/lib/libusb-1.0.so.0");
    }

    static String installHint(String os) {
        if (os.startsWith("mac") || os.startsWith("darwin")) {
            return "install it with: brew install libusb";
        }
        if (os.startsWith("windows")) {
            return "install it with: vcpkg install libusb, or put libusb-1.0.dll (libusb.info) on PATH";
        }
        return "install it with: apt install libusb-1.0-0 (Debian/Ubuntu), dnf install libusb1 (Fedora), "
                + "or brew install libusb";
    }

    static String osName() {
        return System.getProperty("os.name", "linux").toLowerCase(Locale.ROOT);
    }
}
