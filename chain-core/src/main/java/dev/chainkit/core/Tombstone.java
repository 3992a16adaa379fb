package dev.chainkit.core;

/**
 * What a responder keeps of a terminated chain: its terminal reply, and the step it answered. Any later message
 * of the chain at or after that step gets the terminal reply again, restamped with the message's step + 1.
 * Not API.
 */
record Tombstone(Envelope reply, int answeredStep) { }
