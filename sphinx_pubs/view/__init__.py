"""Stage 3, free of docutils: what an entry shows (:mod:`.format`: venue and date text,
label templates; :mod:`.links`: link fields, buttons and which local files may be
published)."""
