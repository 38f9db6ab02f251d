"""Personal information in what the national office may share (S.2261 §4(g)): one scanner
(:mod:`.scanner`), findings grouped for review, decisions to redact or keep with a reason, the
minimised text, and the purge of personal data once it has been kept long enough (:mod:`.services`)."""
