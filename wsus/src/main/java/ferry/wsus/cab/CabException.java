package ferry.wsus.cab;

import java.io.IOException;

/** A cabinet that is malformed, hostile, over a limit, or not the one-member shape of an update blob. */
public final class CabException extends IOException {
    private static final long serialVersionUID = 1L;

    public CabException(String message) {
        super(message);
    }

    public CabException(String message, Throwable cause) {
        super(message, cause);
    }
}
