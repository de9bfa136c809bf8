package dev.ausb;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

/** {@link UsbDeviceFilter#parse} and {@link UsbDeviceFilter#parseBusAddress}: each form, each rejection. */
class UsbDeviceFilterParseTest {
    private static void rejects(String text, String why) {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> UsbDeviceFilter.parse(text),
                text);
        assertTrue(e.getMessage().contains("\"" + text + "\""), e.getMessage());
        assertTrue(e.getMessage().contains("VID:PID in hex (1a0a:badd, 1a0a:, :badd) or a port path (3-1.2, usb3)"),
                e.getMessage());
        assertTrue(e.getMessage().contains(why), e.getMessage());
    }

    private static void rejectsBusAddress(String text, String why) {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> UsbDeviceFilter.parseBusAddress(text), text);
        assertTrue(e.getMessage().contains("\"" + text + "\""), e.getMessage());
        assertTrue(e.getMessage().contains("[[BUS]:][DEV] in decimal"), e.getMessage());
        assertTrue(e.getMessage().contains(why), e.getMessage());
    }

    @Test
    void vendorAndProduct_asLsusbDTakesThem() {
        assertEquals("vendorId=0x1a0a, productId=0xbadd", UsbDeviceFilter.parse("1a0a:badd").toString());
        assertEquals("vendorId=0x1a0a, productId=0xbadd", UsbDeviceFilter.parse("1A0A:BADD").toString());
        assertEquals("vendorId=0x1a0a", UsbDeviceFilter.parse("1a0a:").toString());
        assertEquals("productId=0xbadd", UsbDeviceFilter.parse(":badd").toString());
        assertEquals("vendorId=0x0001, productId=0x0002", UsbDeviceFilter.parse("1:2").toString());
        assertEquals("vendorId=0x1a0a, productId=0x00ff", UsbDeviceFilter.parse("0x1a0a:0Xff").toString());
    }

    @Test
    void portPaths_asSysfsNamesThem() {
        assertEquals("bus=3, portPath=1.2", UsbDeviceFilter.parse("3-1.2").toString());
        assertEquals("bus=1, portPath=1", UsbDeviceFilter.parse("1-1").toString());
        assertEquals("bus=255, portPath=255.1.2.3.4.5.6", UsbDeviceFilter.parse("255-255.1.2.3.4.5.6").toString());
        assertEquals("bus=3, portPath=", UsbDeviceFilter.parse("usb3").toString());
        assertEquals("bus=3, portPath=1", UsbDeviceFilter.parse("03-01").toString());
    }

    @Test
    void idsThatAreNotFourHexDigits_areRejected() {
        rejects("1a0a:-bad", "a product id is 1 to 4 hex digits, not \"-bad\"");
        rejects("1a0a:+1", "a product id is 1 to 4 hex digits, not \"+1\"");
        rejects("-1:1", "a vendor id is 1 to 4 hex digits");
        rejects("1a0a0:1", "a vendor id is 1 to 4 hex digits, not \"1a0a0\"");
        rejects("xyz:1", "a vendor id");
        rejects("1a0a:badd:1", "a product id is 1 to 4 hex digits, not \"badd:1\"");
        rejects(":", "give the vendor id, the product id or both");
        rejects(" 1a0a:badd", "a vendor id");
        rejects("1a0a:badd ", "a product id");
        rejects("0x:1", "a vendor id");
    }

    @Test
    void pathsOutOfRangeOrMalformed_areRejected() {
        rejects("0-1", "a bus number is 1 to 255, not 0");
        rejects("256-1", "a bus number is 1 to 255, not 256");
        rejects("99999999999-1", "a bus number is 1 to 255");
        rejects("3-0", "a port number is 1 to 255, not 0");
        rejects("3-256", "a port number is 1 to 255, not 256");
        rejects("3-1..2", "a port number is a decimal number, not \"\"");
        rejects("3-1.", "a port number is a decimal number");
        rejects("3-", "a port number is a decimal number");
        rejects("-1", "a bus number is a decimal number");
        rejects("3-+1", "a port number is a decimal number, not \"+1\"");
        rejects("3-1.2.3.4.5.6.7.8", "a port path has at most 7 ports, not 8");
        rejects("usb", "a bus number is a decimal number");
        rejects("usb0", "a bus number is 1 to 255, not 0");
        rejects("usb 3", "a bus number is a decimal number");
        rejects("3-1.2 ", "a port number is a decimal number");
        rejects("", "");
        rejects("1a0a", "");
        assertThrows(NullPointerException.class, () -> UsbDeviceFilter.parse(null));
    }

    @Test
    void busAndAddress_asLsusbSTakesThem() {
        assertEquals("bus=3, address=2", UsbDeviceFilter.parseBusAddress("3:2").toString());
        assertEquals("bus=3, address=2", UsbDeviceFilter.parseBusAddress("003:002").toString());
        assertEquals("bus=3", UsbDeviceFilter.parseBusAddress("3:").toString());
        assertEquals("address=7", UsbDeviceFilter.parseBusAddress(":7").toString());
        assertEquals("address=7", UsbDeviceFilter.parseBusAddress("7").toString());
        assertEquals("bus=255, address=127", UsbDeviceFilter.parseBusAddress("255:127").toString());
    }

    @Test
    void busAndAddress_rejectsWhatLsusbWouldMisread() {
        rejectsBusAddress("", "\"\"");
        rejectsBusAddress(":", "\":\"");
        rejectsBusAddress("1:2:3", "\"1:2:3\"");
        rejectsBusAddress("a:b", "a bus number is a decimal number, not \"a\"");
        rejectsBusAddress("3:0", "a device address is 1 to 127, not 0");
        rejectsBusAddress("3:128", "a device address is 1 to 127, not 128");
        rejectsBusAddress("0:1", "a bus number is 1 to 255, not 0");
        rejectsBusAddress("256:1", "a bus number is 1 to 255, not 256");
        rejectsBusAddress("-1", "a device address is a decimal number, not \"-1\"");
        rejectsBusAddress("+1:1", "a bus number is a decimal number, not \"+1\"");
        rejectsBusAddress("3: 2", "a device address is a decimal number, not \" 2\"");
        rejectsBusAddress("0x3:2", "a bus number is a decimal number");
        rejectsBusAddress("1:99999999999999999999", "a device address is 1 to 127");
        assertThrows(NullPointerException.class, () -> UsbDeviceFilter.parseBusAddress(null));
    }
}
