package ferry.wsus.metadata;

/** {@code Properties/@UpdateType} of an update metadata document (MS-WSUSSS 3.2.4.2). */
public enum UpdateType {
    SOFTWARE("Software"),
    DRIVER("Driver"),
    CATEGORY("Category"),
    DETECTOID("Detectoid");

    private final String xmlName;

    UpdateType(String xmlName) {
        this.xmlName = xmlName;
    }

    /** The value as written in the metadata. */
    public String xmlName() {
        return xmlName;
    }

    /** @return the type, or null if {@code value} is not one of the four names */
    static UpdateType fromXml(String value) {
        for (UpdateType t : values()) {
            if (t.xmlName.equals(value)) {
                return t;
            }
        }
        return null;
    }
}
