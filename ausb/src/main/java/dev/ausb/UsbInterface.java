package dev.ausb;

import java.util.List;
import java.util.Optional;

/**
 * An interface of a configuration, with its alternate settings.
 *
 * <p>Obtained from {@link UsbConfiguration#interfaces()}; an immutable value, no I/O.
 *
 * @param number            {@code bInterfaceNumber}
 * @param alternateSettings its alternate settings in descriptor order; never empty
 */
public record UsbInterface(int number, List<UsbAlternateSetting> alternateSettings) {
    /** Makes the list unmodifiable. */
    public UsbInterface {
        alternateSettings = List.copyOf(alternateSettings);
    }

    /**
     * The alternate setting with this {@code bAlternateSetting}, if there is one.
     *
     * @param value a {@code bAlternateSetting}
     * @return that alternate setting, or empty
     */
    public Optional<UsbAlternateSetting> alternateSetting(int value) {
        return alternateSettings.stream().filter(a -> a.alternateSetting() == value).findFirst();
    }

    /**
     * Alternate setting 0, the one active after the interface is claimed (or the first listed).
     *
     * @return alternate setting 0, or the first listed when there is no 0
     */
    public UsbAlternateSetting defaultSetting() {
        return alternateSetting(0).orElse(alternateSettings.getFirst());
    }

    /**
     * A compact form with numbers as USB tools print them (ids, codes, attributes and addresses in
     * hex): {@code UsbInterface[number=0, alternateSettings=[...]]}.
     *
     * @return the text
     */
    @Override
    public String toString() {
        return "UsbInterface[number=" + number + ", alternateSettings=" + alternateSettings + "]";
    }
}
