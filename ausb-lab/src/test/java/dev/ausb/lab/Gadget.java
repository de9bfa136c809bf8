package dev.ausb.lab;

import dev.ausb.UsbContext;
import dev.ausb.UsbDevice;
import dev.ausb.UsbDeviceFilter;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A USB gadget made with configfs in the lab guest and bound to one of dummy_hcd's UDCs: a real
 * device on a real bus, seen by the kernel's host side and by libusb.
 * {@snippet :
 * try (Gadget g = Gadget.builder().function("SourceSink", Map.of("pattern", "1")).maxSpeed("high-speed").bind()) {
 *     UsbDevice dev = g.await(usb);
 * }
 * }
 * Closing unbinds (unplugs) it and removes its configfs tree. Each gadget has a unique serial number.
 */
final class Gadget implements AutoCloseable {
    static final Path CONFIGFS = Path.of("/sys/kernel/config/usb_gadget");
    static final int VENDOR = 0x1a0a;
    private static final AtomicInteger SEQ = new AtomicInteger();

    final Path dir;
    final int vendorId;
    final int productId;
    final String serial;
    final String udc;
    private final List<Path> created = new ArrayList<>();
    private final List<FfsFunction> ffs = new ArrayList<>();

    private Gadget(Path dir, int vendorId, int productId, String serial, String udc) {
        this.dir = dir;
        this.vendorId = vendorId;
        this.productId = productId;
        this.serial = serial;
        this.udc = udc;
    }

    static Builder builder() {
        return new Builder();
    }

    /** Settings of a gadget to make. */
    static final class Builder {
        int productId = 0xbadd;
        String manufacturer = "Lab";
        String product = "SourceSink";
        String configuration = "ausb lab";
        String maxSpeed;
        String udc = "dummy_udc.0";
        int maxPowerMilliamps = 120;
        String bcdDevice;
        final Map<String, Map<String, String>> functions = new LinkedHashMap<>();
        final Map<String, FfsFunction> ffs = new LinkedHashMap<>();

        Builder productId(int id) {
            this.productId = id;
            return this;
        }

        Builder strings(String manufacturer, String product) {
            this.manufacturer = manufacturer;
            this.product = product;
            return this;
        }

        Builder configurationName(String name) {
            this.configuration = name;
            return this;
        }

        /** "high-speed", "super-speed", "full-speed". */
        Builder maxSpeed(String speed) {
            this.maxSpeed = speed;
            return this;
        }

        Builder udc(int n) {
            this.udc = "dummy_udc." + n;
            return this;
        }

        Builder maxPower(int milliamps) {
            this.maxPowerMilliamps = milliamps;
            return this;
        }

        Builder bcdDevice(int bcd) {
            this.bcdDevice = String.format("0x%04x", bcd);
            return this;
        }

        /** Adds a function instance, such as ("SourceSink", {pattern: 1}) or ("acm", {}). */
        Builder function(String type, Map<String, String> attributes) {
            functions.put(type + "." + functions.size(), attributes);
            return this;
        }

        /** Adds a function the test implements itself through FunctionFS; the gadget closes it. */
        Builder functionFs(FfsFunction f) {
            String key = "ffs." + f.name;
            functions.put(key, Map.of());
            ffs.put(key, f);
            return this;
        }

        Gadget bind() {
            String serial = String.format("ausb-%d-%04d", ProcessHandle.current().pid(), SEQ.incrementAndGet());
            Gadget g = new Gadget(CONFIGFS.resolve("g" + serial.replace("-", "")), VENDOR, productId, serial, udc);
            try {
                g.mkdir(g.dir);
                g.write("idVendor", String.format("0x%04x", VENDOR));
                g.write("idProduct", String.format("0x%04x", productId));
                if (bcdDevice != null) {
                    g.write("bcdDevice", bcdDevice);
                }
                if (maxSpeed != null) {
                    g.write("max_speed", maxSpeed);
                }
                g.mkdir(g.dir.resolve("strings/0x409"));
                g.write("strings/0x409/manufacturer", manufacturer);
                g.write("strings/0x409/product", product);
                g.write("strings/0x409/serialnumber", serial);
                Path config = g.dir.resolve("configs/c.1");
                g.mkdir(config);
                g.write("configs/c.1/MaxPower", String.valueOf(maxPowerMilliamps));
                g.mkdir(config.resolve("strings/0x409"));
                g.write("configs/c.1/strings/0x409/configuration", configuration);
                for (var f : functions.entrySet()) {
                    Path fn = g.dir.resolve("functions").resolve(f.getKey());
                    g.mkdir(fn);
                    for (var a : f.getValue().entrySet()) {
                        g.write("functions/" + f.getKey() + "/" + a.getKey(), a.getValue());
                    }
                    FfsFunction userspace = ffs.get(f.getKey());
                    if (userspace != null) {
                        g.ffs.add(userspace);
                        userspace.start(); // descriptors must be written before the UDC binds
                    }
                    Path link = config.resolve(f.getKey());
                    Files.createSymbolicLink(link, fn);
                    g.created.add(link);
                }
                g.write("UDC", udc);
                return g;
            } catch (IOException | RuntimeException e) {
                g.close();
                throw e instanceof IOException io ? new UncheckedIOException(io) : (RuntimeException) e;
            }
        }
    }

    private void mkdir(Path p) throws IOException {
        Files.createDirectories(p);
        created.add(p);
    }

    private void write(String file, String value) throws IOException {
        Files.writeString(dir.resolve(file), value + "\n");
    }

    /** The filter that finds this gadget among all devices: its ids and its unique serial number. */
    UsbDeviceFilter filter() {
        return UsbDeviceFilter.of(vendorId, productId).serialNumber(serial);
    }

    /** Waits (at most 15 s) until libusb lists the gadget, and returns it. */
    UsbDevice await(UsbContext usb) {
        long deadline = System.nanoTime() + 15_000_000_000L;
        while (System.nanoTime() < deadline) {
            Optional<UsbDevice> d = usb.findAny(filter());
            if (d.isPresent()) {
                return d.get();
            }
            sleep(50);
        }
        throw new AssertionError("gadget " + serial + " did not enumerate within 15 s");
    }

    /** Waits (at most 15 s) until libusb no longer lists the gadget. */
    void awaitGone(UsbContext usb) {
        long deadline = System.nanoTime() + 15_000_000_000L;
        while (System.nanoTime() < deadline) {
            if (usb.findAny(UsbDeviceFilter.of(vendorId, productId)).isEmpty()) {
                return;
            }
            sleep(50);
        }
        throw new AssertionError("gadget " + serial + " still listed 15 s after unplug");
    }

    /** Unplugs the gadget (unbinds its UDC) without removing it. */
    void unplug() {
        try {
            write("UDC", "");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Plugs it in again. */
    void replug() {
        try {
            write("UDC", udc);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError("interrupted", e);
        }
    }

    @Override
    public void close() {
        try {
            if (Files.exists(dir.resolve("UDC"))) {
                Files.writeString(dir.resolve("UDC"), "\n");
            }
        } catch (IOException ignored) {
            // already unbound
        }
        for (FfsFunction f : ffs) {
            f.close(); // unmount before configfs lets the function go
        }
        // configfs wants the reverse order of creation: links, functions, strings, config, gadget
        for (int i = created.size() - 1; i >= 0; i--) {
            try {
                Files.deleteIfExists(created.get(i));
            } catch (IOException ignored) {
                // best effort: the guest is thrown away after the run
            }
        }
    }
}
