package dev.chainkit.core;

/** A chain due to be forgotten at {@code atNs}. Not API. */
record Expiry(ChainId id, long atNs) { }
