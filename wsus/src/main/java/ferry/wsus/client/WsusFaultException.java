package ferry.wsus.client;

import ferry.wsus.soap.SoapFault;

import java.net.URI;

/** The upstream server answered with a SOAP fault (MS-WSUSSS 2.2.9); {@link #errorCode()} says which. */
public final class WsusFaultException extends WsusException {
    private static final long serialVersionUID = 1L;

    private final transient SoapFault fault;

    public WsusFaultException(URI upstream, String operation, SoapFault fault) {
        super(upstream, operation, "fault " + (fault.errorCode() == null ? fault.faultCode() : fault.errorCode())
                + (fault.message() == null || fault.message().isEmpty() ? "" : " (" + fault.message() + ")"), null);
        this.fault = fault;
    }

    /** The {@code ErrorCode} detail (e.g. {@code InvalidCookie}), or null when the fault carried none. */
    public String errorCode() {
        return fault.errorCode();
    }

    /** The {@code Message} detail; for InvalidParameters the parameter name. */
    public String faultMessage() {
        return fault.message();
    }

    public SoapFault fault() {
        return fault;
    }
}
