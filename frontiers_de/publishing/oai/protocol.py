"""The OAI-PMH protocol without the repository behind it: the verbs and their arguments,
the error conditions, datestamps, setSpec tokens and signed resumption tokens."""

from __future__ import annotations

import datetime as dt
import re
import time
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass

from itsdangerous import BadSignature, SignatureExpired, TimestampSigner, URLSafeTimedSerializer

OAI_NS = "http://www.openarchives.org/OAI/2.0/"
OAI_SCHEMA = "http://www.openarchives.org/OAI/2.0/OAI-PMH.xsd"

GRANULARITY = "YYYY-MM-DDThh:mm:ssZ"
MAX_TOKEN_LENGTH = 2000

# verb -> (required arguments, optional arguments, exclusive argument)
VERBS: dict[str, tuple[frozenset[str], frozenset[str], str | None]] = {
    "Identify": (frozenset(), frozenset(), None),
    "ListMetadataFormats": (frozenset(), frozenset({"identifier"}), None),
    "ListSets": (frozenset(), frozenset(), "resumptionToken"),
    "GetRecord": (frozenset({"identifier", "metadataPrefix"}), frozenset(), None),
    "ListIdentifiers": (
        frozenset({"metadataPrefix"}),
        frozenset({"from", "until", "set"}),
        "resumptionToken",
    ),
    "ListRecords": (
        frozenset({"metadataPrefix"}),
        frozenset({"from", "until", "set"}),
        "resumptionToken",
    ),
}

# The value syntax the OAI-PMH schema gives each argument.
_PREFIX_RE = re.compile(r"^[A-Za-z0-9\-_.!~*'()]+$")
_SET_RE = re.compile(r"^[A-Za-z0-9\-_.!~*'()]+(:[A-Za-z0-9\-_.!~*'()]+)*$")
_DAY_RE = re.compile(r"^(\d{4})-(\d{2})-(\d{2})$", re.ASCII)
_SECONDS_RE = re.compile(r"^(\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2}):(\d{2})Z$", re.ASCII)
# An identifier is a URI: printable, no white space.
_IDENTIFIER_RE = re.compile(r"^[^\s\x00-\x1f\x7f<>\"{}|\\^`]+$")
# Characters XML 1.0 cannot carry.
_NOT_XML_RE = re.compile("[^\t\n\r\x20-\ud7ff\ue000-\ufffd\U00010000-\U0010ffff]")


class OaiError(Exception):
    """An OAI-PMH error condition (``code`` from the protocol's list) and its explanation."""

    def __init__(self, code: str, message: str) -> None:
        super().__init__(f"{code}: {message}")
        self.code = code
        self.message = message


# --- arguments ----------------------------------------------------------------------------


@dataclass(frozen=True)
class ListQuery:
    """What a ListIdentifiers/ListRecords harvest asks for; a resumption token carries it."""

    verb: str
    prefix: str
    set_spec: str | None = None
    start: dt.datetime | None = None  # inclusive
    end: dt.datetime | None = None  # exclusive (until + one unit of its granularity)
    after: tuple[dt.datetime, int] | None = None  # the last record already returned
    cursor: int = 0


def parse_arguments(pairs: Iterable[tuple[str, str]]) -> tuple[str, dict[str, str]]:
    """The verb and its arguments, or :class:`OaiError` (badVerb, badArgument) for a missing,
    repeated or unknown verb, a repeated, unknown or missing argument, or a value whose
    syntax is wrong."""
    args: dict[str, str] = {}
    repeated: set[str] = set()
    for key, value in pairs:
        if key in args:
            repeated.add(key)
        args[key] = value
    verb = args.pop("verb", None)
    if "verb" in repeated:
        raise OaiError("badVerb", "The verb argument is repeated.")
    if verb is None:
        raise OaiError("badVerb", "The verb argument is missing.")
    if verb not in VERBS:
        raise OaiError("badVerb", f"{_printable(verb)!r} is not an OAI-PMH verb.")
    if repeated:
        raise OaiError("badArgument", f"Repeated argument(s): {', '.join(sorted(repeated))}.")
    required, optional, exclusive = VERBS[verb]
    allowed = required | optional | ({exclusive} if exclusive else set())
    illegal = sorted(set(args) - allowed)
    if illegal:
        names = ", ".join(_printable(n) for n in illegal)
        raise OaiError("badArgument", f"Illegal argument(s) for {verb}: {names}.")
    if exclusive and exclusive in args:
        if len(args) > 1:
            raise OaiError("badArgument", f"{exclusive} is an exclusive argument.")
    else:
        missing = sorted(required - set(args))
        if missing:
            raise OaiError("badArgument", f"Missing argument(s) for {verb}: {', '.join(missing)}.")
    for key, value in args.items():
        if not value:
            raise OaiError("badArgument", f"The {key} argument is empty.")
        if _NOT_XML_RE.search(value):
            raise OaiError("badArgument", f"The {key} argument has control characters.")
    if "metadataPrefix" in args and not _PREFIX_RE.match(args["metadataPrefix"]):
        raise OaiError("badArgument", "The metadataPrefix has characters a prefix cannot have.")
    if "set" in args and not _SET_RE.match(args["set"]):
        raise OaiError("badArgument", "The set argument is not a setSpec.")
    if "identifier" in args and not _IDENTIFIER_RE.match(args["identifier"]):
        raise OaiError("badArgument", "The identifier is not a URI.")
    return verb, args


def _printable(value: str) -> str:
    return _NOT_XML_RE.sub("?", value)[:100]


def parse_datestamp(value: str, *, end: bool = False) -> tuple[dt.datetime, str]:
    """A from/until value as a UTC datetime and its granularity. With ``end``, the first
    instant after it (``until`` is inclusive at its own granularity)."""
    m = _SECONDS_RE.match(value)
    try:
        if m:
            moment = dt.datetime(*map(int, m.groups()), tzinfo=dt.UTC)
            return (moment + dt.timedelta(seconds=1) if end else moment), "seconds"
        m = _DAY_RE.match(value)
        if m:
            moment = dt.datetime(*map(int, m.groups()), tzinfo=dt.UTC)
            return (moment + dt.timedelta(days=1) if end else moment), "day"
    except (ValueError, OverflowError):
        raise OaiError("badArgument", f"{value!r} is not a date.") from None
    raise OaiError(
        "badArgument", f"{_printable(value)!r} is not in the form YYYY-MM-DD or {GRANULARITY}."
    )


def list_query(verb: str, args: Mapping[str, str]) -> ListQuery:
    """The harvest a first ListIdentifiers/ListRecords request asks for."""
    start = end = None
    granularities = set()
    if "from" in args:
        start, g = parse_datestamp(args["from"])
        granularities.add(g)
    if "until" in args:
        end, g = parse_datestamp(args["until"], end=True)
        granularities.add(g)
    if len(granularities) > 1:
        raise OaiError("badArgument", "from and until must have the same granularity.")
    if start is not None and end is not None and start >= end:
        raise OaiError("badArgument", "from is later than until.")
    return ListQuery(verb, args["metadataPrefix"], args.get("set"), start, end)


def format_datestamp(moment: dt.datetime) -> str:
    return moment.astimezone(dt.UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


# --- resumption tokens --------------------------------------------------------------------


class TokenCodec:
    """Signed resumption tokens: a harvester can only hand back what we issued."""

    SALT = "fde.publishing.oai-resumption"

    def __init__(
        self,
        secret: str,
        ttl: dt.timedelta,
        journal_id: int,
        clock: Callable[[], float] = time.time,
    ) -> None:
        # The clock is a parameter so that tests can issue a token in the past.
        class _Signer(TimestampSigner):
            def get_timestamp(self) -> int:
                return int(clock())

        self._serializer = URLSafeTimedSerializer(secret, salt=self.SALT, signer=_Signer)
        self.ttl = ttl
        self.journal_id = journal_id

    def dump(self, query: ListQuery) -> str:
        assert query.after is not None
        payload = {
            "j": self.journal_id,
            "v": query.verb,
            "p": query.prefix,
            "s": query.set_spec,
            "f": query.start.isoformat() if query.start else None,
            "u": query.end.isoformat() if query.end else None,
            "a": [query.after[0].isoformat(), query.after[1]],
            "c": query.cursor,
        }
        return str(self._serializer.dumps(payload))

    def load(self, token: str, verb: str) -> ListQuery:
        bad = OaiError("badResumptionToken", "The resumption token is not one of ours.")
        if len(token) > MAX_TOKEN_LENGTH or not token.isascii():
            raise bad
        try:
            payload = self._serializer.loads(token, max_age=int(self.ttl.total_seconds()))
        except SignatureExpired:
            raise OaiError(
                "badResumptionToken", "The resumption token has expired: start the list again."
            ) from None
        except BadSignature:
            raise bad from None
        try:
            if payload["j"] != self.journal_id or payload["v"] != verb:
                raise OaiError(
                    "badResumptionToken", f"The resumption token does not continue a {verb} list."
                )
            after_at, after_id = payload["a"]
            return ListQuery(
                verb=verb,
                prefix=str(payload["p"]),
                set_spec=payload["s"],
                start=dt.datetime.fromisoformat(payload["f"]) if payload["f"] else None,
                end=dt.datetime.fromisoformat(payload["u"]) if payload["u"] else None,
                after=(dt.datetime.fromisoformat(after_at), int(after_id)),
                cursor=int(payload["c"]),
            )
        except (KeyError, TypeError, ValueError):
            raise bad from None


# --- sets ---------------------------------------------------------------------------------


def spec_token(value: str) -> str:
    """``value`` as one part of a setSpec: characters a setSpec cannot hold (and ``~``)
    become ``~`` and two hex digits per UTF-8 byte, so every value has one spec and back."""
    out = []
    for ch in value:
        if re.match(r"[A-Za-z0-9\-_.]", ch):
            out.append(ch)
        else:
            out.extend(f"~{b:02X}" for b in ch.encode("utf-8"))
    return "".join(out) or "~"


def spec_value(token: str) -> str | None:
    """The value :func:`spec_token` made ``token`` from, or None when it cannot be one."""
    if token == "~":
        return ""
    out = bytearray()
    i = 0
    while i < len(token):
        ch = token[i]
        if ch == "~":
            hexa = token[i + 1 : i + 3]
            if not re.fullmatch(r"[0-9A-F]{2}", hexa):
                return None
            out.append(int(hexa, 16))
            i += 3
        elif re.match(r"[A-Za-z0-9\-_.]", ch):
            out += ch.encode("ascii")
            i += 1
        else:
            return None
    try:
        value = out.decode("utf-8")
    except UnicodeDecodeError:
        return None
    return value if spec_token(value) == token else None
