"""gunicorn settings for `make serve` and the production tests (`gunicorn -c gunicorn.conf.py`).

The access log writes the path without its query string (%(U)s, not the request line
%(r)s) and leaves out the Referer: a patient portal may put patient context in an
Infobutton address (/infobutton?mainSearchCriteria...), and such details must never reach
a log file. https://docs.gunicorn.org/en/stable/settings.html#access-log-format
"""

access_log_format = '%(h)s %(t)s "%(m)s %(U)s %(H)s" %(s)s %(b)s %(M)sms "%(a)s"'
