package dev.ausb.hub;

import dev.ausb.UsbControlRequest;
import dev.ausb.UsbControlRequest.Recipient;
import dev.ausb.UsbControlRequest.Type;
import dev.ausb.UsbDevice;
import dev.ausb.UsbDeviceHandle;
import dev.ausb.UsbException;
import dev.ausb.UsbNotSupportedException;
import dev.ausb.UsbSpeed;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.stream.Collectors;

/**
 * A hub, through the hub class requests of USB 2.0 chapter 11 and USB 3.2 chapter 10: its
 * descriptor, its status and its ports' status, and the actions on a port: power off and on, power
 * cycle, reset, clearing change bits, indicators.
 *
 * {@snippet :
 * try (UsbContext usb = UsbContext.create()) {
 *     UsbDevice hubDevice = usb.findOne(UsbDeviceFilter.any().portPath(1));  // the hub on port 1 of a root hub
 *     try (UsbHub hub = UsbHub.open(hubDevice)) {
 *         for (PortStatus port : hub.portStatuses()) {
 *             System.out.println(port + " " + hub.deviceAt(port.port()).map(Object::toString).orElse(""));
 *         }
 *         hub.cyclePortPower(2, Duration.ofSeconds(1));   // the device on port 2 re-enumerates
 *     }
 * }
 * }
 * From the {@code CycleHubPort} example, a power cycle and the device coming back:
 * {@snippet file="dev/ausb/examples/CycleHubPort.java" region="cycle-port"}
 *
 * <p>The requests go to the hub's endpoint 0 with recipient device (the hub) or other (a port),
 * which needs no interface claimed: the operating system's hub driver stays bound and keeps
 * working beside them. Root hubs answer them too where the operating system exposes them (Linux
 * does: its host controller drivers emulate a hub).
 *
 * <h2>Where the operating system's hub driver interferes</h2>
 * The kernel's hub driver owns the hub and acts on what it sees on the hub's status change
 * endpoint; on Linux:
 * <ul>
 * <li>when it sees a port disconnected and unpowered on a hub that switches port power, it powers
 *     the port on again (unless the port is owned by a usbfs client or disabled through sysfs), so
 *     {@link #setPortPower setPortPower(port, false)} may hold only until the hub reports the
 *     disconnect; dummy_hcd's root hub reports it only when the port is powered again, real hubs at
 *     once;</li>
 * <li>after a {@link #resetPort reset} started here it only clears the reset's change bit: the
 *     device is at address 0 while the kernel still talks to its old address, so nothing reaches it
 *     until {@link UsbDeviceHandle#reset()} of the device (which has the kernel reset and address it
 *     again) or a replug;</li>
 * <li>it clears the change bits it sees itself, so a change read here may be gone a moment later,
 *     and {@link #clearPortChange} is rarely needed;</li>
 * <li>many hubs switch power in gangs or not at all ({@link HubDescriptor#powerSwitching()}), and
 *     some accept the request and leave the power on: read the status back.</li>
 * </ul>
 * Where the kernel has it, the sysfs file {@code /sys/bus/usb/devices/HUB:1.0/HUB-portN/disable}
 * ({@link #linuxPortDisableFile}) powers a port off with the kernel's cooperation: write {@code 1} to
 * disable the port, {@code 0} to enable it again. It needs root (or a udev rule), and the kernel then
 * leaves the port off.
 *
 * <p>Each method sends its requests and waits for them, at most {@link #timeout()} each; on the
 * context's event thread each throws {@link IllegalStateException} before it sends anything. Thread-safe. Obtained from {@link #open(UsbDevice)},
 * which opens a handle it closes, or {@link #of(UsbDeviceHandle)} on a handle the caller keeps.
 */
public final class UsbHub implements AutoCloseable {
    /** The default bound on each request: 5 s. */
    public static final Duration DEFAULT_TIMEOUT = Duration.ofSeconds(5);
    /** How long {@link #resetPort} waits for the reset to end before it gives up: 1 s (the spec's is 10..20 ms). */
    static final long RESET_WAIT_NANOS = 1_000_000_000L;

    private final UsbDeviceHandle handle;
    private final boolean ownsHandle;
    private final boolean superSpeed;
    private volatile HubDescriptor descriptor;
    private volatile Duration timeout = DEFAULT_TIMEOUT;

    private UsbHub(UsbDeviceHandle handle, boolean ownsHandle) {
        this.handle = handle;
        this.ownsHandle = ownsHandle;
        this.superSpeed = isSuperSpeedHub(handle.device());
    }

    /**
     * Opens a hub.
     *
     * @param device a hub of the context, as listed by it
     * @return the hub, owning a handle it opened and closes in {@link #close()}
     * @throws IllegalArgumentException if the device is not a hub ({@code bDeviceClass} 9)
     * @throws dev.ausb.UsbAccessDeniedException if the user may not open it
     */
    public static UsbHub open(UsbDevice device) {
        requireHub(device);
        return new UsbHub(device.open(), true);
    }

    /**
     * A hub on a handle the caller opened and closes; {@link #close()} leaves it open.
     *
     * @param handle an open handle of a hub; the caller keeps it and closes it
     * @return the hub, sending its requests through {@code handle}
     * @throws IllegalArgumentException if the device is not a hub
     */
    public static UsbHub of(UsbDeviceHandle handle) {
        requireHub(handle.device());
        return new UsbHub(handle, false);
    }

    private static void requireHub(UsbDevice device) {
        Objects.requireNonNull(device);
        if (!device.isHub()) {
            throw new IllegalArgumentException(String.format("%s is not a hub (device class 0x%02x, not 0x09)",
                    device, device.descriptor().deviceClass()));
        }
    }

    /** A SuperSpeed hub: operating at SuperSpeed or faster, or a hub of protocol 3 (the SuperSpeed hub). */
    private static boolean isSuperSpeedHub(UsbDevice d) {
        return d.speed().compareTo(UsbSpeed.SUPER) >= 0 || d.descriptor().deviceProtocol() == 3;
    }

    /**
     * The hub device.
     *
     * @return the hub device the handle was opened on
     */
    public UsbDevice device() {
        return handle.device();
    }

    /**
     * The handle the requests go through.
     *
     * @return the handle, opened by {@link #open} or given to {@link #of}
     */
    public UsbDeviceHandle handle() {
        return handle;
    }

    /**
     * True for a SuperSpeed hub (the SuperSpeed descriptor and port status layouts). No I/O.
     *
     * @return true for a SuperSpeed hub (USB 3 and faster), false for a USB 2.0 one
     */
    public boolean isSuperSpeed() {
        return superSpeed;
    }

    /**
     * The bound on each request.
     *
     * @return the bound, {@link #DEFAULT_TIMEOUT} unless {@link #setTimeout} changed it
     */
    public Duration timeout() {
        return timeout;
    }

    /**
     * Sets the bound on each request.
     *
     * @param timeout how long each request may take before it fails with
     *                {@link dev.ausb.UsbTimeoutException}, positive
     * @throws IllegalArgumentException if not positive
     */
    public void setTimeout(Duration timeout) {
        if (timeout.isNegative() || timeout.isZero()) {
            throw new IllegalArgumentException("a hub request's timeout is positive: " + timeout);
        }
        this.timeout = timeout;
    }

    /**
     * The hub descriptor, read once (GetHubDescriptor with the type of this hub's kind: 0x29, or
     * 0x2A for a SuperSpeed hub) and kept.
     *
     * @return the hub descriptor: port count, power switching, timings, indicators
     * @throws dev.ausb.UsbIoException if the hub's reply is not a hub descriptor of its kind
     * @throws IllegalStateException on the context's event thread (the first call, which reads it)
     */
    public HubDescriptor descriptor() {
        HubDescriptor d = descriptor;
        if (d == null) {
            mayBlock();
            int type = superSpeed ? HubDescriptor.SUPERSPEED_TYPE : HubDescriptor.TYPE;
            byte[] b = handle.readDescriptor(Type.CLASS, Recipient.DEVICE, type, 0, 0,
                    superSpeed ? HubDescriptor.SUPERSPEED_LENGTH : 71, timeout).await();
            try {
                d = HubDescriptor.parse(b);
            } catch (IllegalArgumentException e) {
                throw HubErrors.malformed(device(), "hub descriptor", e.getMessage());
            }
            if (d.superSpeed() != superSpeed) {
                throw HubErrors.malformed(device(), "hub descriptor", String.format("a descriptor of type 0x%02x, not 0x%02x",
                        b[1] & 0xff, type));
            }
            descriptor = d;
        }
        return d;
    }

    /**
     * GetHubStatus.
     *
     * @return the hub's status and change bits: local power and over-current
     * @throws dev.ausb.UsbIoException if the reply is too short to be a hub status
     * @throws IllegalStateException on the context's event thread
     */
    public HubStatus status() {
        mayBlock();
        byte[] b = handle.controlIn(UsbControlRequest.classRequest(Recipient.DEVICE, HubRequest.GET_STATUS, 0, 0),
                4, timeout).await();
        try {
            return HubStatus.parse(b);
        } catch (IllegalArgumentException e) {
            throw HubErrors.malformed(device(), "hub status", e.getMessage());
        }
    }

    /**
     * GetPortStatus of one port.
     *
     * @param port the port number, 1..{@link HubDescriptor#portCount()} (the first call reads the hub
     *             descriptor)
     * @return the port's status and change bits, read now
     * @throws IllegalArgumentException if {@code port} is not 1..{@link HubDescriptor#portCount()}
     * @throws dev.ausb.UsbIoException if the reply is too short to be a port status
     * @throws IllegalStateException on the context's event thread
     */
    public PortStatus portStatus(int port) {
        checkPort(port);
        mayBlock();
        byte[] b = handle.controlIn(UsbControlRequest.classRequest(Recipient.OTHER, HubRequest.GET_STATUS, 0, port),
                4, timeout).await();
        try {
            return PortStatus.parse(port, superSpeed, b);
        } catch (IllegalArgumentException e) {
            throw HubErrors.malformed(device(), "status of port " + port, e.getMessage());
        }
    }

    /**
     * The status of every port, in port order.
     *
     * @return one status per port, port 1 first, each read now
     */
    public List<PortStatus> portStatuses() {
        List<PortStatus> all = new ArrayList<>();
        for (int p = 1; p <= descriptor().portCount(); p++) {
            all.add(portStatus(p));
        }
        return List.copyOf(all);
    }

    /**
     * Powers a port on (SetPortFeature PORT_POWER) or off (ClearPortFeature PORT_POWER). Returns
     * when the hub has accepted the request; after power on, the device needs
     * {@link HubDescriptor#powerOnToPowerGoodMillis()} and its own start-up before it connects. A
     * hub without power switching accepts the request and does nothing: read {@link #portStatus} back.
     *
     * @param port the port number, 1..{@link HubDescriptor#portCount()} (the first call reads the hub
     *             descriptor)
     * @param on true to power the port on, false to power it off
     * @throws IllegalArgumentException if {@code port} is not a port of this hub
     */
    public void setPortPower(int port, boolean on) {
        checkPort(port);
        send(on ? HubRequest.SET_FEATURE : HubRequest.CLEAR_FEATURE, Recipient.OTHER, HubFeature.PORT_POWER, port);
    }

    /**
     * Powers a port off, waits {@code offTime}, powers it on and waits the hub's power-on-to-power-good
     * time: the device on it starts afresh, as if unplugged and plugged in.
     *
     * @param port the port number, 1..{@link HubDescriptor#portCount()} (the first call reads the hub
     *             descriptor)
     * @param offTime how long the port stays off, in whole milliseconds; not negative
     * @throws IllegalArgumentException if {@code offTime} is negative
     */
    public void cyclePortPower(int port, Duration offTime) {
        if (offTime.isNegative()) {
            throw new IllegalArgumentException("a power-off time is not negative: " + offTime);
        }
        checkPort(port);
        mayBlock();
        RuntimeException failure = null;
        try {
            setPortPower(port, false);
            sleep(offTime.toMillis());
        } catch (RuntimeException e) {
            failure = e;
        }
        try {
            setPortPower(port, true); // also after a failure or an interrupt: never leave the port off by surprise
        } catch (RuntimeException e) {
            if (failure != null) {
                // both failed: a new exception, since the ones a transfer's future holds are shared
                UsbException both = HubErrors.failed(device(), "power cycle of port " + port,
                        "powering it on again failed too, the port may be off: " + e.getMessage(), e);
                both.addSuppressed(failure);
                failure = both;
            } else {
                failure = e;
            }
        }
        if (failure != null) {
            throw failure;
        }
        sleep(descriptor().powerOnToPowerGoodMillis());
    }

    /**
     * Resets a port (SetPortFeature PORT_RESET) and waits, at most a second, until the hub says the
     * reset has ended (its reset bit clear, looked at 10 ms after the request and every 10 ms after). The device on it is then at address 0 until the host addresses it again: on
     * Linux that takes {@link UsbDeviceHandle#reset()} of the device (see the class description).
     *
     * @param port the port number, 1..{@link HubDescriptor#portCount()} (the first call reads the hub
     *             descriptor)
     * @return the port's status once the reset ended: enabled, or nothing connected any more
     * @throws dev.ausb.UsbTimeoutException if the port still resets after a second
     * @throws dev.ausb.UsbIoException      if the reset ended with the device connected and the port disabled
     * @throws IllegalArgumentException if {@code port} is not a port of this hub
     */
    public PortStatus resetPort(int port) {
        return reset(port, HubFeature.PORT_RESET, "reset port " + port);
    }

    /**
     * Warm-resets a SuperSpeed port (SetPortFeature BH_PORT_RESET), which also recovers a link in
     * {@link LinkState#INACTIVE}, and waits as {@link #resetPort} does.
     *
     * @param port the port number, 1..{@link HubDescriptor#portCount()} (the first call reads the hub
     *             descriptor)
     * @return the port's status once the reset ended: enabled, or nothing connected any more
     * @throws UsbNotSupportedException if this is not a SuperSpeed hub
     * @throws IllegalArgumentException if {@code port} is not a port of this hub
     * @throws dev.ausb.UsbTimeoutException if the port still resets after a second
     */
    public PortStatus warmResetPort(int port) {
        if (!superSpeed) {
            throw HubErrors.notSupported(device(), "warm reset is a SuperSpeed hub's request; this is a USB 2.0 hub");
        }
        return reset(port, HubFeature.BH_PORT_RESET, "warm-reset port " + port);
    }

    private PortStatus reset(int port, int feature, String what) {
        checkPort(port);
        send(HubRequest.SET_FEATURE, Recipient.OTHER, feature, port);
        long deadline = System.nanoTime() + RESET_WAIT_NANOS;
        while (true) {
            sleep(10); // a hub may not have latched the reset yet: Linux waits as long before its first look
            PortStatus s = portStatus(port);
            if (!s.resetting()) {
                if (s.connected() && !s.enabled()) {
                    throw HubErrors.failed(device(), what, "the reset ended with the port disabled: " + s);
                }
                return s; // enabled, or the device is gone
            }
            if (System.nanoTime() - deadline > 0) {
                throw HubErrors.timeout(device(), what, "the reset did not end within 1 s: " + s);
            }
        }
    }

    /**
     * Clears one change bit of a port (ClearPortFeature C_…).
     *
     * @param port the port number, 1..{@link HubDescriptor#portCount()} (the first call reads the hub
     *             descriptor)
     * @param change the change bit to clear
     * @throws IllegalArgumentException if this kind of hub has no such change bit (ENABLE and SUSPEND
     *                                  are USB 2.0's; BH_RESET, LINK_STATE and CONFIG_ERROR SuperSpeed's)
     */
    public void clearPortChange(int port, PortChange change) {
        checkPort(port);
        if (change.bit(superSpeed) < 0) {
            throw new IllegalArgumentException(String.format("a %s hub has no %s change bit",
                    superSpeed ? "SuperSpeed" : "USB 2.0", change));
        }
        send(HubRequest.CLEAR_FEATURE, Recipient.OTHER, change.feature(), port);
    }

    /** Clears the hub's local power change bit (ClearHubFeature C_HUB_LOCAL_POWER). */
    public void clearLocalPowerChange() {
        send(HubRequest.CLEAR_FEATURE, Recipient.DEVICE, HubFeature.C_HUB_LOCAL_POWER, 0);
    }

    /** Clears the hub's over-current change bit (ClearHubFeature C_HUB_OVER_CURRENT). */
    public void clearOverCurrentChange() {
        send(HubRequest.CLEAR_FEATURE, Recipient.DEVICE, HubFeature.C_HUB_OVER_CURRENT, 0);
    }

    /**
     * Sets a port's indicator (SetPortFeature PORT_INDICATOR); {@link PortIndicator#AUTOMATIC} hands it
     * back to the hub.
     *
     * @param port the port number, 1..{@link HubDescriptor#portCount()} (the first call reads the hub
     *             descriptor)
     * @param indicator the colour or mode to show
     * @throws UsbNotSupportedException if the hub descriptor says the ports have no indicators
     * @throws IllegalArgumentException if {@code port} is not a port of this hub
     */
    public void setPortIndicator(int port, PortIndicator indicator) {
        checkPort(port);
        if (!descriptor().indicatorsSupported()) {
            throw HubErrors.notSupported(device(), "its descriptor says its ports have no indicators");
        }
        send(HubRequest.SET_FEATURE, Recipient.OTHER, HubFeature.PORT_INDICATOR, indicator.selector() << 8 | port);
    }

    /**
     * SetPortFeature with any selector, for what has no method here (PORT_SUSPEND, PORT_TEST,
     * PORT_LINK_STATE, the U1/U2 timeouts).
     *
     * @param port the port number, 1..{@link HubDescriptor#portCount()} (the first call reads the hub
     *             descriptor)
     * @param feature the port feature selector ({@link HubFeature}), sent as {@code wValue}, 0..0xffff
     * @param selector the byte sent in {@code wIndex}'s high byte (0 where the feature has none)
     * @throws IllegalArgumentException if {@code port} is not a port of this hub, or {@code selector} is not 0..255
     */
    public void setPortFeature(int port, int feature, int selector) {
        checkPort(port);
        checkByte(selector, "selector");
        send(HubRequest.SET_FEATURE, Recipient.OTHER, feature, selector << 8 | port);
    }

    /**
     * ClearPortFeature with any selector (as {@link #setPortFeature}).
     *
     * @param port the port number, 1..{@link HubDescriptor#portCount()} (the first call reads the hub
     *             descriptor)
     * @param feature the port feature selector ({@link HubFeature}), sent as {@code wValue}, 0..0xffff
     * @param selector the byte sent in {@code wIndex}'s high byte (0 where the feature has none)
     * @throws IllegalArgumentException if {@code port} is not a port of this hub, or {@code selector} is not 0..255
     */
    public void clearPortFeature(int port, int feature, int selector) {
        checkPort(port);
        checkByte(selector, "selector");
        send(HubRequest.CLEAR_FEATURE, Recipient.OTHER, feature, selector << 8 | port);
    }

    /**
     * The device connected at {@code port}, as the context lists it now: the one whose parent is this
     * hub and whose port number is {@code port}. Empty if none is (or the OS has not enumerated it yet).
     *
     * @param port the port number, 1..{@link HubDescriptor#portCount()} (the first call reads the hub
     *             descriptor)
     * @return the device at that port, or empty
     */
    public Optional<UsbDevice> deviceAt(int port) {
        checkPort(port);
        UsbDevice hub = device();
        List<Integer> path = new ArrayList<>(hub.portPath());
        path.add(port);
        return hub.context().devices().stream()
                .filter(d -> d.bus() == hub.bus() && d.portPath().equals(path))
                .findFirst();
    }

    /**
     * A port of a hub: the hub device and the port number on it, as {@link #peerPort(int)} names
     * the other half of a USB 3 port.
     *
     * @param hub  the hub device
     * @param port the port number on it, 1..255
     */
    public record Port(UsbDevice hub, int port) {
        /**
         * Checks the port number.
         *
         * @throws NullPointerException     if {@code hub} is null
         * @throws IllegalArgumentException if {@code port} is not 1..255
         */
        public Port {
            Objects.requireNonNull(hub, "hub");
            if (port < 1 || port > 255) {
                throw new IllegalArgumentException("a hub port is 1..255, not " + port);
            }
        }

        @Override
        public String toString() {
            return "port " + port + " of " + linuxName(hub);
        }
    }

    /**
     * The other half of a USB 3 hub. A USB 3 hub (and a USB 3 host controller's root hub) is two
     * hubs on two buses: a USB 2 hub for low, full and high speed devices and a SuperSpeed hub,
     * each port of the one paired with a port of the other behind the same connector. A device
     * powered off on one half can come back on the other, so port power is switched on both, as
     * uhubctl does ({@code ausb hub --power} does so unless told {@code --exact}).
     *
     * <p>Found without I/O on Linux, where sysfs links each port to its {@code peer}; elsewhere by
     * the Container ID both halves report in their BOS descriptor (read from each hub of the
     * other kind with this hub's vendor id, which opens them: hubs that cannot be opened are
     * skipped). Empty for a USB 2 hub with no SuperSpeed half, or when neither says.
     *
     * @return the other half's hub device, if there is one
     */
    public Optional<UsbDevice> peer() {
        UsbDevice hub = device();
        Optional<Path> ports = linuxPortsDirectory(hub);
        if (ports.isPresent()) {
            try (var list = Files.list(ports.get())) {
                String prefix = linuxName(hub) + "-port";
                for (Path port : (Iterable<Path>) list.filter(p -> p.getFileName().toString().startsWith(prefix))::iterator) {
                    Optional<Port> peer = linuxPeerOf(port);
                    if (peer.isPresent()) {
                        return Optional.of(peer.get().hub());
                    }
                }
            } catch (java.io.IOException | java.io.UncheckedIOException e) {
                // sysfs went away with the hub: no peer to name
            }
            return Optional.empty();
        }
        return containerIdPeer(hub);
    }

    /**
     * The port paired with {@code port} on the other half of a USB 3 hub (see {@link #peer()}): on
     * Linux the port sysfs links as its {@code peer}; elsewhere the port of the same number on the
     * hub {@link #peer()} finds (hubs number both halves alike; root hubs may not, and there libusb
     * gives no way to tell).
     *
     * @param port the port on this hub, 1..255
     * @return the paired port, if this hub has a peer
     * @throws IllegalArgumentException if {@code port} is not 1..255
     */
    public Optional<Port> peerPort(int port) {
        if (port < 1 || port > 255) {
            throw new IllegalArgumentException("a hub port is 1..255, not " + port);
        }
        UsbDevice hub = device();
        Optional<Path> ports = linuxPortsDirectory(hub);
        if (ports.isPresent()) {
            return linuxPeerOf(ports.get().resolve(linuxName(hub) + "-port" + port));
        }
        return containerIdPeer(hub).map(p -> new Port(p, port));
    }

    /** Linux's name of a hub's place in sysfs: usb3 for a root hub, 3-1.2 below it. */
    static String linuxName(UsbDevice d) {
        return d.portPath().isEmpty() ? "usb" + d.bus()
                : d.bus() + "-" + d.portPath().stream().map(String::valueOf).collect(Collectors.joining("."));
    }

    /** The sysfs directory holding a hub's port directories (its interface 0), if this is Linux and it is there. */
    private static Optional<Path> linuxPortsDirectory(UsbDevice hub) {
        String name = linuxName(hub);
        int config = hub.cachedActiveConfiguration().orElse(1);
        String iface = (hub.portPath().isEmpty() ? hub.bus() + "-0" : name) + ":" + config + ".0";
        Path dir = Path.of("/sys/bus/usb/devices", name, iface);
        return Files.isDirectory(dir) ? Optional.of(dir) : Optional.empty();
    }

    /** The port a sysfs port directory's {@code peer} link points at (usb2-port1, 2-1-port3), as a hub the context lists. */
    private Optional<Port> linuxPeerOf(Path portDir) {
        Path link = portDir.resolve("peer");
        if (!Files.exists(link)) {
            return Optional.empty();
        }
        String name;
        try {
            name = link.toRealPath().getFileName().toString();
        } catch (java.io.IOException e) {
            return Optional.empty();
        }
        int dash = name.lastIndexOf("-port");
        if (dash <= 0) {
            return Optional.empty();
        }
        String hubName = name.substring(0, dash);
        int port;
        try {
            port = Integer.parseInt(name.substring(dash + 5));
        } catch (NumberFormatException e) {
            return Optional.empty();
        }
        if (port < 1 || port > 255) {
            return Optional.empty();
        }
        return device().context().devices().stream().filter(d -> d.isHub() && linuxName(d).equals(hubName))
                .findFirst().map(d -> new Port(d, port));
    }

    /** Elsewhere: the hub of the other kind, with this one's vendor id, whose BOS Container ID is this hub's. */
    private Optional<UsbDevice> containerIdPeer(UsbDevice hub) {
        mayBlock(); // it reads BOS descriptors: on the event thread that would never end
        Optional<java.util.UUID> mine;
        try {
            mine = handle.readBos().flatMap(b -> b.capability(dev.ausb.UsbBosCapability.ContainerId.class))
                    .map(dev.ausb.UsbBosCapability.ContainerId::containerId);
        } catch (UsbException e) {
            return Optional.empty(); // this hub answers no BOS: nothing to match the other half by
        }
        if (mine.isEmpty()) {
            return Optional.empty();
        }
        boolean superSpeedHere = isSuperSpeedHub(hub);
        return hub.context().devices().stream()
                .filter(d -> d != hub && d.isHub() && isSuperSpeedHub(d) != superSpeedHere
                        && d.vendorId() == hub.vendorId())
                .filter(d -> containerId(d).equals(mine))
                .findFirst();
    }

    private static Optional<java.util.UUID> containerId(UsbDevice d) {
        try {
            return d.readBos().flatMap(b -> b.capability(dev.ausb.UsbBosCapability.ContainerId.class))
                    .map(dev.ausb.UsbBosCapability.ContainerId::containerId);
        } catch (UsbException e) {
            return Optional.empty(); // a hub this process may not open, or one that left: not the peer we can name
        }
    }

    /**
     * Linux's sysfs file that disables (powers off) {@code port} with the kernel's cooperation, if
     * this kernel has it: {@code /sys/bus/usb/devices/1-1:1.0/1-1-port2/disable}, or for a root hub
     * {@code /sys/bus/usb/devices/usb1/1-0:1.0/usb1-port2/disable}. Write {@code 1} to disable the
     * port, {@code 0} to enable it; reading says which. No USB I/O.
     *
     * @param port the port number, 1..255 (not checked against the hub descriptor: no I/O)
     * @return the file, or empty where it does not exist (another platform, an older kernel, no such port)
     * @throws IllegalArgumentException if {@code port} is not 1..255
     */
    public Optional<Path> linuxPortDisableFile(int port) {
        if (port < 1 || port > 255) {
            throw new IllegalArgumentException("a hub port is 1..255, not " + port);
        }
        UsbDevice hub = device();
        return linuxPortsDirectory(hub).map(dir -> dir.resolve(linuxName(hub) + "-port" + port).resolve("disable"))
                .filter(Files::exists);
    }

    /** Closes the handle if {@link #open} opened it. */
    @Override
    public void close() {
        if (ownsHandle) {
            handle.close();
        }
    }

    @Override
    public String toString() {
        return "hub " + device();
    }

    private void checkPort(int port) {
        int n = descriptor().portCount();
        if (port < 1 || port > n) {
            throw new IllegalArgumentException(String.format("%s has ports 1..%d, not %d", device(), n, port));
        }
    }

    private static void checkByte(int v, String what) {
        if (v < 0 || v > 0xff) {
            throw new IllegalArgumentException("a " + what + " is 8 bits, not " + v);
        }
    }

    private void send(int request, Recipient recipient, int feature, int index) {
        mayBlock();
        handle.controlOut(UsbControlRequest.classRequest(recipient, request, feature, index), new byte[0],
                timeout).await();
    }

    /** Throws before anything is sent where the wait could never end. */
    private void mayBlock() {
        if (device().context().isEventThread()) {
            throw new IllegalStateException(this + ": hub requests wait for their answer, which never comes on the "
                    + "context's event thread; call them from another thread");
        }
    }


    private static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while waiting on a hub port", e);
        }
    }
}
