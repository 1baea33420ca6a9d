"""state.resp: the lean Redis client, against a real redis-server and, for the faults, real sockets of
127.0.0.1 that refuse, or accept and never answer."""

from __future__ import annotations

import asyncio
import hashlib
import socket
from collections.abc import Iterator

import pytest
from redis.exceptions import ConnectionError as RedisConnectionError
from redis.exceptions import ResponseError
from redis.exceptions import TimeoutError as RedisTimeoutError

from mock_server.state.resp import Address, RespClient, address_of, encode
from mock_server.testing import free_port
from test_support.redis_server import RedisServer, redis_server

SCRIPT = "return {KEYS[1], ARGV[1], tonumber(ARGV[2]) + 1, false, redis.call('INCR', KEYS[1])}"


@pytest.fixture(scope="module")
def redis() -> Iterator[RedisServer]:
    with redis_server() as server:
        yield server


def client_of(port: int, timeout: float = 1.0, scripts: tuple[str, ...] = ()) -> RespClient:
    return RespClient(Address("127.0.0.1", port, 0, None, None), 0.5, timeout, scripts)


def test_address_of_reads_host_port_db_and_credentials_and_leaves_the_rest_to_redis_py() -> None:
    assert address_of("redis://127.0.0.1:6390/2") == Address("127.0.0.1", 6390, 2, None, None)
    assert address_of("redis://user:p%40ss@db.example:7000") == Address("db.example", 7000, 0, "user", "p@ss")
    assert address_of("redis://:secret@localhost/0") == Address("localhost", 6379, 0, None, "secret")
    assert address_of("rediss://127.0.0.1:6390/0") is None  # TLS
    assert address_of("unix:///run/redis.sock") is None
    assert address_of("redis://127.0.0.1:6390/0?socket_timeout=1") is None


def test_encode_is_resp_arrays_of_bulk_strings() -> None:
    assert encode(["SET", "k", 1, b"\x00\xff", "é"]) == (
        b"*5\r\n$3\r\nSET\r\n$1\r\nk\r\n$1\r\n1\r\n$2\r\n\x00\xff\r\n$2\r\n\xc3\xa9\r\n"
    )


def test_commands_and_scripts_in_flight_together_each_get_their_own_reply(redis: RedisServer) -> None:
    async def run() -> None:
        client = client_of(redis.port)
        sha = await client.execute("SCRIPT", "LOAD", SCRIPT)
        await client.execute("SCRIPT", "FLUSH")  # the first EVALSHA finds no script: EVAL follows
        replies = await asyncio.gather(
            *(client.evalsha(sha, SCRIPT, [f"resp:{n}"], ["x", n]) for n in range(50)),
            client.execute("ECHO", "é"),
            client.execute("GET", "resp:none"),
        )
        assert replies[:50] == [[f"resp:{n}", "x", n + 1, None, 1] for n in range(50)]
        assert replies[50:] == ["é", None]
        with pytest.raises(ResponseError, match="unknown command"):
            await client.execute("NO-SUCH-COMMAND")
        assert await client.execute("PING") == "PONG"  # an error reply leaves the connection in step
        await client.close()

    asyncio.run(run())


def test_scripts_given_are_loaded_on_connecting(redis: RedisServer) -> None:
    async def run() -> None:
        client = client_of(redis.port, scripts=(SCRIPT,))
        await client.execute("SCRIPT", "FLUSH")
        await client.close()
        again = client_of(redis.port, scripts=(SCRIPT,))
        sha = await again.execute("SCRIPT", "LOAD", "return 1")  # connects: loads SCRIPT first
        exists = await again.execute("SCRIPT", "EXISTS", sha, _sha1(SCRIPT))
        assert exists == [1, 1]
        await again.close()

    asyncio.run(run())


def _sha1(text: str) -> str:
    return hashlib.sha1(text.encode()).hexdigest()  # noqa: S324 - Redis names scripts by SHA1


def test_a_port_nobody_listens_on_is_a_connection_error() -> None:
    async def run() -> None:
        client = client_of(free_port())
        with pytest.raises(RedisConnectionError, match="cannot connect to Redis"):
            await client.execute("PING")

    asyncio.run(run())


def test_a_server_that_never_answers_is_a_timeout_and_the_client_connects_again_later(
    redis: RedisServer,
) -> None:
    async def run() -> None:
        with socket.socket() as silent:
            silent.bind(("127.0.0.1", 0))
            silent.listen()
            client = client_of(silent.getsockname()[1], timeout=0.3)
            loop = asyncio.get_running_loop()
            started = loop.time()
            with pytest.raises(RedisTimeoutError, match=r"did not answer within 0\.3 s"):
                await client.execute("PING")
            assert loop.time() - started < 2  # bounded: never a hang
            # the same client, once the address answers again, recovers by itself
            client.address = Address("127.0.0.1", redis.port, 0, None, None)
            assert await client.execute("PING") == "PONG"
            await client.close()

    asyncio.run(run())


def test_a_restart_of_redis_fails_what_was_in_flight_and_the_next_command_reconnects(
    tmp_path_factory: pytest.TempPathFactory,
) -> None:
    server = RedisServer(tmp_path_factory.mktemp("resp-redis"))
    server.start()
    try:

        async def run() -> None:
            client = client_of(server.port)
            assert await client.execute("SET", "kept", "yes") == "OK"
            server.stop()
            with pytest.raises(RedisConnectionError):
                await client.execute("PING")
            server.start()
            assert await client.execute("GET", "kept") == "yes"  # AOF: nothing answered was lost
            await client.close()

        asyncio.run(run())
    finally:
        server.stop()


def test_a_password_and_a_database_are_used_and_a_wrong_password_says_so(
    tmp_path_factory: pytest.TempPathFactory,
) -> None:
    server = RedisServer(tmp_path_factory.mktemp("resp-auth"))
    server.start()
    try:

        async def run() -> None:
            setup = client_of(server.port)
            assert await setup.execute("CONFIG", "SET", "requirepass", "s3cret") == "OK"
            await setup.close()
            client = RespClient(Address("127.0.0.1", server.port, 3, None, "s3cret"), 0.5, 1.0)
            assert await client.execute("SET", "where", "db3") == "OK"
            info: str = await client.execute("CLIENT", "INFO")
            assert info.split(" db=")[1].startswith("3 ")
            await client.close()
            wrong = RespClient(Address("127.0.0.1", server.port, 0, None, "nope"), 0.5, 1.0)
            with pytest.raises(ResponseError, match=r"WRONGPASS|invalid password"):
                await wrong.execute("PING")
            await wrong.close()

        asyncio.run(run())
    finally:
        server.stop()
