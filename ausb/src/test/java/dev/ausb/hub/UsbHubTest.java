package dev.ausb.hub;

import dev.ausb.UsbTransferFuture;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.ausb.UsbContext;
import dev.ausb.UsbControlRequest;
import dev.ausb.UsbDevice;
import dev.ausb.UsbDeviceDescriptor;
import dev.ausb.UsbDeviceHandle;
import dev.ausb.UsbIoException;
import dev.ausb.UsbSpeed;
import dev.ausb.UsbStallException;
import dev.ausb.UsbVersion;
import java.lang.reflect.InvocationHandler;
import java.lang.reflect.Proxy;
import java.time.Duration;
import java.util.ArrayList;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.List;
import java.util.function.Function;
import org.junit.jupiter.api.Test;

/**
 * UsbHub's requests and its failure paths on the host, against a hub made of proxies: the bytes
 * of each setup packet, a reset that ends disabled, a power cycle whose requests fail, the event
 * thread refused before anything is sent. The lab (HubIT) runs it against real hubs.
 */
class UsbHubTest {
    /** A setup as the fake hub saw it: bmRequestType with the direction bit, bRequest, wValue, wIndex, wLength. */
    record Setup(int requestType, int request, int value, int index, int length) {}

    static final byte[] USB2_DESCRIPTOR = {9, 0x29, 4, (byte) 0x89, 0, 50, 100, 0, (byte) 0xff}; // indicators, individual
    static final byte[] SS_DESCRIPTOR = {12, 0x2a, 4, 0x09, 0, 10, 25, 4, 0x34, 0x12, 0, 0};

    final List<Setup> seen = new ArrayList<>();
    /** Answers an IN request (the bytes) or an OUT one (null: accepted); may throw to fail it. */
    Function<Setup, byte[]> answer;
    boolean eventThread;

    private UsbHub hub(UsbSpeed speed, int protocol) {
        UsbContext context = (UsbContext) proxy(UsbContext.class, (p, m, a) -> switch (m.getName()) {
            case "isEventThread" -> eventThread;
            case "devices" -> List.of();
            default -> throw new UnsupportedOperationException(m.getName());
        });
        UsbDeviceDescriptor dd = new UsbDeviceDescriptor(new UsbVersion(0x0200), 9, 0, protocol, 64, 0x1d6b, 2,
                new UsbVersion(0x0100), 0, 0, 0, 1);
        UsbDevice device = (UsbDevice) proxy(UsbDevice.class, (p, m, a) -> switch (m.getName()) {
            case "context" -> context;
            case "descriptor" -> dd;
            case "speed" -> speed;
            case "bus" -> 3;
            case "portPath" -> List.of(1);
            case "isHub" -> InvocationHandler.invokeDefault(p, m, a);
            case "toString" -> "hub 3-1";
            default -> throw new UnsupportedOperationException(m.getName());
        });
        UsbDeviceHandle handle = (UsbDeviceHandle) proxy(UsbDeviceHandle.class, (p, m, a) -> switch (m.getName()) {
            case "device" -> device;
            case "controlIn" -> {
                UsbControlRequest r = (UsbControlRequest) a[0];
                Setup s = new Setup(r.bmRequestType(dev.ausb.UsbDirection.IN), r.request(), r.value(), r.index(), (int) a[1]);
                yield respond(s);
            }
            case "controlOut" -> {
                UsbControlRequest r = (UsbControlRequest) a[0];
                Setup s = new Setup(r.bmRequestType(dev.ausb.UsbDirection.OUT), r.request(), r.value(), r.index(),
                        ((byte[]) a[1]).length);
                yield respondOut(s);
            }
            case "readDescriptor" -> InvocationHandler.invokeDefault(p, m, a);
            case "close" -> null;
            default -> throw new UnsupportedOperationException(m.getName());
        });
        return UsbHub.of(handle);
    }

    private Object respond(Setup s) {
        seen.add(s);
        try {
            return UsbTransferFuture.completed(answer.apply(s));
        } catch (RuntimeException e) {
            return UsbTransferFuture.failed(e);
        }
    }

    private Object respondOut(Setup s) {
        seen.add(s);
        try {
            answer.apply(s);
            return UsbTransferFuture.completed(0);
        } catch (RuntimeException e) {
            return UsbTransferFuture.failed(e);
        }
    }

    private static Object proxy(Class<?> type, InvocationHandler h) {
        return Proxy.newProxyInstance(UsbHubTest.class.getClassLoader(), new Class<?>[] {type}, h);
    }

    private static byte[] status(int status, int change) {
        return new byte[] {(byte) status, (byte) (status >> 8), (byte) change, (byte) (change >> 8)};
    }

    /** The standard answers of a 4-port hub: its descriptor, every port powered, enabled, connected. */
    private byte[] standard(Setup s, byte[] descriptor) {
        if (s.request() == HubRequest.GET_DESCRIPTOR) {
            return descriptor;
        }
        if (s.request() == HubRequest.GET_STATUS) {
            return status(0x0103, 0);
        }
        return null;
    }

    @Test
    void requests_carryTheHubClassSetupsOfEachKind() {
        answer = s -> standard(s, USB2_DESCRIPTOR);
        UsbHub hub = hub(UsbSpeed.HIGH, 1);
        assertEquals(4, hub.descriptor().portCount());
        assertEquals(new Setup(0xa0, 6, 0x2900, 0, 71), seen.get(0), "GetHubDescriptor, USB 2.0 form");
        hub.portStatus(2);
        assertEquals(new Setup(0xa3, 0, 0, 2, 4), seen.getLast(), "GetPortStatus");
        hub.status();
        assertEquals(new Setup(0xa0, 0, 0, 0, 4), seen.getLast(), "GetHubStatus");
        hub.setPortPower(3, false);
        assertEquals(new Setup(0x23, 1, 8, 3, 0), seen.getLast(), "ClearPortFeature(PORT_POWER)");
        hub.setPortPower(3, true);
        assertEquals(new Setup(0x23, 3, 8, 3, 0), seen.getLast(), "SetPortFeature(PORT_POWER): not CLEAR, as the original sent");
        hub.setPortIndicator(2, PortIndicator.GREEN);
        assertEquals(new Setup(0x23, 3, 22, 0x0202, 0), seen.getLast(), "the selector in wIndex's high byte");
        hub.clearPortChange(4, PortChange.ENABLE);
        assertEquals(new Setup(0x23, 1, 17, 4, 0), seen.getLast());
        hub.clearOverCurrentChange();
        assertEquals(new Setup(0x20, 1, 1, 0, 0), seen.getLast(), "ClearHubFeature(C_HUB_OVER_CURRENT)");
        int before = seen.size();
        assertThrows(IllegalArgumentException.class, () -> hub.setPortPower(5, true));
        assertThrows(IllegalArgumentException.class, () -> hub.clearPortChange(1, PortChange.LINK_STATE));
        assertEquals(before, seen.size(), "nothing sent for a bad port or change");
    }

    @Test
    void superSpeedHub_readsTheSuperSpeedDescriptor_andWarmResets() {
        answer = s -> standard(s, SS_DESCRIPTOR);
        UsbHub hub = hub(UsbSpeed.SUPER, 3);
        assertTrue(hub.descriptor().superSpeed());
        assertEquals(new Setup(0xa0, 6, 0x2a00, 0, 12), seen.get(0), "GetHubDescriptor with type 0x2A and its length");
        assertThrows(dev.ausb.UsbNotSupportedException.class, () -> hub.setPortIndicator(1, PortIndicator.AMBER));
        answer = s -> s.request() == HubRequest.GET_STATUS ? status(0x0203, 0x20) : standard(s, SS_DESCRIPTOR);
        hub.warmResetPort(2);
        assertTrue(seen.contains(new Setup(0x23, 3, 28, 2, 0)), "SetPortFeature(BH_PORT_RESET): " + seen);
    }

    @Test
    void aDescriptorOfTheOtherKind_isRefusedWithWhatCame() {
        answer = s -> standard(s, USB2_DESCRIPTOR);
        UsbHub hub = hub(UsbSpeed.SUPER, 3);
        UsbIoException e = assertThrows(UsbIoException.class, hub::descriptor);
        assertTrue(e.getMessage().contains("type 0x29"), e.getMessage());
    }

    @Test
    void resetPort_waitsForTheResetToEnd_andFailsWhenItEndsDisabled() {
        Deque<byte[]> statuses = new ArrayDeque<>(List.of(status(0x0113, 0), status(0x0113, 0), status(0x0103, 0x10)));
        answer = s -> s.request() == HubRequest.GET_STATUS ? statuses.poll() : standard(s, USB2_DESCRIPTOR);
        UsbHub hub = hub(UsbSpeed.HIGH, 1);
        PortStatus after = hub.resetPort(1);
        assertFalse(after.resetting());
        assertTrue(after.enabled());
        assertTrue(seen.contains(new Setup(0x23, 3, 4, 1, 0)), "SetPortFeature(PORT_RESET)");
        assertTrue(statuses.isEmpty(), "it read the status until the reset bit cleared");

        answer = s -> s.request() == HubRequest.GET_STATUS ? status(0x0101, 0x10) : standard(s, USB2_DESCRIPTOR);
        UsbIoException e = assertThrows(UsbIoException.class, () -> hub.resetPort(1));
        assertTrue(e.getMessage().contains("ended with the port disabled"), e.getMessage());
    }

    @Test
    void cyclePortPower_powersOnAgainAfterAFailedOff_andReportsBothWithoutChangingEither() {
        UsbStallException off = new UsbStallException("off stalled", -9, "LIBUSB_ERROR_PIPE", 0, null);
        UsbStallException on = new UsbStallException("on stalled", -9, "LIBUSB_ERROR_PIPE", 0, null);
        answer = s -> {
            if (s.request() == HubRequest.CLEAR_FEATURE) {
                throw off;
            }
            if (s.request() == HubRequest.SET_FEATURE) {
                throw on;
            }
            return standard(s, USB2_DESCRIPTOR);
        };
        UsbHub hub = hub(UsbSpeed.HIGH, 1);
        UsbIoException both = assertThrows(UsbIoException.class, () -> hub.cyclePortPower(2, Duration.ZERO));
        assertSame(on, both.getCause());
        assertSame(off, both.getSuppressed()[0]);
        assertEquals(0, off.getSuppressed().length, "the transfer's own exception is left as it was");
        assertTrue(seen.contains(new Setup(0x23, 3, 8, 2, 0)), "power on was sent after the failed off: " + seen);

        seen.clear();
        answer = s -> {
            if (s.request() == HubRequest.CLEAR_FEATURE) {
                throw off;
            }
            return standard(s, USB2_DESCRIPTOR);
        };
        assertSame(off, assertThrows(UsbStallException.class, () -> hub.cyclePortPower(2, Duration.ZERO)));
        assertEquals(new Setup(0x23, 3, 8, 2, 0), seen.getLast(), "the port powered on again");
    }

    @Test
    void onTheEventThread_nothingIsSent() {
        answer = s -> standard(s, USB2_DESCRIPTOR);
        UsbHub hub = hub(UsbSpeed.HIGH, 1);
        hub.descriptor();
        int before = seen.size();
        eventThread = true;
        assertThrows(IllegalStateException.class, () -> hub.setPortPower(1, false));
        assertThrows(IllegalStateException.class, () -> hub.portStatus(1));
        assertThrows(IllegalStateException.class, () -> hub.cyclePortPower(1, Duration.ZERO));
        assertEquals(before, seen.size(), "refused before any request: " + seen);
    }

    @Test
    void notAHub_isRefused() {
        UsbDevice notHub = (UsbDevice) proxy(UsbDevice.class, (p, m, a) -> switch (m.getName()) {
            case "descriptor" -> new UsbDeviceDescriptor(new UsbVersion(0x0200), 0xff, 0, 0, 64, 1, 2,
                    new UsbVersion(1), 0, 0, 0, 1);
            case "isHub" -> InvocationHandler.invokeDefault(p, m, a);
            case "toString" -> "vendor device";
            default -> throw new UnsupportedOperationException(m.getName());
        });
        UsbDeviceHandle h = (UsbDeviceHandle) proxy(UsbDeviceHandle.class, (p, m, a) -> switch (m.getName()) {
            case "device" -> notHub;
            default -> throw new UnsupportedOperationException(m.getName());
        });
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> UsbHub.of(h));
        assertTrue(e.getMessage().contains("is not a hub (device class 0xff"), e.getMessage());
    }
}
