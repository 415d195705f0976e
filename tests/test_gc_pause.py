"""The cycle collector pause of big batches: overlapping pauses, and the state restored."""

from __future__ import annotations

import gc
from collections.abc import Iterator

import pytest

from models.gc_pause import cycle_collection_paused


@pytest.fixture(autouse=True)
def collector_on() -> Iterator[None]:
    gc.enable()
    yield
    gc.enable()


def test_overlapping_pauses_switch_the_collector_on_only_when_both_end() -> None:
    first, second = cycle_collection_paused(), cycle_collection_paused()
    first.__enter__()
    second.__enter__()
    first.__exit__(None, None, None)
    assert not gc.isenabled()  # the second batch is still being built
    second.__exit__(None, None, None)
    assert gc.isenabled()


def test_a_collector_switched_off_before_stays_off_and_no_pause_changes_nothing() -> None:
    with cycle_collection_paused(pause=False):
        assert gc.isenabled()
    gc.disable()
    with cycle_collection_paused():
        assert not gc.isenabled()
    assert not gc.isenabled()


def test_the_collector_comes_back_after_a_failed_batch() -> None:
    with pytest.raises(RuntimeError), cycle_collection_paused():
        raise RuntimeError("refused")
    assert gc.isenabled()
