package dev.mjpegrtp.camel.http;

import java.net.InetAddress;
import java.util.Collection;
import java.util.Locale;

/**
 * The pages browsers see: a path's page (its live stream and figures, refreshed from {@code PATH.json} every second)
 * and the server's index (every path the client may see, each with a thumbnail refreshed from {@code PATH.jpg}).
 * Paths hold only letters, digits and {@code _ ~ - /} (see {@link HttpMjpegConfiguration#validate}), so they go into
 * the markup as they are.
 */
final class HttpPages {

    private static final String STYLE = "<style>body{font-family:sans-serif;background:#111;color:#ddd;margin:1em}"
            + "img{max-width:100%;background:#000}a{color:#9cf}figure{display:inline-block;margin:.5em}"
            + "figcaption{margin-top:.3em}</style>";

    private HttpPages() {
    }

    static String page(HttpMjpegStream stream) {
        String name = leaf(stream.path());
        return "<!DOCTYPE html><html><head><meta charset=\"utf-8\"><title>" + stream.path() + "</title>" + STYLE
                + "</head><body><h1>" + stream.path() + "</h1>"
                + "<img id=\"stream\" src=\"" + name + ".mjpeg\" alt=\"" + stream.path() + "\">"
                + "<p id=\"figures\"></p>"
                + "<p><a href=\"" + name + ".mjpeg\">" + name + ".mjpeg</a> · <a href=\"" + name + ".jpg\">" + name
                + ".jpg</a> · <a href=\"" + name + ".json\">" + name + ".json</a></p>"
                + "<script>async function refresh(){try{const f=await (await fetch('" + name
                + ".json',{cache:'no-store'})).json();document.getElementById('figures').textContent="
                + "f.fps.toFixed(1)+' fps · '+Math.round(f.frameBytes/1024)+' KB a frame · '+f.viewers+' viewers'"
                + "}catch(e){}}refresh();setInterval(refresh,1000);</script></body></html>";
    }

    static String index(Collection<HttpMjpegStream> streams, InetAddress client) {
        StringBuilder page = new StringBuilder("<!DOCTYPE html><html><head><meta charset=\"utf-8\"><title>MJPEG "
                + "streams</title>" + STYLE + "</head><body><h1>MJPEG streams</h1>");
        for (HttpMjpegStream stream : streams) {
            if (stream.allowedClients().allows(client)) {
                page.append("<figure><a href=\"/").append(stream.path()).append("\"><img class=\"thumbnail\" "
                        + "width=\"320\" data-src=\"/").append(stream.path()).append(".jpg\" src=\"/")
                        .append(stream.path()).append(".jpg\" alt=\"").append(stream.path())
                        .append("\"></a><figcaption>").append(stream.path()).append("</figcaption></figure>");
            }
        }
        return page.append("<script>setInterval(()=>{for(const i of document.querySelectorAll('img.thumbnail'))"
                + "i.src=i.dataset.src+'?'+Date.now()},2000);</script></body></html>").toString();
    }

    /** The figures a page shows, as JSON. */
    static String figures(HttpMjpegStream stream) {
        return String.format(Locale.ROOT, "{\"path\":\"%s\",\"fps\":%.2f,\"frameBytes\":%d,\"viewers\":%d,"
                + "\"framesPublished\":%d,\"framesSent\":%d,\"framesSkipped\":%d}", stream.path(),
                stream.framesPerSecond(), stream.lastFrameSize(), stream.viewerCount(), stream.framesPublished(),
                stream.framesSent(), stream.framesSkipped());
    }

    /** The last segment of a path: what a page at /a/b links its own b.mjpeg by. */
    private static String leaf(String path) {
        return path.substring(path.lastIndexOf('/') + 1);
    }
}
