package ferry.apt.deb822;

/** A control file (Release, Packages) that breaks Debian Policy 5.1 or a limit; the message names the line and field. */
public final class ControlFileException extends Exception {
    private static final long serialVersionUID = 1L;

    public ControlFileException(String message) {
        super(message);
    }

    public ControlFileException(String message, Throwable cause) {
        super(message, cause);
    }
}
