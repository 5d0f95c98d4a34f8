"""Apple School Manager and Apple Business APIs: assign devices to the customer's MDM server.

The adapter for the hand-off after an iPhone's Prepare: :mod:`client` (OAuth 2 with an ES256
client assertion, paging, retries), :mod:`credentials` (per-customer API accounts, owner-only),
:mod:`steps` (the batched assign step a plan ends with) and :mod:`preflight`.
"""
