package io.jivykis.internal;

import java.io.ByteArrayOutputStream;
import java.nio.charset.Charset;
import java.util.List;

/**
 * Java strings as the bytes C expects: in the platform's file-name and environment encoding
 * ({@code sun.jnu.encoding}, as the JDK itself uses for paths and process arguments), with
 * the NUL terminators the natives require where they say so.
 */
public final class CStrings {
    private CStrings() {}

    /** The encoding of file names, arguments and the environment; the default charset if unknown. */
    public static Charset jnuCharset() {
        String name = System.getProperty("sun.jnu.encoding");
        try {
            return name == null ? Charset.defaultCharset() : Charset.forName(name);
        } catch (RuntimeException e) {
            return Charset.defaultCharset();
        }
    }

    /** {@code text}'s bytes, without a terminator (for natives that take a length). */
    public static byte[] bytes(String text) {
        return text.getBytes(jnuCharset());
    }

    /** {@code text} as a NUL-terminated C string. */
    public static byte[] terminated(String text) {
        byte[] bytes = bytes(text);
        byte[] terminated = new byte[bytes.length + 1];
        System.arraycopy(bytes, 0, terminated, 0, bytes.length);
        return terminated;
    }

    /** The strings as NUL-terminated C strings laid end to end (an argv or environment block). */
    public static byte[] block(List<String> strings) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        for (String s : strings) {
            out.writeBytes(bytes(s));
            out.write(0);
        }
        return out.toByteArray();
    }

    /**
     * Throws unless {@code text} is free of NUL characters, which a C string cannot hold.
     *
     * @throws IllegalArgumentException naming {@code what}
     */
    public static void checkNoNul(String what, String text) {
        if (text.indexOf('\0') >= 0) {
            throw new IllegalArgumentException(what + " contains a NUL character, which a C string cannot hold");
        }
    }
}
