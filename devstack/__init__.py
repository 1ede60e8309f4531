"""Runs Twoshot on one machine: the broker, Redis, a mailbox SMTP server, every
service and demo data. ``make run`` uses it, and so do the integration and
end-to-end tests, so what a developer runs is what the tests prove."""
