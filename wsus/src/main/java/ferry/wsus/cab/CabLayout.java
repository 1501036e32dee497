package ferry.wsus.cab;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;

/**
 * The validated structure of a single-folder, single-file cabinet ([MS-CAB] CFHEADER, CFFOLDER, CFFILE, CFDATA).
 * Checked entirely before any decompressor sees the bytes, so a hostile cabinet is refused cheaply: every
 * offset and length must lie inside the array and add up.
 *
 * @param compression    {@link #MSZIP} or {@link #LZX} (low four bits of {@code typeCompress})
 * @param lzxWindowBits  LZX window size exponent (15..21), 0 for MSZIP
 * @param fileName       the member's name
 * @param uncompressedSize the member's declared size in bytes
 * @param firstBlockOffset offset of the first CFDATA block
 * @param blockCount     number of CFDATA blocks
 */
record CabLayout(int compression, int lzxWindowBits, String fileName, int uncompressedSize, int firstBlockOffset,
                 int blockCount) {

    static final int MSZIP = 1;
    static final int LZX = 3;

    /** Largest member accepted: metadata documents are far smaller. */
    static final int MAX_UNCOMPRESSED = 64 << 20;

    static final int HEADER_SIZE = 36;
    static final int FOLDER_SIZE = 8;
    static final int FILE_FIXED_SIZE = 16;
    static final int DATA_HEADER_SIZE = 8;
    static final int MAX_BLOCK_UNCOMPRESSED = 32768;
    /** [MS-CAB] allows compressed blocks up to 32 KiB + 6 KiB (LZX worst case). */
    static final int MAX_BLOCK_COMPRESSED = 32768 + 6144;

    private static final int FLAG_PREV_CABINET = 0x0001;
    private static final int FLAG_NEXT_CABINET = 0x0002;
    private static final int FLAG_RESERVE_PRESENT = 0x0004;

    static CabLayout inspect(byte[] cab) throws CabException {
        if (cab == null || cab.length < HEADER_SIZE + FOLDER_SIZE + FILE_FIXED_SIZE + 2 + DATA_HEADER_SIZE) {
            throw new CabException("cabinet is too short (" + (cab == null ? 0 : cab.length) + " bytes)");
        }
        ByteBuffer b = ByteBuffer.wrap(cab).order(ByteOrder.LITTLE_ENDIAN);
        if (b.getInt(0) != 0x4643534D) { // "MSCF"
            throw new CabException("not a cabinet: signature is not MSCF");
        }
        long cbCabinet = Integer.toUnsignedLong(b.getInt(8));
        if (cbCabinet != cab.length) {
            throw new CabException("cabinet declares " + cbCabinet + " bytes but has " + cab.length);
        }
        long coffFiles = Integer.toUnsignedLong(b.getInt(16));
        int versionMinor = cab[24] & 0xFF;
        int versionMajor = cab[25] & 0xFF;
        int folders = Short.toUnsignedInt(b.getShort(26));
        int files = Short.toUnsignedInt(b.getShort(28));
        int flags = Short.toUnsignedInt(b.getShort(30));
        if (versionMajor != 1 || versionMinor != 3) {
            throw new CabException("unsupported cabinet version " + versionMajor + "." + versionMinor);
        }
        if (folders != 1 || files != 1) {
            throw new CabException("cabinet has " + folders + " folders and " + files + " files, expected one of each");
        }
        if ((flags & (FLAG_PREV_CABINET | FLAG_NEXT_CABINET | FLAG_RESERVE_PRESENT)) != 0) {
            throw new CabException("multi-volume or reserved-area cabinets are not accepted (flags 0x"
                    + Integer.toHexString(flags) + ")");
        }

        long coffCabStart = Integer.toUnsignedLong(b.getInt(HEADER_SIZE));
        int dataBlocks = Short.toUnsignedInt(b.getShort(HEADER_SIZE + 4));
        int typeCompress = Short.toUnsignedInt(b.getShort(HEADER_SIZE + 6));
        int compression = typeCompress & 0x000F;
        int windowBits = 0;
        if (compression == LZX) {
            windowBits = (typeCompress >> 8) & 0x1F;
            if (windowBits < 15 || windowBits > 21) {
                throw new CabException("LZX window 2^" + windowBits + " is outside 2^15..2^21");
            }
        } else if (compression != MSZIP) {
            throw new CabException("cabinet compression type " + compression + " is neither MSZIP (1) nor LZX (3)");
        }
        if (dataBlocks == 0) {
            throw new CabException("cabinet folder has no data blocks");
        }

        if (coffFiles != HEADER_SIZE + FOLDER_SIZE || coffFiles + FILE_FIXED_SIZE >= cab.length) {
            throw new CabException("cabinet file table at " + coffFiles + " is not where one folder puts it");
        }
        int fileAt = (int) coffFiles;
        long cbFile = Integer.toUnsignedLong(b.getInt(fileAt));
        long uoffFolderStart = Integer.toUnsignedLong(b.getInt(fileAt + 4));
        int iFolder = Short.toUnsignedInt(b.getShort(fileAt + 8));
        if (cbFile > MAX_UNCOMPRESSED) {
            throw new CabException("cabinet member declares " + cbFile + " bytes, over the limit of " + MAX_UNCOMPRESSED);
        }
        if (uoffFolderStart != 0 || iFolder != 0) {
            throw new CabException("cabinet member does not start the folder");
        }
        int nameStart = fileAt + FILE_FIXED_SIZE;
        int nameEnd = nameStart;
        while (nameEnd < cab.length && cab[nameEnd] != 0 && nameEnd - nameStart <= 256) {
            nameEnd++;
        }
        if (nameEnd >= cab.length || cab[nameEnd] != 0 || nameEnd == nameStart) {
            throw new CabException("cabinet member name is missing or not terminated");
        }
        String name = new String(cab, nameStart, nameEnd - nameStart, StandardCharsets.ISO_8859_1);

        if (coffCabStart != nameEnd + 1L) {
            throw new CabException("cabinet data starts at " + coffCabStart + ", expected " + (nameEnd + 1));
        }
        long at = coffCabStart;
        long total = 0;
        for (int i = 0; i < dataBlocks; i++) {
            if (at + DATA_HEADER_SIZE > cab.length) {
                throw new CabException("cabinet data block " + i + " lies beyond the end");
            }
            int cbData = Short.toUnsignedInt(b.getShort((int) at + 4));
            int cbUncomp = Short.toUnsignedInt(b.getShort((int) at + 6));
            if (cbData == 0 || cbData > MAX_BLOCK_COMPRESSED || cbUncomp > MAX_BLOCK_UNCOMPRESSED
                    || cbUncomp == 0 && dataBlocks > 1) {
                throw new CabException("cabinet data block " + i + " has sizes " + cbData + "/" + cbUncomp);
            }
            if (i < dataBlocks - 1 && cbUncomp != MAX_BLOCK_UNCOMPRESSED) {
                throw new CabException("cabinet data block " + i + " is short (" + cbUncomp + " bytes) but not last");
            }
            at += DATA_HEADER_SIZE + cbData;
            total += cbUncomp;
            if (at > cab.length) {
                throw new CabException("cabinet data block " + i + " lies beyond the end");
            }
        }
        if (at != cab.length) {
            throw new CabException("cabinet has " + (cab.length - at) + " bytes after its last data block");
        }
        if (total != cbFile) {
            throw new CabException("cabinet blocks hold " + total + " bytes but the member declares " + cbFile);
        }
        return new CabLayout(compression, windowBits, name, (int) cbFile, (int) coffCabStart, dataBlocks);
    }
}
