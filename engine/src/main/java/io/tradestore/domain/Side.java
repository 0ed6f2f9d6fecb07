package io.tradestore.domain;

/** The side of an order and of its fills: a buy adds to a position, a sell takes from it. */
public enum Side { BUY, SELL }
