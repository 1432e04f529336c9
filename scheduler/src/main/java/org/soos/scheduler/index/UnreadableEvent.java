package org.soos.scheduler.index;

/**
 * Stands in, on the job index's tag stream only, for a journal row whose payload does not
 * deserialize (garbled bytes, an unknown serializer or manifest): {@link TolerantReadJournalDao}
 * puts it where the event would be, so the stream carries the row's persistence id, sequence number
 * and ordering on instead of failing. Never persisted, never sent.
 *
 * @param serializerId the row's serializer id
 * @param manifest the row's serializer manifest
 * @param reason why it did not deserialize: the exception's type and message
 */
public record UnreadableEvent(int serializerId, String manifest, String reason) {}
