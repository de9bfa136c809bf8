package dev.ausb;

import java.util.Objects;

/**
 * Where an endpoint lives in a configuration: the alternate setting (and so the interface) that
 * carries it, and its descriptor there. Found with {@link UsbConfiguration#findEndpoint(int)}; tells
 * which interface to claim and which alternate setting to select before the endpoint can be used.
 * {@snippet :
 * UsbEndpointLocation at = device.configurations().getFirst().findEndpoint(0x81).orElseThrow();
 * try (UsbInterfaceHandle itf = handle.claimInterface(at.interfaceNumber())) {
 *     itf.selectAlternateSetting(at.alternateSettingNumber());
 *     UsbIsoInEndpoint in = itf.isoInEndpoint(at.endpoint().address());
 *     // ...
 * }
 * }
 *
 * @param alternateSetting the alternate setting whose endpoints include it
 * @param endpoint         the endpoint's descriptor in that alternate setting
 */
public record UsbEndpointLocation(UsbAlternateSetting alternateSetting, UsbEndpoint endpoint) {
    /**
     * Checks that the endpoint is one of the alternate setting's.
     *
     * @throws NullPointerException     if either is null
     * @throws IllegalArgumentException if the alternate setting does not list the endpoint
     */
    public UsbEndpointLocation {
        Objects.requireNonNull(alternateSetting, "alternateSetting");
        Objects.requireNonNull(endpoint, "endpoint");
        if (!alternateSetting.endpoints().contains(endpoint)) {
            throw new IllegalArgumentException(String.format("endpoint 0x%02x is not one of interface %d alternate setting %d's",
                    endpoint.address(), alternateSetting.interfaceNumber(), alternateSetting.alternateSetting()));
        }
    }

    /**
     * The interface to claim: {@code bInterfaceNumber}.
     *
     * @return the interface number
     */
    public int interfaceNumber() {
        return alternateSetting.interfaceNumber();
    }

    /**
     * The alternate setting to select: {@code bAlternateSetting}.
     *
     * @return the alternate setting number (0 is the one selected after a claim)
     */
    public int alternateSettingNumber() {
        return alternateSetting.alternateSetting();
    }

    @Override
    public String toString() {
        return String.format("endpoint 0x%02x at interface %d alternate setting %d", endpoint.address(),
                interfaceNumber(), alternateSettingNumber());
    }
}
