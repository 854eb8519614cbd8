package dev.tollgate.functions.web.console;

/**
 * What the page layout needs besides the page: its title, which navigation entry is current, the path prefix for
 * links, the session's CSRF token for forms (null when signed out), and who is signed in.
 *
 * @param area {@code customer}, {@code operator} or {@code public} (the sign-in pages)
 */
public record Chrome(String title, String active, String prefix, String csrf, String who, String area) {

    public boolean signedIn() {
        return csrf != null;
    }

    public boolean operator() {
        return "operator".equals(area);
    }

    /** A console path with the prefix, e.g. {@code /prod/console/keys}. */
    public String href(String consolePath) {
        return prefix + consolePath;
    }
}
