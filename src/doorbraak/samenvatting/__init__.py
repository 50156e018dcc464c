"""The casus summary for the doorbraaktafel, and the bestuur memo for afwijkingen buiten kader."""
