"""Everything that knows Sphinx: nodes, the directive, the ``pub`` domain and roles,
transforms, paper pages, the citation bridge and the writers for each builder."""
