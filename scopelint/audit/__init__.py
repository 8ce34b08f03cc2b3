"""`scopelint audit`: an org-wide report of every plan and client config under some paths.

The engine lints; `model` turns its result into ranked connections; `render_*` show them.
"""
