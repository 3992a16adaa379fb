/**
 * The wire SPI: how a protocol's messages become bytes and back, without any network library. A protocol ships a
 * {@link dev.chainkit.core.wire.ProtocolCodec} beside its messages; a transport looks codecs up by protocol name in
 * a {@link dev.chainkit.core.wire.CodecRegistry} and writes the envelope around them.
 *
 * <p>Design notes.
 * <ul>
 *   <li><b>Stable tags, never class names.</b> Each message record of a protocol has a small number (its tag)
 *   fixed by the protocol's author; the wire carries the tag, and only registered tags decode. No reflection, no
 *   Java serialization, no polymorphic typing chosen by the sender: a peer can only ever make a node build the
 *   records its codecs name.</li>
 *   <li><b>Hand-written binary.</b> {@link dev.chainkit.core.wire.WireWriter} and
 *   {@link dev.chainkit.core.wire.WireReader} write and read big-endian integers, unsigned LEB128 varints, UTF-8
 *   strings with a varint length, and vavr vectors and options. Compact (a 2-step ping envelope is about 40 bytes),
 *   allocation-light and fast enough for the network benchmark (P6); the format of each record is written out in
 *   its codec, where a reviewer sees it.</li>
 *   <li><b>Hostile input is bounded.</b> Every length and count is checked against the bytes that remain before
 *   anything is allocated, so a peer cannot make a decoder allocate more than the frame it sent; strings must be
 *   valid UTF-8; a record's own constructor checks still run. Every problem is a
 *   {@link dev.chainkit.core.wire.WireFormatException} that says what was wrong and at which byte.</li>
 *   <li><b>Evolution.</b> A tag, once shipped, keeps its meaning; a changed record gets a new tag and the old tag
 *   keeps decoding (or is refused on purpose).</li>
 * </ul>
 *
 * <p>Thread safety: codecs and registries are immutable; writers and readers are confined to one thread.
 */
package dev.chainkit.core.wire;
