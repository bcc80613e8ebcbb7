"""gunicorn's access log without query strings: `make serve` runs gunicorn with this logger.

A patient portal may put patient context into a link's query string (a diagnosis code, a
language, a search), and access logs are kept and read far from the patient. So the request
line (``%(r)s``), the query (``%(q)s``) and the referring address (``%(f)s``, which for a
link within this site is a full address of this site) are logged with the query cut off,
for every endpoint and whatever log format is configured. The path stays raw (still
percent-encoded), so an encoded line break cannot forge a log line as ``%(U)s`` could.
gunicorn's error log gets rls_iron.logs.RequestDataFreeFilter: its "Invalid request"
warnings quote the raw request line, query and all.
"""

from __future__ import annotations

from gunicorn.glogging import Logger

from rls_iron.logs import RequestDataFreeFilter, without_query

REQUEST_DATA_FREE = RequestDataFreeFilter()


class QueryFreeAccessLogger(Logger):
    def setup(self, cfg):
        super().setup(cfg)
        self.error_log.addFilter(REQUEST_DATA_FREE)  # the same one each time: added once

    def atoms(self, resp, req, environ, request_time):
        atoms = super().atoms(resp, req, environ, request_time)
        path = without_query(environ.get("RAW_URI", "") or environ.get("PATH_INFO", ""))
        atoms["r"] = f"{environ['REQUEST_METHOD']} {path} {environ['SERVER_PROTOCOL']}"
        for name in ("f", "{referer}i", "{http_referer}e", "{raw_uri}e"):
            if name in atoms:
                atoms[name] = without_query(atoms[name])
        for name in ("q", "{query_string}e"):
            if name in atoms:
                atoms[name] = "-"
        return atoms
