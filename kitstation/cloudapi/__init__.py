"""What the two cloud hand-offs (Apple Business, Knox Mobile Enrollment) share, written once.

:mod:`http` (a session with a cached bearer token and the retry policy that honours
``Retry-After``, paging helpers), :mod:`credentials` (the owner-only per-customer credential
store), :mod:`assign` (the batching assigner and the hand-off base that gives the bench its
credential preflight) and :mod:`cli` (what ``kitstation abm`` and ``kitstation kme`` both print
and read). It sits between the adapters (``kitstation.abm``, ``kitstation.kme``) and the core.
"""
