package ferry.wsus.server;

import ferry.wsus.soap.Messages.LanguageData;

import java.util.List;

/**
 * The LanguageUpdateList a Windows Server 2025 WSUS sends in GetConfigData (MS-WSUSSS 3.1.4.4.3.3; recorded
 * exchange 000005): the "all" entry (id 0) first, then every language the product knows, by LCID, with only
 * English enabled, exactly as that server set them.
 */
final class WsusLanguages {

    /** The 39 entries of recorded exchange 000005, in its order and with its Enabled flags. */
    static final List<LanguageData> RECORDED = List.of(
            new LanguageData(0, "all", "all", false),
            new LanguageData(1025, "ar", "Arabic", false),
            new LanguageData(1026, "bg", "Bulgarian", false),
            new LanguageData(1028, "zh-tw", "Chinese (Traditional)", false),
            new LanguageData(1029, "cs", "Czech", false),
            new LanguageData(1030, "da", "Danish", false),
            new LanguageData(1031, "de", "German", false),
            new LanguageData(1032, "el", "Greek", false),
            new LanguageData(1033, "en", "English", true),
            new LanguageData(1034, "es", "Spanish", false),
            new LanguageData(1035, "fi", "Finnish", false),
            new LanguageData(1036, "fr", "French", false),
            new LanguageData(1037, "he", "Hebrew", false),
            new LanguageData(1038, "hu", "Hungarian", false),
            new LanguageData(1040, "it", "Italian", false),
            new LanguageData(1041, "ja", "Japanese", false),
            new LanguageData(1042, "ko", "Korean", false),
            new LanguageData(1043, "nl", "Dutch", false),
            new LanguageData(1044, "no", "Norwegian", false),
            new LanguageData(1045, "pl", "Polish", false),
            new LanguageData(1046, "pt-br", "Portuguese (Brazil)", false),
            new LanguageData(1048, "ro", "Romanian", false),
            new LanguageData(1049, "ru", "Russian", false),
            new LanguageData(1050, "hr", "Croatian", false),
            new LanguageData(1051, "sk", "Slovak", false),
            new LanguageData(1053, "sv", "Swedish", false),
            new LanguageData(1054, "th", "Thai", false),
            new LanguageData(1055, "tr", "Turkish", false),
            new LanguageData(1058, "uk", "Ukrainian", false),
            new LanguageData(1060, "sl", "Slovenian", false),
            new LanguageData(1061, "et", "Estonian", false),
            new LanguageData(1062, "lv", "Latvian", false),
            new LanguageData(1063, "lt", "Lithuanian", false),
            new LanguageData(1081, "hi", "Hindi", false),
            new LanguageData(2052, "zh-cn", "Chinese (Simplified)", false),
            new LanguageData(2070, "pt", "Portuguese (Portugal)", false),
            new LanguageData(2074, "sr", "Serbian (Latin)", false),
            new LanguageData(3076, "zh-hk", "Chinese (Hong Kong SAR)", false),
            new LanguageData(66577, "ja-nec", "Japanese NEC", false));

    private WsusLanguages() {
    }
}
