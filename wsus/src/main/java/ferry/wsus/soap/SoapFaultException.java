package ferry.wsus.soap;

/** The response body was a SOAP fault. */
public final class SoapFaultException extends Exception {
    private static final long serialVersionUID = 1L;

    private final transient SoapFault fault;

    public SoapFaultException(SoapFault fault) {
        super((fault.errorCode() == null ? fault.faultCode() : fault.errorCode())
                + (fault.message() == null || fault.message().isEmpty() ? "" : ": " + fault.message()));
        this.fault = fault;
    }

    public SoapFault fault() {
        return fault;
    }
}
