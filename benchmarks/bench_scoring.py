# SPDX-License-Identifier: EUPL-1.2
"""The scoring engine on 1,000,000 DJG-11 rows (scale 1.0): in memory, and a CSV read → score → write.

Targets (issue #4): ≤ 0.5 s in memory; ≤ 5 s for the whole CSV round trip, on 2 cores.
Correctness: a sample of rows is re-scored one at a time and must agree with the batch.
"""

from __future__ import annotations

import tempfile
from pathlib import Path
from typing import Any

import numpy as np

from benchmarks.harness import summary, timed_runs
from omzien.wellbeing.instruments import DJG11
from omzien.wellbeing.scoring import MISSING, score

WORDS = np.array(["ja", "min of meer", "nee", ""], dtype=object)


def run(scale: float = 1.0) -> dict[str, Any]:
    import polars as pl

    from omzien.wellbeing.bulk import frame_read, frame_score, frame_write

    rows = max(1000, int(1_000_000 * scale))
    rng = np.random.default_rng(11)
    codes = rng.choice(np.array([-1, 0, 1, MISSING], np.int8), size=(rows, 11), p=[0.45, 0.2, 0.33, 0.02])
    memory_times, batch = timed_runs(lambda: score(DJG11, codes), 5)
    for index in rng.choice(rows, size=200, replace=False):
        single = score(DJG11, codes[index : index + 1])
        assert np.array_equal(single.total, batch.total[index : index + 1], equal_nan=True)
        assert single.category[0] == batch.category[index]
    with tempfile.TemporaryDirectory() as folder:
        source, target = Path(folder) / "survey.csv", Path(folder) / "scored.csv"
        word_index = np.where(codes == MISSING, 3, 1 - codes.astype(np.int64))  # -1 nee, 0 mom, 1 ja
        frame = pl.DataFrame({f"item_{i + 1}": WORDS[word_index[:, i]].tolist() for i in range(11)})
        frame.insert_column(0, pl.Series("respondent", np.arange(rows)))
        frame.write_csv(source)

        def round_trip() -> Any:
            result = frame_score(DJG11, frame_read(source))
            frame_write(result, target)
            return result

        file_times, result = timed_runs(round_trip, 3)
        assert np.array_equal(
            result.get_column("score").to_numpy().astype(float), batch.total, equal_nan=True
        )
        size_mb = source.stat().st_size / 2**20
    return {"rows": rows, "in_memory": summary(memory_times), "csv_round_trip": summary(file_times),
            "csv_mb": round(size_mb, 1), "valid_share": float(batch.valid.mean())}  # fmt: skip
