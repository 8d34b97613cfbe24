"""Reading the ``WWW-Authenticate`` header of a 401 (RFC 9110, section 11.6.1).

The bearer auth needs two answers from it: is there a ``Bearer`` challenge at all (else a
new token cannot help), and does it demand claims? A Continuous Access Evaluation (CAE)
challenge looks like::

    Bearer realm="", authorization_uri="https://login.microsoftonline.com/common/oauth2/authorize",
        error="insufficient_claims", claims="eyJhY2Nlc3NfdG9rZW4iOnsibmJmIjp7ImVzc2VudGlhbCI6dHJ1ZX19fQ=="

where ``claims`` is base64 (either alphabet, padding optional) of a JSON object that the
next token request must carry.
"""

from __future__ import annotations

import base64
import json
import re
from dataclasses import dataclass, field

__all__ = ["BearerChallenge", "Challenge", "bearer_challenge", "parse_challenges"]

_TOKEN = re.compile(r"[!#$%&'*+\-.^_`|~0-9A-Za-z]+")
_TOKEN68 = re.compile(r"[A-Za-z0-9\-._~+/]+=*")
_QUOTED = re.compile(r'"((?:[^"\\]|\\.)*)"')
_ESCAPE = re.compile(r"\\(.)")
_SPACE = re.compile(r"[ \t]*")
_SEPARATORS = re.compile(r"[ \t,]*")


@dataclass(frozen=True, slots=True)
class Challenge:
    """One challenge: its scheme and parameters, both names lower-cased."""

    scheme: str
    params: dict[str, str] = field(default_factory=dict[str, str])


@dataclass(frozen=True, slots=True)
class BearerChallenge:
    """A ``Bearer`` challenge a new token may answer; ``claims`` is decoded JSON text."""

    claims: str | None = None
    error: str | None = None


def parse_challenges(header: str) -> list[Challenge]:
    """Every challenge in a ``WWW-Authenticate`` value, in order.

    Lenient: parsing stops at the first thing that is not a challenge or a parameter, and
    what was read until then is returned.
    """
    challenges: list[Challenge] = []
    current: Challenge | None = None
    pos = 0
    while True:
        pos = _skip(_SEPARATORS, header, pos)
        name = _TOKEN.match(header, pos)
        if name is None:
            return challenges
        after = _skip(_SPACE, header, name.end())
        if current is not None and header.startswith("=", after):
            value, pos = _param_value(header, _skip(_SPACE, header, after + 1))
            current.params[name.group().lower()] = value
            continue
        current = Challenge(name.group().lower())
        challenges.append(current)
        pos = _skip_token68(header, after) if after > name.end() else name.end()


def bearer_challenge(header: str) -> BearerChallenge | None:
    """The first ``Bearer`` challenge, or None when there is nothing a token can answer.

    None also when the challenge demands claims (``error="insufficient_claims"``) that
    cannot be decoded: a token without them would only be refused again.
    """
    for challenge in parse_challenges(header):
        if challenge.scheme != "bearer":
            continue
        error = challenge.params.get("error")
        encoded = challenge.params.get("claims")
        if encoded is None and error != "insufficient_claims":
            return BearerChallenge(error=error)
        claims = _decode_claims(encoded or "")
        return BearerChallenge(claims=claims, error=error) if claims is not None else None
    return None


def _skip(pattern: re.Pattern[str], text: str, pos: int) -> int:
    match = pattern.match(text, pos)
    return match.end() if match else pos


def _param_value(header: str, pos: int) -> tuple[str, int]:
    quoted = _QUOTED.match(header, pos)
    if quoted is not None:
        return _ESCAPE.sub(r"\1", quoted.group(1)), quoted.end()
    token = _TOKEN.match(header, pos)
    return (token.group(), token.end()) if token else ("", pos)


def _skip_token68(header: str, pos: int) -> int:
    # A scheme may be followed by one token68 (``Basic dXNlcg==``) instead of parameters;
    # it is told apart from a parameter by what follows it: a comma or the end.
    token68 = _TOKEN68.match(header, pos)
    if token68 is None:
        return pos
    end = _skip(_SPACE, header, token68.end())
    return token68.end() if end == len(header) or header[end] == "," else pos


def _decode_claims(encoded: str) -> str | None:
    text = encoded.strip()
    if not text:
        return None
    try:
        if not text.startswith("{"):
            # urlsafe_b64decode reads the standard alphabet too; padding may be left out.
            text = base64.urlsafe_b64decode(text + "=" * (-len(text) % 4)).decode("utf-8")
        parsed: object = json.loads(text)
    except ValueError:  # binascii.Error, UnicodeDecodeError and JSONDecodeError all are
        return None
    return text if isinstance(parsed, dict) else None
