package io.runstream.ingest;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.net.URI;
import java.nio.charset.StandardCharsets;

/**
 * HTTP/1.1 over a bare socket, for what {@code java.net.http} cannot show: a client that sends only the headers
 * of a large upload with {@code Expect: 100-continue} and waits for the server's verdict. (JDK 17's HttpClient
 * hangs past its own request timeout when an expect-continue request gets a final status other than 100,
 * JDK-8286171, so it cannot be used for this.)
 */
final class RawHttp {

    private RawHttp() {
    }

    /** The status line, headers and body the server answered before any body byte was sent. */
    record Answer(String head, String body) {
        int status() {
            return Integer.parseInt(head.split(" ", 3)[1]);
        }
    }

    static Answer headersOnly(URI uri, String... headerLines) throws IOException {
        try (Socket socket = new Socket(uri.getHost(), uri.getPort())) {
            socket.setSoTimeout(10_000);
            OutputStream out = socket.getOutputStream();
            StringBuilder request = new StringBuilder("POST " + uri.getPath() + " HTTP/1.1\r\nHost: "
                    + uri.getHost() + ":" + uri.getPort() + "\r\nExpect: 100-continue\r\n");
            for (String line : headerLines) {
                request.append(line).append("\r\n");
            }
            out.write(request.append("\r\n").toString().getBytes(StandardCharsets.US_ASCII));
            out.flush();
            // The server closes the connection after refusing: read to the end.
            byte[] all = readAll(socket.getInputStream());
            String text = new String(all, StandardCharsets.UTF_8);
            int split = text.indexOf("\r\n\r\n");
            return new Answer(text.substring(0, split), text.substring(split + 4));
        }
    }

    private static byte[] readAll(InputStream in) throws IOException {
        ByteArrayOutputStream buffer = new ByteArrayOutputStream();
        in.transferTo(buffer);
        return buffer.toByteArray();
    }
}
