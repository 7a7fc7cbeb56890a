"""An in-process vector index: exact cosine top-k over L2-normalised float32 rows (numpy).

At knowledge-base sizes (thousands to some hundred thousand passages of 384 floats) one matrix
product is milliseconds, so no approximate index is needed. Vectors travel to and from the
database as the raw bytes of float32 arrays (`vector_to_bytes`), which any SQL backend stores.
"""

import threading
from collections import OrderedDict
from collections.abc import Callable, Hashable, Iterable, Sequence
from dataclasses import dataclass
from typing import Generic, TypeVar

import numpy as np

EMBEDDING_DIM = 384  # all-MiniLM-L6-v2

T = TypeVar("T")


@dataclass(frozen=True)
class Hit:
    key: int
    score: float


def vector_to_bytes(vector: np.ndarray) -> bytes:
    """A vector, L2-normalised, as float32 bytes."""
    vector = np.asarray(vector, dtype=np.float32).reshape(-1)
    norm = float(np.linalg.norm(vector))
    return (vector / norm if norm > 0 else vector).astype(np.float32).tobytes()


class VectorIndex:
    """Keys and their normalised vectors; `search` ranks them by cosine similarity."""

    def __init__(self, keys: Sequence[int], vectors: np.ndarray):
        vectors = np.asarray(vectors, dtype=np.float32)
        if vectors.ndim != 2 or len(keys) != vectors.shape[0]:
            raise ValueError(f"{len(keys)} keys for vectors of shape {vectors.shape}")
        self.keys = np.asarray(keys, dtype=np.int64)
        self.vectors = vectors

    @classmethod
    def from_bytes(cls, rows: Iterable[tuple[int, bytes]], *,
                   dim: int = EMBEDDING_DIM) -> "VectorIndex":
        keys, blobs = [], []
        for key, blob in rows:
            if len(blob) != dim * 4:
                raise ValueError(f"vector of key {key} has {len(blob)} bytes, not {dim * 4}")
            keys.append(key)
            blobs.append(bytes(blob))
        vectors = np.frombuffer(b"".join(blobs), dtype=np.float32).reshape(len(keys), dim)
        return cls(keys, vectors)

    def __len__(self) -> int:
        return len(self.keys)

    def search(self, query: np.ndarray, k: int) -> list[Hit]:
        """The `k` keys most similar to `query`, best first."""
        if not len(self) or k < 1:
            return []
        query = np.asarray(query, dtype=np.float32).reshape(-1)
        query = query / max(float(np.linalg.norm(query)), 1e-12)
        scores = self.vectors @ query
        k = min(k, len(scores))
        best = np.argpartition(-scores, k - 1)[:k]
        best = best[np.argsort(-scores[best], kind="stable")]
        return [Hit(int(self.keys[i]), float(scores[i])) for i in best]


class VersionedCache(Generic[T]):
    """At most `capacity` objects, one per key, each valid for one version of its key: asking
    for a newer version loads it and drops the old one (least recently used keys go first)."""

    def __init__(self, capacity: int):
        self.capacity = max(1, capacity)
        self._items: OrderedDict[Hashable, tuple[int, T]] = OrderedDict()
        self._lock = threading.Lock()
        self.loads = 0

    def get_or_load(self, key: Hashable, version: int, loader: Callable[[], T]) -> T:
        with self._lock:
            held = self._items.get(key)
            if held is not None and held[0] == version:
                self._items.move_to_end(key)
                return held[1]
            value = loader()
            self.loads += 1
            self._items[key] = (version, value)
            self._items.move_to_end(key)
            while len(self._items) > self.capacity:
                self._items.popitem(last=False)
            return value
