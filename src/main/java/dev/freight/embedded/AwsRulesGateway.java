package dev.freight.embedded;

import java.io.ByteArrayInputStream;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.TimeUnit;

import javax.xml.XMLConstants;
import javax.xml.parsers.DocumentBuilderFactory;
import javax.xml.transform.OutputKeys;
import javax.xml.transform.TransformerFactory;
import javax.xml.transform.dom.DOMSource;
import javax.xml.transform.stream.StreamResult;

import org.w3c.dom.Document;
import org.w3c.dom.Element;
import org.w3c.dom.Node;
import org.w3c.dom.NodeList;

import dev.freight.embedded.MultipartChecksumRules.NamedPart;
import dev.freight.embedded.MultipartChecksumRules.Refusal;
import dev.freight.embedded.MultipartChecksumRules.UploadChecksums;
import dev.freight.upload.model.CompositeChecksum;
import io.vertx.core.MultiMap;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpClient;
import io.vertx.core.http.HttpClientOptions;
import io.vertx.core.http.HttpClientRequest;
import io.vertx.core.http.HttpClientResponse;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.HttpServerOptions;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.http.HttpServerResponse;
import io.vertx.core.http.RequestOptions;

/**
 * An HTTP gateway in front of S3Proxy that applies {@link MultipartChecksumRules}: requests AWS S3 would refuse
 * are answered with AWS's error, the rest go through unchanged (bytes streamed, the Host header kept so SigV4
 * signatures still verify), and ListParts and CompleteMultipartUpload answers gain the checksum fields AWS
 * reports. Dev mode and tests talk to S3 only through it.
 */
final class AwsRulesGateway implements AutoCloseable {

    private static final Set<String> HOP_BY_HOP = Set.of("connection", "keep-alive", "transfer-encoding", "upgrade",
            "expect", "proxy-connection", "te", "trailer");
    private static final String S3_NAMESPACE = "http://s3.amazonaws.com/doc/2006-03-01/";

    private final Vertx vertx;
    private final HttpClient backend;
    private final MultipartChecksumRules rules;
    private final int backendPort;
    private final List<String> corsOrigins;
    private HttpServer server;

    AwsRulesGateway(Vertx vertx, int backendPort, MultipartChecksumRules rules, List<String> corsOrigins) {
        this.vertx = vertx;
        this.backendPort = backendPort;
        this.rules = rules;
        this.corsOrigins = List.copyOf(corsOrigins);
        // Pooled connections are dropped well before S3Proxy's (Jetty's 30 s) idle timeout closes them, or a
        // request sent on a connection Jetty is just closing fails with no answer.
        this.backend = vertx.createHttpClient(new HttpClientOptions().setMaxPoolSize(64).setKeepAlive(true)
                .setKeepAliveTimeout(10));
    }

    /** Listens on {@code port} (0: any free one) and returns the port. */
    int listen(int port) throws Exception {
        server = vertx.createHttpServer(new HttpServerOptions().setHost("127.0.0.1").setPort(port)
                .setHandle100ContinueAutomatically(true))
                .requestHandler(this::handle);
        return server.listen().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS).actualPort();
    }

    @Override
    public void close() throws Exception {
        if (server != null) {
            server.close().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
            server = null;
        }
    }

    private void handle(HttpServerRequest request) {
        String uploadId = request.getParam("uploadId");
        HttpMethod method = request.method();
        if (method == HttpMethod.POST && request.params().contains("uploads")) {
            forwardBuffered(request, null, (response, body) -> {
                if (response.statusCode() == 200) {
                    text(body, "UploadId").ifPresent(id -> rules.created(id, request.getHeader("x-amz-checksum-algorithm")));
                }
                return body;
            });
        } else if (uploadId == null) {
            forwardStreaming(request, null);
        } else if (method == HttpMethod.PUT && request.getParam("partNumber") != null
                && request.getHeader("x-amz-copy-source") == null) {
            uploadPart(request, uploadId);
        } else if (method == HttpMethod.POST) {
            complete(request, uploadId);
        } else if (method == HttpMethod.GET) {
            Optional<Refusal> gone = rules.checkKnown(uploadId);
            if (gone.isPresent()) {
                refuse(request, gone.get());
                return;
            }
            forwardBuffered(request, null, (response, body) -> response.statusCode() == 200
                    ? withPartChecksums(body, rules.checksums(uploadId))
                    : body);
        } else if (method == HttpMethod.DELETE) {
            Optional<Refusal> gone = rules.checkKnown(uploadId);
            if (gone.isPresent()) {
                refuse(request, gone.get());
                return;
            }
            forwardBuffered(request, null, (response, body) -> {
                if (response.statusCode() / 100 == 2) {
                    rules.ended(uploadId);
                }
                return body;
            });
        } else {
            forwardStreaming(request, null);
        }
    }

    private void uploadPart(HttpServerRequest request, String uploadId) {
        Optional<Refusal> refusal = rules.checkUploadPart(uploadId, request.headers().names());
        if (refusal.isPresent()) {
            refuse(request, refusal.get());
            return;
        }
        int partNumber = Integer.parseInt(request.getParam("partNumber"));
        // A part that carries its checksum is verified by S3Proxy (BadDigest); one that carries none on an upload
        // with SHA256 gets the checksum S3 would compute.
        MessageDigest digest = rules.computesSha256(uploadId, request.headers().names()) ? sha256() : null;
        forwardStreaming(request, new PartRecorder(digest, (response, computed) -> {
            if (response.statusCode() == 200) {
                String sent = request.getHeader("x-amz-checksum-sha256");
                rules.partStored(uploadId, partNumber, sent != null ? sent : computed);
            }
        }));
    }

    private void complete(HttpServerRequest request, String uploadId) {
        request.body().onSuccess(requestBody -> {
            List<NamedPart> parts;
            try {
                parts = namedParts(requestBody);
            } catch (RuntimeException malformed) {
                parts = null; // S3Proxy answers MalformedXML itself.
            }
            if (parts != null) {
                Optional<Refusal> refusal = rules.checkComplete(uploadId, parts);
                if (refusal.isPresent()) {
                    refuse(request, refusal.get());
                    return;
                }
            }
            Optional<UploadChecksums> checksums = rules.checksums(uploadId);
            forwardBuffered(request, requestBody, (response, body) -> {
                if (response.statusCode() != 200 || text(body, "Error").isPresent()
                        || !text(body, "ETag").isPresent()) {
                    return body;
                }
                rules.ended(uploadId);
                return withCompositeChecksum(body, checksums);
            });
        }).onFailure(failure -> request.response().reset());
    }

    /** Answers as S3 does when it refuses a request: an XML error; the body the client sent is read and dropped. */
    private void refuse(HttpServerRequest request, Refusal refusal) {
        String xml = "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<Error><Code>" + refusal.code() + "</Code><Message>"
                + escape(refusal.message()) + "</Message><RequestId>" + requestId() + "</RequestId></Error>";
        Runnable answer = () -> {
            HttpServerResponse response = request.response().setStatusCode(refusal.status());
            response.putHeader("Content-Type", "application/xml");
            allowOrigin(request, response);
            response.end(xml);
        };
        if (request.isEnded()) {
            answer.run();
        } else {
            request.handler(ignored -> {
            });
            request.endHandler(ended -> answer.run());
        }
    }

    /** S3Proxy adds CORS headers to what it answers; answers made here need them too, or browsers see no error. */
    private void allowOrigin(HttpServerRequest request, HttpServerResponse response) {
        String origin = request.getHeader("Origin");
        if (origin != null && (corsOrigins.contains("*") || corsOrigins.contains(origin))) {
            response.putHeader("Access-Control-Allow-Origin", corsOrigins.contains("*") ? "*" : origin);
            response.putHeader("Access-Control-Expose-Headers", "ETag, x-amz-checksum-sha256");
            response.putHeader("Vary", "Origin");
        }
    }

    /** Streams the request to S3Proxy and its answer back. */
    private void forwardStreaming(HttpServerRequest request, PartRecorder part) {
        request.pause();
        backend.request(backendRequest(request)).onSuccess(outbound -> {
            copyRequestHeaders(request, outbound);
            outbound.response().onSuccess(inbound -> {
                if (part != null) {
                    part.answered(inbound);
                }
                HttpServerResponse response = request.response().setStatusCode(inbound.statusCode());
                copyResponseHeaders(inbound.headers(), response.headers());
                if (part != null && part.computed != null && inbound.statusCode() == 200) {
                    // S3 answers the checksum it computed.
                    response.putHeader("x-amz-checksum-sha256", part.computed);
                }
                String length = inbound.getHeader("Content-Length");
                if (length != null) {
                    response.putHeader("Content-Length", length);
                } else {
                    response.setChunked(true);
                }
                inbound.pipeTo(response);
            }).onFailure(failure -> request.response().reset());
            if (part == null || part.digest == null) {
                request.pipeTo(outbound);
            } else {
                boolean chunked = String.valueOf(request.getHeader("x-amz-content-sha256")).startsWith("STREAMING-");
                AwsChunkedDigest payload = chunked ? new AwsChunkedDigest(part.digest) : null;
                request.handler(chunk -> {
                    if (payload != null) {
                        payload.update(chunk.getBytes());
                    } else {
                        part.digest.update(chunk.getBytes());
                    }
                    outbound.write(chunk);
                    if (outbound.writeQueueFull()) {
                        request.pause();
                        outbound.drainHandler(drained -> request.resume());
                    }
                });
                request.endHandler(ended -> {
                    part.finish();
                    outbound.end();
                });
                request.resume();
            }
        }).onFailure(failure -> request.response().setStatusCode(502).end());
    }

    /** Sends the request (with {@code body}, or the request's own body) and rewrites S3Proxy's buffered answer. */
    private void forwardBuffered(HttpServerRequest request, Buffer body, BodyRewrite rewrite) {
        if (body == null) {
            request.body().onSuccess(read -> forwardBuffered(request, read, rewrite))
                    .onFailure(failure -> request.response().reset());
            return;
        }
        backend.request(backendRequest(request)).onSuccess(outbound -> {
            copyRequestHeaders(request, outbound);
            outbound.putHeader("Content-Length", Integer.toString(body.length()));
            outbound.send(body).onSuccess(inbound -> inbound.body().onSuccess(answer -> {
                Buffer rewritten = rewrite.apply(inbound, answer);
                HttpServerResponse response = request.response().setStatusCode(inbound.statusCode());
                copyResponseHeaders(inbound.headers(), response.headers());
                response.putHeader("Content-Length", Integer.toString(rewritten.length()));
                response.end(rewritten);
            })).onFailure(failure -> request.response().reset());
        }).onFailure(failure -> request.response().setStatusCode(502).end());
    }

    private RequestOptions backendRequest(HttpServerRequest request) {
        return new RequestOptions().setMethod(request.method()).setHost("127.0.0.1").setPort(backendPort)
                .setURI(request.uri());
    }

    private static void copyRequestHeaders(HttpServerRequest request, HttpClientRequest outbound) {
        // Host stays as the client sent it: it is part of every SigV4 signature.
        if (request.authority() != null) {
            outbound.authority(request.authority());
        }
        request.headers().forEach(header -> {
            String name = header.getKey().toLowerCase(java.util.Locale.ROOT);
            if (!HOP_BY_HOP.contains(name) && !name.equals("host")) {
                outbound.headers().add(header.getKey(), header.getValue());
            }
        });
        if (request.getHeader("Content-Length") == null && request.method() != HttpMethod.GET
                && request.method() != HttpMethod.HEAD && request.method() != HttpMethod.DELETE
                && request.method() != HttpMethod.OPTIONS) {
            outbound.setChunked(true);
        }
    }

    private static void copyResponseHeaders(MultiMap from, MultiMap to) {
        from.forEach(header -> {
            String name = header.getKey().toLowerCase(java.util.Locale.ROOT);
            if (!HOP_BY_HOP.contains(name) && !name.equals("content-length")) {
                to.add(header.getKey(), header.getValue());
            }
        });
    }

    /** ListParts as AWS answers it for an upload with an algorithm: the algorithm, type and each part's checksum. */
    private static Buffer withPartChecksums(Buffer body, Optional<UploadChecksums> known) {
        if (known.isEmpty() || known.get().algorithm() == null) {
            return body;
        }
        Document xml = parse(body);
        Element root = xml.getDocumentElement();
        String element = "Checksum" + known.get().algorithm();
        NodeList parts = root.getElementsByTagNameNS("*", "Part");
        for (int index = 0; index < parts.getLength(); index++) {
            Element part = (Element) parts.item(index);
            int partNumber = Integer.parseInt(childText(part, "PartNumber"));
            String checksum = known.get().partChecksums().get(partNumber);
            if (checksum != null && childText(part, element) == null) {
                appendChild(xml, part, element, checksum);
            }
        }
        if (childText(root, "ChecksumAlgorithm") == null) {
            appendChild(xml, root, "ChecksumAlgorithm", known.get().algorithm());
            appendChild(xml, root, "ChecksumType", "COMPOSITE");
        }
        return serialize(xml);
    }

    /**
     * CompleteMultipartUpload as AWS answers it for an upload with SHA256: the composite checksum (SHA-256 of the
     * parts' digests, "-" and the part count) and its type, when S3Proxy left them out.
     */
    private static Buffer withCompositeChecksum(Buffer body, Optional<UploadChecksums> known) {
        if (known.isEmpty() || !"SHA256".equals(known.get().algorithm()) || known.get().partChecksums().isEmpty()) {
            return body;
        }
        Document xml = parse(body);
        Element root = xml.getDocumentElement();
        if (childText(root, "ChecksumSHA256") == null) {
            // The service's own formula, held to AWS's by the shared vectors (src/test/vectors).
            appendChild(xml, root, "ChecksumSHA256", CompositeChecksum.ofDigests(known.get().partChecksums().values()));
        }
        if (childText(root, "ChecksumType") == null) {
            appendChild(xml, root, "ChecksumType", "COMPOSITE");
        }
        return serialize(xml);
    }

    /** The parts a CompleteMultipartUpload body names, with the checksum elements of each. */
    static List<NamedPart> namedParts(Buffer body) {
        Document xml = parse(body);
        NodeList partNodes = xml.getDocumentElement().getElementsByTagNameNS("*", "Part");
        List<NamedPart> parts = new ArrayList<>();
        for (int index = 0; index < partNodes.getLength(); index++) {
            Element part = (Element) partNodes.item(index);
            Map<String, String> checksums = new LinkedHashMap<>();
            NodeList children = part.getChildNodes();
            for (int child = 0; child < children.getLength(); child++) {
                Node node = children.item(child);
                if (node instanceof Element element && element.getLocalName().startsWith("Checksum")) {
                    checksums.put(element.getLocalName(), element.getTextContent().trim());
                }
            }
            parts.add(new NamedPart(Integer.parseInt(childText(part, "PartNumber").trim()), checksums));
        }
        return parts;
    }

    private static Optional<String> text(Buffer body, String elementName) {
        try {
            Document xml = parse(body);
            if (xml.getDocumentElement().getLocalName().equals(elementName)) {
                return Optional.of(xml.getDocumentElement().getTextContent());
            }
            return Optional.ofNullable(childText(xml.getDocumentElement(), elementName));
        } catch (RuntimeException notXml) {
            return Optional.empty();
        }
    }

    private static String childText(Element parent, String localName) {
        NodeList children = parent.getChildNodes();
        for (int index = 0; index < children.getLength(); index++) {
            if (children.item(index) instanceof Element child && localName.equals(child.getLocalName())) {
                return child.getTextContent();
            }
        }
        return null;
    }

    private static void appendChild(Document xml, Element parent, String localName, String value) {
        String namespace = parent.getNamespaceURI() == null ? S3_NAMESPACE : parent.getNamespaceURI();
        Element child = xml.createElementNS(namespace, localName);
        child.setTextContent(value);
        parent.appendChild(child);
    }

    private static Document parse(Buffer body) {
        try {
            DocumentBuilderFactory factory = DocumentBuilderFactory.newInstance();
            factory.setNamespaceAware(true);
            factory.setFeature("http://apache.org/xml/features/disallow-doctype-decl", true);
            factory.setFeature(XMLConstants.FEATURE_SECURE_PROCESSING, true);
            return factory.newDocumentBuilder().parse(new ByteArrayInputStream(body.getBytes()));
        } catch (Exception malformed) {
            throw new IllegalArgumentException("not an XML document", malformed);
        }
    }

    private static Buffer serialize(Document xml) {
        try {
            var transformer = TransformerFactory.newInstance().newTransformer();
            transformer.setOutputProperty(OutputKeys.ENCODING, "UTF-8");
            StringWriter out = new StringWriter();
            transformer.transform(new DOMSource(xml), new StreamResult(out));
            return Buffer.buffer(out.toString().getBytes(StandardCharsets.UTF_8));
        } catch (Exception impossible) {
            throw new IllegalStateException(impossible);
        }
    }

    private static String escape(String text) {
        return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;");
    }

    private static String requestId() {
        return UUID.randomUUID().toString().replace("-", "").substring(0, 16).toUpperCase(java.util.Locale.ROOT);
    }

    private static MessageDigest sha256() {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException impossible) {
            throw new IllegalStateException(impossible);
        }
    }

    @FunctionalInterface
    private interface BodyRewrite {
        Buffer apply(HttpClientResponse response, Buffer body);
    }

    /** Records a stored part's checksum once S3Proxy answers; hashes the bytes on their way when S3 would. */
    private static final class PartRecorder {
        final MessageDigest digest;
        final java.util.function.BiConsumer<HttpClientResponse, String> onAnswer;
        String computed;

        PartRecorder(MessageDigest digest, java.util.function.BiConsumer<HttpClientResponse, String> onAnswer) {
            this.digest = digest;
            this.onAnswer = onAnswer;
        }

        void finish() {
            computed = Base64.getEncoder().encodeToString(digest.digest());
        }

        void answered(HttpClientResponse response) {
            onAnswer.accept(response, computed);
        }
    }
}
