"""Helpers that borrow from another installed module instead of meeting it through core."""

from __future__ import annotations

from ..sample import module as sample


def sample_word() -> str:
    return sample.module.title
