import os
import sys
from pathlib import Path

from hypothesis import HealthCheck, settings

sys.path.insert(0, str(Path(__file__).parent))

# The room tests' shared fixtures (`app` on SQLite and PostgreSQL, `postgres_url`).
pytest_plugins = ["room_helpers"]

# Property tests decide nothing by chance: `make test` and CI run the "deterministic"
# profile (derandomised: the same examples on every run and machine, no example database).
# `make fuzz` runs them with the "fuzz" profile: fresh random seeds, more examples and a
# local example database (.hypothesis/), to find new bugs; a failure found there becomes an
# explicit @example so the deterministic run keeps it (docs/testing.md).
settings.register_profile("deterministic", derandomize=True, database=None, deadline=None,
                          print_blob=True, suppress_health_check=[HealthCheck.too_slow])
settings.register_profile("fuzz", derandomize=False, deadline=None, print_blob=True,
                          max_examples=500, suppress_health_check=[HealthCheck.too_slow])
settings.load_profile(os.environ.get("ACCORD_HYPOTHESIS_PROFILE", "deterministic"))

SHARED = Path(__file__).resolve().parents[1].parent / "shared"


def pytest_collection_modifyitems(config, items):
    """Under the fuzz profile, every property test draws ACCORD_FUZZ_SCALE (default 5)
    times the examples its own @settings ask for: fresh seeds and more of them."""
    if os.environ.get("ACCORD_HYPOTHESIS_PROFILE") != "fuzz":
        return
    scale = int(os.environ.get("ACCORD_FUZZ_SCALE", "5"))
    seen: set[int] = set()
    for item in items:
        test = getattr(item, "obj", None)
        own = getattr(test, "_hypothesis_internal_use_settings", None)
        if own is None or id(test) in seen:
            continue
        seen.add(id(test))
        test._hypothesis_internal_use_settings = settings(own, max_examples=own.max_examples
                                                          * scale)
