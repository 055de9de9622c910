"""Shared fixtures of the kit's own tests, and the Hypothesis profile they run under."""

import os
import tempfile

import pytest

from autograder import i18n

try:
    from hypothesis import HealthCheck, settings
except ImportError:  # the kit without its dev extra: `pytest --submission=PATH` from the checkout grades, and
    settings = None  # the property tests (test_properties.py, test_reference.py) need the dev extra anyway

pytest_plugins = ["pytester"]

if settings is not None:
    # Hypothesis keeps its caches and suggested patches out of the work tree.
    os.environ.setdefault("HYPOTHESIS_STORAGE_DIRECTORY", os.path.join(tempfile.gettempdir(), "logreg-hypothesis"))
    # Reproducible and quick: the same examples every run, no example database, the blob to replay a failure.
    settings.register_profile(
        "ci",
        derandomize=True,
        database=None,
        deadline=None,
        max_examples=25,
        print_blob=True,
        suppress_health_check=[HealthCheck.too_slow, HealthCheck.filter_too_much, HealthCheck.data_too_large],
    )
    settings.register_profile(
        "thorough", parent=settings.get_profile("ci"), derandomize=False, max_examples=400
    )  # bug hunting
    settings.load_profile(os.environ.get("HYPOTHESIS_PROFILE", "ci"))


@pytest.fixture
def chinese():
    """This process speaks Chinese during the test (the kit's catalogue), English again after it."""
    i18n.use("zh")
    yield
    i18n.use("en")
