package dev.ausb.internal.libusb;

import static java.lang.foreign.MemoryLayout.paddingLayout;
import static java.lang.foreign.MemoryLayout.sequenceLayout;
import static java.lang.foreign.MemoryLayout.structLayout;
import static java.lang.foreign.ValueLayout.ADDRESS;
import static java.lang.foreign.ValueLayout.JAVA_BYTE;
import static java.lang.foreign.ValueLayout.JAVA_INT;
import static java.lang.foreign.ValueLayout.JAVA_SHORT;

import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.MemoryLayout;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.StructLayout;
import java.lang.foreign.ValueLayout;

/**
 * The libusb structs ausb reads or writes, as {@link StructLayout}s named after the C fields,
 * with their byte offsets as constants. {@code LayoutCheckTest} compiles a C program against
 * {@code libusb.h} and compares every offset and size here with the compiler's.
 *
 * <p>Pure data: loading this class does not load libusb.
 */
public final class Structs {
    private Structs() {}

    private static final ValueLayout C_LONG = (ValueLayout) java.lang.foreign.Linker.nativeLinker()
            .canonicalLayouts().get("long");

    /** struct libusb_version. */
    public static final StructLayout VERSION = structLayout(
            JAVA_SHORT.withName("major"), JAVA_SHORT.withName("minor"), JAVA_SHORT.withName("micro"),
            JAVA_SHORT.withName("nano"), ADDRESS.withName("rc"), ADDRESS.withName("describe"))
            .withName("libusb_version");

    /** struct libusb_device_descriptor (18 bytes, the USB wire layout with natural alignment). */
    public static final StructLayout DEVICE_DESCRIPTOR = structLayout(
            JAVA_BYTE.withName("bLength"), JAVA_BYTE.withName("bDescriptorType"),
            JAVA_SHORT.withName("bcdUSB"), JAVA_BYTE.withName("bDeviceClass"),
            JAVA_BYTE.withName("bDeviceSubClass"), JAVA_BYTE.withName("bDeviceProtocol"),
            JAVA_BYTE.withName("bMaxPacketSize0"), JAVA_SHORT.withName("idVendor"),
            JAVA_SHORT.withName("idProduct"), JAVA_SHORT.withName("bcdDevice"),
            JAVA_BYTE.withName("iManufacturer"), JAVA_BYTE.withName("iProduct"),
            JAVA_BYTE.withName("iSerialNumber"), JAVA_BYTE.withName("bNumConfigurations"))
            .withName("libusb_device_descriptor");

    /** struct libusb_endpoint_descriptor. */
    public static final StructLayout ENDPOINT_DESCRIPTOR = structLayout(
            JAVA_BYTE.withName("bLength"), JAVA_BYTE.withName("bDescriptorType"),
            JAVA_BYTE.withName("bEndpointAddress"), JAVA_BYTE.withName("bmAttributes"),
            JAVA_SHORT.withName("wMaxPacketSize"), JAVA_BYTE.withName("bInterval"),
            JAVA_BYTE.withName("bRefresh"), JAVA_BYTE.withName("bSynchAddress"), paddingLayout(7),
            ADDRESS.withName("extra"), JAVA_INT.withName("extra_length"), paddingLayout(4))
            .withName("libusb_endpoint_descriptor");

    /** struct libusb_interface_descriptor (one alternate setting). */
    public static final StructLayout INTERFACE_DESCRIPTOR = structLayout(
            JAVA_BYTE.withName("bLength"), JAVA_BYTE.withName("bDescriptorType"),
            JAVA_BYTE.withName("bInterfaceNumber"), JAVA_BYTE.withName("bAlternateSetting"),
            JAVA_BYTE.withName("bNumEndpoints"), JAVA_BYTE.withName("bInterfaceClass"),
            JAVA_BYTE.withName("bInterfaceSubClass"), JAVA_BYTE.withName("bInterfaceProtocol"),
            JAVA_BYTE.withName("iInterface"), paddingLayout(7), ADDRESS.withName("endpoint"),
            ADDRESS.withName("extra"), JAVA_INT.withName("extra_length"), paddingLayout(4))
            .withName("libusb_interface_descriptor");

    /** struct libusb_interface. */
    public static final StructLayout INTERFACE = structLayout(
            ADDRESS.withName("altsetting"), JAVA_INT.withName("num_altsetting"), paddingLayout(4))
            .withName("libusb_interface");

    /** struct libusb_config_descriptor. */
    public static final StructLayout CONFIG_DESCRIPTOR = structLayout(
            JAVA_BYTE.withName("bLength"), JAVA_BYTE.withName("bDescriptorType"),
            JAVA_SHORT.withName("wTotalLength"), JAVA_BYTE.withName("bNumInterfaces"),
            JAVA_BYTE.withName("bConfigurationValue"), JAVA_BYTE.withName("iConfiguration"),
            JAVA_BYTE.withName("bmAttributes"), JAVA_BYTE.withName("MaxPower"), paddingLayout(7),
            ADDRESS.withName("interface"), ADDRESS.withName("extra"), JAVA_INT.withName("extra_length"),
            paddingLayout(4))
            .withName("libusb_config_descriptor");

    /** struct libusb_iso_packet_descriptor. */
    public static final StructLayout ISO_PACKET_DESCRIPTOR = structLayout(
            JAVA_INT.withName("length"), JAVA_INT.withName("actual_length"), JAVA_INT.withName("status"))
            .withName("libusb_iso_packet_descriptor");

    /** struct libusb_transfer, without its flexible array of iso packet descriptors. */
    public static final StructLayout TRANSFER = structLayout(
            ADDRESS.withName("dev_handle"), JAVA_BYTE.withName("flags"), JAVA_BYTE.withName("endpoint"),
            JAVA_BYTE.withName("type"), paddingLayout(1), JAVA_INT.withName("timeout"),
            JAVA_INT.withName("status"), JAVA_INT.withName("length"), JAVA_INT.withName("actual_length"),
            paddingLayout(4), ADDRESS.withName("callback"), ADDRESS.withName("user_data"),
            ADDRESS.withName("buffer"), JAVA_INT.withName("num_iso_packets"),
            sequenceLayout(0, ISO_PACKET_DESCRIPTOR).withName("iso_packet_desc"), paddingLayout(4))
            .withName("libusb_transfer");

    /** struct timeval (time_t and suseconds_t are C long on the platforms libusb supports). */
    public static final StructLayout TIMEVAL = structLayout(C_LONG.withName("tv_sec"), C_LONG.withName("tv_usec"))
            .withName("timeval");

    /** void (*)(struct libusb_transfer *): the pointer arrives as a 64-bit integer, so no object is made per call. */
    public static final FunctionDescriptor TRANSFER_CB = FunctionDescriptor.ofVoid(ValueLayout.JAVA_LONG);

    /** int (*)(libusb_context *, libusb_device *, libusb_hotplug_event, void *): libusb_hotplug_callback_fn. */
    public static final FunctionDescriptor HOTPLUG_CB = FunctionDescriptor.of(JAVA_INT, ADDRESS, ADDRESS, JAVA_INT, ADDRESS);

    /** void (*)(libusb_context *, enum libusb_log_level, const char *). */
    public static final FunctionDescriptor LOG_CB = FunctionDescriptor.ofVoid(ADDRESS, JAVA_INT, ADDRESS);

    // offsets used on hot paths
    public static final long TRANSFER_DEV_HANDLE = offset(TRANSFER, "dev_handle");
    public static final long TRANSFER_FLAGS = offset(TRANSFER, "flags");
    public static final long TRANSFER_ENDPOINT = offset(TRANSFER, "endpoint");
    public static final long TRANSFER_TYPE = offset(TRANSFER, "type");
    public static final long TRANSFER_TIMEOUT = offset(TRANSFER, "timeout");
    public static final long TRANSFER_STATUS = offset(TRANSFER, "status");
    public static final long TRANSFER_LENGTH = offset(TRANSFER, "length");
    public static final long TRANSFER_ACTUAL_LENGTH = offset(TRANSFER, "actual_length");
    public static final long TRANSFER_CALLBACK = offset(TRANSFER, "callback");
    public static final long TRANSFER_USER_DATA = offset(TRANSFER, "user_data");
    public static final long TRANSFER_BUFFER = offset(TRANSFER, "buffer");
    public static final long TRANSFER_NUM_ISO_PACKETS = offset(TRANSFER, "num_iso_packets");
    public static final long TRANSFER_ISO_PACKET_DESC = offset(TRANSFER, "iso_packet_desc");

    // libusb constants (libusb.h)
    public static final int OPTION_LOG_LEVEL = 0;
    public static final int LOG_CB_CONTEXT = 1 << 1;
    /** libusb_log_cb_mode LIBUSB_LOG_CB_GLOBAL. */
    public static final int LOG_CB_GLOBAL = 1 << 0;
    public static final int CAP_HAS_HOTPLUG = 0x0001;
    public static final int HOTPLUG_EVENT_DEVICE_ARRIVED = 0x01;
    public static final int HOTPLUG_EVENT_DEVICE_LEFT = 0x02;
    public static final int HOTPLUG_MATCH_ANY = -1;
    public static final int CAP_SUPPORTS_DETACH_KERNEL_DRIVER = 0x0101;
    public static final int TRANSFER_TYPE_CONTROL = 0;
    public static final int TRANSFER_TYPE_ISOCHRONOUS = 1;
    public static final int TRANSFER_TYPE_BULK = 2;
    public static final int TRANSFER_TYPE_INTERRUPT = 3;
    public static final int TRANSFER_TYPE_BULK_STREAM = 4;
    public static final int TRANSFER_SHORT_NOT_OK = 1 << 0;
    public static final int TRANSFER_ADD_ZERO_PACKET = 1 << 3;
    public static final int CONTROL_SETUP_SIZE = 8;

    /** The byte offset of a named field. */
    public static long offset(MemoryLayout struct, String field) {
        return struct.byteOffset(MemoryLayout.PathElement.groupElement(field));
    }

    /** Sets a struct timeval, whatever the width of C long. */
    public static void setTimeval(MemorySegment tv, long seconds, long micros) {
        if (C_LONG.byteSize() == 8) {
            tv.set(ValueLayout.JAVA_LONG, 0, seconds);
            tv.set(ValueLayout.JAVA_LONG, 8, micros);
        } else {
            tv.set(ValueLayout.JAVA_INT, 0, (int) seconds);
            tv.set(ValueLayout.JAVA_INT, 4, (int) micros);
        }
    }

    /** Reads a NUL-terminated C string; {@code null} for a NULL pointer. */
    public static String cString(MemorySegment pointer) {
        if (pointer.equals(MemorySegment.NULL)) {
            return null;
        }
        return pointer.reinterpret(Integer.MAX_VALUE).getString(0);
    }
}
