"""Tools every public form shares: the honeypot, per-client rate limits, refusals and phone numbers.

Complaints, questions, 代办 requests, ratings and tracking pages all use these, so none of those apps
owns them (docs/style.md, 21). Not an installed app: it has no models, templates or URLs.
"""
