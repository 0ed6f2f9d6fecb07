"""Client of the tradestore engine's TCP event-bus bridge."""

from . import addresses
from .client import Client, EventStream, Subscription
from .errors import ConnectionLost, TradestoreError

__all__ = ["Client", "EventStream", "Subscription", "TradestoreError", "ConnectionLost", "addresses"]
