"""Knox Mobile Enrollment API: approve a reseller's upload and assign the customer's KME profile.

The adapter for the hand-off after a Galaxy phone's Prepare: :mod:`client` (Knox OAuth 2.0
client credentials, paging, retries), :mod:`credentials` (per-customer API clients, owner-only),
:mod:`steps` (the batched assign step a plan ends with) and :mod:`preflight`.
"""
