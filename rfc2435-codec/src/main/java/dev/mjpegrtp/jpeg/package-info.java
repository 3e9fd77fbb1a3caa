/**
 * The JPEG side of the RFC 2435 codec: reading a JPEG's marker segments, and re-encoding a JPEG without loss into
 * the form RFC 2435 carries. It knows nothing of RTP; {@code dev.mjpegrtp.rtp.mjpeg} uses it through a small public
 * API and nothing else.
 *
 * <ul>
 *   <li>{@link dev.mjpegrtp.jpeg.JpegHeaders} reads a JPEG up to its first scan and says what it holds: size,
 *       {@link dev.mjpegrtp.jpeg.ChromaSubsampling}, scan layout, Huffman and quantization tables.</li>
 *   <li>{@link dev.mjpegrtp.jpeg.JpegTranscoder} re-encodes one: {@code CoefficientDecoder} entropy-decodes every
 *       scan to the quantized DCT coefficients ({@code DctCoefficients}, with {@code HuffmanDecodingTable}s), and
 *       {@code BaselineScanEncoder} codes them again as one interleaved baseline scan with the Annex K tables
 *       ({@link dev.mjpegrtp.jpeg.JpegStandardTables}). No pixel is ever computed.</li>
 *   <li>{@link dev.mjpegrtp.jpeg.JpegHeaderWriter} writes the headers of such a JPEG, for the transcoder and for an
 *       RFC 2435 receiver rebuilding the headers the payload format leaves off the wire.</li>
 *   <li>{@link dev.mjpegrtp.jpeg.JpegException} reports what cannot be read or carried, naming the cause.</li>
 * </ul>
 *
 * <p>It depends on nothing but the JDK.
 */
package dev.mjpegrtp.jpeg;
