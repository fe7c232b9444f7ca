package dev.pharos;

import io.quarkus.logging.LoggingFilter;
import java.util.logging.Filter;
import java.util.logging.LogRecord;
import org.jboss.logmanager.ExtLogRecord;

/**
 * Escapes control characters in every log message, so that text from outside (a drain's reason, a
 * peer's error, a probed server's answer) can neither start a fake log line with a newline nor send
 * terminal escapes to whoever reads the log: a newline becomes {@code \n}, a carriage return {@code
 * \r}, a tab {@code \t}, any other control character (C0, DEL, C1) and the Unicode line and
 * paragraph separators {@code \\uXXXX}. Stack traces are not part of the message and keep their
 * lines. The journal keeps such text as given (JSON escapes it). Installed on the console handler
 * by {@code quarkus.log.console.filter}.
 */
@LoggingFilter(name = "pharos-escape")
public final class LogEscaping implements Filter {

    @Override
    public boolean isLoggable(LogRecord record) {
        if (record instanceof ExtLogRecord ext) {
            String message = ext.getFormattedMessage();
            String escaped = escape(message);
            if (escaped != message) {
                ext.setMessage(escaped, ExtLogRecord.FormatStyle.NO_FORMAT);
                ext.setParameters(null);
            }
        } else if (record.getParameters() == null || record.getParameters().length == 0) {
            String message = record.getMessage();
            String escaped = escape(message);
            if (escaped != message) {
                record.setMessage(escaped);
            }
        }
        return true;
    }

    /** {@code text} with its control characters escaped; the same instance when it has none. */
    public static String escape(String text) {
        if (text == null) {
            return null;
        }
        int i = 0;
        while (i < text.length() && !control(text.charAt(i))) {
            i++;
        }
        if (i == text.length()) {
            return text;
        }
        StringBuilder out = new StringBuilder(text.length() + 16).append(text, 0, i);
        for (; i < text.length(); i++) {
            char c = text.charAt(i);
            if (!control(c)) {
                out.append(c);
            } else if (c == '\n') {
                out.append("\\n");
            } else if (c == '\r') {
                out.append("\\r");
            } else if (c == '\t') {
                out.append("\\t");
            } else {
                out.append(String.format("\\u%04x", (int) c));
            }
        }
        return out.toString();
    }

    private static boolean control(char c) {
        return Character.isISOControl(c) || c == '\u2028' || c == '\u2029';
    }
}
