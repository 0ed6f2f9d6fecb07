"""What a failed request raises."""

import json


class TradestoreError(Exception):
    """The engine, or the event bus in front of it, answered a request with a failure.

    ``code`` is the HTTP-like code (400, 404, 409, 503, 500), or -1 for the event bus's own failures;
    ``error`` the engine's name for it (``INVALID_REQUEST``, ``CONFLICT``, ...) or the failure type
    (``NO_HANDLERS``, ``TIMEOUT``) or the bridge's refusal (``access_denied``, ``unauthorized``, ...);
    ``field`` the request field at fault, when the engine named one.
    """

    def __init__(self, code, error, message, field=None, address=None, failure_type=None):
        super().__init__(f"{address or 'request'}: {code} {error}: {message}")
        self.code = code
        self.error = error
        self.message = message
        self.field = field
        self.address = address
        self.failure_type = failure_type

    @property
    def retryable(self):
        """True when the same request may succeed later unchanged (503s and timeouts): resend it with the same ids."""
        return self.code == 503 or self.failure_type == "TIMEOUT"

    @classmethod
    def from_err_frame(cls, frame, address=None):
        """An ``err`` frame as the bridge sends it: the engine's JSON in ``message`` for a recipient failure."""
        message = frame.get("message", "")
        code = frame.get("failureCode", -1)
        failure_type = frame.get("failureType")
        source = frame.get("sourceAddress") or address
        if failure_type == "RECIPIENT_FAILURE":
            try:
                body = json.loads(message)
            except ValueError:
                body = None
            if isinstance(body, dict) and "error" in body:
                return cls(code, body["error"], body.get("message", ""), body.get("field"), source, failure_type)
        if failure_type in ("NO_HANDLERS", "TIMEOUT"):
            return cls(code, failure_type, message, None, source, failure_type)
        # refused by the bridge itself: the message is its reason (access_denied, invalid_frame, ...)
        return cls(code, message or "err", message, None, source, failure_type)


class ConnectionLost(ConnectionError):
    """The connection closed while the request was outstanding: its outcome is unknown, resend it with the same ids."""
