"""Campaigns and agent statuses on the shared store (`--store redis://...`), for every worker at once.

Campaign calls: Make a Campaign Call queues one in a WATCH/MULTI transaction (the duplicate check and
the queueing are one atomic step across workers). Due ones are placed by `dispatch`, which any worker
may run at any time: each is placed by `PLACE_CAMPAIGN_CALL_SCRIPT`, the call store's own PLACE script
(credit, id, call, event schedule, eviction) behind a check-and-pop of the queue, so a campaign call
is placed once however many workers dispatch together; a call that is over goes back to the queue for
a retry (or off the in-flight set) by `REQUEUE_SCRIPT`, guarded by the id of the call it read. Which
calls are due, whether they retry and when, is the in-memory store's code (`state.campaigns`).

Dispatch runs before each campaign operation, after the admin API moves the clock, and in the
background (`settle_forever`, every `SETTLE_SECONDS` of real time, per worker, for the namespaces the
worker has served that have campaign calls queued or in flight); never on the hot path. The same
pass reloads the worker's copy of a namespace's agent statuses (`RedisAgents`, what Make a Call's
agent check reads) when that namespace's count of changes moved: another worker's Publish/Unpublish
Agent is seen within about `SETTLE_SECONDS`, this worker's own at once. With nothing to do, the pass
is one round trip for all namespaces and touches no namespace's keys.

Keys of a namespace (P = `talq:<namespace>:`): `P cc` (hash: campaign call id -> its fixed fields as
JSON), `P ccorder` (list of ids, oldest first), `P ccsched` (hash: id -> scheduled_at), `P ccretries`
(hash: id -> retries), `P cclast` (hash: id -> the ids of the calls it became, comma-separated),
`P ccqueue` (zset: the queued ids by scheduled_at), `P ccfly` (set: placed ids whose call is not over),
`P ccseq` (counter of ids), `P agents` (hash: agent id -> "status at"); and, outside every namespace,
`CAMPAIGNING_KEY` and `AGENT_VERSIONS_KEY` (their entries name namespaces). A reset deletes the
namespace's keys and its entries there.
"""

from __future__ import annotations

import asyncio
import hashlib
import logging
import secrets
from collections.abc import Mapping
from dataclasses import replace

import orjson
from redis.exceptions import WatchError

from mock_server.scenarios import AGENT_PUBLISHED
from mock_server.settings import CampaignEntry, Settings
from mock_server.state.calls import CallRecord
from mock_server.state.campaigns import (
    ACTIVE,
    CampaignCall,
    CampaignCallView,
    call_of,
    campaign_call_status,
    duplicate_of,
    retry_at,
)
from mock_server.state.directory import Directory
from mock_server.state.lifecycle import EPSILON_SECONDS, Durations, view_at
from mock_server.state.ports import Gate, Outage, StoreUnavailable
from mock_server.state.redis_store import (
    KEY_ROOT,
    NO_HIT,
    PLACE_SCRIPT,
    Connection,
    Keys,
    RedisCalls,
    RedisStore,
    call_from_json,
)
from mock_server.state.store import MAX_PASSES  # a long clock jump can end an attempt and reach its retry

log = logging.getLogger("mock_server.state")
SETTLE_SECONDS = 0.1  # the background pass of each worker (real time)
# Two keys outside every namespace ('~' is no namespace's character), each naming namespaces only:
CAMPAIGNING_KEY = f"{KEY_ROOT}:~:campaigning"  # set: namespaces with campaign calls queued or in flight
AGENT_VERSIONS_KEY = f"{KEY_ROOT}:~:agents"  # hash: namespace -> count of its agent status changes
MAX_QUEUE_TRIES = 50  # Make a Campaign Call's transaction, retried while other workers change the queue

# The call store's PLACE script as a function, behind a check that the campaign call is still queued
# for the time it was read at (so it is placed once). KEYS: PLACE's, then queue, latest, in flight.
# ARGV: PLACE's (a free call, its hit made already at the instant it was scheduled for: its
# created_at), then the campaign call id and its score as read.
PLACE_CAMPAIGN_CALL_SCRIPT = (
    "local function place_call()\n"
    + PLACE_SCRIPT
    + """
end
local queue, latest, fly = KEYS[#KEYS - 2], KEYS[#KEYS - 1], KEYS[#KEYS]
local campaign_call, expected = ARGV[#ARGV - 1], ARGV[#ARGV]
local score = redis.call('ZSCORE', queue, campaign_call)
if not score or tonumber(score) ~= tonumber(expected) then return false end
local id = place_call()[2]
if id == '' then return false end
redis.call('ZREM', queue, campaign_call)
local before = redis.call('HGET', latest, campaign_call)
if before then redis.call('HSET', latest, campaign_call, before .. ',' .. id)
else redis.call('HSET', latest, campaign_call, id) end
redis.call('SADD', fly, campaign_call)
return id
"""
)

# A campaign call whose call is over leaves the in-flight set, queued again when ARGV[3] says when
# ('' = never). KEYS: in flight, latest, queue, retries, scheduled. ARGV: campaign call id, its call
# ids as read (another worker has not dealt with it since), the retry's time.
# The namespace leaves the background pass's set once nothing is queued or in flight (KEYS: queue, in
# flight, the set. ARGV: namespace); a campaign call queued meanwhile puts it back in the same step.
RETIRE_SCRIPT = """
if redis.call('ZCARD', KEYS[1]) == 0 and redis.call('SCARD', KEYS[2]) == 0 then
  return redis.call('SREM', KEYS[3], ARGV[1])
end
return 0
"""

REQUEUE_SCRIPT = """
if redis.call('HGET', KEYS[2], ARGV[1]) ~= ARGV[2] then return 0 end
if redis.call('SREM', KEYS[1], ARGV[1]) == 0 then return 0 end
if ARGV[3] ~= '' then
  redis.call('HINCRBY', KEYS[4], ARGV[1], 1)
  redis.call('HSET', KEYS[5], ARGV[1], ARGV[3])
  redis.call('ZADD', KEYS[3], ARGV[3], ARGV[1])
end
return 1
"""


def fixed_json(call: CampaignCall) -> str:
    """What never changes of a campaign call (kept in `P cc`)."""
    fixed = {
        "campaign_id": call.campaign_id,
        "to": call.to,
        "payload": call.payload,
        "context": call.context,
        "is_testing": call.is_testing,
        "created_at": call.created_at,
    }
    return orjson.dumps(fixed).decode()


def campaign_call_from(
    call_id: str, fixed: str, scheduled: str | None, retries: str | None, latest: str | None
) -> CampaignCall:
    data = orjson.loads(fixed)  # the fields of `fixed_json`, by their names
    return CampaignCall(
        id=call_id,
        **data,
        scheduled_at=float(scheduled) if scheduled else data["created_at"],
        retries=int(retries or 0),
        call_ids=latest.split(",") if latest else [],
    )


class RedisAgents:
    """The agent statuses of one namespace: in `P agents`, and this worker's copy in its `Directory`
    (what the request path reads, with no round trip), reloaded by the background pass when the
    namespace's count in `AGENT_VERSIONS_KEY` moved."""

    def __init__(self, connection: Connection, keys: Keys, directory: Directory, namespace: str) -> None:
        self._connection, self.key, self._directory = connection, keys.agents, directory
        self.namespace = namespace
        self.writes = 0  # this worker's changes so far: a read begun before one is not loaded
        self.version: str | None = None  # the namespace's count of changes this copy has

    async def set_status(self, agent_id: str, status: str, at: float) -> None:
        self.writes += 1
        client = self._connection.client

        async def write() -> None:
            async with client.pipeline(transaction=True) as pipe:
                pipe.hset(self.key, agent_id, f"{status} {at!r}")
                pipe.hincrby(AGENT_VERSIONS_KEY, self.namespace, 1)
                await pipe.execute()

        await self._connection.run(write)
        self._directory.set_status(agent_id, status, at)

    def load(self, kept: Mapping[str, str], writes: int) -> bool:
        """Take `kept` (`P agents` as read when `writes` was this worker's count of changes); False
        when this worker changed one since (the read may miss it: the next pass has it)."""
        if writes != self.writes:
            return False
        changed: dict[str, tuple[str, float]] = {}
        for agent_id, value in kept.items():
            status, _, at = value.partition(" ")
            changed[agent_id] = (status, float(at))
        self._directory.load(changed)
        return True

    async def refresh(self, version: str | None) -> None:
        """Reload the copy when the namespace's count of changes is not the one it has."""
        if version is None or version == self.version:
            return
        writes = self.writes
        kept: dict[str, str] = await self._connection.run(lambda: self._connection.client.hgetall(self.key))
        if self.load(kept, writes):
            self.version = version

    def forget(self) -> None:
        """After a reset of the namespace."""
        self.writes += 1
        self._directory.reset()


class RedisCampaigns:
    def __init__(
        self,
        connection: Connection,
        keys: Keys,
        settings: Settings,
        durations: Durations,
        campaigns: Mapping[str, CampaignEntry],
        agents: RedisAgents,
        directory: Directory,
        calls: RedisCalls,
    ) -> None:
        """`calls`: the namespace's call store, whose PLACE script places a campaign call as a call."""
        self._connection, self._keys, self._settings, self._calls = connection, keys, settings, calls
        self._durations, self.campaigns = durations, campaigns
        self._agents, self._directory = agents, directory
        self._salt = str(settings.seed) if settings.seed is not None else secrets.token_hex(8)
        self._place = connection.client.register_script(PLACE_CAMPAIGN_CALL_SCRIPT)
        self._requeue = connection.client.register_script(REQUEUE_SCRIPT)
        self._retire = connection.client.register_script(RETIRE_SCRIPT)

    @property
    def keys(self) -> tuple[str, ...]:
        """Every key of this namespace's campaign calls (what a reset deletes)."""
        k = self._keys
        return (k.cc, k.ccorder, k.ccsched, k.ccretries, k.cclast, k.ccqueue, k.ccfly, k.ccseq)

    # reading

    async def _calls_of(self, ids: list[str]) -> dict[str, CallRecord]:
        """The calls `ids` name that are still kept (one round trip)."""
        if not ids:
            return {}
        client, keys = self._connection.client, self._keys
        async with client.pipeline(transaction=False) as pipe:
            pipe.hmget(keys.calls, ids)
            pipe.hmget(keys.ended, ids)
            texts, ended = await pipe.execute()
        return {
            call_id: call_from_json(call_id, text, end)
            for call_id, text, end in zip(ids, texts, ended, strict=True)
            if text is not None
        }

    async def calls(self, now: float, campaign_id: str | None = None) -> list[CampaignCallView]:
        views: list[CampaignCallView] = await self._connection.run(lambda: self._views(now, campaign_id))
        return views

    async def _views(self, now: float, campaign_id: str | None) -> list[CampaignCallView]:
        client, keys = self._connection.client, self._keys
        async with client.pipeline(transaction=False) as pipe:
            pipe.lrange(keys.ccorder, 0, -1)
            pipe.hgetall(keys.cc)
            pipe.hgetall(keys.ccsched)
            pipe.hgetall(keys.ccretries)
            pipe.hgetall(keys.cclast)
            pipe.zrange(keys.ccqueue, 0, -1)
            order, fixed, scheduled, retries, latest, queued = await pipe.execute()
        chosen = [
            campaign_call_from(
                call_id, fixed[call_id], scheduled.get(call_id), retries.get(call_id), latest.get(call_id)
            )
            for call_id in order
            if call_id in fixed
        ]
        chosen = [call for call in chosen if campaign_id in {None, call.campaign_id}]
        placed = await self._calls_of([call.call_id for call in chosen if call.call_id])
        waiting = set(queued)
        return [
            CampaignCallView(
                call,
                campaign_call_status(
                    placed.get(call.call_id or ""), call.id in waiting, self._durations, now
                ),
            )
            for call in chosen
        ]

    # queueing

    async def queue(
        self, call: CampaignCall, allow_duplicates: bool, now: float
    ) -> CampaignCall | CampaignCallView:
        for _ in range(MAX_QUEUE_TRIES):
            queued: CampaignCall | CampaignCallView | None = await self._connection.run(
                lambda: self._try_queue(call, allow_duplicates, now)
            )
            if queued is not None:
                return queued
        raise StoreUnavailable(
            "The campaign's calls kept changing while this one was queued (other workers); retry the request."
        )

    async def _try_queue(
        self, call: CampaignCall, allow_duplicates: bool, now: float
    ) -> CampaignCall | CampaignCallView | None:
        """One optimistic attempt: None when another worker changed the campaign calls meanwhile."""
        client, keys = self._connection.client, self._keys
        async with client.pipeline(transaction=True) as pipe:
            await pipe.watch(keys.ccorder, keys.ccqueue, keys.ccfly)
            if not allow_duplicates:
                existing = duplicate_of(await self._views(now, call.campaign_id), call.to)
                if existing is not None:
                    return existing
            number = int(await client.incr(keys.ccseq))
            digest = hashlib.blake2b(f"{self._salt}:cc:{number}".encode(), digest_size=8).hexdigest()
            call.id = "ccall_" + digest
            pipe.multi()  # type: ignore[no-untyped-call]
            pipe.hset(keys.cc, call.id, fixed_json(call))
            pipe.rpush(keys.ccorder, call.id)
            pipe.hset(keys.ccsched, call.id, repr(call.scheduled_at))
            pipe.hset(keys.ccretries, call.id, "0")
            pipe.zadd(keys.ccqueue, {call.id: call.scheduled_at})
            pipe.sadd(CAMPAIGNING_KEY, self._agents.namespace)
            try:
                await pipe.execute()
            except WatchError:
                return None
        return call

    # dispatching

    async def dispatch(self, now: float) -> int:
        return int(await self._connection.run(lambda: self._dispatch(now)))

    async def _dispatch(self, now: float) -> int:
        client, keys = self._connection.client, self._keys
        placed = 0
        for _ in range(MAX_PASSES):
            writes = self._agents.writes
            async with client.pipeline(transaction=False) as pipe:
                pipe.smembers(keys.ccfly)
                pipe.hgetall(self._agents.key)
                pipe.zrangebyscore(keys.ccqueue, "-inf", repr(now + EPSILON_SECONDS), withscores=True)
                fly, statuses, due = await pipe.execute()
            self._agents.load(statuses, writes)
            if fly and await self._requeue_over(sorted(fly), now):
                due = await client.zrangebyscore(
                    keys.ccqueue, "-inf", repr(now + EPSILON_SECONDS), withscores=True
                )
            made = await self._place_due(due)
            placed += made
            if not made:
                break
        return placed

    async def retire(self) -> None:
        """Off the background pass's set when nothing is queued or in flight."""
        keys = self._keys
        await self._connection.script(
            self._retire, [keys.ccqueue, keys.ccfly, CAMPAIGNING_KEY], [self._agents.namespace]
        )

    async def forget(self) -> None:
        """After a reset of the namespace: off the pass's set; each worker's copy of its statuses reloaded."""
        client, name = self._connection.client, self._agents.namespace

        async def wipe() -> None:
            async with client.pipeline(transaction=True) as pipe:
                pipe.srem(CAMPAIGNING_KEY, name)
                pipe.hincrby(AGENT_VERSIONS_KEY, name, 1)
                await pipe.execute()

        await self._connection.run(wipe)
        self._agents.forget()

    async def _requeue_over(self, fly: list[str], now: float) -> bool:
        """Take the campaign calls whose call is over off the in-flight set, queueing those that retry;
        whether any was queued again."""
        client, keys = self._connection.client, self._keys
        async with client.pipeline(transaction=False) as pipe:
            pipe.hmget(keys.cc, fly)
            pipe.hmget(keys.ccretries, fly)
            pipe.hmget(keys.cclast, fly)
            fixed, retries, latest = await pipe.execute()
        calls = [
            campaign_call_from(call_id, text, None, tries, last)
            for call_id, text, tries, last in zip(fly, fixed, retries, latest, strict=True)
            if text is not None and last
        ]
        placed = await self._calls_of([call.call_id for call in calls if call.call_id])
        queued = False
        for campaign_call in calls:
            call = placed.get(campaign_call.call_id or "")
            view = None if call is None else view_at(call, self._durations, now)
            if view is not None and view.active:
                continue
            campaign = self.campaigns.get(campaign_call.campaign_id)
            if campaign is None:
                continue  # a campaign of another configuration: left to a worker that has it
            again = retry_at(campaign, campaign_call.retries, view, now)
            done = await self._connection.script(
                self._requeue,
                [keys.ccfly, keys.cclast, keys.ccqueue, keys.ccretries, keys.ccsched],
                [
                    campaign_call.id,
                    ",".join(campaign_call.call_ids),
                    "" if again is None else repr(again),
                ],
            )
            queued |= done == 1 and again is not None
        return queued

    def _ready(self, campaign_id: str) -> CampaignEntry | None:
        """The campaign, when its calls may be placed now: active, its agent published."""
        campaign = self.campaigns.get(campaign_id)
        if campaign is None or campaign.status != ACTIVE:
            return None
        return campaign if self._directory.agent_status(campaign.agent_id) == AGENT_PUBLISHED else None

    async def _place_due(self, due: list[tuple[str, float]]) -> int:
        if not due:
            return 0
        keys = self._keys
        ids = [call_id for call_id, _score in due]
        fixed: list[str | None] = await self._connection.client.hmget(keys.cc, ids)  # type: ignore[misc]
        made = 0
        for (call_id, score), text in zip(due, fixed, strict=True):
            if text is None:
                continue
            campaign_call = campaign_call_from(call_id, text, repr(score), None, None)
            campaign = self._ready(campaign_call.campaign_id)
            if campaign is None:
                continue  # a paused campaign or an unpublished agent: it waits
            call = call_of(campaign, campaign_call, "")
            placed_at = Gate("", admission=replace(NO_HIT, now=campaign_call.scheduled_at))
            place_keys, place_args = self._calls.place_request(call, None, placed_at)
            placed = await self._connection.script(
                self._place,
                [*place_keys, keys.ccqueue, keys.cclast, keys.ccfly],
                [*place_args, call_id, repr(score)],
            )
            made += placed is not None
        return made


async def settle_forever(store: RedisStore, interval: float = SETTLE_SECONDS) -> None:
    """This worker's background pass, until cancelled: of the namespaces it has served, those whose
    agent statuses changed get this worker's copy reloaded, and those with campaign calls queued or in
    flight get the due ones placed (one round trip when there is nothing to do; a namespace with
    neither is not touched). Redis down: logged once, tried again."""
    outage = Outage(log, "campaigns")
    client = store.connection.client
    while True:
        try:
            async with client.pipeline(transaction=False) as pipe:
                pipe.hgetall(AGENT_VERSIONS_KEY)
                pipe.smembers(CAMPAIGNING_KEY)
                versions, campaigning = await store.connection.run(pipe.execute)
            for namespace in store.namespaces():
                await namespace.agents.refresh(versions.get(namespace.name))
                if namespace.name in campaigning:
                    await namespace.campaigns.dispatch((await namespace.clock.view()).now)
                    await namespace.campaigns.retire()
            outage.answered()
        except StoreUnavailable as error:
            outage.failed(error)
        except Exception:  # a bug must not stop the pass for good: logged, and the next pass runs
            log.exception("campaigns: the background pass failed")
        await asyncio.sleep(interval)
