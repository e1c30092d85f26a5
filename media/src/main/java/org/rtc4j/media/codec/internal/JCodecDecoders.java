package org.rtc4j.media.codec.internal;

import java.lang.reflect.Field;
import java.util.concurrent.ExecutorService;
import org.jcodec.codecs.h264.H264Decoder;

/** JCodec's H.264 decoder as rtc4j uses it: on the caller's thread only, reading through our bounds. */
public final class JCodecDecoders {

    private JCodecDecoders() {
    }

    /**
     * A decoder with none of the slice threads JCodec starts per decoder on a machine with several cores, reading
     * through a {@link BoundedFrameReader}.
     */
    public static H264Decoder singleThreaded() {
        H264Decoder d = new H264Decoder();
        try {
            Field threaded = H264Decoder.class.getDeclaredField("threaded");
            threaded.setAccessible(true);
            threaded.setBoolean(d, false);
            Field pool = H264Decoder.class.getDeclaredField("tp");
            pool.setAccessible(true);
            if (pool.get(d) instanceof ExecutorService tp) {
                tp.shutdownNow();   // no task ran, so no thread was started
                pool.set(d, null);
            }
            Field reader = H264Decoder.class.getDeclaredField("reader");
            reader.setAccessible(true);
            reader.set(d, new BoundedFrameReader());
        } catch (ReflectiveOperationException | RuntimeException e) {
            throw new IllegalStateException("this JCodec version's H264Decoder is not the one rtc4j knows", e);
        }
        return d;
    }
}
