package dev.ausb;

/**
 * An interface association descriptor (type 0x0b): consecutive interfaces that form one function,
 * such as a CDC ACM serial port's control and data interfaces.
 *
 * <p>Obtained from {@link UsbConfiguration#associations()}; an immutable value, no I/O.
 *
 * @param firstInterface   {@code bFirstInterface}
 * @param interfaceCount   {@code bInterfaceCount}
 * @param functionClass    {@code bFunctionClass}
 * @param functionSubclass {@code bFunctionSubClass}
 * @param functionProtocol {@code bFunctionProtocol}
 * @param nameIndex        {@code iFunction}: string index of its name, 0 for none
 */
public record UsbInterfaceAssociation(int firstInterface, int interfaceCount, int functionClass,
        int functionSubclass, int functionProtocol, int nameIndex) {
    /**
     * True when the association includes interface {@code number}.
     *
     * @param number a {@code bInterfaceNumber}
     * @return true when {@code number} is in {@code firstInterface .. firstInterface + interfaceCount - 1}
     */
    public boolean includes(int number) {
        return number >= firstInterface && number < firstInterface + interfaceCount;
    }

    /**
     * A compact form with numbers as USB tools print them (ids, codes, attributes and addresses in
     * hex): {@code UsbInterfaceAssociation[interfaces=0..1, class=0x02/0x02/0x01, nameIndex=0]}.
     *
     * @return the text
     */
    @Override
    public String toString() {
        return String.format("UsbInterfaceAssociation[interfaces=%d..%d, class=0x%02x/0x%02x/0x%02x, nameIndex=%d]",
                firstInterface, firstInterface + interfaceCount - 1, functionClass, functionSubclass, functionProtocol,
                nameIndex);
    }
}
