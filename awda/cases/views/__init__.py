"""HTML views of the cases app, split by area: dashboard and lists (lists.py), case detail, register
and actions (detail.py and friends). URL patterns live beside them (lists_urls.py, detail_urls.py)."""
