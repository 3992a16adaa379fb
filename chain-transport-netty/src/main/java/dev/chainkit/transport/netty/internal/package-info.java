/**
 * Not API: the frame decoder, the handshake, the links and dialers, the pipelines and the node host behind
 * {@link dev.chainkit.transport.netty.NettyNode}. Everything here is confined to a node's event loop unless a type
 * says otherwise; see {@link dev.chainkit.transport.netty.internal.NodeHost} for the design notes.
 */
package dev.chainkit.transport.netty.internal;
