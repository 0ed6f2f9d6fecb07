package io.tradestore.domain.position;

/** A position as stored, with the fill that last changed it and when. */
public record StoredPosition(Position position, String lastFillId, long updatedAt) { }
