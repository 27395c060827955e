"""The reproducibility promise, as the README states it: the same seed on the same machine with
the same BLAS thread count gives the same bits. Each run is a fresh process, so the thread
count is fixed before NumPy loads its BLAS. The fit is large enough (3000 x 64) for the BLAS to
split its products over threads: 1 and 2 threads may differ, and are not required to agree."""

import os
import subprocess
import sys

import pytest

RUN = """
import hashlib
import numpy as np
import labnn
rng = np.random.default_rng(0)
X = rng.normal(size=(3000, 64))
y = (X[:, :1] > 0).astype(float)
net = (labnn.Network(64, seed=1).add_layer(64, "tanh").add_layer(64, "tanh")
       .add_layer(1, "sigmoid"))
history = net.fit(X, y, epochs=5, lr=0.1, batch_size=1000, seed=2)
digest = hashlib.sha256(b"".join(p.tobytes() for p in net.params))
digest.update(np.array(history.loss).tobytes())
print(digest.hexdigest())
"""


def _digest(threads: int) -> str:
    env = {**os.environ, "OPENBLAS_NUM_THREADS": str(threads), "OMP_NUM_THREADS": str(threads),
           "MKL_NUM_THREADS": str(threads)}
    done = subprocess.run([sys.executable, "-c", RUN], env=env, capture_output=True, text=True,
                          check=True, timeout=300)
    return done.stdout.strip()


@pytest.mark.slow
@pytest.mark.parametrize("threads", [1, 2])
def test_same_seed_same_thread_count_same_bits(threads):
    first, second = _digest(threads), _digest(threads)
    assert len(first) == 64 and first == second
