package io.tradestore.domain;

/** Accounts are the caller's names; a request that names none is on this one. */
public final class Accounts {
  public static final String DEFAULT = "default";

  private Accounts() { }
}
