"""What every stage shares, free of Sphinx and docutils: the records
(:mod:`.model`), rich text (:mod:`.markup`), person names (:mod:`.names`) and LaTeX
(:mod:`.latex`)."""
