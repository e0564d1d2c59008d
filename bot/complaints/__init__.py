"""The complaint API v1 (`docs/complaint-api.yaml`): where confirmed reports go.

`gateway` holds the outcome types and the `ComplaintGateway` port the dispatcher depends on,
`client` the httpx implementation of that port, and `server` a reference implementation of the
API itself, so the whole path can be run and tested on one machine before the real one exists.
"""
