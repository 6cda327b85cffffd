package io.runstream.ingest.remotewrite;

import java.io.IOException;

import org.xerial.snappy.Snappy;

import io.runstream.ingest.parse.RejectedInput;

/**
 * Snappy block-format decompression (what remote_write uses, not the framed format) with a cap on the
 * decompressed size, checked from the block's length header before anything is allocated, so a small
 * body cannot expand into gigabytes.
 */
public final class SnappyBlock {

    private final long maxDecodedBytes;

    public SnappyBlock(long maxDecodedBytes) {
        this.maxDecodedBytes = maxDecodedBytes;
    }

    public byte[] decompress(byte[] body) throws RejectedInput {
        long length = declaredLength(body);
        if (length > maxDecodedBytes) {
            throw new RejectedInput(413, "decoded_too_large", "the body decompresses to " + length
                    + " bytes, over the limit of " + maxDecodedBytes, null);
        }
        if (!isValid(body)) {
            throw notSnappy(null);
        }
        try {
            return Snappy.uncompress(body);
        } catch (IOException | RuntimeException e) {
            throw notSnappy(e);
        }
    }

    /** The block's header: the decompressed length as an unsigned varint of at most 5 bytes. */
    private static long declaredLength(byte[] body) throws RejectedInput {
        long length = 0;
        for (int i = 0; i < Math.min(5, body.length); i++) {
            length |= (long) (body[i] & 0x7f) << (7 * i);
            if ((body[i] & 0x80) == 0) {
                return length;
            }
        }
        throw notSnappy(null);
    }

    private static boolean isValid(byte[] body) {
        try {
            return Snappy.isValidCompressedBuffer(body);
        } catch (IOException | RuntimeException e) {
            return false;
        }
    }

    private static RejectedInput notSnappy(Exception cause) {
        return RejectedInput.invalid("invalid_snappy", "the body is not a snappy block"
                + (cause == null || cause.getMessage() == null ? "" : ": " + cause.getMessage()), null);
    }
}
