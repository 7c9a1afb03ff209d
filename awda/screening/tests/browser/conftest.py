# One headless Chromium per module, as for the cases' browser tests.
from awda.cases.tests.browser.conftest import browser, page  # noqa: F401
