package dev.descent.data;

/**
 * Text for error messages with its invisible characters made visible: a column name that
 * carries a byte-order mark, a non-breaking space or a tab looks like the name a person typed,
 * and an error that prints it as is ("no column named 'alcohol'") cannot be understood. Control
 * characters, format characters (byte-order mark, zero-width space and joiners, direction marks),
 * every space other than the ASCII space, line and paragraph separators, and lone surrogates are
 * written as Java escapes ({@code \ufeff}, {@code \t}, {@code \u00a0}); everything else is kept.
 */
public final class Visible {
    private Visible() {}

    /** The text with its invisible characters escaped; a backslash is doubled only when something was escaped. */
    public static String text(String s) {
        if (s.codePoints().noneMatch(Visible::invisible)) return s;
        StringBuilder sb = new StringBuilder(s.length() + 8);
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (Character.isSurrogate(c) && i + 1 < s.length() && Character.isSurrogatePair(c, s.charAt(i + 1))) {
                int cp = Character.toCodePoint(c, s.charAt(++i));
                if (invisible(cp)) sb.append(escape(Character.highSurrogate(cp))).append(escape(Character.lowSurrogate(cp)));
                else sb.appendCodePoint(cp);
            } else if (c == '\\') {
                sb.append("\\\\");
            } else if (invisible(c)) {
                sb.append(escape(c));
            } else {
                sb.append(c);
            }
        }
        return sb.toString();
    }

    /** The text in single quotes, made visible. */
    public static String quoted(String s) {
        return "'" + text(s) + "'";
    }

    private static boolean invisible(int cp) {
        if (cp == ' ') return false;
        return switch (Character.getType(cp)) {
            case Character.CONTROL, Character.FORMAT, Character.SPACE_SEPARATOR, Character.LINE_SEPARATOR,
                 Character.PARAGRAPH_SEPARATOR, Character.SURROGATE, Character.UNASSIGNED, Character.PRIVATE_USE -> true;
            default -> false;
        };
    }

    private static String escape(char c) {
        return switch (c) {
            case '\t' -> "\\t";
            case '\n' -> "\\n";
            case '\r' -> "\\r";
            default -> String.format("\\u%04x", (int) c);
        };
    }
}
