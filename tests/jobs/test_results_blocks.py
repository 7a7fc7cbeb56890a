"""Results leave the server in blocks, not a socket write per row."""

from slm_platform.jobs.results import in_blocks


def test_rows_are_joined_into_blocks_with_nothing_lost_or_reordered():
    rows = [f"{number},café ☕ {number}\n" for number in range(5000)]
    blocks = list(in_blocks(iter(rows), size=4096))
    assert b"".join(blocks).decode() == "".join(rows)
    assert all(len(block.decode()) >= 4096 for block in blocks[:-1])
    assert len(blocks) < len(rows) / 50


def test_an_empty_stream_gives_no_block():
    assert list(in_blocks(iter([]))) == []
