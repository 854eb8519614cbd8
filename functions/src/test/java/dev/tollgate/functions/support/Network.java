package dev.tollgate.functions.support;

import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.net.Inet4Address;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.NetworkInterface;
import java.net.Socket;
import java.net.SocketException;
import java.util.Optional;

/** What another machine on the network would reach: for tests of what listens where. */
public final class Network {

    private Network() {
    }

    /**
     * An IPv4 address of this machine other than loopback. A machine with none cannot tell loopback-only from every
     * interface, so the calling test is skipped there (it says why), except under CI, where it fails: a skip there
     * would hide that the check never ran.
     */
    public static InetAddress externalAddress() throws SocketException {
        Optional<InetAddress> address = NetworkInterface.networkInterfaces()
                .filter(Network::upAndNotLoopback)
                .flatMap(NetworkInterface::inetAddresses)
                .filter(a -> a instanceof Inet4Address && !a.isLoopbackAddress())
                .findFirst();
        String none = "this machine has no network address besides loopback";
        if (address.isEmpty() && "true".equalsIgnoreCase(System.getenv("CI"))) {
            throw new AssertionError(none + " (CI=true: the listening-address check may not be skipped)");
        }
        assumeTrue(address.isPresent(), none);
        return address.orElseThrow();
    }

    /** Opens and closes a TCP connection; throws (ConnectException when refused) if none can be made. */
    public static void connect(InetAddress address, int port) throws IOException {
        try (Socket socket = new Socket()) {
            socket.connect(new InetSocketAddress(address, port), 2_000);
        }
    }

    public static boolean accepts(InetAddress address, int port) {
        try {
            connect(address, port);
            return true;
        } catch (IOException e) {
            return false;
        }
    }

    private static boolean upAndNotLoopback(NetworkInterface network) {
        try {
            return network.isUp() && !network.isLoopback();
        } catch (SocketException e) {
            return false;
        }
    }
}
