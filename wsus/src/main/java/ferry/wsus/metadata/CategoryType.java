package ferry.wsus.metadata;

/**
 * {@code HandlerSpecificData/CategoryInformation/@CategoryType} of a {@link UpdateType#CATEGORY} document
 * (namespace {@code http://schemas.microsoft.com/msus/2002/12/UpdateHandlers/Category}; MS-WSUSSS 3.2.4.2).
 */
public enum CategoryType {
    COMPANY("Company"),
    PRODUCT_FAMILY("ProductFamily"),
    PRODUCT("Product"),
    UPDATE_CLASSIFICATION("UpdateClassification");

    private final String xmlName;

    CategoryType(String xmlName) {
        this.xmlName = xmlName;
    }

    /** The value as written in the metadata. */
    public String xmlName() {
        return xmlName;
    }

    static CategoryType fromXml(String value) {
        for (CategoryType t : values()) {
            if (t.xmlName.equals(value)) {
                return t;
            }
        }
        return null;
    }
}
