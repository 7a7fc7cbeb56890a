import numpy as np
import pytest

from slm_platform.ml.vector_index import VectorIndex, VersionedCache, vector_to_bytes


def test_search_ranks_by_cosine_and_round_trips_through_bytes():
    rng = np.random.default_rng(0)
    vectors = rng.normal(size=(50, 384)).astype(np.float32)
    index = VectorIndex.from_bytes((100 + i, vector_to_bytes(v)) for i, v in enumerate(vectors))
    hits = index.search(vectors[7] * 3, k=3)  # scale does not matter: cosine
    assert hits[0].key == 107 and hits[0].score == pytest.approx(1.0, abs=1e-5)
    assert hits[0].score >= hits[1].score >= hits[2].score
    assert len(index.search(vectors[0], k=500)) == 50
    assert VectorIndex([], np.zeros((0, 384))).search(vectors[0], k=5) == []


def test_a_vector_of_the_wrong_size_is_refused():
    with pytest.raises(ValueError, match="key 1 has 8 bytes"):
        VectorIndex.from_bytes([(1, b"\0" * 8)])


def test_the_cache_loads_once_per_version_and_drops_old_versions():
    cache = VersionedCache(capacity=2)
    assert cache.get_or_load("kb1", 1, lambda: "v1") == "v1"
    assert cache.get_or_load("kb1", 1, lambda: "again") == "v1"
    assert cache.get_or_load("kb1", 2, lambda: "v2") == "v2"
    cache.get_or_load("kb2", 1, lambda: "b")
    cache.get_or_load("kb3", 1, lambda: "c")  # kb1 is least recently used: dropped
    assert cache.get_or_load("kb1", 2, lambda: "reloaded") == "reloaded"
    assert cache.loads == 5
