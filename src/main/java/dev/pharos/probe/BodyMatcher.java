package dev.pharos.probe;

import io.vertx.core.buffer.Buffer;
import java.nio.ByteBuffer;
import java.nio.CharBuffer;
import java.nio.charset.CharsetDecoder;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Checks a body, as it arrives, for the configured substring and regex. It decides as early as it
 * safely can, so the prober can hang up without reading the rest: a substring found in a prefix is
 * in the whole, and a regex match that did not touch the end of the input ({@link
 * Matcher#hitEnd()}) cannot be undone by more input.
 */
final class BodyMatcher {
    enum Verdict {
        MATCHED,
        MISMATCHED,
        UNDECIDED
    }

    private final Optional<String> substring;
    private final Optional<Pattern> regex;
    private final CharsetDecoder decoder =
            StandardCharsets.UTF_8
                    .newDecoder()
                    .onMalformedInput(CodingErrorAction.REPLACE)
                    .onUnmappableCharacter(CodingErrorAction.REPLACE);
    private final StringBuilder text = new StringBuilder();
    private byte[] leftover = new byte[0];
    private int searchedUpTo;
    private boolean substringFound;
    private boolean regexFound;

    BodyMatcher(Optional<String> substring, Optional<Pattern> regex) {
        this.substring = substring.filter(s -> !s.isEmpty());
        this.regex = regex;
        this.substringFound = this.substring.isEmpty();
        this.regexFound = regex.isEmpty();
    }

    /** Whether there is anything to check; without, the body need not be read at all. */
    boolean wanted() {
        return substring.isPresent() || regex.isPresent();
    }

    void append(Buffer data) {
        byte[] bytes = data.getBytes();
        ByteBuffer in = ByteBuffer.allocate(leftover.length + bytes.length);
        in.put(leftover).put(bytes).flip();
        CharBuffer out = CharBuffer.allocate(in.remaining() + 1);
        decoder.decode(in, out, false);
        text.append(out.flip());
        // A multi-byte character split across reads waits for its remaining bytes.
        leftover = new byte[in.remaining()];
        in.get(leftover);
    }

    /**
     * @param complete no more body will come (it ended, or the read limit was reached)
     */
    Verdict check(boolean complete) {
        if (complete && leftover.length > 0) {
            text.append('\uFFFD');
            leftover = new byte[0];
        }
        if (!substringFound) {
            String s = substring.get();
            int from = Math.max(0, searchedUpTo - s.length() + 1);
            substringFound = text.indexOf(s, from) >= 0;
            searchedUpTo = text.length();
        }
        if (!regexFound) {
            // Re-run over the whole text: a regex cannot resume. The text is at most 64 KiB.
            Matcher m = regex.get().matcher(text);
            regexFound = m.find() && (complete || !m.hitEnd());
        }
        if (substringFound && regexFound) {
            return Verdict.MATCHED;
        }
        return complete ? Verdict.MISMATCHED : Verdict.UNDECIDED;
    }

    /** Why the complete body failed, e.g. "body lacks 'healthy'". */
    String mismatch(boolean truncated) {
        String where = truncated ? "the first 64 KiB of the body" : "body";
        if (!substringFound) {
            return where + " lacks '" + cut(substring.get()) + "'";
        }
        return where + " does not match /" + cut(regex.get().pattern()) + "/";
    }

    private static String cut(String s) {
        return s.length() <= 40 ? s : s.substring(0, 40) + "...";
    }
}
