package ferry.wsus.server;

/** An MS-WSUSSS fault to send back (2.2.9.3): the ErrorCode and the detail Message. */
final class FaultSignal extends Exception {
    private static final long serialVersionUID = 1L;

    private final String errorCode;

    FaultSignal(String errorCode, String message) {
        super(message, null, false, false);
        this.errorCode = errorCode;
    }

    String errorCode() {
        return errorCode;
    }
}
