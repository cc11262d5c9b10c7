# Regenerates numpy-percentiles.json, the reference values percentile.test.ts checks our numpy.percentile
# port against. Needs python3 with numpy (not needed to run the tests).
import json, random
import numpy as np

random.seed(7)
cases = []
for n in [1, 2, 3, 5, 10, 37, 100, 1000]:
    values = [round(random.uniform(0, 2), 6) for _ in range(n)]
    for p in [0.5, 33, 50, 66, 95, 96, 99.9, 100]:
        cases.append({"values": values, "p": p, "expected": float(np.percentile(values, p))})
# plateaus, as usage histories have
plateau = [0.25] * 500 + [0.5] * 300 + [0.75] * 37
for p in [66, 95, 96, 99]:
    cases.append({"values": plateau, "p": p, "expected": float(np.percentile(plateau, p))})
print(json.dumps({"numpy": np.__version__, "cases": cases}))
