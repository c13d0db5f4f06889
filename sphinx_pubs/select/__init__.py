"""Stage 2, pure Python: which records a list shows and in what order
(:mod:`.query`: filters and sort keys; :mod:`.group`: merging files and grouping)."""
