"""Stage 3, free of docutils: what an entry shows.  :mod:`.entry`: the view of an
entry (its buttons, badge, links, toggles) for every writer; :mod:`.authors`: the
author line; :mod:`.options`: a list's options and words; :mod:`.format`: venue and
date text, label templates; :mod:`.links`: what a link field's value means;
:mod:`.files`: which project file a link names and whether it may be published."""
