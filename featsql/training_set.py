"""Containers for split training data: ``data.train.input`` (X) and ``data.train.output`` (y)."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Generic, Sequence, TypeVar

Frame = TypeVar("Frame")


@dataclass(frozen=True)
class DataSplit(Generic[Frame]):
    """One part of a split: every column (``data``), the model's features (``input``, X) and
    its targets (``output``, y; no columns when the model has no targets)."""

    data: Frame
    input: Frame
    output: Frame

    def __len__(self) -> int:
        return len(self.data)  # type: ignore[arg-type]


@dataclass(frozen=True)
class TrainTestSet(Generic[Frame]):
    """Train, test and (when asked for) validation parts, each a :class:`DataSplit`.

    ``feature_names`` and ``target_names`` name the columns of ``input`` and ``output``.
    """

    train: DataSplit[Frame]
    test: DataSplit[Frame] | None
    validation: DataSplit[Frame] | None
    feature_names: Sequence[str]
    target_names: Sequence[str]
