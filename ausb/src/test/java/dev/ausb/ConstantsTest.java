package dev.ausb;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.lang.reflect.Field;
import java.lang.reflect.Modifier;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** Protocol constants and raw request types, as other libraries spell them. */
class ConstantsTest {
    @Test
    void rawRequestType_keepsTypeAndRecipientAndSaysTheDirection() {
        // libusb's LIBUSB_ENDPOINT_IN | LIBUSB_REQUEST_TYPE_VENDOR | LIBUSB_RECIPIENT_INTERFACE
        UsbControlRequest r = UsbControlRequest.fromRaw(0xc1, 0x51, 0x1234, 2);
        assertEquals(UsbControlRequest.Type.VENDOR, r.type());
        assertEquals(UsbControlRequest.Recipient.INTERFACE, r.recipient());
        assertEquals(0x41, r.requestType());
        assertEquals(UsbDirection.IN, UsbControlRequest.direction(0xc1));
        assertEquals(UsbDirection.OUT, UsbControlRequest.direction(0x41));
        assertEquals(0xc1, r.bmRequestType(UsbDirection.IN));
        assertEquals(0x41, r.bmRequestType(UsbDirection.OUT));
        assertEquals(0x23, UsbControlRequest.fromRaw(0x23, 3, 8, 1).bmRequestType(UsbDirection.OUT)); // hub port
        assertThrows(IllegalArgumentException.class, () -> UsbControlRequest.fromRaw(0x100, 0, 0, 0));
        assertThrows(IllegalArgumentException.class, () -> UsbControlRequest.fromRaw(0xe0, 0, 0, 0)); // type 3
    }

    @Test
    void names_areTheDeclaredNames() {
        assertEquals(Optional.of("GET_DESCRIPTOR"), UsbStandardRequest.name(6));
        assertEquals(Optional.of("SET_ISOCH_DELAY"), UsbStandardRequest.name(0x31));
        assertEquals(Optional.empty(), UsbStandardRequest.name(0x04));
        assertEquals(Optional.of("DEVICE_QUALIFIER"), UsbDescriptorType.name(6));
        assertEquals(Optional.of("SUPERSPEED_HUB"), UsbDescriptorType.name(0x2a));
        assertEquals(Optional.of("HUB"), UsbClassCode.name(9));
        assertEquals(Optional.of("VENDOR_SPECIFIC"), UsbClassCode.name(0xff));
        assertEquals(Optional.of("ENGLISH_US"), UsbLanguage.name(0x0409));
        assertEquals(Optional.of("GETSTATUS"), UsbDfuRequest.name(3));
        assertEquals(Optional.of("U1_ENABLE"), UsbFeature.name(48));
    }

    /** Every constant has a name that maps back to it (or to the first constant declared with its value). */
    @Test
    void everyConstantIsNamed() throws Exception {
        for (Class<?> c : List.of(UsbStandardRequest.class, UsbDescriptorType.class, UsbClassCode.class,
                UsbLanguage.class, UsbDfuRequest.class, UsbFeature.class)) {
            var name = c.getMethod("name", int.class);
            Set<Integer> seen = new HashSet<>();
            for (Field f : c.getFields()) {
                if (!Modifier.isStatic(f.getModifiers()) || f.getType() != int.class) {
                    continue;
                }
                if (c == UsbDfuRequest.class && !f.getName().matches("DETACH|DNLOAD|UPLOAD|GETSTATUS|CLRSTATUS|GETSTATE|ABORT")) {
                    continue; // the class code triple and descriptor type are not requests
                }
                int v = f.getInt(null);
                Optional<?> n = (Optional<?>) name.invoke(null, v);
                assertTrue(n.isPresent(), c.getSimpleName() + "." + f.getName() + " has no name");
                if (seen.add(v)) {
                    assertEquals(f.getName(), n.get(), c.getSimpleName() + " value " + v);
                }
            }
        }
    }

    @Test
    void theShortFormsOnUsbControlRequestAreTheStandardOnes() {
        assertEquals(UsbStandardRequest.GET_DESCRIPTOR, UsbControlRequest.GET_DESCRIPTOR);
        assertEquals(UsbStandardRequest.SET_INTERFACE, UsbControlRequest.SET_INTERFACE);
        assertEquals(UsbFeature.ENDPOINT_HALT, UsbControlRequest.ENDPOINT_HALT);
    }
}
