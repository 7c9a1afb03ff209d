"""A small client for the KoboToolbox API v2: list the forms (assets) a token can see, pull a form's
submissions page by page.

    GET {server}/api/v2/assets/?format=json                       forms, for a picker
    GET {server}/api/v2/assets/{uid}/?format=json                 one form (its name)
    GET {server}/api/v2/assets/{uid}/data/?format=json&limit=N    submissions: count, next,
                                                                  previous, results
    Authorization: Token {token}

Pages are followed through `next` (only on the same server: the token is never sent elsewhere).
`since` pulls only submissions received after a time (Kobo's Mongo-style `query` parameter on
`_submission_time`). Redirects are never followed (urllib would send the token on to wherever the
server points, even over http): a 3xx is an error naming the status. The server address must be
https:// (http:// only with the setting AWDA_KOBO_ALLOW_HTTP). Private and internal addresses are
allowed on purpose: missions run their own KoboToolbox server on their network. A pull reads at
most AWDA_IMPORT_MAX_UPLOAD_MB of responses and AWDA_IMPORT_MAX_ROWS submissions.

Errors are KoboError with a code: kobo_auth (401/403: the token is refused), kobo_not_found (404:
no such form, or not shared with the token's account), kobo_bad_server (not https://, or a
redirect), kobo_too_large (past a limit), kobo_unreachable (network, timeout, 5xx),
kobo_bad_response (not the JSON Kobo sends).

The transport is pluggable: `transport(url, headers, timeout) -> (status, body bytes)`. The
default uses urllib.request; tests pass one that replays recorded responses.
"""

import datetime
import json
import urllib.error
import urllib.parse
import urllib.request

from django.conf import settings
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from awda.core.errors import ApplicationError

from . import limits
from .contract import Table
from .sources import read_kobo_json

DEFAULT_SERVER = "https://kf.kobotoolbox.org"
PAGE_SIZE = 1000  # Kobo's API refuses more than 30,000 a page; 1,000 keeps each response small


class KoboError(ApplicationError):
    code = "kobo_error"
    status = 502
    default_message = gettext_lazy("The KoboToolbox server could not be used.")
    # The user's input is wrong, or the form is too large to import: 400, not 502.
    user_codes = ("kobo_auth", "kobo_not_found", "kobo_bad_server", "kobo_too_large")

    def __init__(self, message=None, *, code=None, **kwargs):
        super().__init__(message, code=code, **kwargs)
        if self.code in self.user_codes:
            self.status = 400


class _RefuseRedirects(urllib.request.HTTPRedirectHandler):
    """A redirect is not followed: urllib would copy every header, the token too, to the new
    address (another host, or http://). The 3xx is returned as an HTTPError, then a KoboError."""

    def redirect_request(self, req, fp, code, msg, headers, newurl):
        return None


_opener = urllib.request.build_opener(_RefuseRedirects)


def urllib_transport(url: str, headers: dict, timeout: float) -> tuple[int, bytes]:
    """GET `url`; the body is read up to the pull's byte limit (one byte more tells it is
    passed)."""
    request = urllib.request.Request(url, headers=headers)  # noqa: S310 (scheme checked)
    most = limits.max_kobo_bytes() + 1
    try:
        with _opener.open(request, timeout=timeout) as response:
            return response.status, response.read(most)
    except urllib.error.HTTPError as e:
        return e.code, e.read(most) or b""


def allow_http() -> bool:
    return bool(getattr(settings, "AWDA_KOBO_ALLOW_HTTP", False))


def server_error(url: str) -> str | None:
    """Why `url` cannot be a Kobo server address (None when it can): https:// only, unless
    AWDA_KOBO_ALLOW_HTTP allows http://."""
    scheme, netloc = _origin(url)
    if netloc and (scheme == "https" or (scheme == "http" and allow_http())):
        return None
    return _("The server address must start with https:// (for example %(example)s).") % {
        "example": DEFAULT_SERVER
    }


def _origin(url: str) -> tuple[str, str]:
    parts = urllib.parse.urlsplit(url)
    return parts.scheme.lower(), parts.netloc.lower()


class KoboClient:
    def __init__(
        self,
        server: str,
        token: str,
        *,
        transport=None,
        timeout: float = 30.0,
        page_size: int = PAGE_SIZE,
    ):
        server = (server or DEFAULT_SERVER).strip().rstrip("/")
        if "://" not in server:
            server = "https://" + server
        problem = server_error(server)
        if problem:
            raise KoboError(problem, code="kobo_bad_server")
        self.server = server
        self.token = (token or "").strip()
        self.transport = transport or urllib_transport
        self.timeout = timeout
        self.page_size = page_size
        self.bytes_read = 0  # all responses, against limits.max_kobo_bytes()

    # -- requests --------------------------------------------------------------------------
    def _get(self, url: str, *, what: str = "") -> dict:
        if _origin(url) != _origin(self.server):
            raise KoboError(
                _("The server sent a link to another server (%(url)s); it was not followed.")
                % {"url": url},
                code="kobo_bad_response",
            )
        headers = {"Accept": "application/json", "User-Agent": "Awda"}
        if self.token:
            headers["Authorization"] = f"Token {self.token}"
        try:
            status, body = self.transport(url, headers, self.timeout)
        except (urllib.error.URLError, TimeoutError, ConnectionError, OSError) as e:
            reason = getattr(e, "reason", None) or e
            raise KoboError(
                _("The server %(server)s could not be reached: %(reason)s")
                % {"server": self.server, "reason": reason},
                code="kobo_unreachable",
            ) from None
        self.bytes_read += len(body or b"")
        if self.bytes_read > limits.max_kobo_bytes():
            raise KoboError(
                _(
                    "The server's answers are larger than %(n)s MB: the submissions were not "
                    "imported. Ask the administrator to raise AWDA_IMPORT_MAX_UPLOAD_MB."
                )
                % {"n": limits.upload_mb()},
                code="kobo_too_large",
            )
        if 300 <= status < 400:
            raise KoboError(
                _(
                    "The server %(server)s answered with a redirect (HTTP %(status)s); it was "
                    "not followed, so that the token is not sent elsewhere. Enter the server's "
                    "own address, starting with https://."
                )
                % {"server": self.server, "status": status},
                code="kobo_bad_server",
            )
        if status in (401, 403):
            raise KoboError(
                _(
                    "The server refused the API token (HTTP %(status)s). Check the token in "
                    "your KoboToolbox account settings."
                )
                % {"status": status},
                code="kobo_auth",
            )
        if status == 404:
            raise KoboError(
                _(
                    'The form "%(what)s" was not found on %(server)s, or it is not shared with '
                    "the token's account."
                )
                % {"what": what or url, "server": self.server},
                code="kobo_not_found",
            )
        if status >= 500 or status == 429:
            raise KoboError(
                _("The server %(server)s answered with an error (HTTP %(status)s); try later.")
                % {"server": self.server, "status": status},
                code="kobo_unreachable",
            )
        if status != 200:
            raise KoboError(
                _("Unexpected answer from %(server)s (HTTP %(status)s).")
                % {"server": self.server, "status": status},
                code="kobo_bad_response",
            )
        try:
            data = json.loads(body.decode("utf-8"))
        except (UnicodeDecodeError, ValueError):
            raise KoboError(
                _("The server's answer is not JSON: is %(server)s a KoboToolbox server?")
                % {"server": self.server},
                code="kobo_bad_response",
            ) from None
        if not isinstance(data, dict):
            raise KoboError(
                _("Unexpected answer from %(server)s.") % {"server": self.server},
                code="kobo_bad_response",
            )
        return data

    def _pages(self, url: str, *, what: str = ""):
        seen = set()
        while url:
            if url in seen:  # a server that loops
                break
            seen.add(url)
            page = self._get(url, what=what)
            results = page.get("results")
            if not isinstance(results, list):
                raise KoboError(
                    _("Unexpected answer from %(server)s.") % {"server": self.server},
                    code="kobo_bad_response",
                )
            yield page, results
            url = page.get("next") or ""

    # -- API -------------------------------------------------------------------------------
    def assets(self) -> list[dict]:
        """Deployed survey forms: [{uid, name, submissions, modified, owner}] by name."""
        url = f"{self.server}/api/v2/assets/?format=json&limit=200"
        out = []
        for _page, results in self._pages(url):
            for a in results:
                if not isinstance(a, dict) or a.get("asset_type", "survey") != "survey":
                    continue
                out.append(
                    {
                        "uid": a.get("uid", ""),
                        "name": a.get("name", ""),
                        "submissions": a.get("deployment__submission_count") or 0,
                        "deployed": bool(a.get("has_deployment", True)),
                        "modified": a.get("date_modified", ""),
                        "owner": a.get("owner__username", ""),
                    }
                )
        return sorted(out, key=lambda a: a["name"].lower())

    def asset(self, uid: str) -> dict:
        uid = _uid(uid)
        return self._get(f"{self.server}/api/v2/assets/{uid}/?format=json", what=uid)

    def data_url(self, uid: str, *, since=None) -> str:
        params = {"format": "json", "limit": str(self.page_size), "sort": '{"_id": 1}'}
        if since:
            if isinstance(since, datetime.datetime):
                since = since.replace(tzinfo=None).isoformat(timespec="seconds")
            elif isinstance(since, datetime.date):
                since = since.isoformat()
            params["query"] = json.dumps({"_submission_time": {"$gt": str(since)}})
        query = urllib.parse.urlencode(params)
        return f"{self.server}/api/v2/assets/{_uid(uid)}/data/?{query}"

    def submissions(self, uid: str, *, since=None) -> list[dict]:
        """Every submission of the form (all pages), oldest first; refused past
        AWDA_IMPORT_MAX_ROWS (from the count the server announces, else as they come)."""
        out = []
        most = limits.max_rows()
        for page, results in self._pages(self.data_url(uid, since=since), what=uid):
            count = page.get("count")
            if len(out) + len(results) > most or (isinstance(count, int) and count > most):
                raise KoboError(
                    _(
                        "The form has more than %(n)s submissions: they were not imported. "
                        "Ask the administrator to raise AWDA_IMPORT_MAX_ROWS."
                    )
                    % {"n": most},
                    code="kobo_too_large",
                )
            out.extend(results)
        return out

    def fetch_table(self, uid: str, *, since=None, name: str = "") -> Table:
        """The form's submissions read as a Table (sources.read_kobo_json)."""
        if not name:
            name = self.asset(uid).get("name") or uid
        return read_kobo_json(self.submissions(uid, since=since), name=name)


def _uid(uid: str) -> str:
    uid = (uid or "").strip()
    if not uid or not all(c.isalnum() or c in "-_" for c in uid):
        raise KoboError(
            _('"%(uid)s" is not a KoboToolbox form id.') % {"uid": uid}, code="kobo_not_found"
        )
    return uid
