"""Output for each builder: interactive HTML, and plain docutils nodes for the rest."""
