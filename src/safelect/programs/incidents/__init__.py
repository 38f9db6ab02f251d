"""Incident reporting under S.2261 §4(h)–(k), (p) and (g): possible incidents and their assessment,
the 3-day notices of agencies and providers, their content, and the notification of Congress of
significant incidents.

Built so far: the congressional recipients of a §4(p)(1)(A) notification
(``safelect incidents congress-recipients``). Planned: reports, notices, clocks, evidence files,
personal-data minimisation, pages and API (see the README's status table).
"""
