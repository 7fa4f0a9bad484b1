"""The security suite works on private copies of a published `mini` build (the nightly fixtures)."""
from tests.nightly.conftest import published, published_template  # noqa: F401 - fixtures
