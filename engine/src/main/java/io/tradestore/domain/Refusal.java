package io.tradestore.domain;

/**
 * Why a rule refuses a command: what kind of refusal, a message for a human, and the request field at fault. The
 * shell answers it with the matching error code (INVALID 400, NOT_FOUND 404, CONFLICT 409).
 */
public record Refusal(Kind kind, String message, String field) {
  public enum Kind { INVALID, NOT_FOUND, CONFLICT }

  public static Refusal invalid(String field, String message) {
    return new Refusal(Kind.INVALID, message, field);
  }

  public static Refusal notFound(String field, String message) {
    return new Refusal(Kind.NOT_FOUND, message, field);
  }

  public static Refusal conflict(String field, String message) {
    return new Refusal(Kind.CONFLICT, message, field);
  }
}
