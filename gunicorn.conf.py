"""gunicorn settings for `make serve` and the production tests (`gunicorn -c gunicorn.conf.py`).

Query strings never reach the access log: a patient portal may put patient context in an
address (an Infobutton query, a search), and logs are kept and read far from the patient.
The logger class cuts the query from the request line, the query field and the referring
address for every endpoint, whatever the format; the format leaves out the Referer and the
browser altogether. https://docs.gunicorn.org/en/stable/settings.html#access-log-format
"""

logger_class = "rls_iron.access_log.QueryFreeAccessLogger"
access_log_format = '%(h)s %(t)s "%(r)s" %(s)s %(b)s %(M)sms'
