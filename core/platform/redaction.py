"""Connection URLs as they may be shown: in the start-up banner, in logs, in error messages."""

from __future__ import annotations

import re
from urllib.parse import parse_qsl, urlencode, urlsplit

MASK = "***"
# Query parameters that carry credentials (libpq/asyncpg `password`, Kafka `sasl_plain_password`, tokens, keys).
SECRET_PARAMETER = re.compile(r"pass|secret|token|key|credential", re.IGNORECASE)


def redacted(url: str) -> str:
    """`url` with every credential masked: the password of each `user:password@`, a lone NATS user
    part (a token there), and secret-looking query parameters. A list of servers (`nats://a,nats://b`)
    is masked server by server."""
    return ",".join(_redacted_one(part) for part in url.split(","))


def _redacted_one(url: str) -> str:
    # The user part ends at the last "@": a password with an unencoded "@", "#", "?" or "/" (which
    # urlsplit would cut elsewhere) is masked whole rather than shown in part.
    scheme, separator, rest = url.partition("://")
    userinfo, at, host = rest.rpartition("@")
    if separator and at:
        user, colon, _password = userinfo.partition(":")
        if colon:
            userinfo = f"{user}:{MASK}"
        elif scheme.startswith("nats"):  # nats://TOKEN@host: the user part is the secret
            userinfo = MASK
        url = f"{scheme}://{userinfo}@{host}"
    try:
        query = urlsplit(url).query
    except ValueError:  # not a URL we can read: show nothing of it rather than a secret
        return MASK
    pairs = parse_qsl(query, keep_blank_values=True)
    if any(SECRET_PARAMETER.search(name) for name, _ in pairs):
        masked = urlencode([(name, MASK if SECRET_PARAMETER.search(name) else value) for name, value in pairs],
                           safe="*")
        url = url.replace(f"?{query}", f"?{masked}", 1)
    return url
