# Unit tests of the executor's wire format (src/executor/protocol.py) and of how the server
# (src/executor/executor.py) answers each request and collects a command's output, over a real
# socket pair and real processes; no container.
import os
import pathlib
import signal
import socket
import sys
import threading

import pytest

sys.path.insert(0, str(pathlib.Path(__file__).resolve().parents[2] / "src" / "executor"))
import executor  # noqa: E402
import protocol  # noqa: E402


@pytest.fixture
def pair():
    ends = socket.socketpair()
    yield ends
    for end in ends:
        end.close()


def serve(conn, header, body=b""):
    """Runs one request through the server's handler on one end, as its loop would."""
    thread = threading.Thread(target=executor.handle, args=(conn, header, body))
    thread.start()
    return thread


@pytest.mark.parametrize(
    "header",
    [{"op": "exec", "argv": ["true"], "size": 0}, {"path": "/tmp/ü ' \"", "token": "x" * 64}, {}],
)
def test_a_header_arrives_as_sent(pair, header):
    protocol.send_header(pair[0], header)
    assert protocol.receive_header(pair[1]) == header


@pytest.mark.parametrize("size", [0, 1, protocol.CHUNK - 1, protocol.CHUNK, 3 * protocol.CHUNK + 7])
def test_chunks_arrive_whole_up_to_the_empty_one(pair, size):
    data = os.urandom(size)
    parts = [data[i : i + protocol.CHUNK] for i in range(0, size, protocol.CHUNK)]
    sender = threading.Thread(
        target=lambda: (
            [protocol.send_chunk(pair[0], part) for part in parts]
            + [protocol.send_chunk(pair[0], b""), protocol.send_header(pair[0], {"rc": 0})]
        )
    )
    sender.start()
    received = []
    assert protocol.receive_chunks(pair[1], received.append) == {"rc": 0}
    sender.join()
    assert b"".join(received) == data


def test_a_header_over_the_limit_is_refused_before_it_is_read(pair):
    pair[0].sendall(protocol.LENGTH.pack(protocol.HEADER_LIMIT + 1))
    with pytest.raises(ValueError, match="more than"):
        protocol.receive_header(pair[1])


def test_a_connection_closed_half_way_is_an_error_not_a_short_message(pair):
    pair[0].sendall(protocol.LENGTH.pack(10) + b"12345")
    pair[0].close()
    with pytest.raises(EOFError):
        protocol.receive_chunk(pair[1])


def answer(conn):
    header = protocol.receive_header(conn)
    body = protocol.receive_exactly(conn, header.get("stdout", 0) + header.get("stderr", 0))
    return header, body


def test_exec_gives_the_exit_status_and_both_streams_whole(pair):
    # More than a pipe holds on both streams at once: the server must read them as they come.
    script = (
        "head -c 300000 /dev/zero | tr '\\0' o; head -c 200000 /dev/zero | tr '\\0' e >&2; exit 3"
    )
    thread = serve(pair[1], {"op": "exec", "argv": ["/bin/sh", "-c", script], "size": 0})
    header, body = answer(pair[0])
    thread.join()
    assert header == {"rc": 3, "stdout": 300000, "stderr": 200000}
    assert body == b"o" * 300000 + b"e" * 200000


def test_exec_feeds_stdin_larger_than_a_pipe(pair):
    stdin = os.urandom(500000)
    thread = serve(pair[1], {"op": "exec", "argv": ["cat"], "size": len(stdin)}, stdin)
    header, body = answer(pair[0])
    thread.join()
    assert (header["rc"], body) == (0, stdin)


def test_a_command_killed_by_a_signal_exits_as_the_shell_would_say(pair):
    thread = serve(pair[1], {"op": "exec", "argv": ["/bin/sh", "-c", "kill -TERM $$"], "size": 0})
    header, _ = answer(pair[0])
    thread.join()
    assert header["rc"] == 128 + signal.SIGTERM


def test_put_then_fetch_gives_back_the_same_bytes(pair, tmp_path):
    target = tmp_path / "a file ' \""
    data = os.urandom(protocol.CHUNK * 2 + 5)
    # The handler reads a put's body from the connection itself, as it comes.
    thread = serve(pair[1], {"op": "put", "path": str(target), "size": len(data)})
    pair[0].sendall(data)
    assert protocol.receive_header(pair[0]) == {"rc": 0}
    thread.join()
    thread = serve(pair[1], {"op": "fetch", "path": str(target)})
    assert protocol.receive_header(pair[0]) == {"rc": 0}
    fetched = []
    assert protocol.receive_chunks(pair[0], fetched.append) == {"rc": 0}
    thread.join()
    assert b"".join(fetched) == data


def test_fetch_of_a_missing_file_answers_with_the_error(pair, tmp_path):
    thread = serve(pair[1], {"op": "fetch", "path": str(tmp_path / "nothing")})
    header = protocol.receive_header(pair[0])
    thread.join()
    assert header["error"].startswith("FileNotFoundError")


def test_an_unknown_operation_is_an_error_answer(pair):
    thread = serve(pair[1], {"op": "format"})
    assert protocol.receive_header(pair[0]) == {"error": "unknown op 'format'"}
    thread.join()
