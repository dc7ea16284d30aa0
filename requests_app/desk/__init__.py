"""The staff desk: the queue (its selectors, paging, rows and filter widgets), saved views, the staff home, the pages
of a request for staff and their forms, taking and assigning requests, opening one for a member, and the
escalation with its tasks. The request's life itself (workflow, status changes, completion) stays in requests_app,
which the desk calls and never the other way round."""
