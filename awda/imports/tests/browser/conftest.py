from awda.cases.tests.browser.conftest import browser, page  # noqa: F401
