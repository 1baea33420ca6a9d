"""The Redis side of the store seam (`state.ports`): `--store redis://host:6379/0`.

Any number of workers, on any number of hosts, against one Redis behave as one mock: every piece of
state lives under `talq:<namespace>:` and every change that must be atomic is one Lua script (one
round trip): a rate-limit hit (which also reads the shared clock), placing a call (credit, id, call,
eviction), ending one. The hot path's scripts (Make a Call, End Call, List Calls, Get Active Call)
each begin with the request's rate-limit hit (`_HIT`): one round trip per request. Times are the mock
clock's, computed in Redis from Redis's own `TIME`, so the clock is one clock for every worker, frozen
or advanced for all at once.

Keys of a namespace (P = `talq:<namespace>:`): `P clock` (hash: origin, offset, scale, salt),
`P rate:<key>` (hash: window start, requests), `P credits` (hash: token -> balance), `P calls`
(hash: id -> call JSON), `P ended` (hash: id -> ended_at), `P ends` (hash: id -> when the call ends
by itself, or `never`), `P order` (list of ids, oldest first), `P seq` (counter of ids), `P bytes`
(size of the calls kept), `P webhooks` (hash: id -> webhook JSON), `P hooked` (set: the agents
that have had a webhook: only their calls are due for the webhook pump), `P deliveries` (hash: id ->
delivery JSON, at most `MAX_DELIVERIES_LOGGED` once finished: the oldest finished ones, `P finished`
(sorted set: id -> number), go first, never one still queued), `P q:<webhook>` (a webhook's queue of
delivery ids), `P journal` (list, capped); campaign calls and agent statuses: `state.redis_campaigns`.
`reset` deletes those of its namespace only.
"""

from __future__ import annotations

import asyncio
import contextlib
import functools
import logging
import secrets
import time
from collections.abc import Awaitable, Callable, Mapping
from dataclasses import asdict
from datetime import UTC, datetime
from typing import Any
from urllib.parse import urlsplit

import orjson
import redis.asyncio as aioredis
from redis.asyncio.retry import Retry
from redis.backoff import NoBackoff
from redis.commands.core import AsyncScript
from redis.exceptions import ConnectionError as RedisConnectionError
from redis.exceptions import RedisError
from redis.exceptions import TimeoutError as RedisTimeoutError

from mock_server.http import Answer, Request
from mock_server.settings import Settings
from mock_server.state.calls import RECORD_OVERHEAD, CallRecord
from mock_server.state.clock import iso_z
from mock_server.state.directory import Directory
from mock_server.state.journal import MAX_BODY_CHARS, journal_headers
from mock_server.state.lifecycle import EPSILON_SECONDS, Durations, lifetime, view_at
from mock_server.state.ports import Admission, ClockView, Ending, Gate, RateLimited, StoreUnavailable
from mock_server.state.ratelimit import Quota
from mock_server.state.resp import RespClient, address_of
from mock_server.state.store import MockState
from mock_server.state.webhook_registry import (
    MAX_DELIVERIES_LOGGED,
    TEST_EVENT,
    Attempt,
    Delivery,
    WebhookRecord,
    apply_update,
)

log = logging.getLogger("mock_server.state")
KEY_ROOT = "talq"
JOURNAL_FLUSH_SECONDS = 0.05
JOURNAL_BATCH = 256
MAX_NAMESPACE = 64
CONNECT_TIMEOUT_SECONDS = 0.5
COMMAND_TIMEOUT_SECONDS = 2.0
RATE_KEY_TTL_SECONDS = 86_400  # an idle token's window is forgotten after a day
MAX_CHANGE_TRIES = 50  # Update/Toggle Webhook: reads again while other requests change the webhook
MAX_NAMESPACES_KNOWN = 1024  # namespaces whose configured webhooks this process has made sure of
PUMPED_SECONDS = 600.0  # a namespace a request named is pumped by this process for 10 minutes
MAX_PUMPED = 32  # besides its own: each costs the pump about 3 round trips per poll
NO_HIT = Admission(Quota(True, 0, 0, 0, 1), 0.0)  # a read that carries no request's hit

# The mock clock, from Redis's TIME: every worker reads the same one. Set up on first use.
_CLOCK = """
local t = redis.call('TIME')
local real = tonumber(t[1]) + tonumber(t[2]) / 1000000
local c = redis.call('HMGET', KEYS[1], 'origin', 'offset', 'scale')
if not c[1] then
  redis.call('HSET', KEYS[1], 'origin', string.format('%.6f', real), 'offset', '0', 'scale', ARGV[1])
  c = {real, 0, ARGV[1]}
end
local origin, offset, scale = tonumber(c[1]), tonumber(c[2]), tonumber(c[3])
local now = origin + (real - origin) * scale + offset
"""

# A request's rate-limit hit, first in every script of the hot path (KEYS[1] clock, KEYS[2] the key's
# window; ARGV[1] scale, [2] limit, [3] window seconds, [4] '1': exhaust, [5] key TTL, [6] 'hit', or the
# mock time of a hit already made). `rate` is what `admission_of` reads; over the limit, nothing else runs.
_HIT = """
local admitted, used, start = 1, 0, now
if ARGV[6] == 'hit' then
  local limit, window = tonumber(ARGV[2]), tonumber(ARGV[3])
  local w = redis.call('HMGET', KEYS[2], 's', 'u')
  start, used = tonumber(w[1]) or now, tonumber(w[2]) or 0
  local fresh = not w[1]
  if now - start >= window then start = now - ((now - start) % window); used = 0; fresh = true end
  if ARGV[4] == '1' then used = limit end
  admitted = 0
  if used < limit then used = used + 1; admitted = 1 end
  redis.call('HSET', KEYS[2], 's', string.format('%.6f', start), 'u', used)
  if fresh then redis.call('EXPIRE', KEYS[2], tonumber(ARGV[5])) end  -- a day after its window began
else
  now = tonumber(ARGV[6])
end
local rate = {admitted, used, string.format('%.6f', start), string.format('%.6f', now)}
"""

HIT_SCRIPT = _CLOCK + _HIT + "return rate\n"

CLOCK_SCRIPT = (
    _CLOCK
    + """
if tonumber(ARGV[2]) > 0 then
  offset = tonumber(redis.call('HINCRBYFLOAT', KEYS[1], 'offset', ARGV[2]))
  now = origin + (real - origin) * scale + offset
end
return {string.format('%.6f', now), string.format('%.6f', offset), tostring(scale)}
"""
)

# Make a Call: the hit, then credit, id, call, eviction (KEYS[3..]: credits, calls, ended, order, seq,
# bytes, settled, due, ends, hooked. ARGV[7..]: token ('' = free), its starting balance, the call's JSON
# without its first '{' and created_at (set here: the admission's time), max calls, max bytes, record
# overhead, id prefix, salt candidate, lifetime in seconds ('' = until End Call), agent id). The call is
# due for the webhook pump only when its agent has a webhook (`hooked`); otherwise it waits parked, as
# the pump would park it, until `resume`. Returns {rate, id or ''}.
PLACE_SCRIPT = (
    _CLOCK
    + _HIT
    + """
if admitted == 0 then return {rate, ''} end
if ARGV[7] ~= '' then
  local left = tonumber(redis.call('HGET', KEYS[3], ARGV[7]) or ARGV[8])
  if left <= 0 then return {rate, ''} end
  redis.call('HSET', KEYS[3], ARGV[7], left - 1)
end
local salt = redis.call('HGET', KEYS[1], 'salt')
if not salt then salt = ARGV[14]; redis.call('HSET', KEYS[1], 'salt', salt) end
local id
repeat
  id = ARGV[13] .. string.sub(redis.sha1hex(salt .. ':' .. redis.call('INCR', KEYS[7])), 1, 16)
until redis.call('HEXISTS', KEYS[4], id) == 0
local call = '{"created_at":' .. rate[4] .. ',' .. ARGV[9]
redis.call('HSET', KEYS[4], id, call)
redis.call('RPUSH', KEYS[6], id)
redis.call('HSET', KEYS[9], id, 0)
if redis.call('SISMEMBER', KEYS[12], ARGV[16]) == 1 then redis.call('ZADD', KEYS[10], 0, id) end
if ARGV[15] == '' then redis.call('HSET', KEYS[11], id, 'never')
else redis.call('HSET', KEYS[11], id, string.format('%.6f', now + tonumber(ARGV[15]))) end
local bytes = redis.call('INCRBY', KEYS[8], #call + tonumber(ARGV[12]))
local count = redis.call('LLEN', KEYS[6])
while count > 1 and (count > tonumber(ARGV[10]) or bytes > tonumber(ARGV[11])) do
  local oldest = redis.call('LPOP', KEYS[6])
  local kept = redis.call('HGET', KEYS[4], oldest)
  if kept then bytes = redis.call('DECRBY', KEYS[8], #kept + tonumber(ARGV[12])) end
  redis.call('HDEL', KEYS[4], oldest)
  redis.call('HDEL', KEYS[5], oldest)
  redis.call('HDEL', KEYS[9], oldest)
  redis.call('ZREM', KEYS[10], oldest)
  redis.call('HDEL', KEYS[11], oldest)
  count = count - 1
end
return {rate, id}
"""
)

# KEYS: calls, ended, settled, due. ARGV: id, ended_at. The ended event is still to be emitted.
END_SCRIPT = """
if redis.call('HEXISTS', KEYS[1], ARGV[1]) == 0 then return 0 end
if redis.call('HSETNX', KEYS[2], ARGV[1], ARGV[2]) == 0 then return 0 end
redis.call('HSETNX', KEYS[3], ARGV[1], 0)
redis.call('ZADD', KEYS[4], 0, ARGV[1])
return 1
"""

# End Call: the hit, then the agent's call ended now if it is still active (KEYS[3..]: calls, ended,
# settled, due, ends, hooked. ARGV[7..]: call id, agent id, epsilon). Returns {rate, what, call JSON,
# ended_at}: what is 'missing' (no such call of the agent), 'ended' (by this request), 'was_ended'
# (before it), 'over' (ended by itself) or 'unknown' (a call kept before `ends` existed: the caller
# decides).
END_ACTIVE_SCRIPT = (
    _CLOCK
    + _HIT
    + """
if admitted == 0 then return {rate, 'limited'} end
local call = redis.call('HGET', KEYS[3], ARGV[7])
if not call or cjson.decode(call)['agent_id'] ~= ARGV[8] then return {rate, 'missing'} end
local ended = redis.call('HGET', KEYS[4], ARGV[7])
if ended then return {rate, 'was_ended', call, ended} end
local ends = redis.call('HGET', KEYS[7], ARGV[7])
if not ends then return {rate, 'unknown', call} end
if ends ~= 'never' and tonumber(ends) <= now + tonumber(ARGV[9]) then return {rate, 'over', call} end
redis.call('HSET', KEYS[4], ARGV[7], rate[4])
redis.call('HSETNX', KEYS[5], ARGV[7], 0)
if redis.call('SISMEMBER', KEYS[8], ARGV[8]) == 1 then redis.call('ZADD', KEYS[6], 0, ARGV[7]) end
return {rate, 'ended', call, rate[4]}
"""
)

# The event schedule's claims (KEYS: due, claim, settled. ARGV: mock now, lease seconds, at most):
# calls due by now move to `claim` until a real-time deadline; a claim whose worker died goes back.
CLAIM_SCRIPT = """
local t = redis.call('TIME')
local real = tonumber(t[1]) + tonumber(t[2]) / 1000000
for _, id in ipairs(redis.call('ZRANGEBYSCORE', KEYS[2], '-inf', string.format('%.6f', real))) do
  redis.call('ZREM', KEYS[2], id); redis.call('ZADD', KEYS[1], 0, id)
end
local out = {}
for _, id in ipairs(redis.call('ZRANGEBYSCORE', KEYS[1], '-inf', ARGV[1], 'LIMIT', 0, tonumber(ARGV[3]))) do
  redis.call('ZREM', KEYS[1], id)
  redis.call('ZADD', KEYS[2], string.format('%.6f', real + tonumber(ARGV[2])), id)
  out[#out + 1] = id; out[#out + 1] = redis.call('HGET', KEYS[3], id) or '-1'
end
return out
"""

# The delivery log's cap, in every script that adds to it or finishes one (deliveries, finished, cap):
# the oldest finished deliveries are dropped first; a queued one never is (the log may exceed the cap
# by what is queued, and is back under it as those finish).
_TRIM_DELIVERIES = """
local function trim(deliveries, finished, cap)
  local over = redis.call('HLEN', deliveries) - tonumber(cap)
  if over <= 0 then return end
  local oldest = redis.call('ZPOPMIN', finished, over)
  for i = 1, #oldest, 2 do redis.call('HDEL', deliveries, oldest[i]) end
end
"""

# A claimed call's events, emitted once (KEYS: due, claim, settled, deliveries, delivery seq, queues,
# finished). ARGV: call id, settled count read at claim, new count, next look ('' = settled for good,
# 'park' = its agent has no webhook), key prefix, the log's cap, then per delivery: webhook id,
# delivery JSON (no id).
COMMIT_SCRIPT = (
    _TRIM_DELIVERIES
    + """
redis.call('ZREM', KEYS[2], ARGV[1])
if redis.call('HGET', KEYS[3], ARGV[1]) ~= ARGV[2] then return -1 end
local made = 0
for i = 7, #ARGV, 2 do
  local id = 'dlv_' .. string.format('%06d', redis.call('INCR', KEYS[5]))
  redis.call('HSET', KEYS[4], id, ARGV[i + 1])
  redis.call('RPUSH', ARGV[5] .. 'q:' .. ARGV[i], id)
  redis.call('SADD', KEYS[6], ARGV[i])
  made = made + 1
end
if ARGV[4] == '' then redis.call('HDEL', KEYS[3], ARGV[1])
else
  redis.call('HSET', KEYS[3], ARGV[1], ARGV[3])
  if ARGV[4] ~= 'park' then redis.call('ZADD', KEYS[1], ARGV[4], ARGV[1]) end
end
trim(KEYS[4], KEYS[7], ARGV[6])
return made
"""
)

# A webhook's queue is delivered by the worker that holds its lease (KEYS: lease. ARGV: token, ms).
LEASE_SCRIPT = """
local holder = redis.call('GET', KEYS[1])
if holder == false then redis.call('SET', KEYS[1], ARGV[1], 'PX', ARGV[2]); return 1 end
if holder == ARGV[1] then redis.call('PEXPIRE', KEYS[1], ARGV[2]); return 1 end
return 0
"""

# One attempt recorded by the lease holder (KEYS: lease, deliveries, queue, queues, finished. ARGV:
# token, delivery id, delivery JSON with the attempt, done ('1': off the queue), webhook id, lease ms,
# the log's cap).
RECORD_SCRIPT = (
    _TRIM_DELIVERIES
    + """
if redis.call('GET', KEYS[1]) ~= ARGV[1] then return 0 end
redis.call('HSET', KEYS[2], ARGV[2], ARGV[3])
if ARGV[4] == '1' then
  redis.call('LREM', KEYS[3], 1, ARGV[2])
  if redis.call('LLEN', KEYS[3]) == 0 then redis.call('SREM', KEYS[4], ARGV[5]) end
  redis.call('ZADD', KEYS[5], tonumber(string.sub(ARGV[2], 5)), ARGV[2])
  trim(KEYS[2], KEYS[5], ARGV[7])
end
redis.call('PEXPIRE', KEYS[1], ARGV[6])
return 1
"""
)

# Test Webhook's attempt, logged finished (KEYS: deliveries, delivery seq, finished. ARGV: delivery
# JSON (no id), the log's cap).
LOG_TEST_SCRIPT = (
    _TRIM_DELIVERIES
    + """
local number = redis.call('INCR', KEYS[2])
local id = 'dlv_' .. string.format('%06d', number)
redis.call('HSET', KEYS[1], id, ARGV[1])
redis.call('ZADD', KEYS[3], number, id)
trim(KEYS[1], KEYS[3], ARGV[2])
return id
"""
)

# List Calls, Get Active Call: the hit, then every call, oldest first, with its ended_at or ''
# (KEYS[3..]: order, calls, ended). Returns {rate, {id, call JSON, ended_at, ...}}.
ALL_SCRIPT = (
    _CLOCK
    + _HIT
    + """
local out = {}
if admitted == 0 then return {rate, out} end
local ids = redis.call('LRANGE', KEYS[3], 0, -1)
local chunk = 4000
for first = 1, #ids, chunk do
  local part = {unpack(ids, first, math.min(first + chunk - 1, #ids))}
  local calls = redis.call('HMGET', KEYS[4], unpack(part))
  local ended = redis.call('HMGET', KEYS[5], unpack(part))
  for i = 1, #part do
    if calls[i] then
      out[#out + 1] = part[i]; out[#out + 1] = calls[i]; out[#out + 1] = ended[i] or ''
    end
  end
end
return {rate, out}
"""
)

# Update/Toggle Webhook's write, only over what was read (KEYS: webhooks. ARGV: id, the JSON read,
# the JSON to write): 1 written, 0 changed meanwhile (read again), -1 deleted meanwhile.
CAS_WEBHOOK_SCRIPT = """
local kept = redis.call('HGET', KEYS[1], ARGV[1])
if not kept then return -1 end
if kept ~= ARGV[2] then return 0 end
redis.call('HSET', KEYS[1], ARGV[1], ARGV[3])
return 1
"""

# KEYS: webhooks, seq, clock, hooked. ARGV: webhook JSON (no id), id prefix, salt candidate, agent id.
ADD_WEBHOOK_SCRIPT = """
redis.call('HSETNX', KEYS[3], 'salt', ARGV[3])
local salt = redis.call('HGET', KEYS[3], 'salt')
local id
repeat
  id = ARGV[2] .. string.sub(redis.sha1hex(salt .. ':wh:' .. redis.call('INCR', KEYS[2])), 1, 16)
until redis.call('HEXISTS', KEYS[1], id) == 0
redis.call('HSET', KEYS[1], id, ARGV[1])
redis.call('SADD', KEYS[4], ARGV[4])
return id
"""


# The request journal's batch (KEYS: jseq, journal. ARGV: size kept, then the entries, oldest first).
JOURNAL_SCRIPT = """
redis.call('INCRBY', KEYS[1], #ARGV - 1)
redis.call('RPUSH', KEYS[2], unpack(ARGV, 2))
redis.call('LTRIM', KEYS[2], -tonumber(ARGV[1]), -1)
return #ARGV - 1
"""

SCRIPTS = (
    JOURNAL_SCRIPT,
    HIT_SCRIPT,
    CLOCK_SCRIPT,
    PLACE_SCRIPT,
    END_SCRIPT,
    END_ACTIVE_SCRIPT,
    ALL_SCRIPT,
    ADD_WEBHOOK_SCRIPT,
    CLAIM_SCRIPT,
    COMMIT_SCRIPT,
    LEASE_SCRIPT,
    RECORD_SCRIPT,
    LOG_TEST_SCRIPT,
    CAS_WEBHOOK_SCRIPT,
)


def check_namespace(name: str) -> str:
    """A namespace is 1 to 64 of letters, digits, `_`, `-` and `.`; the message says so otherwise."""
    if not 0 < len(name) <= MAX_NAMESPACE or not all(char.isalnum() or char in "_-." for char in name):
        raise ValueError(
            f"namespace {name[:80]!r}: use 1 to {MAX_NAMESPACE} letters, digits, '_', '-' or '.'."
        )
    return name


def redacted(url: str) -> str:
    """The store's URL without a password (for messages)."""
    parts = urlsplit(url)
    host = parts.hostname or "localhost"
    return f"{parts.scheme}://{host}:{parts.port or 6379}{parts.path}"


def call_fields(call: CallRecord) -> dict[str, Any]:
    """What the shared store keeps of a call besides its id, created_at and ended_at."""
    return {
        "agent_id": call.agent_id,
        "to": call.to,
        "is_testing": call.is_testing,
        "delay_seconds": call.delay_seconds,
        "payload": call.payload,
        "context": call.context,
        "size": call.size,
        "from_number": call.from_number,
        "direction": call.direction,
    }


def call_json_tail(call: CallRecord) -> str:
    """The call's JSON without its opening '{' and created_at: PLACE_SCRIPT puts them in front."""
    return orjson.dumps(call_fields(call)).decode()[1:]


def call_from_json(call_id: str, text: str, ended: str | None) -> CallRecord:
    data = orjson.loads(text)
    return CallRecord(
        id=call_id,
        agent_id=data["agent_id"],
        to=data["to"],
        created_at=datetime.fromtimestamp(data["created_at"], UTC),
        is_testing=data["is_testing"],
        delay_seconds=data["delay_seconds"],
        payload=data["payload"],
        context=data["context"],
        size=data["size"],
        from_number=data["from_number"],
        direction=data["direction"],
        ended_at=datetime.fromtimestamp(float(ended), UTC) if ended else None,
    )


def webhook_from_json(webhook_id: str, text: str) -> WebhookRecord:
    return WebhookRecord(**{**orjson.loads(text), "id": webhook_id})


def delivery_json(delivery: Delivery) -> str:
    """A delivery as kept in `P deliveries` (its id is the hash's key)."""
    data = asdict(delivery)
    data.pop("id")
    data["body"] = delivery.body.decode()
    return orjson.dumps(data).decode()


def delivery_from_json(delivery_id: str, text: str) -> Delivery:
    data = orjson.loads(text)
    attempts = [Attempt(**attempt) for attempt in data.pop("attempts")]
    return Delivery(id=delivery_id, **{**data, "body": data["body"].encode()}, attempts=attempts)


def webhook_json(webhook: WebhookRecord) -> str:
    data = asdict(webhook)
    data.pop("id")
    return orjson.dumps(data).decode()


class Connection:
    """One Redis client for the process (a pool of connections) and the scripts, registered once."""

    def __init__(self, url: str) -> None:
        self.url = url
        self.client: aioredis.Redis = aioredis.Redis.from_url(
            url,
            decode_responses=True,
            socket_connect_timeout=CONNECT_TIMEOUT_SECONDS,
            socket_timeout=COMMAND_TIMEOUT_SECONDS,
            retry=Retry(NoBackoff(), 1),  # one reconnect: a connection Redis dropped (a restart) is renewed
            retry_on_error=[RedisConnectionError, RedisTimeoutError],
        )
        address = address_of(url)
        self.fast = (
            None if address is None else RespClient(address, CONNECT_TIMEOUT_SECONDS, COMMAND_TIMEOUT_SECONDS)
        )
        self.hit = self.client.register_script(HIT_SCRIPT)
        self.clock = self.client.register_script(CLOCK_SCRIPT)
        self.place = self.client.register_script(PLACE_SCRIPT)
        self.end = self.client.register_script(END_SCRIPT)
        self.end_active = self.client.register_script(END_ACTIVE_SCRIPT)
        self.all = self.client.register_script(ALL_SCRIPT)
        self.add_webhook = self.client.register_script(ADD_WEBHOOK_SCRIPT)
        self.claim = self.client.register_script(CLAIM_SCRIPT)
        self.commit = self.client.register_script(COMMIT_SCRIPT)
        self.lease = self.client.register_script(LEASE_SCRIPT)
        self.record = self.client.register_script(RECORD_SCRIPT)
        self.log_test = self.client.register_script(LOG_TEST_SCRIPT)
        self.cas_webhook = self.client.register_script(CAS_WEBHOOK_SCRIPT)
        self.journal = self.client.register_script(JOURNAL_SCRIPT)
        address = address_of(url)
        self.fast = (
            None
            if address is None
            else RespClient(address, CONNECT_TIMEOUT_SECONDS, COMMAND_TIMEOUT_SECONDS, SCRIPTS)
        )

    async def run(self, what: Callable[[], Any]) -> Any:
        """`await what()`, with Redis's failures as `StoreUnavailable` (a clear message, never a
        traceback). `Any`: redis-py types its commands as sync-or-async."""
        try:
            return await what()
        except (RedisConnectionError, RedisTimeoutError, OSError) as error:
            raise StoreUnavailable(
                f"The mock's shared store {redacted(self.url)} does not answer ({type(error).__name__}); "
                "the mock retries on every request: start Redis there, or point --store at one that runs."
            ) from error
        except RedisError as error:
            raise StoreUnavailable(
                f"The mock's shared store {redacted(self.url)} refused a command ({str(error)[:200]}); "
                "check that it is Redis 6.2 or newer, writable, with scripting on."
            ) from error

    async def script(self, script: AsyncScript, keys: list[str], args: list[Any]) -> Any:
        """One script, one round trip: on the lean client (`state.resp`) unless the URL needs redis-py."""
        fast = self.fast
        if fast is None:
            return await self.run(lambda: script(keys=keys, args=args))
        text = script.script if isinstance(script.script, str) else bytes(script.script).decode()
        return await self.run(lambda: fast.evalsha(script.sha, text, keys, args))

    async def close(self) -> None:
        if self.fast is not None:
            await self.fast.close()
        await self.client.aclose()


class Keys:
    def __init__(self, namespace: str) -> None:
        self.prefix = f"{KEY_ROOT}:{check_namespace(namespace)}:"

    def __getattr__(self, name: str) -> str:
        key = self.__dict__[name] = self.prefix + name  # made once: the next read is an attribute
        return key

    def rate(self, key: str) -> str:
        return f"{self.prefix}rate:{key}"


class RedisClock:
    def __init__(self, connection: Connection, keys: Keys, scale: float) -> None:
        self._connection, self._keys, self._scale = connection, keys, scale

    async def _call(self, seconds: float) -> ClockView:
        now, offset, scale = await self._connection.script(
            self._connection.clock, [self._keys.clock], [repr(self._scale), repr(seconds)]
        )
        return ClockView(float(now), float(offset), float(scale))

    async def view(self) -> ClockView:
        return await self._call(0.0)

    async def advance(self, seconds: float) -> ClockView:
        return await self._call(seconds)


def admission_of(rate: list[Any], limit: int, window: float) -> Admission:
    """`_HIT`'s `rate` as the quota and the mock time."""
    admitted, used, start, now = rate
    start_at, now_at, used = float(start), float(now), int(used)
    reset = start_at + window
    quota = Quota(
        admitted=admitted == 1,
        limit=limit,
        remaining=max(limit - used, 0),
        reset_epoch=-int(-reset // 1),
        retry_after=max(-int(-(reset - now_at) // 1), 1),
    )
    return Admission(quota, now_at)


class RedisRate:
    def __init__(self, connection: Connection, keys: Keys, settings: Settings) -> None:
        self._connection, self._keys = connection, keys
        self.limit, self.window, self._scale = (
            settings.rate_limit,
            settings.rate_window_seconds,
            settings.time_scale,
        )
        self._counting = (repr(self._scale), self.limit, repr(self.window), "0", RATE_KEY_TTL_SECONDS)
        self._exhausting = (*self._counting[:3], "1", RATE_KEY_TTL_SECONDS)

    def hit_keys(self, gate: Gate) -> list[str]:
        """`_HIT`'s KEYS (the clock, the gate's window)."""
        return [self._keys.clock, self._keys.rate(gate.key)]

    def hit_args(self, gate: Gate) -> list[Any]:
        """`_HIT`'s ARGV: the hit to make, or the time of the one made already."""
        made = "hit" if gate.admission is None else f"{gate.admission.now:.6f}"
        return [*(self._exhausting if gate.exhaust else self._counting), made]

    def admitted(self, gate: Gate, rate: list[Any]) -> Admission:
        """The gate's admission from a script's `rate`; `RateLimited` when over the limit."""
        if gate.admission is None:
            gate.admission = admission_of(rate, self.limit, self.window)
        if not gate.admission.quota.admitted:
            raise RateLimited(gate.admission)
        return gate.admission

    async def hit(self, key: str, exhaust: bool = False) -> Admission:
        gate = Gate(key, exhaust)
        rate = await self._connection.script(self._connection.hit, self.hit_keys(gate), self.hit_args(gate))
        return admission_of(rate, self.limit, self.window)


class RedisCalls:
    """Each method that takes the request's gate is one script: its hit, then its work."""

    def __init__(
        self,
        connection: Connection,
        keys: Keys,
        settings: Settings,
        initial: Mapping[str, int],
        rate: RedisRate,
        durations: Durations,
    ) -> None:
        self._connection, self._keys, self._rate, self._durations = connection, keys, rate, durations
        self._settings, self._initial = settings, initial
        self._salt = str(settings.seed) if settings.seed is not None else secrets.token_hex(8)

    def place_request(self, call: CallRecord, charge: str | None, gate: Gate) -> tuple[list[str], list[Any]]:
        """PLACE_SCRIPT's KEYS and ARGV for `call` (`state.redis_campaigns` places campaign calls so)."""
        keys, settings, rate = self._keys, self._settings, self._rate
        starting = self._initial.get(charge, settings.default_credits) if charge is not None else 0
        seconds = lifetime(call, self._durations)
        return (
            [
                *rate.hit_keys(gate),
                keys.credits,
                keys.calls,
                keys.ended,
                keys.order,
                keys.seq,
                keys.bytes,
                keys.settled,
                keys.due,
                keys.ends,
                keys.hooked,
            ],
            [
                *rate.hit_args(gate),
                charge or "",
                starting,
                call_json_tail(call),
                settings.max_calls,
                settings.max_stored_bytes,
                RECORD_OVERHEAD,
                "call_",
                self._salt,
                "" if seconds is None else repr(seconds),
                call.agent_id,
            ],
        )

    async def place(self, call: CallRecord, charge: str | None, gate: Gate) -> CallRecord | None:
        keys, args = self.place_request(call, charge, gate)
        admission_rate, call_id = await self._connection.script(self._connection.place, keys, args)
        now = self._rate.admitted(gate, admission_rate).now
        if not call_id:
            return None
        call.id, call.created_at = str(call_id), datetime.fromtimestamp(now, UTC)
        return call

    async def get(self, call_id: str) -> CallRecord | None:
        client = self._connection.client

        async def read() -> list[Any]:
            async with client.pipeline(transaction=False) as pipe:
                pipe.hget(self._keys.calls, call_id)
                pipe.hget(self._keys.ended, call_id)
                return await pipe.execute()

        text, ended = await self._connection.run(read)
        return None if text is None else call_from_json(call_id, text, ended)

    async def end(self, call_id: str, at: datetime) -> bool:
        ended = await self._connection.script(
            self._connection.end,
            [self._keys.calls, self._keys.ended, self._keys.settled, self._keys.due],
            [call_id, f"{at.timestamp():.6f}"],
        )
        return bool(ended == 1)

    async def end_active(self, call_id: str, agent_id: str, gate: Gate) -> Ending:
        keys, rate = self._keys, self._rate
        reply = await self._connection.script(
            self._connection.end_active,
            [*rate.hit_keys(gate), keys.calls, keys.ended, keys.settled, keys.due, keys.ends, keys.hooked],
            [*rate.hit_args(gate), call_id, agent_id, repr(EPSILON_SECONDS)],
        )
        now = rate.admitted(gate, reply[0]).now
        what = reply[1]
        if what == "missing":
            return Ending(None, False, now)
        call = call_from_json(call_id, reply[2], reply[3] if len(reply) > 3 else None)
        if (
            what == "unknown"
        ):  # kept by an older mock: the lifecycle decides, then the end is a step of its own
            if view_at(call, self._durations, now).active:
                at = datetime.fromtimestamp(now, UTC)
                if await self.end(call_id, at):
                    call.ended_at = at
                    return Ending(call, True, now)
            return Ending(call, False, now)
        return Ending(call, what == "ended", now)

    async def all(self, gate: Gate | None = None) -> list[CallRecord]:
        keys, rate = self._keys, self._rate
        gate = gate or Gate("", admission=NO_HIT)
        reply = await self._connection.script(
            self._connection.all,
            [*rate.hit_keys(gate), keys.order, keys.calls, keys.ended],
            [*rate.hit_args(gate)],
        )
        rate.admitted(gate, reply[0])
        flat = reply[1]
        return [call_from_json(flat[i], flat[i + 1], flat[i + 2] or None) for i in range(0, len(flat), 3)]

    async def count(self) -> int:
        return int(await self._connection.run(lambda: self._connection.client.hlen(self._keys.calls)))


class RedisWebhooks:
    def __init__(
        self,
        connection: Connection,
        keys: Keys,
        settings: Settings,
        on_added: Callable[[str], Awaitable[None]],
    ) -> None:
        """`on_added(agent_id)`: the agent has a new webhook (its calls in flight get their next events)."""
        self._connection, self._keys, self._on_added = connection, keys, on_added
        self._salt = str(settings.seed) if settings.seed is not None else secrets.token_hex(8)
        self.max_deliveries = MAX_DELIVERIES_LOGGED  # as the in-memory log's (`webhook_registry`)

    async def add(self, webhook: WebhookRecord) -> WebhookRecord:
        webhook_id = await self._connection.script(
            self._connection.add_webhook,
            [self._keys.webhooks, self._keys.whseq, self._keys.clock, self._keys.hooked],
            [webhook_json(webhook), "wh_", self._salt, webhook.agent_id],
        )
        webhook.id = str(webhook_id)
        await self._on_added(webhook.agent_id)
        return webhook

    async def get(self, webhook_id: str) -> WebhookRecord | None:
        text = await self._connection.run(
            lambda: self._connection.client.hget(self._keys.webhooks, webhook_id)
        )
        return None if text is None else webhook_from_json(webhook_id, text)

    async def of_agent(self, agent_id: str) -> list[WebhookRecord]:
        kept: dict[str, str] = await self._connection.run(
            lambda: self._connection.client.hgetall(self._keys.webhooks)
        )
        webhooks = [webhook_from_json(webhook_id, text) for webhook_id, text in kept.items()]
        return sorted((w for w in webhooks if w.agent_id == agent_id), key=lambda w: (w.created_at, w.id))

    async def _change(self, webhook_id: str, change: Callable[[WebhookRecord], object]) -> WebhookRecord:
        """Read, `change`, and write back only if nobody changed it meanwhile (`CAS_WEBHOOK_SCRIPT`),
        else again: two workers changing one webhook at once lose neither change."""
        connection, keys = self._connection, self._keys
        for _ in range(MAX_CHANGE_TRIES):
            text = await connection.run(functools.partial(connection.client.hget, keys.webhooks, webhook_id))
            if text is None:
                break
            webhook = webhook_from_json(webhook_id, text)
            change(webhook)
            written = await connection.script(
                connection.cas_webhook, [keys.webhooks], [webhook_id, text, webhook_json(webhook)]
            )
            if written == -1:
                break
            if written == 1:
                if webhook.enabled:
                    await self._on_added(webhook.agent_id)
                return webhook
        else:
            raise StoreUnavailable(
                f"webhook {webhook_id} was changed by other requests {MAX_CHANGE_TRIES} times while this "
                "one tried: retry the request"
            )
        raise StoreUnavailable(f"webhook {webhook_id} was deleted meanwhile; retry the request")

    async def update(self, webhook_id: str, changes: dict[str, Any], at: str) -> WebhookRecord:
        return await self._change(webhook_id, lambda webhook: apply_update(webhook, changes, at))

    async def toggle(self, webhook_id: str, at: str) -> WebhookRecord:
        def flip(webhook: WebhookRecord) -> None:
            webhook.enabled, webhook.updated_at = not webhook.enabled, at

        return await self._change(webhook_id, flip)

    async def _all_deliveries(self) -> list[Delivery]:
        """The whole log (at most `max_deliveries` finished, plus what is queued) in one HGETALL, read
        by Delete Webhook, Get Webhook Logs and the admin API only: fine at the cap of 10,000; a larger
        cap would want an index of each webhook's deliveries."""
        kept: dict[str, str] = await self._connection.run(
            lambda: self._connection.client.hgetall(self._keys.deliveries)
        )
        return sorted((delivery_from_json(key, text) for key, text in kept.items()), key=lambda d: d.id)

    async def remove(self, webhook_id: str) -> None:
        keys, client = self._keys, self._connection.client
        gone = [delivery.id for delivery in await self._all_deliveries() if delivery.webhook_id == webhook_id]

        async def delete() -> None:
            async with client.pipeline(transaction=True) as pipe:
                pipe.hdel(keys.webhooks, webhook_id)
                pipe.delete(f"{keys.prefix}q:{webhook_id}")
                pipe.srem(keys.queues, webhook_id)
                if gone:
                    pipe.hdel(keys.deliveries, *gone)
                    pipe.zrem(keys.finished, *gone)
                await pipe.execute()

        await self._connection.run(delete)

    async def record_test(self, webhook: WebhookRecord, body: bytes, attempt: Attempt) -> None:
        status = "delivered" if attempt.succeeded else "failed"
        delivery = Delivery(
            "", webhook.id, webhook.webhook_url, "", TEST_EVENT, None, body, status, [attempt]
        )
        keys = self._keys
        await self._connection.script(
            self._connection.log_test,
            [keys.deliveries, keys.dlvseq, keys.finished],
            [delivery_json(delivery), self.max_deliveries],
        )

    async def logs_of(self, webhook_id: str) -> list[dict[str, Any]]:
        return [
            attempt.as_log(delivery)
            for delivery in reversed(await self._all_deliveries())
            if delivery.webhook_id == webhook_id
            for attempt in reversed(delivery.attempts)
        ]

    async def deliveries(self) -> list[dict[str, Any]]:
        return [delivery.as_data() for delivery in await self._all_deliveries()]


class RedisJournal:
    """The journal, written in batches off the request path: an entry reaches Redis within
    `JOURNAL_FLUSH_SECONDS` (or once `JOURNAL_BATCH` wait), so recording costs no round trip per
    request; reading flushes this worker's entries first."""

    def __init__(self, connection: Connection, keys: Keys, size: int) -> None:
        self._connection, self._keys, self.size = connection, keys, size
        self._pending: list[bytes] = []
        self._flusher: asyncio.Task[None] | None = None

    @property
    def enabled(self) -> bool:
        return self.size > 0

    async def record(
        self,
        at: float,
        request: Request,
        body: bytes,
        status: int,
        answer: Answer | None = None,
        latency_ms: float = 0.0,
    ) -> None:
        cut = MAX_BODY_CHARS
        entry = orjson.dumps(
            {
                "at": iso_z(at),
                "method": request.method,
                "path": request.path[:cut],
                "query": request.query_string[:cut],
                "headers": journal_headers(request.headers),
                "body": body[:cut].decode("utf-8", "replace"),
                "status": status,
            }
        )
        self._pending.append(entry)
        if len(self._pending) >= JOURNAL_BATCH:
            await self.flush()
        elif self._flusher is None or self._flusher.done():
            self._flusher = asyncio.get_running_loop().create_task(self._flush_soon())

    async def _flush_soon(self) -> None:
        await asyncio.sleep(JOURNAL_FLUSH_SECONDS)
        waiting = len(self._pending)  # `flush` takes them: count them first
        try:
            await self.flush()
        except StoreUnavailable as error:
            log.warning("request journal: %d entries not kept: %s", waiting + len(self._pending), error)
            self._pending.clear()

    async def flush(self) -> None:
        """Write this worker's pending entries (one script)."""
        if not self._pending:
            return
        entries, self._pending = self._pending, []
        connection = self._connection
        await connection.script(
            connection.journal, [self._keys.jseq, self._keys.journal], [self.size, *entries]
        )

    async def entries(self, limit: int | None = None) -> list[dict[str, Any]]:
        await self.flush()
        start = -limit if limit else 0
        raw: list[str] = await self._connection.run(
            lambda: self._connection.client.lrange(self._keys.journal, start, -1)
        )
        total = int(await self._connection.run(lambda: self._connection.client.get(self._keys.jseq)) or 0)
        first = total - len(raw) + 1
        return [{"id": first + number, **orjson.loads(text)} for number, text in enumerate(raw)]


class RedisStore:
    """One namespace of the shared store. `namespace(name)` gives another over the same connection."""

    shared = True

    def __init__(
        self,
        settings: Settings,
        directory: Directory,
        configured_webhooks: list[WebhookRecord],
        namespace: str,
        connection: Connection | None = None,
        known: dict[str, RedisStore] | None = None,
        on_webhook_added: Callable[[RedisStore, str], Awaitable[None]] | None = None,
        available_events: Mapping[str, str] | None = None,
        local: MockState | None = None,
    ) -> None:
        """`on_webhook_added(store, agent_id)`: see `RedisWebhooks` (the app resumes the agent's calls)."""
        self.settings = settings
        self.directory = directory
        self.durations = Durations(settings.setup_seconds, settings.ring_seconds, settings.talk_seconds)
        self.connection = connection or Connection(settings.store)
        self.keys = Keys(namespace)
        self.name = namespace
        self._configured = configured_webhooks
        self._known = known if known is not None else {}
        self._ready = False
        self.used_at = 0.0  # when a request last named this namespace (monotonic seconds)
        self.clock = RedisClock(self.connection, self.keys, settings.time_scale)
        self.rate = RedisRate(self.connection, self.keys, settings)
        self.calls = RedisCalls(
            self.connection, self.keys, settings, directory.starting_credits(), self.rate, self.durations
        )
        self._on_webhook_added = on_webhook_added
        self.webhooks = RedisWebhooks(self.connection, self.keys, settings, self._webhook_added)
        self.journal = RedisJournal(self.connection, self.keys, settings.journal_size)
        self.available_events: Mapping[str, str] = available_events or {}
        self._local = local or MockState.create(settings)
        from mock_server.state.redis_campaigns import RedisAgents, RedisCampaigns  # noqa: PLC0415 - it builds on this module

        self.agents = RedisAgents(self.connection, self.keys, directory, namespace)
        self.campaigns = RedisCampaigns(
            self.connection,
            self.keys,
            settings,
            self.durations,
            self._local.campaigns.campaigns,
            self.agents,
            directory,
            self.calls,
        )

    @property
    def local(self) -> MockState:
        return self._local

    async def settle(self, now: float) -> None:
        return None  # no round trip on the request path: see `state.redis_campaigns` for where it runs

    def namespaces(self) -> list[RedisStore]:
        """This one and every other namespace this process has served (the background pass's)."""
        return [self, *self._known.values()]

    def namespace(self, name: str | None) -> RedisStore:
        if name is None or name == self.name:
            return self
        store = self._known.get(name)
        if store is None:
            if len(self._known) >= MAX_NAMESPACES_KNOWN:
                self._known.pop(next(iter(self._known)))
            store = RedisStore(
                self.settings,
                Directory(self.settings),  # its own copy of the namespace's agent statuses
                self._configured,
                name,
                self.connection,
                self._known,
                self._on_webhook_added,
                self.available_events,
                self._local,
            )
            self._known[name] = store
        store.used_at = time.monotonic()
        return store

    def pumped(self) -> list[RedisStore]:
        """The namespaces this process's webhook pump serves: its own, and those its requests named
        in the last `PUMPED_SECONDS` (at most `MAX_PUMPED`, the most recent first)."""
        since = time.monotonic() - PUMPED_SECONDS
        recent = sorted(
            (store for store in self._known.values() if store.used_at >= since and store is not self),
            key=lambda store: -store.used_at,
        )
        return [self, *recent[:MAX_PUMPED]]

    async def _webhook_added(self, agent_id: str) -> None:
        if self._on_webhook_added is not None:
            await self._on_webhook_added(self, agent_id)

    async def ready(self) -> None:
        """The configured webhooks of this namespace, once per process (HSETNX: a restart keeps them),
        and `hooked` (the agents with a webhook) made whole from the webhooks kept."""
        if self._ready:
            return
        await self._seed_webhooks()
        self._ready = True

    async def _seed_webhooks(self) -> None:
        mapping = {webhook.id: webhook_json(webhook) for webhook in self._configured}
        client, keys = self.connection.client, self.keys

        async def seed() -> None:
            async with client.pipeline(transaction=True) as pipe:
                for webhook_id, text in mapping.items():
                    pipe.hsetnx(keys.webhooks, webhook_id, text)
                await pipe.execute()
            kept: dict[str, str] = await client.hgetall(keys.webhooks)  # type: ignore[misc]
            agents = {webhook_from_json(webhook_id, text).agent_id for webhook_id, text in kept.items()}
            if agents:
                await client.sadd(keys.hooked, *agents)  # type: ignore[misc]

        await self.connection.run(seed)

    async def reset(self) -> None:
        client, keys = self.connection.client, self.keys

        async def wipe() -> None:
            rate_keys = [key async for key in client.scan_iter(match=keys.rate("*"), count=1000)]
            queues = [key async for key in client.scan_iter(match=keys.prefix + "q:*", count=1000)]
            fixed = [
                keys.credits,
                keys.calls,
                keys.ended,
                keys.ends,
                keys.order,
                keys.seq,
                keys.bytes,
                keys.webhooks,
            ]
            fixed += [keys.whseq, keys.journal, keys.jseq, keys.settled, keys.due, keys.claim]
            fixed += [keys.deliveries, keys.dlvseq, keys.finished, keys.queues, keys.hooked, *queues]
            fixed += [*self.campaigns.keys, self.agents.key]
            async with client.pipeline(transaction=True) as pipe:
                pipe.delete(*fixed, *rate_keys)
                pipe.hset(keys.clock, "offset", "0")
                await pipe.execute()

        await self.connection.run(wipe)
        await self.campaigns.forget()
        await self._seed_webhooks()

    async def ping(self) -> None:
        await self.connection.run(self.connection.client.ping)

    async def close(self) -> None:
        for store in (self, *self._known.values()):
            with contextlib.suppress(StoreUnavailable):
                await store.journal.flush()
        await self.connection.close()
