package dev.chainkit.core;

/** A protocol and the node's responder for it. Not API. */
record Registration<M>(Protocol<M> protocol, Responder<M> responder) { }
