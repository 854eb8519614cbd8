package dev.tollgate.http;

import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;

/**
 * A streamed body of the JDK client that runs a hook before a read that would wait for the network. The JDK's
 * response stream tells what it already holds through {@code available()} (no system call), so a read with nothing
 * available is about to wait: a relay holding frames sends them first (see {@link UpstreamHttp.Streamed#beforeWaiting}).
 */
final class WaitAwareBody extends FilterInputStream {

    private volatile Runnable beforeWaiting;

    WaitAwareBody(InputStream body) {
        super(body);
    }

    void beforeWaiting(Runnable hook) {
        beforeWaiting = hook;
    }

    @Override
    public int read() throws IOException {
        aboutToRead();
        return in.read();
    }

    @Override
    public int read(byte[] buffer, int offset, int length) throws IOException {
        aboutToRead();
        return in.read(buffer, offset, length);
    }

    private void aboutToRead() throws IOException {
        Runnable hook = beforeWaiting;
        if (hook != null && in.available() == 0) {
            hook.run();
        }
    }
}
